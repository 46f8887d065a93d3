"""The catalogue site: every design's interactive views, notes and findings, as static pages.

`build_site(paths, out)` renders each spec's views to SVG (through the parallel,
incremental `render_specs`), writes the interactive page of every view next to it
(`rendering/interactive.py`, the same layout as the SVG), a design page
(`<slug>/index.html`: views, findings, notes), optionally a changes page from `diff`
(`since=REV`), and the index (`index.html`) with search and filters. Pages are pure
functions of the specs: same specs, same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from diagramgen.errors import DiagramgenError

INDEX = "index.html"
CHANGES_PAGE = "changes.html"


@dataclass
class SiteResult:
    """What a site build wrote, and the specs that failed (with their errors)."""

    root: Path
    index: Path | None = None
    designs: list[str] = field(default_factory=list)  # slugs, sorted
    files: list[Path] = field(default_factory=list)
    failed: list[tuple[Path, DiagramgenError | KeyError]] = field(default_factory=list)


def build_site(
    paths: Sequence[str | Path],
    out_dir: str | Path,
    *,
    since: str | None = None,
    theme: str | None = None,
    jobs: int | None = None,
    timeout: float = 120.0,
    title: str = "Design catalogue",
) -> SiteResult:
    """Build the static site of the specs under `paths` into `out_dir`.

    A spec that fails to load or render is left out and listed in `failed`; the rest of
    the site is still written. `since` adds a changes page per design against that git
    revision (a `GitError` when the revision is unknown).
    """
    from diagramgen.atomic import write_text
    from diagramgen.rendering import RenderOptions
    from diagramgen.rendering.parallel import render_specs
    from diagramgen.spec.loader import load
    from diagramgen.spec.paths import expand_paths
    from diagramgen.website.pages import DesignSummary, design_pages, index_page

    root = Path(out_dir)
    files = expand_paths([Path(p) for p in paths])
    result = SiteResult(root)
    changes = _changes(since, [Path(p) for p in paths]) if since else None
    options = RenderOptions(formats=("svg",), theme=theme, timeout=timeout)
    summaries: dict[str, DesignSummary] = {}
    for outcome in render_specs(files, root, options, jobs=jobs):
        if outcome.status == "failed":
            assert outcome.error is not None
            result.failed.append((outcome.path, outcome.error))  # type: ignore[arg-type]
            continue
        design = outcome.design or load(outcome.path)
        change = None
        if changes is not None:
            change = changes.get(outcome.path.resolve(), "")
        summary, written = design_pages(design, root / design.slug, theme, change, since)
        summaries[design.slug] = summary
        result.files += written
    result.designs = sorted(summaries)
    if summaries:
        result.index = root / INDEX
        write_text(result.index, index_page(list(summaries.values()), title, theme))
        result.files.append(result.index)
    return result


def _changes(rev: str, paths: list[Path]) -> dict[Path, str]:
    """Per spec file (resolved), the changelog Markdown since `rev` ('' when new)."""
    from diagramgen.diffing import diff_since
    from diagramgen.diffing.changelog import to_markdown

    out: dict[Path, str] = {}
    for path, status, result in diff_since(rev, paths):
        if status == "added":
            out[Path(path).resolve()] = ""
        elif result is not None:
            out[Path(path).resolve()] = to_markdown(result, f"{path}@{rev}", path)
    return out
