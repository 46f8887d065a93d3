"""Measure diagramgen against its floor (Graphviz) and its alternative (a `diagrams` script).

    python bench/run.py            # or: make bench; writes bench/RESULTS.md
    python bench/run.py --sizes 10,100 --no-specs --out /tmp/results.md

In one run, for generated designs of 10, 100, 300 and 1,000 components (canonical form,
see `generate.py`): validate + analyze time; our render (a fresh `diagramgen render`
process, `--jobs 1` and the default) against raw `dot` on the very DOT files we emitted
(the overhead ratio) and against the equivalent hand-written `diagrams` script; the no-op
re-render; the peak memory of the largest process. For `specs/`: the same ratio with
`--jobs 1` and `--jobs 2`, threads against processes, and the no-op re-render. Start-up:
`diagramgen --version` against `python -c "import typer"`.

Timings are wall clock, the best of `--repeat` runs (the machine may be busy: the load
average is recorded with the results).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench.generate import design_data, diagrams_script, to_yaml  # noqa: E402

PYTHON = sys.executable
CLI = [str(Path(PYTHON).with_name("diagramgen"))]
if not Path(CLI[0]).exists():
    CLI = [PYTHON, "-m", "diagramgen"]
SIZES = (10, 100, 300, 1000)


@dataclass
class Run:
    """One measured process (and its children)."""

    seconds: float
    peak_kb: int  # largest resident set of the process or any child it waited for
    ok: bool
    note: str = ""
    cpu: float = 0.0  # user + system seconds of the process tree: robust to a busy machine


def measure(cmd: Sequence[str], cwd: Path | None = None, timeout: float = 600.0) -> Run:
    """Run a command; its wall time and the peak memory of its process tree."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd), cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors
        )
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        # wait4, not Popen.wait: its rusage covers the children the process waited for.
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        message = errors.read().decode("utf-8", "replace").strip().splitlines()
    cpu = usage.ru_utime + usage.ru_stime
    if seconds >= timeout:
        return Run(seconds, usage.ru_maxrss, False, f"no result in {timeout:.0f}s", cpu)
    note = "" if proc.returncode == 0 else (message[-1] if message else f"exit {proc.returncode}")
    return Run(seconds, usage.ru_maxrss, proc.returncode == 0, note, cpu)


def best(runs: Callable[[], Run], repeat: int) -> Run:
    """The fastest of `repeat` runs (stopping at the first failure)."""
    found: list[Run] = []
    for _ in range(repeat):
        found.append(runs())
        if not found[-1].ok:
            return found[-1]
    return min(found, key=lambda r: r.seconds)


