"""The catalogue site: every design's interactive views, notes and findings, as static pages.

One layout feeds every target: the site never lays a view out itself. Its pages are built
from a render's output folder (`OUT/<slug>/<view>.svg` and `notes.md`), the very SVG that
`render` wrote, so `render --site` builds the site from the render it has just done (or
found up to date), and `build_site` renders what it needs through the parallel,
incremental `render_specs` into a scratch folder first.

Per design, `<slug>/` holds the interactive page of every view (`rendering/interactive.py`),
its notes page, the design page (`index.html`: views, findings, notes), optionally a
changes page from `diff` (`since=REV`), and a copy of each view's SVG; `index.html` at the
root is the catalogue with search and filters; `_assets/` holds the script, the style and
each icon once (`assets.py`). Pages are pure functions of the specs: same specs, same bytes.

Incremental like `render`: a design's folder is built in a staging folder and swapped in
whole with a stamp (`.diagramgen.hash`, `rendering/cache.py`) whose key covers the spec's
bytes, the options that shape its pictures, the tool and the changelog; a folder whose
stamp matches is kept as it is, and so is the index when no design changed. A folder,
index page or `_assets/` that diagramgen did not make is refused, never replaced.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from diagramgen.errors import DiagramgenError

if TYPE_CHECKING:
    from diagramgen.rendering import RenderOptions
    from diagramgen.rendering.parallel import SpecOutcome
    from diagramgen.spec.models import Design
    from diagramgen.website.summary import DesignSummary

INDEX = "index.html"
CHANGES_PAGE = "changes.html"
SITE_VERSION = 1  # of the pages' key recipe
SUMMARY = ".summary.json"  # per design folder: its index entry, so the index needs no load
INDEX_RECORD = ".diagramgen.site"  # at the root: the key the index was built for
DEFAULT_TITLE = "Design catalogue"
SITE_DIR = "site"  # `render --site`: OUT/site/ (the gallery's `SITE_DIR` links there)


@dataclass
class SiteResult:
    """What a site build wrote, what it kept, and the specs that failed (with their errors)."""

    root: Path
    index: Path | None = None
    designs: list[str] = field(default_factory=list)  # slugs, sorted
    files: list[Path] = field(default_factory=list)  # written by this build
    unchanged: list[str] = field(default_factory=list)  # slugs whose pages were up to date
    failed: list[tuple[Path, DiagramgenError | KeyError]] = field(default_factory=list)


def page_options(options: RenderOptions) -> RenderOptions:
    """The render options the pages depend on: the SVG's theme and layout, and the notes.

    PNG, PDF, DOT, dpi and transparency never reach a page, so a render with any of them
    keys the same pages as one with SVG alone.
    """
    from diagramgen.rendering import RenderOptions

    return RenderOptions(
        formats=("svg",), theme=options.theme, timeout=options.timeout, layout=options.layout
    )


class SiteBuilder:
    """Builds the site from render outcomes, one design at a time, then the index.

    Feed it every spec of the catalogue: `reuse` (up-to-date pages, no render needed) or
    `add` (a render's outcome: pages built from its folder unless up to date), then call
    `finish`. Used from one thread; the pages of one design are swapped in as they are
    done, so a build can overlap a render that is still drawing other designs.
    """

    def __init__(
        self,
        root: str | Path,
        options: RenderOptions,
        *,
        title: str = DEFAULT_TITLE,
        since: str | None = None,
        changes: dict[Path, str] | None = None,
    ) -> None:
        from diagramgen import atomic
        from diagramgen.rendering.cache import OutputIndex
        from diagramgen.website.assets import Icons

        self.root = Path(root)
        self.options = page_options(options)
        self.theme = options.theme  # the render's --theme: pages match their pictures
        self.title = title
        self.since = since
        self.changes = changes
        self.result = SiteResult(self.root)
        if self.root.is_dir():
            with atomic.locked(self.root):
                atomic.sweep(self.root)  # staging folders of killed builds
        self.index = OutputIndex.scan(self.root)
        self.entries: dict[str, tuple[DesignSummary, set[str], str]] = {}  # slug -> ..., key
        self.claimed: dict[str, Path] = {}  # slug -> the spec that owns it in this build
        self.icons = Icons()

    def _change(self, path: Path) -> str | None:
        if self.changes is None:
            return None
        return self.changes.get(path.resolve(), "")

    def key(self, path: Path, raw: bytes) -> str:
        """The key of a spec's pages: its render key for the pages' options, the changelog."""
        from diagramgen.rendering.cache import render_key

        recipe = {
            "site": SITE_VERSION,
            "render": render_key(raw, path.stem, self.options),
            "since": self.since,
            "change": self._change(path),
        }
        text = json.dumps(recipe, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def fail(self, path: Path, error: DiagramgenError | KeyError) -> None:
        """Record a spec that could not be built."""
        self.result.failed.append((path, error))

    def reuse(self, path: Path, raw: bytes) -> bool:
        """Keep a spec's pages when their folder is up to date; False when they are not."""
        from diagramgen.website.summary import summary_from_json

        key = self.key(path, raw)
        folder = self.index.lookup(key, path.parent)
        if folder is None or folder.name in self.claimed:
            return False
        try:
            summary, icons = summary_from_json((folder / SUMMARY).read_text("utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
            return False
        self.claimed[folder.name] = path
        self.entries[folder.name] = (summary, icons, key)
        self.result.unchanged.append(folder.name)
        return True

    def add(self, outcome: SpecOutcome) -> None:
        """Build the pages of a rendered (or up-to-date) spec from its render folder.

        Errors land in `result.failed`; a failed render is the caller's to report.
        """
        from diagramgen.errors import OutputError, SpecError
        from diagramgen.spec.paths import read_spec_bytes

        if outcome.status == "failed" or outcome.directory is None:
            return
        path = outcome.path
        try:
            if outcome.directory.resolve() == self.root.resolve():
                raise OutputError(
                    f"renders into the site's own folder {self.root}: give it another `name:`"
                )
            raw = read_spec_bytes(path)
            if self.reuse(path, raw):
                return
            # Imported only now: an up-to-date site needs no spec model (no-op renders).
            from diagramgen.spec.loader import loads

            design = outcome.design or loads(
                raw, path=str(path), default_name=path.stem, base_dir=path.parent
            )
            other = self.claimed.get(design.slug)
            if other is not None:
                raise OutputError(
                    f"writes the same site folder {design.slug}/ as {other}: "
                    "give one of them another `name:`"
                )
            self.claimed[design.slug] = path
            self._build(design, outcome.directory, self.key(path, raw))
        except (SpecError, OutputError) as exc:
            self.fail(path, exc)

    def _build(self, design: Design, source: Path, key: str) -> None:
        from diagramgen import atomic
        from diagramgen.errors import OutputError
        from diagramgen.rendering import cache
        from diagramgen.website.pages import design_pages
        from diagramgen.website.summary import summary_to_json

        target = self.root / design.slug
        box = atomic.staging(self.root, design.slug, cache.HEADER)
        try:
            pages = design_pages(
                design,
                source,
                box.path,
                self.theme,
                self._change(Path(self.claimed[design.slug])),
                self.since,
                self.icons,
            )
            summary = box.path / SUMMARY
            summary.write_text(summary_to_json(pages.summary, pages.icons), "utf-8")
            files = [*pages.files, summary]
            cache.write_stamp(box.path, cache.make_stamp(key, design, files))
            atomic.replace_dir(box.path, target)
        except OSError as exc:
            box.remove()
            raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
        except BaseException:
            box.remove()
            raise
        box.remove()
        self.entries[design.slug] = (pages.summary, pages.icons, key)
        self.result.files += [target / f.name for f in files]

    def finish(self) -> SiteResult:
        """Write the shared assets and the index (when a design changed); the result.

        Raises `OutputError` when `_assets/` or `index.html` exists and is not ours.
        """
        from diagramgen import atomic
        from diagramgen.website.assets import write_assets

        result = self.result
        result.designs = sorted(self.entries)
        if not self.entries:
            return result
        result.files += write_assets(self.root, self.icons)
        result.index = self.root / INDEX
        recipe = {
            "site": SITE_VERSION,
            "title": self.title,
            "theme": self.theme,
            "designs": sorted((slug, key) for slug, (_, _, key) in self.entries.items()),
        }
        key = hashlib.sha256(json.dumps(recipe, sort_keys=True).encode("utf-8")).hexdigest()
        record = self.root / INDEX_RECORD
        try:
            fresh = result.index.is_file() and record.read_text("utf-8") == key
        except (OSError, UnicodeDecodeError):
            fresh = False
        if not fresh:
            from diagramgen.website.pages import index_page  # the models: only when needed

            summaries = [summary for summary, _, _ in self.entries.values()]
            page = index_page(summaries, self.title, self.theme).encode("utf-8")
            atomic.replace_file(result.index, page, _our_index)
            atomic.write_text(record, key)
            result.files.append(result.index)
        return result


def _our_index(old: bytes) -> bool:
    """Is an existing `index.html` a page we wrote (this version's, or an earlier one's)?"""
    from diagramgen.rendering.interactive import GENERATOR

    return GENERATOR.encode() in old or b'<ul class="dg-cards" id="dg-cards">' in old


def build_site(
    paths: Sequence[str | Path],
    out_dir: str | Path,
    *,
    since: str | None = None,
    theme: str | None = None,
    jobs: int | None = None,
    timeout: float = 120.0,
    title: str = DEFAULT_TITLE,
    layout: str = "search",
) -> SiteResult:
    """Build the static site of the specs under `paths` into `out_dir`.

    Designs whose pages are up to date are kept without rendering anything; the others
    are rendered (SVG and notes, in parallel, `jobs` Graphviz at once) into a scratch
    folder and their pages built from it. A spec that fails to load or render is left out
    and listed in `failed`; the rest of the site is still written. `since` adds a changes
    page per design against that git revision (a `GitError` when the revision is unknown).
    """
    from diagramgen.errors import SpecError
    from diagramgen.rendering import RenderOptions
    from diagramgen.rendering.parallel import render_specs
    from diagramgen.rendering.search import check_mode
    from diagramgen.spec.paths import expand_paths, read_spec_bytes

    files = expand_paths([Path(p) for p in paths])
    changes = _changes(since, [Path(p) for p in paths]) if since else None
    options = RenderOptions(
        formats=("svg",), theme=theme, timeout=timeout, layout=check_mode(layout)
    )
    builder = SiteBuilder(out_dir, options, title=title, since=since, changes=changes)
    stale: list[Path] = []
    for path in files:
        try:
            if not builder.reuse(path, read_spec_bytes(path)):
                stale.append(path)
        except SpecError as exc:
            builder.fail(path, exc)
    if stale:
        with tempfile.TemporaryDirectory(prefix="diagramgen-site-") as scratch:
            feed(render_specs(stale, scratch, options, jobs=jobs), builder)
    return builder.finish()


def feed(outcomes: Iterable[SpecOutcome], builder: SiteBuilder) -> None:
    """Hand every outcome to `builder`; a failed render is recorded as the site's failure."""
    for outcome in outcomes:
        if outcome.status == "failed":
            assert outcome.error is not None
            builder.fail(outcome.path, outcome.error)  # type: ignore[arg-type]
        else:
            builder.add(outcome)


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
