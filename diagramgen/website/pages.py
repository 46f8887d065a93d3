"""The site's own pages: a design page per design, its changes page, and the index."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from diagramgen.rendering.interactive import (
    NOTES_PAGE,
    Linked,
    PageLink,
    design_facts,
    header,
    html_document,
    kind_label,
    markdown_html,
    notes_page,
    page_links,
    view_page,
)
from diagramgen.view.builders import tech_name
from diagramgen.website.assets import ASSETS_DIR, Icons
from diagramgen.website.summary import DesignSummary

if TYPE_CHECKING:
    from diagramgen.analysis import Analysis
    from diagramgen.spec.models import Design

SEVERITIES = ("error", "warning", "info")
SHARED_PREFIX = f"../{ASSETS_DIR}/"  # the shared files, from a design's pages
NOTES_SOURCE = "notes.md"  # in the render folder


def summarize(design: Design, analysis: Analysis) -> DesignSummary:
    """The index entry of a design: its kinds, techs, findings and searchable text."""
    kinds = sorted({kind_label(c) for c in design.components})
    techs = sorted({n for c in design.components if (n := tech_name(c.tech))}, key=str.lower)
    codes = sorted({f.code for f in analysis.findings})
    words = [design.display_title, design.slug, design.description or "", *kinds, *techs]
    for c in design.components:
        words += [c.id, c.display, c.tech or "", c.kind]
    words += [f.name for f in analysis.findings] + codes
    return DesignSummary(
        slug=design.slug,
        title=design.display_title,
        description=design.description,
        kinds=tuple(kinds),
        techs=tuple(techs),
        codes=tuple(codes),
        counts={s: analysis.count(s) for s in SEVERITIES},
        components=len(design.components),
        flows=len(design.flows),
        search=" ".join(" ".join(words).lower().split()),
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _counts(summary: DesignSummary) -> str:
    return (
        f"{_plural(summary.components, 'component')} · {_plural(summary.flows, 'flow')} · "
        f"{_plural(summary.counts['error'], 'error')}, "
        f"{_plural(summary.counts['warning'], 'warning')}, {summary.counts['info']} info"
    )


def _findings_table(analysis: Analysis) -> str:
    if not analysis.findings:
        return "<p>No findings.</p>"
    rows = []
    for f in analysis.findings:
        where = (
            f'<a href="overview.html#focus={escape(f.component)}">{escape(f.component)}</a>'
            if f.component
            else "design"
        )
        rows.append(
            f'<tr><td class="dg-sev dg-sev-{f.severity}">{f.severity}</td>'
            f"<td><code>{f.code}</code> {escape(f.name)}</td><td>{where}</td>"
            f"<td>{escape(f.message)}</td></tr>"
        )
    return (
        "<table><thead><tr><th>Severity</th><th>Rule</th><th>Component</th><th>Finding</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


@dataclass
class DesignPages:
    """What `design_pages` wrote for one design, and what the index needs of it."""

    summary: DesignSummary
    files: list[Path]
    icons: set[str]  # names of the shared icons its pages use (`assets.Icons`)


def design_pages(
    design: Design,
    source: Path,
    folder: Path,
    theme_override: str | None,
    change: str | None,
    since: str | None,
    icons: Icons,
    analysis: Analysis | None = None,
) -> DesignPages:
    """Write a rendered design's view pages, notes page, design page and changes page.

    `source` is the design's render folder (its view SVGs and `notes.md`: the layouts are
    read, never computed again); `folder` receives the pages and a copy of each view's
    SVG (the design page shows them as pictures). Pages link the site's shared script,
    style and icons (`assets.py`). `change` is the changelog Markdown since `since` (''
    for a design added since, None without `since`).
    """
    from diagramgen.analysis import analyze
    from diagramgen.atomic import write_text
    from diagramgen.rendering import design_views, theme_name
    from diagramgen.view.themes import get_theme

    theme = get_theme(theme_name(design, theme_override))
    analysis = analysis or analyze(design)
    facts = design_facts(design, analysis)
    views = design_views(design)
    notes = (source / NOTES_SOURCE).read_text("utf-8")
    own = page_links(design, views, notes=True)  # the views, then the notes
    links = [
        PageLink("catalogue", "Catalogue", "../index.html"),
        PageLink("design", "Design", "index.html"),
        *own,
    ]
    if change is not None:
        links.append(PageLink("changes", "Changes", "changes.html"))
    written: list[Path] = []
    used: set[str] = set()
    for view in views:
        svg_file = source / f"{view.name}.svg"
        svg = svg_file.read_text("utf-8")
        picture = folder / svg_file.name
        shutil.copyfile(svg_file, picture)
        written.append(picture)
        svg, names = icons.externalize(svg, SHARED_PREFIX)
        used |= names
        page = folder / f"{view.name}.html"
        html = view_page(
            design, view, svg, analysis, theme, links, facts=facts, assets=SHARED_PREFIX
        )
        write_text(page, html)
        written.append(page)
    page = folder / NOTES_PAGE
    write_text(page, notes_page(design, notes, theme, links, assets=SHARED_PREFIX))
    written.append(page)
    summary = summarize(design, analysis)

    cards = "".join(
        f'<li class="dg-card"><h2><a href="{v.name}.html">{escape(link.title)}</a></h2>'
        f'<a href="{v.name}.html" aria-label="{escape(link.title)}: interactive view">'
        f'<img src="{v.name}.svg" alt="{escape(v.title)}" loading="lazy"></a></li>'
        for v, link in zip(views, own, strict=False)
    )
    changes = ""
    if change is not None:
        changes = (
            f'<h2 id="changes">Changes since <code>{escape(since or "")}</code></h2>'
            f'<p><a href="changes.html">{"The changelog" if change else "New since then"}</a>'
            "</p>"
        )
    body = (
        f"{header(design, links, 'design')}"
        '<main class="dg-doc"><section>'
        f"<p>{escape(design.description or '')}</p>"
        f'<p class="dg-muted">{_counts(summary)}</p>'
        f'<h2 id="views">Views</h2><ul class="dg-cards">{cards}</ul>'
        f'<h2 id="findings">Findings</h2>{_findings_table(analysis)}'
        f"{changes}"
        f'<h2 id="notes">Notes</h2><article class="dg-md">{markdown_html(notes)}</article>'
        "</section></main>"
    )
    css = Linked(f"{SHARED_PREFIX}viewer.css")
    page = folder / "index.html"
    title = design.display_title
    write_text(page, html_document(title, body, theme, css=css, images="'self'", generator=True))
    written.append(page)
    if change is not None:
        text = change or f"# {design.display_title}\n\nNew since `{since}`.\n"
        body = (
            f"{header(design, links, 'changes')}"
            f'<main class="dg-doc"><article class="dg-md">{markdown_html(text)}</article></main>'
        )
        page = folder / "changes.html"
        title = f"{design.display_title} · changes"
        write_text(page, html_document(title, body, theme, css=css, generator=True))
        written.append(page)
    return DesignPages(summary, written, used)


def _options(values: Sequence[tuple[str, str]]) -> str:
    return "".join(f'<option value="{escape(v)}">{escape(t)}</option>' for v, t in values)


def index_page(summaries: Sequence[DesignSummary], title: str, theme: str | None) -> str:
    """The catalogue: a card per design, with search and filters (kind, tech, findings)."""
    from diagramgen.view.themes import get_theme

    rows = sorted(summaries, key=lambda s: s.slug)
    kinds = sorted({k for s in rows for k in s.kinds}, key=str.lower)
    techs = sorted({t for s in rows for t in s.techs}, key=str.lower)
    codes = sorted({c for s in rows for c in s.codes})
    findings = [("error", "with errors"), ("warning", "with warnings"), ("clean", "clean")]
    findings += [(c, c) for c in codes]
    cards = []
    for s in rows:
        severity = next((x for x in SEVERITIES[:2] if s.counts[x]), "clean")
        tech_line = f'<p class="dg-muted">Tech: {escape(", ".join(s.techs))}</p>' if s.techs else ""
        cards.append(
            f'<li class="dg-card" data-search="{escape(s.search)}" '
            f'data-kinds="{escape("|".join(s.kinds))}" data-techs="{escape("|".join(s.techs))}" '
            f'data-findings="{escape("|".join((severity, *s.codes)))}">'
            f'<h2><a href="{s.slug}/index.html">{escape(s.title)}</a></h2>'
            f'<a href="{s.slug}/overview.html" '
            f'aria-label="{escape(s.title)}: interactive overview">'
            f'<img src="{s.slug}/overview.svg" alt="{escape(s.title)} overview" loading="lazy"></a>'
            f"<p>{escape(s.description or '')}</p>"
            f'<p class="dg-muted">{_counts(s)}</p>{tech_line}</li>'
        )
    n = len(rows)
    body = (
        f'<header class="dg-bar"><h1 class="dg-title">{escape(title)}</h1></header>'
        '<main class="dg-doc"><section>'
        '<form class="dg-filters" role="search" aria-label="Find designs">'
        '<label>Search <input type="search" id="dg-q" placeholder="name, component, tech, rule"'
        ' autocomplete="off"></label>'
        f'<label>Kind <select id="dg-kind"><option value="">any</option>'
        f"{_options([(k, k) for k in kinds])}</select></label>"
        f'<label>Tech <select id="dg-tech"><option value="">any</option>'
        f"{_options([(t, t) for t in techs])}</select></label>"
        f'<label>Findings <select id="dg-findings"><option value="">any</option>'
        f"{_options(findings)}</select></label></form>"
        f'<p id="dg-count" aria-live="polite">{_plural(n, "design")}</p>'
        f'<ul class="dg-cards" id="dg-cards">{"".join(cards)}</ul>'
        "</section></main>"
    )
    return html_document(
        title,
        body,
        get_theme(theme or "light"),
        css=Linked(f"{ASSETS_DIR}/viewer.css"),
        script=Linked(f"{ASSETS_DIR}/site.js"),
        images="'self'",
        generator=True,
    )
