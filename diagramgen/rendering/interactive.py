"""Interactive pages: the rendered SVG of a view, with the design's analysis, in one HTML file.

One layout, several targets: the page embeds the very SVG that `render_view` wrote
(Graphviz's layout, icons inlined) and never lays anything out again. Its script
(`assets/viewer.js`, ours, no library) finds the components by Graphviz's stable groups
(`<g class="node">` whose `<title>` is the component id) and the edges by their order
(`edgeN` is the view's N-th edge, the order the DOT source lists them), and reads what
it shows from a JSON block built here from the public analysis results: kind, tech,
instances, load at peak, findings, decisions, and per edge its label, protocol and rate.

A page is self-contained: script and style inline, images as data URIs, and a
Content-Security-Policy with the hashes of its own script and style that forbids every
fetch, so it works from `file://` and any static host and can make no request. The
catalogue site (`diagramgen/website/`) builds the same pages with `assets=`: script, style
and icons are then files shared by all its pages, and the policy allows its own site
(`'self'`) and nothing else.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from html import escape
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diagramgen.spec.models import slugify
from diagramgen.spec.units import human_rate
from diagramgen.view.builders import flow_view_name, tech_name
from diagramgen.view.themes import Theme

if TYPE_CHECKING:
    from diagramgen.analysis import Analysis
    from diagramgen.spec.models import Component, Design
    from diagramgen.view.model import DiagramView

NOTES_PAGE = "notes.html"
_EDGE_GROUP = re.compile(r'<g id="edge(\d+)" class="edge">')


@dataclass(frozen=True)
class PageLink:
    """A page the header links to: a view page or the notes."""

    name: str
    title: str
    href: str


# ---------------------------------------------------------------- assets and chrome


@cache
def asset(name: str) -> str:
    """The text of a file under `diagramgen/rendering/assets/` (the page script and styles)."""
    return resources.files("diagramgen.rendering").joinpath("assets", name).read_text("utf-8")


def palette(theme: Theme) -> dict[str, str]:
    """The page's colours, from the render theme so page and picture match.

    Text colours are chosen to reach WCAG AA (4.5:1) on both `bg` and `panel`; the test
    suite computes the ratios.
    """
    dark = theme.name == "dark"
    return {
        "bg": theme.background,
        "fg": theme.text,
        "muted": theme.subtle_text,
        "panel": theme.panel,
        "line": theme.cluster_border,
        "accent": theme.accent,
        "hl": theme.color("highlight"),
        "error": "#FCA5A5" if dark else "#B42318",
        "warning": "#FCD34D" if dark else "#93370D",
        "info": theme.subtle_text,
    }


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@dataclass(frozen=True)
class Linked:
    """A shared file a page links to instead of inlining it (the catalogue site's assets)."""

    href: str  # relative to the page


GENERATOR = '<meta name="generator" content="diagramgen">'


def html_document(
    title: str,
    body: str,
    theme: Theme,
    *,
    css: str | Linked,
    script: str | Linked | None = None,
    data: Any = None,
    images: str = "data:",
    generator: bool = False,
) -> str:
    """A whole page: `body` inside the shared head, its style and script inline or linked.

    The Content-Security-Policy lets the page run only its own script and style (by hash,
    or from its own site when `Linked`) and load images only from `images` (data URIs by
    default): nothing is fetched from elsewhere. `generator` adds the `GENERATOR` tag that
    marks a page as ours (the site replaces only such pages).
    """
    colours = "".join(f"--{k}:{v};" for k, v in palette(theme).items())
    head_style = f":root{{{colours}color-scheme:{theme.name};}}"
    style = f"{head_style}\n{css}" if isinstance(css, str) else head_style
    styles = _csp_hash(style) if isinstance(css, str) else f"'self' {_csp_hash(style)}"
    policy = [
        "default-src 'none'",
        f"img-src {images}",
        f"style-src {styles}",
        # Markdown tables align columns with style attributes; they can fetch nothing
        # (url() would still need img-src).
        "style-src-attr 'unsafe-inline'",
        "base-uri 'none'",
        "form-action 'none'",
    ]
    if script is not None:
        scripts = _csp_hash(script) if isinstance(script, str) else "'self'"
        policy.append(f"script-src {scripts}")
    head = f"<title>{escape(title)}</title>\n"
    if isinstance(css, Linked):
        head += f'<link rel="stylesheet" href="{escape(css.href)}">\n'
    head += f"<style>{style}</style>\n"
    tail = ""
    if data is not None:
        tail += f'<script type="application/json" id="dg-data">{json_for_html(data)}</script>\n'
    if isinstance(script, Linked):
        tail += f'<script src="{escape(script.href)}"></script>\n'
    elif script is not None:
        tail += f"<script>{script}</script>\n"
    return (
        "<!doctype html>\n"
        f'<html lang="en" data-theme="{theme.name}"><head><meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        + (f"{GENERATOR}\n" if generator else "")
        + f'<meta http-equiv="Content-Security-Policy" content="{"; ".join(policy)}">\n'
        f"{head}</head>\n"
        f"<body>\n{body}\n{tail}</body></html>\n"
    )


def json_for_html(data: Any) -> str:
    """JSON that cannot end its `<script>` element: `<`, `>` and `&` as `\\u` escapes."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def inline_svg(svg: str) -> str:
    """An SVG file's text fit for inlining in HTML (no XML declaration or doctype)."""
    start = svg.find("<svg")
    return svg[start:].strip() if start >= 0 else svg.strip()


def header(design: Design, links: Sequence[PageLink], current: str, extra: str = "") -> str:
    """The bar on every page of a design: title, view switcher, notes link."""
    items = []
    for link in links:
        here = ' aria-current="page"' if link.name == current else ""
        items.append(
            f'<a class="dg-view" href="{escape(link.href)}"{here} '
            f'data-base="{escape(link.href)}">{escape(link.title)}</a>'
        )
    return (
        '<header class="dg-bar">'
        f'<h1 class="dg-title">{escape(design.display_title)}</h1>'
        f'<nav class="dg-views" aria-label="Views">{"".join(items)}</nav>'
        f"{extra}</header>"
    )


def page_links(design: Design, views: Sequence[DiagramView], notes: bool) -> list[PageLink]:
    """The header links of a design's pages: each view page, then the notes page."""
    prefix = f"{design.display_title}: "
    links = [PageLink(v.name, _view_title(v, prefix), f"{v.name}.html") for v in views]
    if notes:
        links.append(PageLink("notes", "Notes", NOTES_PAGE))
    return links


def _view_title(view: DiagramView, prefix: str) -> str:
    if view.name == "overview":
        return "Overview"
    title = view.title.removeprefix(prefix) if view.title else view.name
    return f"Flow: {title}" if view.name.startswith("flow-") else title


# ---------------------------------------------------------------- data for the script


def kind_label(component: Component) -> str:
    """`NoSQL database`: the kind as the notes name it."""
    return type(component).KIND_LABEL


def _findings_by_component(analysis: Analysis) -> dict[str | None, list[dict[str, str]]]:
    out: dict[str | None, list[dict[str, str]]] = {}
    for f in analysis.findings:
        out.setdefault(f.component, []).append(
            {"code": f.code, "name": f.name, "severity": f.severity, "message": f.message}
        )
    return out


def decision_texts(design: Design) -> list[str]:
    """Each decision's text, lower-cased, as `decisions_naming` searches it."""
    texts = []
    for d in design.decisions:
        consequences = d.consequences if isinstance(d.consequences, list) else [d.consequences]
        parts = [d.title, d.context, d.chosen, d.because, *d.alternatives, *consequences]
        texts.append(" ".join(p for p in parts if p).lower())
    return texts


def decisions_naming(
    design: Design, component: Component, texts: Sequence[str] | None = None
) -> list[int]:
    """Indexes of the decisions whose text names the component: its id, label or tech.

    A name counts as a whole word (not inside a longer identifier). `texts`: the design's
    `decision_texts`, when the caller has them already.
    """
    names = [component.id, component.display, tech_name(component.tech) or ""]
    words = sorted({re.escape(n.lower()) for n in names if n})
    if not words:
        return []
    # One pattern per component, compiled once: `re`'s cache is far smaller than a design.
    pattern = re.compile(rf"(?<![\w-])(?:{'|'.join(words)})(?![\w-])")
    texts = decision_texts(design) if texts is None else texts
    return [i for i, text in enumerate(texts) if pattern.search(text)]


def edge_rates(design: Design, analysis: Analysis) -> dict[tuple[str, str], dict[str, Any]]:
    """The peak rate on each step of a flow that carries operations, keyed by its ends.

    Derived from the capacity model (`analysis/context.py`): each operation carried by a
    flow reaches the step's target with the share left after CDN and cache hits upstream;
    the step's rate is the sum over those operations of peak rate x that share. A
    connection that no traced flow crosses has no rate.
    """
    from diagramgen.analysis.engine import context_of

    ctx = context_of(design, analysis)
    peaks = {op.name: op.peak_per_second for op in analysis.estimates.operations}
    per_step: dict[tuple[str, str], dict[str, float]] = {}
    for op_name, flows in ctx.flows_of.items():
        fractions = ctx.fractions.get(op_name, {})
        for flow in flows:
            for step in flow.steps:
                reached = [fractions.get(c, 0.0) for c in ctx.graph.expand(step.target)]
                share = max(reached, default=0.0)
                ops = per_step.setdefault(step.key, {})
                ops[op_name] = max(ops.get(op_name, 0.0), peaks[op_name] * share)
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for key, ops in per_step.items():
        total = sum(ops.values())
        out[key] = {"rate": total, "rate_text": human_rate(total), "rate_basis": shares(ops)}
    return out


def _node_data(
    design: Design,
    component: Component,
    loads: dict[str, dict[str, Any]],
    findings: list[dict[str, str]],
    texts: Sequence[str],
) -> dict[str, Any]:
    groups = {g.id: g.display for g in design.groups}
    load = loads.get(component.id)
    tech = tech_name(component.tech)
    data: dict[str, Any] = {
        "label": component.display,
        "kind": kind_label(component),
        "tech": tech,
        "replicas": component.replicas,
        "description": component.description,
        "group": groups.get(component.group or ""),
        "findings": findings,
        "decisions": decisions_naming(design, component, texts),
    }
    if load is not None:
        util = load.get("utilization")
        data["load"] = {
            "peak": human_rate(load["peak_per_second"]),
            "breakdown": shares(load.get("operations", {})),
            # Capacity and utilisation at the instances running, and at autoscaling's
            # ceiling when it has one: the same two figures the notes give.
            "instances": load.get("running_instances", load["instances"]),
            "max_instances": load.get("max_instances", load["instances"]),
            "capacity": human_rate(load["capacity_per_second"])
            if load.get("capacity_per_second")
            else None,
            "capacity_max": human_rate(load["capacity_max_per_second"])
            if load.get("capacity_max_per_second")
            else None,
            "utilization_max_text": percent(load["utilization_max"])
            if load.get("utilization_max") is not None
            else None,
            "per_instance": human_rate(load["per_instance_per_second"])
            if load.get("per_instance_per_second")
            else None,
            "basis": load.get("basis"),
            "utilization": round(util * 100, 1) if util is not None else None,
            "utilization_text": percent(util) if util is not None else None,
        }
    parts = [component.display, data["kind"]]
    if tech:
        parts.append(tech)
    parts.append(f"{component.replicas} instance{'s' if component.replicas != 1 else ''}")
    if findings:
        parts.append(f"{len(findings)} finding{'s' if len(findings) != 1 else ''}")
    data["aria"] = ", ".join(parts)
    return data


def percent(share: float) -> str:
    """`0.365` -> `36.5%`; a share too small to show at one decimal is `<0.1%`, not `0%`."""
    value = share * 100
    if 0 < value < 0.05:
        return "<0.1%"
    return f"{value:.1f}".removesuffix(".0") + "%"


def shares(rates: dict[str, float]) -> str:
    """`redirect 69.4k/s + shorten 3.47k/s`: per-operation rates, largest first."""
    ops = sorted(rates.items(), key=lambda kv: (-kv[1], kv[0]))
    return " + ".join(f"{name} {human_rate(v)}" for name, v in ops)


def _end_label(design: Design, end: str) -> str:
    comp = next((c for c in design.components if c.id == end), None)
    if comp is not None:
        return comp.display
    group = next((g for g in design.groups if g.id == end), None)
    return group.display if group is not None else end


@dataclass(frozen=True)
class DesignFacts:
    """What the pages of one design show, computed once per design rather than per view."""

    analysis: Analysis
    rates: dict[tuple[str, str], dict[str, Any]]  # see `edge_rates`
    findings: dict[str | None, list[dict[str, str]]]  # by component (None: the design's)
    nodes: dict[str, dict[str, Any]]  # every component's panel data, in spec order


def design_facts(
    design: Design,
    analysis: Analysis,
    rates: dict[tuple[str, str], dict[str, Any]] | None = None,
) -> DesignFacts:
    """The per-design part of `page_data`: rates, findings and every component's data."""
    rates = edge_rates(design, analysis) if rates is None else rates
    by_component = _findings_by_component(analysis)
    loads = {load.component: load.to_json() for load in analysis.loads}
    texts = decision_texts(design)
    nodes = {
        c.id: _node_data(design, c, loads, by_component.get(c.id, []), texts)
        for c in design.components
    }
    return DesignFacts(analysis, rates, by_component, nodes)


def page_data(
    design: Design,
    view: DiagramView,
    analysis: Analysis,
    links: Sequence[PageLink],
    rates: dict[tuple[str, str], dict[str, Any]] | None = None,
    facts: DesignFacts | None = None,
) -> dict[str, Any]:
    """What the page script shows, for one view: nodes, edges (by SVG id), flows, decisions."""
    facts = facts or design_facts(design, analysis, rates)
    rates = facts.rates
    by_component = facts.findings
    in_view = view.node_ids()
    nodes = {cid: data for cid, data in facts.nodes.items() if cid in in_view}
    links_by_key: dict[tuple[str, str], list[Any]] = {}
    for conn in design.connections:
        links_by_key.setdefault(conn.key, []).append(conn)
    for flow in design.flows:
        for step in flow.steps:
            links_by_key.setdefault(step.key, []).append(step)
    used: dict[tuple[str, str], int] = {}
    edges = []
    for i, edge in enumerate(view.edges, start=1):
        key = (edge.source, edge.target)
        candidates = links_by_key.get(key, [])
        n = used.get(key, 0)
        used[key] = n + 1
        link = candidates[min(n, len(candidates) - 1)] if candidates else None
        entry: dict[str, Any] = {
            "id": f"edge{i}",
            "source": edge.source,
            "target": edge.target,
            "from": _end_label(design, edge.source),
            "to": _end_label(design, edge.target),
            "label": link.label if link is not None else edge.label,
            "protocol": link.protocol if link is not None else None,
            "async": bool(link.is_async) if link is not None else edge.line == "dashed",
            "description": link.description if link is not None else None,
        }
        entry.update(rates.get(key, {"rate": None, "rate_text": None, "rate_basis": None}))
        edges.append(entry)
    hrefs = {link.href for link in links}  # a partial render links only what it wrote
    flows = []
    for flow in design.flows:
        steps = []
        for n, step in enumerate(flow.steps, start=1):
            ends = {step.key, (step.target, step.source)}
            steps.append(
                {
                    "n": n,
                    "from": step.source,
                    "to": step.target,
                    "from_label": _end_label(design, step.source),
                    "to_label": _end_label(design, step.target),
                    "label": step.label,
                    "async": step.is_async,
                    "edges": [e["id"] for e in edges if (e["source"], e["target"]) in ends],
                }
            )
        flows.append(
            {
                "name": flow.name,
                "description": flow.description,
                "slug": slugify(flow.name),  # `#flow=` takes the name or this
                "view": page if (page := f"{flow_view_name(flow.name)}.html") in hrefs else None,
                "steps": steps,
            }
        )
    decisions = [
        {
            "title": d.title,
            "chosen": d.chosen,
            "because": d.because,
            "alternatives": list(d.alternatives),
        }
        for d in design.decisions
    ]
    return {
        "design": {
            "title": design.display_title,
            "description": design.description,
            "findings": by_component.get(None, []),
            "counts": {s: analysis.count(s) for s in ("error", "warning", "info")},
        },
        "view": {"name": view.name, "title": view.title},
        "nodes": nodes,
        "groups": {g.id: g.display for g in design.groups},
        "edges": edges,
        "flows": flows,
        "decisions": decisions,
        "notes": NOTES_PAGE if any(link.name == "notes" for link in links) else None,
    }


def check_edge_ids(svg: str, view: DiagramView) -> None:
    """Fail loudly if Graphviz numbered the edges differently from the view's order."""
    ids = sorted(int(m.group(1)) for m in _EDGE_GROUP.finditer(svg))
    if ids != list(range(1, len(view.edges) + 1)):
        raise RuntimeError(
            f"view {view.name}: the SVG has edges {ids[:5]}..., the view {len(view.edges)}"
        )


# ---------------------------------------------------------------- pages

_WALK_CONTROLS = (
    '<div class="dg-tools">'
    '<div class="dg-walk" role="group" aria-label="Flow walkthrough">'
    '<label for="dg-flow">Flow</label> <select id="dg-flow"><option value="">-</option>'
    "{options}</select>"
    '<button type="button" id="dg-prev" aria-label="Previous step" disabled>&#9664;</button>'
    '<button type="button" id="dg-next" aria-label="Next step" disabled>&#9654;</button>'
    "</div>"
    '<div class="dg-zoom" role="group" aria-label="Zoom">'
    '<button type="button" data-zoom="in" aria-label="Zoom in">+</button>'
    '<button type="button" data-zoom="out" aria-label="Zoom out">&#8722;</button>'
    '<button type="button" data-zoom="fit" aria-label="Fit to screen">Fit</button>'
    "</div></div>"
)

_HELP = (
    "Drag to pan, wheel or +/- to zoom, 0 to fit. Tab to a component, Enter to focus it, "
    "Escape to clear. Choose a flow and walk it with the arrow keys."
)


def view_page(
    design: Design,
    view: DiagramView,
    svg: str,
    analysis: Analysis,
    theme: Theme,
    links: Sequence[PageLink],
    rates: dict[tuple[str, str], dict[str, Any]] | None = None,
    *,
    facts: DesignFacts | None = None,
    assets: str | None = None,
) -> str:
    """The interactive page of one view: its SVG, controls, panel and the data block.

    `assets` (a relative URL such as `../_assets/`) links the shared script and style
    there instead of inlining them, and lets the SVG's images come from the same site.
    """
    check_edge_ids(svg, view)
    data = page_data(design, view, analysis, links, rates, facts)
    options = "".join(
        f'<option value="{escape(f.name)}">{escape(f.name)}</option>' for f in design.flows
    )
    tools = _WALK_CONTROLS.format(options=options)
    body = (
        f"{header(design, links, view.name, tools)}"
        '<main class="dg-main">'
        f'<div class="dg-canvas" id="dg-canvas" role="group" '
        f'aria-label="{escape(view.title)}: diagram">{inline_svg(svg)}</div>'
        '<aside class="dg-panel" id="dg-panel" aria-label="Details">'
        '<p class="dg-step" id="dg-step" aria-live="polite"></p>'
        '<div id="dg-panel-body"></div>'
        f'<p class="dg-help">{escape(_HELP)}</p></aside></main>'
        '<div class="dg-tip" id="dg-tip" role="tooltip" hidden></div>'
    )
    title = f"{design.display_title} · {view.title}"
    if assets is not None:
        css, script = Linked(f"{assets}viewer.css"), Linked(f"{assets}viewer.js")
        return html_document(
            title, body, theme, css=css, script=script, data=data, images="'self'", generator=True
        )
    return html_document(
        title, body, theme, css=asset("viewer.css"), script=asset("viewer.js"), data=data
    )


@cache
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    # Raw HTML is shown as text; images would make the page fetch from elsewhere.
    return MarkdownIt("commonmark", {"html": False}).enable("table").disable("image")


@lru_cache(maxsize=64)  # a design's notes show on its notes page and its design page
def markdown_html(text: str) -> str:
    """Markdown as safe HTML: raw HTML escaped, no images, unsafe link schemes dropped."""
    return str(_markdown().render(text))


def notes_page(
    design: Design,
    notes: str,
    theme: Theme,
    links: Sequence[PageLink],
    assets: str | None = None,
) -> str:
    """The design notes as an HTML page in the same frame as the view pages.

    `assets`: link the shared style there (as `view_page` does) instead of inlining it.
    """
    body = (
        f"{header(design, links, 'notes')}"
        f'<main class="dg-doc"><article class="dg-md">{markdown_html(notes)}</article></main>'
    )
    title = f"{design.display_title} · notes"
    if assets is not None:
        css = Linked(f"{assets}viewer.css")
        return html_document(title, body, theme, css=css, generator=True)
    return html_document(title, body, theme, css=asset("viewer.css"))


def write_pages(
    design: Design,
    views: Sequence[DiagramView],
    folder: Path,
    theme: Theme,
    notes: str | None,
    *,
    links: Sequence[PageLink] | None = None,
    analysis: Analysis | None = None,
) -> list[Path]:
    """Write `<view>.html` beside each view's SVG in `folder` (and `notes.html`).

    `links` are the header's links (default: the views, then the notes).
    """
    from diagramgen.analysis import analyze
    from diagramgen.atomic import write_text

    analysis = analysis or analyze(design)
    facts = design_facts(design, analysis)
    links = links if links is not None else page_links(design, views, notes is not None)
    written = []
    for view in views:
        svg = (folder / f"{view.name}.svg").read_text("utf-8")
        page = folder / f"{view.name}.html"
        write_text(page, view_page(design, view, svg, analysis, theme, links, facts=facts))
        written.append(page)
    if notes is not None:
        page = folder / NOTES_PAGE
        write_text(page, notes_page(design, notes, theme, links))
        written.append(page)
    return written