def best_time(fn: Callable[[], object], repeat: int) -> float:
    """The fastest of `repeat` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


# ---------------------------------------------------------------- raw Graphviz


def icon_root() -> Path:
    """Where the DOT files' relative icon paths resolve (Graphviz's working folder)."""
    from diagramgen.rendering.diagrams_adapter import ICON_ROOT

    return ICON_ROOT


def raw_dot(dot_files: Sequence[Path], formats: Sequence[str], scratch: Path) -> Run:
    """Graphviz alone doing what a render asks of it for these DOT files, one after another.

    Per view: one `dot` for the SVG (and PDF), and for a PNG a second one at the resolution
    the render picks from the SVG (`png_dpi`), exactly the calls `render_view` makes.
    """
    from diagramgen.rendering import png_dpi

    total, peak = 0.0, 0
    for dot in dot_files:
        svg = scratch / f"{dot.stem}.svg"
        cmd = ["dot", f"-o{svg}", "-Tsvg", str(dot)]
        if "pdf" in formats:
            cmd += ["-Tpdf:cairo", f"-o{scratch / dot.stem}.pdf"]
        run = measure(cmd, cwd=icon_root())
        if not run.ok:
            return run
        total, peak = total + run.seconds, max(peak, run.peak_kb)
        if "png" in formats:
            dpi = png_dpi(svg.read_text("utf-8"))
            png = scratch / f"{dot.stem}.png"
            run = measure(
                ["dot", f"-Gdpi={dpi:g}", "-Tpng:cairo", f"-o{png}", str(dot)], cwd=icon_root()
            )
            if not run.ok:
                return run
            total, peak = total + run.seconds, max(peak, run.peak_kb)
    return Run(total, peak, True)


# ---------------------------------------------------------------- measurements


@dataclass
class SizeResult:
    """Everything measured for one generated design."""

    components: int
    connections: int
    groups: int
    views: int
    parse: float
    validate: float
    analyze: float | None
    render_j1: Run
    render_jn: Run
    raw: Run
    script: Run
    noop: Run


def analyze_fn() -> Callable[[object], object] | None:
    """`diagramgen.analysis.analyze` when the analysis stage exists."""
    try:
        from diagramgen.analysis import analyze
    except ImportError:
        return None
    return analyze  # type: ignore[return-value]


def measure_size(n: int, work: Path, repeat: int, script_timeout: float) -> SizeResult:
    """Generate a design of `n` components and measure it."""
    from diagramgen.spec.loader import load, parse, validate_data

    data = design_data(n)
    folder = work / f"size-{n}"
    folder.mkdir()
    spec = folder / f"generated_{n}.yaml"
    spec.write_text(to_yaml(data), "utf-8")
    analyze = analyze_fn()
    fast = 5 if n < 1000 else 3
    text = spec.read_text("utf-8")
    parse_time = best_time(lambda: parse(text, str(spec)), fast)
    parsed, located = parse(text, str(spec))
    validate_time = best_time(
        lambda: validate_data(parsed, located, str(spec), base_dir=spec.parent), fast
    )
    design = load(spec)
    analyze_time = best_time(lambda: analyze(design), fast) if analyze else None

    out = folder / "out"
    render = [*CLI, "render", str(spec), "-o", str(out), "-f", "svg,dot", "-q", "--force"]
    print(f"  {n}: rendering", flush=True)
    repeat = repeat if n < 1000 else 1  # the big one is slow and noise matters less
    render_j1 = best(lambda: measure([*render, "--jobs", "1"]), repeat)
    render_jn = best(lambda: measure(render), repeat)
    dots = sorted((out / design.slug).glob("*.dot"))
    print(f"  {n}: raw dot on {len(dots)} DOT files", flush=True)
    scratch = folder / "raw"
    scratch.mkdir()
    raw = best(lambda: raw_dot(dots, ["svg"], scratch), repeat) if dots else Run(0, 0, False)
    noop_cmd = [*CLI, "render", str(spec), "-o", str(out), "-f", "svg,dot", "-q"]
    noop = best(lambda: measure(noop_cmd), max(repeat, 3))
    print(f"  {n}: hand-written diagrams script", flush=True)
    script_dir = folder / "script"
    script_dir.mkdir()
    (script_dir / "design.py").write_text(diagrams_script(data, ["svg"]), "utf-8")
    script = measure([PYTHON, "design.py"], cwd=script_dir, timeout=script_timeout)
    return SizeResult(
        components=len(data["components"]),
        connections=len(data["connections"]),
        groups=len(data["groups"]),
        views=len(dots),
        parse=parse_time,
        validate=validate_time,
        analyze=analyze_time,
        render_j1=render_j1,
        render_jn=render_jn,
        raw=raw,
        script=script,
        noop=noop,
    )


@dataclass
class SpecsResult:
    """`specs/` rendered with the default formats."""

    specs: int
    views: int
    raw: Run
    j1: Run
    j2: Run
    processes: float
    threads: float
    noop: Run


def _render_in_process(args: tuple[str, str]) -> str:
    """One spec, rendered in a worker process (for the threads-vs-processes comparison)."""
    from diagramgen.rendering import RenderOptions, render_design
    from diagramgen.spec.loader import load

    path, out = args
    return str(render_design(load(path), out, RenderOptions(formats=["svg", "png"])).directory)


def measure_specs(work: Path) -> SpecsResult:
    """Render `specs/` and compare with raw Graphviz, sequential and parallel."""
    from diagramgen.rendering import RenderOptions
    from diagramgen.rendering.parallel import render_specs
    from diagramgen.spec.paths import expand_paths

    files = expand_paths([ROOT / "specs"])
    out = work / "specs-out"
    base = [*CLI, "render", str(ROOT / "specs"), "-o", str(out), "-q"]
    print(f"  specs/: {len(files)} specs, --jobs 1 and 2", flush=True)
    j1 = measure([*base, "-f", "svg,png,dot", "--force", "--jobs", "1"])
    j2 = measure([*base, "-f", "svg,png,dot", "--force", "--jobs", "2"])
    noop = best(lambda: measure([*base, "-f", "svg,png,dot"]), 7)
    dots = sorted(out.glob("*/*.dot"))
    print(f"  specs/: raw dot on {len(dots)} DOT files", flush=True)
    scratch = work / "specs-raw"
    scratch.mkdir()
    raw = raw_dot(dots, ["svg", "png"], scratch)

    # Threads (what `render` uses) against a process pool, both inside this warm process.
    print("  specs/: threads against processes", flush=True)
    options = RenderOptions(formats=["svg", "png"])
    _render_in_process((str(files[0]), str(work / "warm")))  # imports, icon cache
    threads = best_time(
        lambda: list(render_specs(files, work / "threads", options, jobs=2, force=True)), 1
    )
    start = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_render_in_process, [(str(f), str(work / "procs")) for f in files]))
    processes = time.perf_counter() - start
    return SpecsResult(len(files), len(dots), raw, j1, j2, processes, threads, noop)


@dataclass
class StartResult:
    """CLI start-up against the bare minimum of a typer app."""

    version: Run
    typer: Run


def measure_start(repeat: int) -> StartResult:
    """Best of many runs of each, interleaved so that both see the same machine load."""
    versions, typers = [], []
    for _ in range(max(15, repeat * 5)):
        versions.append(measure([*CLI, "--version"]))
        typers.append(measure([PYTHON, "-c", "import typer"]))
    return StartResult(min(versions, key=lambda r: r.seconds), min(typers, key=lambda r: r.seconds))


# ---------------------------------------------------------------- the report


def secs(value: float | None) -> str:
    """`0.123 s`, `12.3 s`, or `-`."""
    if value is None:
        return "-"
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def run_cell(run: Run) -> str:
    """A time, or why there is none."""
    return secs(run.seconds) if run.ok else f"failed: {run.note}"[:60]


def mb(kb: int) -> str:
    """Kilobytes as `123 MB`."""
    return f"{kb / 1024:.0f} MB"


def verdict(ok: bool) -> str:
    """`met` / `missed`."""
    return "met" if ok else "**missed**"


def machine() -> str:
    """The machine and tool versions the numbers come from."""
    dot = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=False).stderr
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"{platform.system()} {platform.machine()}, {cores} cores, Python "
        f"{platform.python_version()}, {dot.strip()}"
    )


def with_cpu(run: Run) -> str:
    """`0.30 s (CPU 0.25 s)`: wall time, and the CPU time that load does not inflate."""
    return f"{run_cell(run)} (CPU {secs(run.cpu)})" if run.ok else run_cell(run)


def report(
    sizes: list[SizeResult],
    specs: SpecsResult | None,
    start: StartResult,
    load_before: float,
    load_after: float,
) -> str:
    """The Markdown page."""
    lines = [
        "# Benchmark results",
        "",
        "Written by `python bench/run.py` (`make bench`); every number comes from one run of",
        "it. Wall-clock times, the best of the runs made; CPU is user + system time of the",
        "process tree, which other work on the machine does not inflate.",
        "",
        f"Machine: {machine()}; load average {load_before:.1f} before the run, "
        f"{load_after:.1f} after.",
        "",
        "## Generated designs",
        "",
        "Designs from `bench/generate.py` in the canonical form: one application domain per",
        "dozen components (services, cache, database, queue, worker) in nested groups, labelled",
        "edges, one flow, so two views (overview and flow) per design, rendered to SVG.",
        "`render` is a fresh `diagramgen render --force` process (start-up included) with",
        "`--jobs 1` and with the default (one Graphviz per core); `raw dot` runs Graphviz alone",
        "on the DOT files that render wrote, one after the other; the `diagrams` script is the",
        "equivalent hand-written mingrammer `diagrams` program (its defaults, SVG). `parse`,",
        "`validate` and `analyze` run in one warm process.",
        "",
        "| components | connections | groups | parse | validate | analyze | render --jobs 1 "
        "| render | raw dot | overhead | `diagrams` script | no-op re-render | peak memory |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in sizes:
        ratio = (
            f"{r.render_j1.seconds / r.raw.seconds:.2f}x"
            if r.raw.ok and r.render_j1.ok and r.raw.seconds
            else "-"
        )
        lines.append(
            f"| {r.components:,} | {r.connections:,} | {r.groups} | {secs(r.parse)} "
            f"| {secs(r.validate)} | {secs(r.analyze)} | {run_cell(r.render_j1)} "
            f"| {run_cell(r.render_jn)} | {run_cell(r.raw)} | {ratio} | {run_cell(r.script)} "
            f"| {with_cpu(r.noop)} | {mb(max(r.render_j1.peak_kb, r.render_jn.peak_kb))} |"
        )
    lines += [
        "",
        "Overhead is `render --jobs 1` over `raw dot`: for small designs it is the start-up",
        "of a render process (Python, typer, the pydantic models, `diagrams`), about a second.",
        "",
        "## Targets",
        "",
        "| target | measured | |",
        "|---|---|---|",
    ]
    by_n = {r.components: r for r in sizes}
    if specs is not None:
        ratio1 = specs.j1.seconds / specs.raw.seconds
        ratio2 = specs.j2.seconds / specs.raw.seconds
        lines += [
            f"| render `specs/` ≤ 1.15x the summed raw dot time (--jobs 1) "
            f"| {secs(specs.j1.seconds)} / {secs(specs.raw.seconds)} = {ratio1:.2f}x "
            f"| {verdict(ratio1 <= 1.15)} |",
            f"| render `specs/` with --jobs 2 < the raw dot sum "
            f"| {secs(specs.j2.seconds)} / {secs(specs.raw.seconds)} = {ratio2:.2f}x "
            f"| {verdict(ratio2 < 1)} |",
            f"| no-op re-render of `specs/` ≤ 0.3 s | {with_cpu(specs.noop)} "
            f"| {verdict(specs.noop.seconds <= 0.3)} |",
        ]
    ratio_start = start.version.seconds / start.typer.seconds
    lines.append(
        f'| `diagramgen --version` within 1.5x of `python -c "import typer"` '
        f"| {secs(start.version.seconds)} / {secs(start.typer.seconds)} = {ratio_start:.2f}x "
        f"| {verdict(ratio_start <= 1.5)} |"
    )
    big, small = by_n.get(1000), by_n.get(100)
    if big is not None:
        total = big.parse + big.validate + (big.analyze or 0)
        lines.append(
            f"| validate + analyze of 1,000 components < 1 s | {secs(total)} (parse "
            f"{secs(big.parse)}, validate {secs(big.validate)}, analyze {secs(big.analyze)}) "
            f"| {verdict(total < 1)} |"
        )
        if small is not None:
            growth = total / (small.parse + small.validate + (small.analyze or 0))
            lines.append(
                f"| validate + analyze t(1000)/t(100) ≤ 12 | {growth:.1f} "
                f"| {verdict(growth <= 12)} |"
            )
        lines.append(
            f"| 1,000 components render to SVG in < 30 s | {run_cell(big.render_jn)} "
            f"| {verdict(big.render_jn.ok and big.render_jn.seconds < 30)} |"
        )
    if specs is not None:
        lines += [
            "",
            "## `specs/`",
            "",
            f"{specs.specs} specs, {specs.views} views, rendered to SVG and PNG (the default) and",
            "DOT. Raw dot makes the same Graphviz calls as the render: per view one run for the",
            "SVG and one for the PNG at the resolution picked from the SVG's size.",
            "",
            "| measurement | time |",
            "|---|---:|",
            f"| raw dot, summed | {run_cell(specs.raw)} |",
            f"| `diagramgen render specs/ --jobs 1 --force` | {run_cell(specs.j1)} |",
            f"| `diagramgen render specs/ --jobs 2 --force` | {run_cell(specs.j2)} |",
            f"| `diagramgen render specs/` with nothing to do | {with_cpu(specs.noop)} |",
            f"| in one process, 2 threads (what `render` does) | {secs(specs.threads)} |",
            f"| in one process, a pool of 2 processes, one spec each | {secs(specs.processes)} |",
            f"| peak memory (largest process) | {mb(max(specs.j1.peak_kb, specs.j2.peak_kb))} |",
        ]
    lines += [
        "",
        "## Start-up",
        "",
        "| command | time |",
        "|---|---:|",
        f'| `python -c "import typer"` | {with_cpu(start.typer)} |',
        f"| `diagramgen --version` | {with_cpu(start.version)} |",
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and write the results page."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="component counts")
    parser.add_argument(
        "--repeat", type=int, default=2, help="runs per render timing (best); specs/ runs once"
    )
    parser.add_argument("--no-specs", action="store_true", help="skip the specs/ section")
    parser.add_argument("--script-timeout", type=float, default=120.0, help="seconds")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md", help="results page")
    args = parser.parse_args(argv)
    if not shutil.which("dot"):
        print("bench needs Graphviz (dot) on the PATH", file=sys.stderr)
        return 2
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="diagramgen-bench-") as tmp:
        work = Path(tmp)
        print("start-up", flush=True)
        start = measure_start(args.repeat)
        sizes = []
        for n in (int(s) for s in args.sizes.split(",") if s.strip()):
            print(f"design of {n} components", flush=True)
            sizes.append(measure_size(n, work, args.repeat, args.script_timeout))
        specs = None if args.no_specs else measure_specs(work)
    page = report(sizes, specs, start, load_before, os.getloadavg()[0])
    args.out.write_text(page, "utf-8")
    print(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
