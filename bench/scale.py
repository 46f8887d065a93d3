"""Big designs and the catalogue's render overhead, measured against raw Graphviz.

    python bench/scale.py                      # both parts, printed as Markdown
    python bench/scale.py --sizes 1000 --no-catalogue

`big_designs`: for designs of services calling across groups (`generate.cross_group_data`),
a fresh `diagramgen render -f svg` process: wall time, peak memory of it and its Graphviz
children, the layout note it printed, and whether the SVG draws every component and edge.

`catalogue`: `diagramgen render specs/ --force` with `--layout fast` at `--jobs 1` and `2`
and the default (searching) layout at `--jobs 1`, each over the summed time of raw `dot`
making the same Graphviz calls on the DOT files that render wrote (`run.raw_dot`). Each
render is repeated and the fastest kept: the machine may be shared. `bench/run.py` calls
both functions for `bench/RESULTS.md`.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench.generate import cross_group_data, to_yaml  # noqa: E402
from bench.run import CLI, Run, best, measure, raw_dot  # noqa: E402

BIG_SIZES = (1000, 3000)
LIMITS = {1000: 30.0, 3000: 120.0}  # seconds, the targets
_TITLE = re.compile(r'<g id="[^"]*" class="(node|edge)">\s*<title>([^<]*)</title>')


@dataclass
class BigResult:
    """One big design rendered to SVG."""

    components: int
    connections: int
    groups: int
    run: Run
    complete: bool  # every component and connection drawn
    note: str  # the layout note render printed


def drawn(svg: str) -> tuple[Counter[str], Counter[str]]:
    """The node titles and edge titles (`a&#45;&gt;b`) of a Graphviz SVG."""
    found: dict[str, Counter[str]] = {"node": Counter(), "edge": Counter()}
    for kind, title in _TITLE.findall(svg):
        found[kind][title] += 1
    return found["node"], found["edge"]


def big_designs(
    work: Path, sizes: tuple[int, ...] = BIG_SIZES, timeout: float = 600
) -> list[BigResult]:
    """Render cross-group designs of `sizes` services (50 groups, 3 calls each) to SVG."""
    results = []
    for n in sizes:
        data = cross_group_data(n)
        spec = work / f"cross_{n}.yaml"
        spec.write_text(to_yaml(data), "utf-8")
        out = work / f"cross-out-{n}"
        cmd = [*CLI, "render", str(spec), "-o", str(out), "-f", "svg", "--force", "--jobs", "1"]
        errors = work / f"cross-{n}.stderr"  # `exec`: the shell becomes render, same rusage
        run = measure(["sh", "-c", 'exec "$@" 2>"$0"', str(errors), *cmd], timeout=timeout)
        said = errors.read_text("utf-8").splitlines() if errors.exists() else []
        note = next((line.split(": note: ", 1)[1] for line in said if ": note: " in line), "")
        svg = out / data["name"] / "overview.svg"
        complete = False
        if run.ok and svg.exists():
            nodes, edges = drawn(svg.read_text("utf-8"))
            want_nodes = Counter(c["id"] for c in data["components"])
            want_edges = Counter(f"{c['from']}&#45;&gt;{c['to']}" for c in data["connections"])
            complete = nodes == want_nodes and edges == want_edges
        results.append(
            BigResult(n, len(data["connections"]), len(data["groups"]), run, complete, note)
        )
    return results


@dataclass
class CatalogueResult:
    """`specs/` rendered three ways, and raw dot on the same DOT files."""

    views: int
    raw: Run
    fast_j1: Run
    fast_j2: Run
    search_j1: Run

    def ratio(self, run: Run) -> float:
        """`run` over the raw dot sum, wall time."""
        return run.seconds / self.raw.seconds

    def cpu_ratio(self, run: Run) -> float:
        """`run` over the raw dot sum, CPU time (user + system of the process trees)."""
        return run.cpu / self.raw.cpu if self.raw.cpu else float("nan")


def catalogue(work: Path, specs: Path = ROOT / "specs", repeat: int = 3) -> CatalogueResult:
    """Render `specs/` (svg, png, dot) and compare with raw `dot` on the DOT it wrote."""
    out = work / "catalogue"
    base = [*CLI, "render", str(specs), "-o", str(out), "-q", "--force", "-f", "svg,png,dot"]
    search_j1 = best(lambda: measure([*base, "--jobs", "1"]), repeat)
    fast_j2 = best(lambda: measure([*base, "--layout", "fast", "--jobs", "2"]), repeat)
    fast_j1 = best(lambda: measure([*base, "--layout", "fast", "--jobs", "1"]), repeat)
    dots = sorted(out.glob("*/*.dot"))  # the fast render's, written last
    scratch = work / "catalogue-raw"
    scratch.mkdir(exist_ok=True)
    raw = best(lambda: raw_dot(dots, ["svg", "png"], scratch), repeat)
    return CatalogueResult(len(dots), raw, fast_j1, fast_j2, search_j1)


def report(big: list[BigResult], cat: CatalogueResult | None) -> str:
    """Markdown tables of both parts, with the targets met or missed."""
    lines = []
    if big:
        lines += [
            "| services | connections | groups | render -f svg | peak memory | every node and "
            "edge drawn | layout note |",
            "|---:|---:|---:|---:|---:|---|---|",
        ]
        for r in big:
            limit = LIMITS.get(r.components)
            met = "" if limit is None else (" (met)" if r.run.seconds < limit else " (missed)")
            time_cell = f"{r.run.seconds:.1f} s{met}" if r.run.ok else f"failed: {r.run.note}"
            lines.append(
                f"| {r.components:,} | {r.connections:,} | {r.groups} | {time_cell} "
                f"| {r.run.peak_kb / 1024:.0f} MB | {'yes' if r.complete else 'no'} "
                f"| {r.note or '-'} |"
            )
        lines.append("")
    if cat is not None:
        lines += [
            f"`specs/`: {cat.views} views; raw dot summed {cat.raw.seconds:.1f} s "
            f"(CPU {cat.raw.cpu:.1f} s).",
            "",
            "| render | wall | ratio to raw dot | target | CPU | CPU ratio |",
            "|---|---:|---:|---|---:|---:|",
        ]
        rows = (
            ("--layout fast --jobs 1", cat.fast_j1, 1.15),
            ("--layout fast --jobs 2", cat.fast_j2, 1.0),
            ("search (default) --jobs 1", cat.search_j1, 3.0),
        )
        for name, run, target in rows:
            ratio = cat.ratio(run)
            verdict = "met" if ratio <= target else "missed"
            lines.append(
                f"| {name} | {run.seconds:.1f} s | {ratio:.2f}x | ≤ {target:.2f}x: {verdict} "
                f"| {run.cpu:.1f} s | {cat.cpu_ratio(run):.2f}x |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Measure and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, BIG_SIZES)))
    parser.add_argument("--no-catalogue", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="diagramgen-scale-") as tmp:
        work = Path(tmp)
        sizes = tuple(int(s) for s in args.sizes.split(",") if s.strip())
        big = big_designs(work, sizes)
        cat = None if args.no_catalogue else catalogue(work, repeat=args.repeat)
    print(report(big, cat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
