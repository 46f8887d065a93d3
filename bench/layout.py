"""Layout quality of our pictures against mingrammer `diagrams`, measured on Graphviz's layout.

    python bench/layout.py            # writes the "Layout quality" section of bench/RESULTS.md
    python bench/layout.py --no-timing --out /tmp/RESULTS.md

For every design of the catalogue (`specs/`) and the public mingrammer examples recreated
in `bench/examples/`: the overview drawn by diagramgen (`--layout search`, and `fast` for
comparison), every flow view (search), and the same design drawn by a plain mingrammer
`diagrams` program with its defaults (one node per component with the same icon, one
`Cluster` per group, one `Edge` per connection; edges to a whole group have no
mingrammer form and are left out there). Each picture is laid out by `dot -Tjson` and
measured by `diagramgen.rendering.quality`. With timing on, `diagramgen render specs/`
runs with `--layout fast` and `--layout search` (`--jobs 2`, `--force`).

Only the "## Layout quality" section of the results page is rewritten; the other sections
(`bench/run.py`) are kept.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from diagramgen import load  # noqa: E402
from diagramgen.atomic import write_text  # noqa: E402
from diagramgen.rendering import design_views, theme_name  # noqa: E402
from diagramgen.rendering.diagrams_adapter import ICON_ROOT  # noqa: E402
from diagramgen.rendering.geometry import geometry, parse_json  # noqa: E402
from diagramgen.rendering.graphviz import apply_layout, dot_binary, layouts_for  # noqa: E402
from diagramgen.rendering.quality import ASPECT_RANGE, MIN_TEXT_PX, Quality, measure  # noqa: E402
from diagramgen.rendering.search import best_layout  # noqa: E402
from diagramgen.spec.models import Design  # noqa: E402
from diagramgen.view.icons import icon_for  # noqa: E402
from diagramgen.view.model import DiagramView  # noqa: E402
from diagramgen.view.themes import get_theme  # noqa: E402

SECTION = "## Layout quality"
CLI = [str(Path(sys.executable).with_name("diagramgen"))]
SMALL = 25  # components: the "smallest text" target holds up to this size


@dataclass
class Row:
    """One design: our overview (search and fast), mingrammer's, and our flow views."""

    source: str  # `catalogue` or `example`
    slug: str
    components: int
    ours: Quality
    fast: Quality
    theirs: Quality | None
    flows: list[Quality]
    chosen: str
    flow_names: list[str]


def _dot_json(source: str, cwd: Path) -> Quality:
    proc = subprocess.run(
        [dot_binary(), "-Tjson"], input=source.encode(), cwd=cwd, capture_output=True, check=True
    )
    return measure(parse_json(json.loads(proc.stdout)))


def mingrammer_dot(design: Design) -> str:
    """The DOT of the design as a plain mingrammer `diagrams` program draws it (defaults)."""
    import importlib

    import diagrams
    from diagrams import Cluster, Diagram, Edge

    # Built like a user's program, but not rendered: `Diagram.__exit__` would write files.
    d = Diagram(design.display_title, show=False, direction=design.direction)
    diagrams.setdiagram(d)
    try:
        nodes: dict[str, diagrams.Node] = {}
        groups = {g.id: g for g in design.groups}
        children: dict[str | None, list[str]] = {}
        for g in design.groups:
            children.setdefault(g.parent, []).append(g.id)

        def add(group: str | None) -> None:
            for c in design.components:
                if c.group == group:
                    platform_name = getattr(c, "platform", None)
                    icon = icon_for(c.kind, c.tech, platform_name, design.provider_of(c))
                    module, name = icon.split(":")
                    cls = getattr(importlib.import_module(f"diagrams.{module}"), name)
                    nodes[c.id] = cls(c.display)
            for child in children.get(group, []):
                with Cluster(groups[child].display):
                    add(child)

        add(None)
        for conn in design.connections:
            if conn.source not in nodes or conn.target not in nodes:
                continue
            a, b = nodes[conn.source], nodes[conn.target]
            label = conn.label or ""
            if conn.direction == "none":
                a - Edge(label=label) - b
            elif conn.direction == "back":
                a << Edge(label=label) << b
            elif conn.direction == "both":
                a >> Edge(label=label, forward=True, reverse=True) >> b
            else:
                a >> Edge(label=label) >> b
        source = d.dot.source
    finally:
        diagrams.setdiagram(None)  # type: ignore[arg-type]
    return source


def _ours(view: DiagramView, design: Design, mode: str) -> tuple[Quality, str]:
    theme = get_theme(theme_name(design))
    choice = best_layout(view, theme, mode)  # type: ignore[arg-type]
    if choice.quality is not None:
        return choice.quality, choice.candidate.name
    plan = layouts_for(len(view.nodes))[0]
    return measure(geometry(apply_layout(choice.source, plan), ICON_ROOT)), choice.candidate.name


def measure_design(path: Path, source: str) -> Row:
    """Every measurement of one design."""
    design = load(path)
    views = design_views(design)
    overview = views[0]
    ours, chosen = _ours(overview, design, "search")
    fast, _ = _ours(overview, design, "fast")
    try:
        theirs: Quality | None = _dot_json(mingrammer_dot(design), ROOT)
    except subprocess.CalledProcessError:
        theirs = None
    flow_views = [v for v in views[1:] if v.name.startswith("flow-")]
    flows = [_ours(v, design, "search")[0] for v in flow_views]
    names = [v.name for v in flow_views]
    return Row(
        source, design.slug, len(design.components), ours, fast, theirs, flows, chosen, names
    )


def time_render(mode: str, out: Path) -> tuple[float, float]:
    """Wall and CPU seconds of `diagramgen render specs/ --force --jobs 2 --layout mode`.

    CPU is user + system time of the render and its Graphviz children, which other work
    on a busy machine does not inflate.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [
            *CLI,
            "render",
            "specs/",
            "-o",
            str(out),
            "-f",
            "svg,png,dot",
            "--force",
            "-q",
            "--jobs",
            "2",
            "--layout",
            mode,
        ],
        cwd=ROOT,
        check=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def _q(q: Quality | None, key: str, fmt: str = "{}") -> str:
    return "–" if q is None else fmt.format(getattr(q, key))


def table(rows: list[Row]) -> list[str]:
    """The per-design table."""
    out = [
        "| design | comp. | crossings ours / fast / mingrammer | overlapping edges pt "
        "(ours / mingrammer) | stray labels | text overlaps | edges across groups (ours / "
        "mingrammer) | aspect ours / mingrammer | "
        "smallest text px ours / mingrammer | header share | nodes / canvas | layout kept |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        flows_x = sum(f.crossings for f in r.flows)
        out.append(
            f"| {r.slug}{' (example)' if r.source == 'example' else ''} | {r.components} "
            f"| {r.ours.crossings} / {r.fast.crossings} / {_q(r.theirs, 'crossings')} "
            f"| {r.ours.overlap_pt:g} / {_q(r.theirs, 'overlap_pt', '{:g}')} "
            f"| {r.ours.stray_labels} | {r.ours.text_overlaps} "
            f"| {r.ours.through_groups} / {_q(r.theirs, 'through_groups')} "
            f"| {r.ours.aspect:.2f} / {_q(r.theirs, 'aspect', '{:.2f}')} "
            f"| {r.ours.min_text_px:.1f} / {_q(r.theirs, 'min_text_px', '{:.1f}')} "
            f"| {r.ours.header_share:.0%} | {r.ours.node_share:.0%} | {r.chosen}"
            + (f" (flows: {len(r.flows)}, {flows_x} crossings)" if r.flows else "")
            + " |"
        )
    return out


def targets(rows: list[Row], timing: dict[str, float]) -> list[str]:
    """The "Done when" targets, each with its figure."""
    overviews = [r.ours for r in rows]
    views = overviews + [f for r in rows for f in r.flows]
    low, high = ASPECT_RANGE
    in_range = sum(low <= q.aspect <= high for q in overviews)
    small = [r for r in rows if r.components <= SMALL]
    smallest = min(
        (q.min_text_px for r in small for q in [r.ours, *r.flows]),
        default=0.0,
    )
    compared = [r for r in rows if r.theirs is not None]
    ours_x = sum(r.ours.crossings for r in compared)
    theirs_x = sum(r.theirs.crossings for r in compared if r.theirs is not None)
    fast_x = sum(r.fast.crossings for r in compared)

    def met(ok: bool) -> str:
        return "met" if ok else "**missed**"

    lines = [
        "| target | measured | |",
        "|---|---|---|",
        f"| 0 text overlaps ({len(views)} views) | {sum(q.text_overlaps for q in views)} "
        f"| {met(sum(q.text_overlaps for q in views) == 0)} |",
        f"| 0 pt of edges drawn on top of each other | "
        f"{sum(q.overlap_pt for q in views):g} pt | {met(sum(q.overlap_pt for q in views) == 0)} |",
        f"| 0 labels nearer another edge than their own | {sum(q.stray_labels for q in views)} "
        f"| {met(sum(q.stray_labels for q in views) == 0)} |",
        f"| aspect {low}-{high} for ≥ 80% of overviews | {in_range} of {len(overviews)} "
        f"({in_range / max(1, len(overviews)):.0%}) | {met(in_range >= 0.8 * len(overviews))} |",
        f"| smallest text ≥ {MIN_TEXT_PX:g} px on 1920x1080, designs ≤ {SMALL} components "
        f"({len(small)} designs, every view) | {smallest:.1f} px "
        f"| {met(smallest >= MIN_TEXT_PX)} |",
        f"| fewer crossings than mingrammer (overviews of {len(compared)} designs) | "
        f"{ours_x} (fast: {fast_x}) against {theirs_x} | {met(ours_x < theirs_x)} |",
    ]
    if timing:
        ratio = timing["search"] / timing["fast"]
        cpu_ratio = timing["search_cpu"] / timing["fast_cpu"]
        lines += [
            f"| search ≤ 3x the wall time of `--layout fast` (`render specs/ --jobs 2 "
            f"--force -f svg,png,dot`) | {timing['search']:.1f} s / {timing['fast']:.1f} s = "
            f"{ratio:.2f}x (CPU {timing['search_cpu']:.1f} s / {timing['fast_cpu']:.1f} s = "
            f"{cpu_ratio:.2f}x) | {met(ratio <= 3)} |",
            f"| `make render` (the same with search) under a minute | {timing['search']:.1f} s "
            f"(CPU {timing['search_cpu']:.1f} s) | {met(timing['search'] < 60)} |",
        ]
    return lines


def misses(rows: list[Row]) -> list[str]:
    """Every view that misses a per-view target, and by how much."""
    out = []
    for r in rows:
        for name, q in [("overview", r.ours), *zip(r.flow_names, r.flows, strict=True)]:
            problems = []
            if q.text_overlaps:
                problems.append(f"{q.text_overlaps} text overlaps")
            if q.overlap_pt:
                problems.append(f"{q.overlap_pt:g} pt of edges on top of each other")
            if q.stray_labels:
                problems.append(f"{q.stray_labels} stray labels")
            if r.components <= SMALL and q.min_text_px < MIN_TEXT_PX:
                problems.append(f"smallest text {q.min_text_px:.1f} px")
            if problems:
                out.append(f"- {r.slug} / {name}: {', '.join(problems)}")
    return out or ["- none"]


def section(rows: list[Row], timing: dict[str, float]) -> str:
    """The whole "Layout quality" section."""
    load_avg = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    text = [
        SECTION,
        "",
        "Written by `python bench/layout.py`. Every figure is measured on Graphviz's own "
        "layout (`dot -Tjson`, `diagramgen/rendering/quality.py`): crossings between edges "
        "away from nodes; edge length running within 2 pt of another edge for 12 pt or more; "
        "edge labels nearer another edge than their own; overlapping text boxes; edges running "
        "12 pt or more across a group that holds neither of their ends; width over height; "
        "the smallest text in pixels with the picture fitted to 1920x1080; the header's "
        "share of the height; node area over canvas. `ours` is `render` (layout search), "
        "`fast` is `render --layout fast`, `mingrammer` is a plain `diagrams` "
        "program with its defaults drawing the same design with the same icons. Examples are "
        "the mingrammer documentation's own examples, recreated in `bench/examples/`.",
        "",
        f"Machine: {platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
        f"load average {load_avg:.1f} at the end of the run.",
        "",
        *targets(rows, timing),
        "",
        *table(rows),
        "",
        "Views that miss a per-view target:",
        "",
        *misses(rows),
        "",
    ]
    return "\n".join(text)


def write_section(path: Path, body: str) -> None:
    """Replace (or append) the section in the results page, keeping every other section."""
    old = path.read_text("utf-8") if path.exists() else "# Benchmark results\n"
    start = old.find(f"\n{SECTION}\n")
    if start < 0:
        new = old.rstrip("\n") + "\n\n" + body
    else:
        end = old.find("\n## ", start + len(SECTION) + 2)
        new = old[: start + 1] + body + (old[end + 1 :] if end >= 0 else "")
    write_text(path, new.rstrip("\n") + "\n")


def main(argv: list[str] | None = None) -> int:
    """Measure, print and write the section."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--no-timing", action="store_true", help="skip the render timings")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    paths = [("catalogue", p) for p in sorted((ROOT / "specs").glob("*.yaml"))]
    paths += [("example", p) for p in sorted((HERE / "examples").glob("*.yaml"))]
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        rows = list(pool.map(lambda item: measure_design(item[1], item[0]), paths))
    timing: dict[str, float] = {}
    if not args.no_timing:
        with tempfile.TemporaryDirectory() as tmp:
            timing["fast"], timing["fast_cpu"] = time_render("fast", Path(tmp) / "fast")
            timing["search"], timing["search_cpu"] = time_render("search", Path(tmp) / "search")
    body = section(rows, timing)
    print(body)
    write_section(args.out, body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
