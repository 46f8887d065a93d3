"""Measure diagramgen against its floor (Graphviz) and its alternative (mingrammer `diagrams`).

    python bench/run.py            # or: make bench; writes its part of bench/RESULTS.md
    python bench/run.py --quick --out /tmp/RESULTS.md   # small sizes: checks that it runs

In one run (issue 18, side by side):

- loading: `validate` and `notes` of generated designs of 100 and 1,000 components, YAML
  and JSON, as fresh CLI processes (start-up included; the spec validator restored from the
  per-user cache, and once more with an empty cache: the first start), in interleaved
  rounds (2 x `--repeat`) so that every command meets the same machine load; parse,
  validate and analyze in one warm process, and the growth of analysis from 100 to 1,000
  components;
- start-up: `diagramgen --version` against `python -c "import typer"`;
- big designs whose services call random services in other groups (`cross_group_data`,
  the shape real systems have and dot finds hardest): `render -f svg` of 1,000 and 3,000
  components (time, peak memory, the layout note, every node and edge drawn?) against raw
  `dot` on the DOT the render wrote and the equivalent hand-written `diagrams` script;
- the catalogue `specs/`: `render --layout fast` with one and two jobs and the default
  (searching) render, against the summed raw `dot` time on the same DOT; the no-op
  `render --gallery` (what `make render` runs).

Timings are wall clock, the best of `--repeat` runs, with the CPU time of the process tree
beside them (other work on a shared machine inflates wall time, much less CPU time). The
load average is recorded with the results. The script owns only the part of the results
page between its markers; `bench/layout.py` owns the "Layout quality" section.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench.generate import cross_group_data, design_data, diagrams_script, to_yaml  # noqa: E402

PYTHON = sys.executable
CLI = [str(Path(PYTHON).with_name("diagramgen"))]
if not Path(CLI[0]).exists():
    CLI = [PYTHON, "-m", "diagramgen"]

BEGIN = "<!-- bench/run.py: begin (rewritten by `python bench/run.py`) -->"
END = "<!-- bench/run.py: end -->"
# Sections an earlier run.py wrote without markers: replaced by the marked block.
_LEGACY = ("## Generated designs", "## Targets", "## `specs/`", "## Start-up")


@dataclass(frozen=True)
class Plan:
    """What one run measures: the full benchmark, or a quick one for the tests."""

    load_sizes: tuple[int, ...] = (100, 1000)
    big_sizes: tuple[int, ...] = (1000, 3000)
    big_groups: int = 50  # groups of the big designs
    specs: tuple[Path, ...] = ()  # the catalogue (all of `specs/` unless quick)
    repeat: int = 5  # runs of each short command (the best counts)
    render_timeout: float = 600.0
    raw_timeout: float = 120.0  # raw dot on a big cross-group DOT runs for minutes
    script_timeout: float = 120.0
    search: bool = True  # also the default (searching) catalogue render


def full_plan(repeat: int) -> Plan:
    """Every measurement of issue 18."""
    return Plan(specs=tuple(sorted((ROOT / "specs").glob("*.yaml"))), repeat=repeat)


def quick_plan() -> Plan:
    """Small sizes and the smallest catalogue spec: every step, in about a minute."""
    specs = tuple(sorted((ROOT / "specs").glob("*.yaml"), key=lambda p: p.stat().st_size))[:1]
    return Plan(
        load_sizes=(20, 60),
        big_sizes=(30,),
        big_groups=5,
        specs=specs,
        repeat=1,
        render_timeout=120,
        raw_timeout=60,
        script_timeout=60,
        search=False,
    )


# ---------------------------------------------------------------- measuring processes


@dataclass
class Run:
    """One measured process (and its children)."""

    seconds: float
    peak_kb: int  # largest resident set of the process or any child it waited for
    ok: bool
    note: str = ""
    cpu: float = 0.0  # user + system seconds of the process tree
    output: str = ""  # its standard output and error (the last few lines)


def bench_env() -> dict[str, str]:
    """The environment of measured processes: as a user's, with compiled bytecode.

    A shell that sets `PYTHONDONTWRITEBYTECODE` makes every process compile our modules
    again; an installed package has its bytecode. The cache goes to a folder of its own,
    warmed by the first run of each command (and the best run counts).
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", str(Path(tempfile.gettempdir()) / "diagramgen-bench-pyc"))
    env["COLUMNS"] = "200"
    return env


def measure(
    cmd: Sequence[str],
    cwd: Path | None = None,
    timeout: float = 600.0,
    env: dict[str, str] | None = None,
) -> Run:
    """Run a command; its wall time, CPU time and the peak memory of its process tree.

    `env` adds to (or overrides) the measured environment (`bench_env`).
    """
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=out,
            env={**bench_env(), **(env or {})},
            start_new_session=True,  # its own process group: a timeout ends its children too
        )
        timer = threading.Timer(timeout, _kill_group, (proc.pid,))
        timer.start()
        # wait4, not Popen.wait: its rusage covers the children the process waited for.
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        lines = out.read().decode("utf-8", "replace").strip().splitlines()
    cpu = usage.ru_utime + usage.ru_stime
    text = "\n".join(lines[-5:])
    if seconds >= timeout:
        return Run(seconds, usage.ru_maxrss, False, f"no result in {timeout:.0f} s", cpu, text)
    note = "" if proc.returncode == 0 else (lines[-1] if lines else f"exit {proc.returncode}")
    return Run(seconds, usage.ru_maxrss, proc.returncode == 0, note, cpu, text)


def _kill_group(pid: int) -> None:
    """End a timed-out command and every process it started (a `diagrams` script's dot)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def best(run: Callable[[], Run], repeat: int) -> Run:
    """The fastest of `repeat` runs (stopping at the first failure); CPU of that run."""
    runs: list[Run] = []
    for _ in range(max(1, repeat)):
        runs.append(run())
        if not runs[-1].ok:
            break
    return _fastest(runs)


def best_time(fn: Callable[[], object], repeat: int) -> float:
    """The fastest of `repeat` calls, in seconds."""
    times = []
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


# ---------------------------------------------------------------- raw Graphviz


def icon_root() -> Path:
    """Where the DOT files' relative icon paths resolve (Graphviz's working folder)."""
    from diagramgen.rendering.diagrams_adapter import ICON_ROOT

    return ICON_ROOT


def raw_dot(
    dot_files: Sequence[Path], formats: Sequence[str], scratch: Path, timeout: float = 600.0
) -> Run:
    """Graphviz alone doing what a render asks of it for these DOT files, one after another.

    Per view: one `dot` for the SVG, and for a PNG a second one at the resolution the
    render picks from the SVG (`png_dpi`), exactly the calls `render_view` makes.
    """
    from diagramgen.rendering import png_dpi

    total, cpu, peak = 0.0, 0.0, 0
    for dot in dot_files:
        svg = scratch / f"{dot.stem}.svg"
        run = measure(["dot", f"-o{svg}", "-Tsvg", str(dot)], cwd=icon_root(), timeout=timeout)
        if not run.ok:
            return run
        total, cpu, peak = total + run.seconds, cpu + run.cpu, max(peak, run.peak_kb)
        if "png" in formats:
            dpi = png_dpi(svg.read_text("utf-8"))
            png = scratch / f"{dot.stem}.png"
            cmd = ["dot", f"-Gdpi={dpi:g}", "-Tpng:cairo", f"-o{png}", str(dot)]
            run = measure(cmd, cwd=icon_root(), timeout=timeout)
            if not run.ok:
                return run
            total, cpu, peak = total + run.seconds, cpu + run.cpu, max(peak, run.peak_kb)
    return Run(total, peak, True, cpu=cpu)


# ---------------------------------------------------------------- loading


@dataclass
class LoadResult:
    """`validate` and `notes` of one generated design in one format."""

    components: int
    fmt: str  # yaml / json
    validate: Run
    notes: Run
    cold: Run  # `validate` with an empty cache: the spec validator built (and stored)


@dataclass
class WarmResult:
    """Parse, validate and analyze of one generated design in a warm process."""

    components: int
    parse: float
    validate: float
    analyze: float


FORMATS = ("yaml", "json")


def generated_spec(n: int, fmt: str, folder: Path) -> Path:
    """The generated design of `n` components written as YAML or JSON."""
    data = design_data(n)
    path = folder / f"generated_{n}.{fmt}"
    text = to_yaml(data) if fmt == "yaml" else json.dumps(data, indent=2)
    path.write_text(text, "utf-8")
    return path


def measure_loading(plan: Plan, work: Path) -> tuple[list[LoadResult], list[WarmResult]]:
    """CLI `validate` and `notes` (fresh processes), then the warm in-process stages."""
    from diagramgen.analysis import analyze
    from diagramgen.spec.loader import parse, validate_data

    folder = work / "loading"
    folder.mkdir()
    warm: list[WarmResult] = []
    warm_up = generated_spec(min(plan.load_sizes), "yaml", folder).read_bytes()
    analyze(validate_data(*parse(warm_up, "warm-up.yaml")))  # imports, rule registry
    specs = {(n, fmt): generated_spec(n, fmt, folder) for n in plan.load_sizes for fmt in FORMATS}
    # Round after round of every command, not each command's runs back to back: this
    # machine's speed drifts by a third over tens of seconds, and interleaving lets every
    # command meet the same quiet and busy moments (as `measure_start` does).
    kinds: dict[str, Callable[[Path], Run]] = {
        "validate": lambda s: measure([*CLI, "validate", "-q", str(s)]),
        "notes": lambda s: measure([*CLI, "notes", str(s)]),
        "cold": lambda s: _cold_validate(s, folder),
    }
    runs: dict[tuple[int, str, str], list[Run]] = {}
    rounds = 2 * max(1, plan.repeat)  # these are short: twice the samples for the best
    for round_no in range(rounds):
        print(f"  validate and notes, round {round_no + 1} of {rounds}", flush=True)
        for (n, fmt), spec in specs.items():
            for kind, run in kinds.items():
                runs.setdefault((n, fmt, kind), []).append(run(spec))
    results = [
        LoadResult(n, fmt, *(_fastest(runs[n, fmt, kind]) for kind in kinds)) for n, fmt in specs
    ]
    for n in plan.load_sizes:
        spec = folder / f"generated_{n}.yaml"
        text = spec.read_bytes()
        parse_time = best_time(lambda t=text, s=spec: parse(t, str(s)), plan.repeat)
        data, located = parse(text, str(spec))
        design = validate_data(data, located, str(spec))
        validate_time = best_time(
            lambda d=data, loc=located, s=spec: validate_data(d, loc, str(s)), plan.repeat
        )
        analyze_time = best_time(lambda d=design: analyze(d), plan.repeat)
        warm.append(WarmResult(n, parse_time, validate_time, analyze_time))
    return results, warm


def _fastest(runs: list[Run]) -> Run:
    """The fastest run; the first failure instead when one failed."""
    failed = [r for r in runs if not r.ok]
    return failed[0] if failed else min(runs, key=lambda r: r.seconds)


def _cold_validate(spec: Path, folder: Path) -> Run:
    """`validate` as on a first start: a fresh, empty per-user cache folder."""
    cache = Path(tempfile.mkdtemp(prefix="cache-", dir=folder))
    try:
        return measure(
            [*CLI, "validate", "-q", str(spec)], env={"DIAGRAMGEN_CACHE_DIR": str(cache)}
        )
    finally:
        shutil.rmtree(cache, ignore_errors=True)


# ---------------------------------------------------------------- start-up


@dataclass
class StartResult:
    """CLI start-up against the bare minimum of a typer app."""

    version: Run
    typer: Run


def measure_start(repeat: int) -> StartResult:
    """Best of many runs of each, interleaved so that both see the same machine load."""
    versions, typers = [], []
    for _ in range(max(2, repeat * 3)):
        versions.append(measure([*CLI, "--version"]))
        typers.append(measure([PYTHON, "-c", "import typer"]))
    return StartResult(_fastest(versions), _fastest(typers))


# ---------------------------------------------------------------- big designs


@dataclass
class BigResult:
    """One big cross-group design rendered to SVG, and its baselines."""

    components: int
    connections: int
    groups: int
    render: Run
    drawn_nodes: int
    drawn_edges: int
    layout_note: str
    raw: Run
    script: Run


def measure_big(n: int, plan: Plan, work: Path) -> BigResult:
    """Render a design of `n` services with random cross-group calls; raw dot; `diagrams`."""
    data = cross_group_data(n, groups=plan.big_groups)
    folder = work / f"cross-{n}"
    folder.mkdir()
    spec = folder / f"cross_{n}.yaml"
    spec.write_text(to_yaml(data), "utf-8")
    out = folder / "out"
    print(f"  cross-group design of {n}: render -f svg,dot", flush=True)
    cmd = [*CLI, "render", str(spec), "-o", str(out), "-f", "svg,dot", "--force"]
    render = measure(cmd, timeout=plan.render_timeout)
    svg = out / data["name"] / "overview.svg"
    text = svg.read_text("utf-8") if render.ok and svg.is_file() else ""
    nodes = len(re.findall(r'<g id="[^"]*" class="node"', text))
    edges = len(re.findall(r'<g id="[^"]*" class="edge"', text))
    # The render's one line on a simplified layout: "<spec>: note: <view>: ... drawn with ...".
    note = next((line for line in render.output.splitlines() if ": note: " in line), "")
    note = note.split(": note: ", 1)[-1]
    dots = sorted((out / data["name"]).glob("overview.dot"))
    scratch = folder / "raw"
    scratch.mkdir()
    print(f"  cross-group design of {n}: raw dot (at most {plan.raw_timeout:.0f} s)", flush=True)
    raw = raw_dot(dots, ["svg"], scratch, plan.raw_timeout) if dots else Run(0, 0, False, "no DOT")
    print(f"  cross-group design of {n}: hand-written diagrams script", flush=True)
    script_dir = folder / "script"
    script_dir.mkdir()
    script_data = {**data, "title": data["title"], "flows": []}
    (script_dir / "design.py").write_text(diagrams_script(script_data, ["svg"]), "utf-8")
    script = measure([PYTHON, "design.py"], cwd=script_dir, timeout=plan.script_timeout)
    return BigResult(
        n,
        len(data["connections"]),
        len(data["groups"]),
        render,
        nodes,
        edges,
        note.strip(),
        raw,
        script,
    )


# ---------------------------------------------------------------- the catalogue


@dataclass
class CatalogueResult:
    """`specs/` rendered the way `make render` does (svg, png, dot)."""

    specs: int
    views: int
    raw: Run
    fast_j1: Run
    fast_j2: Run
    search_j2: Run | None
    noop: Run
    noop_gallery: Run


def measure_catalogue(plan: Plan, work: Path) -> CatalogueResult:
    """Render the catalogue fast (1 and 2 jobs) and searching; raw dot; the no-op render."""
    src = work / "specs"
    src.mkdir()
    for path in plan.specs:
        shutil.copy2(path, src / path.name)
    fmts = ["-f", "svg,png,dot"]
    out = work / "catalogue-fast"
    base = [*CLI, "render", str(src), "-o", str(out), "-q", *fmts]
    scratch = work / "catalogue-raw"
    scratch.mkdir()
    # Rounds of (fast, one job; fast, two jobs; raw dot), the best of each counting: one
    # round takes over a minute, longer than this machine keeps one speed, and a ratio of
    # two runs made in different moments would measure the moments.
    rounds = 2 if plan.repeat > 1 else 1
    j1_runs, j2_runs, raw_runs = [], [], []
    for round_no in range(rounds):
        print(
            f"  catalogue ({len(plan.specs)} specs): --layout fast, --jobs 1 and 2, then raw "
            f"dot (round {round_no + 1} of {rounds})",
            flush=True,
        )
        j1_runs.append(measure([*base, "--layout", "fast", "--force", "--jobs", "1"]))
        j2_runs.append(measure([*base, "--layout", "fast", "--force", "--jobs", "2"]))
        dots = sorted(out.glob("*/*.dot"))
        raw_runs.append(raw_dot(dots, ["svg", "png"], scratch))
    fast_j1, fast_j2, raw = _fastest(j1_runs), _fastest(j2_runs), _fastest(raw_runs)
    search_j2 = None
    if plan.search:
        print("  catalogue: the default (searching) render, --jobs 2", flush=True)
        search_out = work / "catalogue-search"
        search_j2 = measure([*CLI, "render", str(src), "-o", str(search_out), "-q", *fmts])
    print("  catalogue: no-op re-renders", flush=True)
    noop = best(lambda: measure([*base, "--layout", "fast"]), max(plan.repeat, 3))
    measure([*base, "--layout", "fast", "--gallery"])  # writes the page once
    noop_gallery = best(
        lambda: measure([*base, "--layout", "fast", "--gallery"]), max(plan.repeat, 3)
    )
    return CatalogueResult(
        len(plan.specs), len(dots), raw, fast_j1, fast_j2, search_j2, noop, noop_gallery
    )


# ---------------------------------------------------------------- the report


def secs(value: float | None) -> str:
    """`0.123 s`, `12.3 s`, or `-`."""
    if value is None:
        return "-"
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def cell(run: Run | None) -> str:
    """A wall time with its CPU time, or why there is none."""
    if run is None:
        return "-"
    if not run.ok:
        return f"failed: {run.note}"[:70].replace("|", "\\|")
    return f"{secs(run.seconds)} (CPU {secs(run.cpu)})"


def mb(kb: int) -> str:
    """Kilobytes as `123 MB`."""
    return f"{kb / 1024:.0f} MB"


def verdict(ok: bool) -> str:
    """`met` / `missed`."""
    return "met" if ok else "**missed**"


def ratio(a: Run | None, b: Run) -> float | None:
    """`a` over `b` in wall time, when both ran."""
    if a is None or not (a.ok and b.ok and b.seconds):
        return None
    return a.seconds / b.seconds


def machine() -> str:
    """The machine and tool versions the numbers come from."""
    dot = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=False).stderr
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"{platform.system()} {platform.machine()}, {cores} cores, Python "
        f"{platform.python_version()}, {dot.strip()}"
    )


@dataclass
class Results:
    """Everything one run measured."""

    plan: Plan
    loading: list[LoadResult]
    warm: list[WarmResult]
    start: StartResult
    big: list[BigResult] = field(default_factory=list)
    catalogue: CatalogueResult | None = None
    load_before: float = 0.0
    load_after: float = 0.0


def targets(r: Results) -> list[str]:
    """The Done-when rows of issue 18, each with what was measured."""
    rows = ["| target | measured | |", "|---|---|---|"]
    top = max(r.plan.load_sizes)
    for res in (x for x in r.loading if x.components == top):
        for name, run, limit in (("validate", res.validate, 0.5), ("notes", res.notes, 0.8)):
            rows.append(
                f"| `{name}` of {top:,} components ({res.fmt.upper()}) < {limit} s wall, "
                f"start-up included | {cell(run)} | {verdict(run.ok and run.seconds < limit)} |"
            )
    warm = {w.components: w for w in r.warm}
    low, high = min(warm), max(warm)
    if low != high and warm[low].analyze:
        growth = warm[high].analyze / warm[low].analyze
        rows.append(
            f"| analysis time t({high:,}) / t({low:,}) ≤ 12 | {secs(warm[high].analyze)} / "
            f"{secs(warm[low].analyze)} = {growth:.1f} | {verdict(growth <= 12)} |"
        )
    for b in r.big:
        limit = 30 if b.components <= 1000 else 120
        drawn = b.drawn_nodes >= b.components and b.drawn_edges >= b.connections
        ok = b.render.ok and b.render.seconds < limit and b.render.peak_kb < 1 << 20 and drawn
        rows.append(
            f"| {b.components:,} components with cross-group calls render to SVG in < {limit} s, "
            f"< 1 GB, every node and edge drawn | {cell(b.render)}, {mb(b.render.peak_kb)}, "
            f"{b.drawn_nodes:,}/{b.components:,} nodes, {b.drawn_edges:,}/{b.connections:,} "
            f"edges | {verdict(ok)} |"
        )
    c = r.catalogue
    if c is not None:
        for label, run, limit in (
            ("`--layout fast`, one job, ≤ 1.15x", c.fast_j1, 1.15),
            ("`--layout fast`, two jobs, < 1.0x", c.fast_j2, 1.0),
            ("default (searching) render, two jobs, ≤ 3x", c.search_j2, 3.0),
        ):
            if run is None:
                continue
            x = ratio(run, c.raw)
            shown = f"{secs(run.seconds)} / {secs(c.raw.seconds)} = {x:.2f}x" if x else cell(run)
            if x and c.raw.cpu:
                shown += f" (CPU {secs(run.cpu)} / {secs(c.raw.cpu)} = {run.cpu / c.raw.cpu:.2f}x)"
            met = x is not None and (x < limit if limit == 1.0 else x <= limit)
            rows.append(f"| catalogue {label} the summed raw dot time | {shown} | {verdict(met)} |")
        rows.append(
            f"| no-op `render --gallery` of the catalogue < 0.3 s | {cell(c.noop_gallery)} "
            f"| {verdict(c.noop_gallery.ok and c.noop_gallery.seconds < 0.3)} |"
        )
    return rows


def report(r: Results) -> str:
    """The marked block of the results page."""
    lines = [
        BEGIN,
        "",
        "Written by `python bench/run.py` (`make bench`); every number in this part comes "
        "from one run of it. Wall-clock times are the best of the runs made; CPU is user + "
        "system time of the process tree, which other work on the machine inflates much less.",
        "",
        f"Machine: {machine()}; load average {r.load_before:.1f} before the run, "
        f"{r.load_after:.1f} after." + (" Quick mode (`--quick`)." if r.plan.repeat == 1 else ""),
        "",
        "## Speed at scale (issue 18)",
        "",
        *targets(r),
        "",
        "## Loading",
        "",
        "Generated designs (`bench/generate.py`, the canonical form) written as YAML and as "
        "JSON; each command is a fresh process, start-up included, with the spec validator "
        "restored from the per-user cache as every start after the first one does. The last "
        "column is `validate` with an empty cache folder: the validator built and stored. "
        f"Best of {2 * r.plan.repeat} interleaved rounds of every command.",
        "",
        "| components | format | `validate` | `notes` | `validate`, first start |",
        "|---:|---|---:|---:|---:|",
    ]
    for x in r.loading:
        lines.append(
            f"| {x.components:,} | {x.fmt.upper()} | {cell(x.validate)} | {cell(x.notes)} "
            f"| {cell(x.cold)} |"
        )
    lines += [
        "",
        "In one warm process (YAML):",
        "",
        "| components | parse | validate | analyze |",
        "|---:|---:|---:|---:|",
    ]
    for w in r.warm:
        lines.append(
            f"| {w.components:,} | {secs(w.parse)} | {secs(w.validate)} | {secs(w.analyze)} |"
        )
    ratio_start = ratio(r.start.version, r.start.typer)
    lines += [
        "",
        "## Start-up",
        "",
        "| command | time |",
        "|---|---:|",
        f'| `python -c "import typer"` | {cell(r.start.typer)} |',
        f"| `diagramgen --version` | {cell(r.start.version)} |",
        "",
        f"`diagramgen --version` over `import typer`: {ratio_start:.2f}x." if ratio_start else "",
        "",
    ]
    if r.big:
        lines += [
            "## Big designs with cross-group traffic",
            "",
            f"`cross_group_data(n)`: `n` services in {r.plan.big_groups} groups, each calling "
            "three random "
            "services in other groups (plus a call inside its group). `render` is "
            "`diagramgen render -f svg,dot --force` (fresh process); raw `dot` runs Graphviz "
            "alone on the DOT the render wrote, `-Tsvg`; the `diagrams` script is the "
            "equivalent hand-written mingrammer program (its defaults).",
            "",
            "| components | connections | render | peak memory | drawn nodes / edges "
            "| layout note | raw dot | `diagrams` script |",
            "|---:|---:|---:|---:|---:|---|---:|---:|",
        ]
        for b in r.big:
            note = b.layout_note.replace("|", "\\|")[:120] or "-"
            lines.append(
                f"| {b.components:,} | {b.connections:,} | {cell(b.render)} "
                f"| {mb(b.render.peak_kb)} | {b.drawn_nodes:,} / {b.drawn_edges:,} | {note} "
                f"| {cell(b.raw)} | {cell(b.script)} |"
            )
        lines.append("")
    c = r.catalogue
    if c is not None:
        lines += [
            "## The catalogue",
            "",
            f"{c.specs} specs of `specs/`, {c.views} views, rendered as `make render` does "
            "(`-f svg,png,dot`). Raw dot makes the same Graphviz calls on the DOT the fast "
            "render wrote: per view one run for the SVG and one for the PNG at the "
            "resolution picked from the SVG's size. The fast renders and raw dot run in "
            f"{2 if r.plan.repeat > 1 else 1} interleaved round(s); the best of each counts.",
            "",
            "| measurement | time | over raw dot | CPU over raw dot |",
            "|---|---:|---:|---:|",
            f"| raw dot, summed | {cell(c.raw)} | 1.00x | 1.00x |",
        ]
        for label, run in (
            ("`render --layout fast --jobs 1 --force`", c.fast_j1),
            ("`render --layout fast --jobs 2 --force`", c.fast_j2),
            ("`render` (layout search, 2 jobs)", c.search_j2),
        ):
            if run is not None:
                x = ratio(run, c.raw)
                y = run.cpu / c.raw.cpu if x and c.raw.cpu else None
                lines.append(
                    f"| {label} | {cell(run)} | {f'{x:.2f}x' if x else '-'} "
                    f"| {f'{y:.2f}x' if y else '-'} |"
                )
        lines += [
            f"| `render` with nothing to do | {cell(c.noop)} | | |",
            f"| `render --gallery` with nothing to do | {cell(c.noop_gallery)} | | |",
            f"| peak memory (largest process) | {mb(max(c.fast_j1.peak_kb, c.fast_j2.peak_kb))} "
            "| | |",
            "",
        ]
    lines.append(END)
    return "\n".join(lines)


def write_block(path: Path, block: str) -> None:
    """Put the block into the results page, keeping every section other scripts own.

    The block replaces the text between the markers; without markers (a page written by
    an older run.py) it replaces that script's old sections, and goes after the title.
    """
    from diagramgen.atomic import write_text

    old = path.read_text("utf-8") if path.exists() else "# Benchmark results\n"
    start, end = old.find(BEGIN), old.find(END)
    if start >= 0 and end > start:
        new = old[:start] + block + old[end + len(END) :]
    else:
        new = _without_legacy(old).rstrip("\n")
        title, _, rest = new.partition("\n")
        if not title.startswith("# "):
            title, rest = "# Benchmark results", new
        new = title + "\n\n" + block + ("\n\n" + rest.strip("\n") if rest.strip() else "")
    write_text(path, new.rstrip("\n") + "\n")


def _without_legacy(text: str) -> str:
    """The page without the sections (and intro) an unmarked run.py wrote."""
    parts = re.split(r"(?m)^(?=## )", text)
    head, sections = parts[0], parts[1:]
    kept = [s for s in sections if not s.startswith(_LEGACY)]
    title = head.splitlines()[0] if head.strip() else "# Benchmark results"
    return title + "\n\n" + "".join(kept)


def run(plan: Plan, out: Path) -> str:
    """Measure everything in `plan`, write the block into `out`, return the block."""
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="diagramgen-bench-") as tmp:
        work = Path(tmp)
        print("start-up", flush=True)
        start = measure_start(plan.repeat)
        print("loading", flush=True)
        loading, warm = measure_loading(plan, work)
        results = Results(plan, loading, warm, start, load_before=load_before)
        print("big designs", flush=True)
        results.big = [measure_big(n, plan, work) for n in plan.big_sizes]
        if plan.specs:
            print("the catalogue", flush=True)
            results.catalogue = measure_catalogue(plan, work)
    results.load_after = os.getloadavg()[0]
    block = report(results)
    write_block(out, block)
    return block


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and write its part of the results page."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one run each")
    parser.add_argument("--repeat", type=int, default=5, help="runs per short command (best)")
    parser.add_argument("--no-catalogue", action="store_true", help="skip the specs/ renders")
    parser.add_argument("--no-big", action="store_true", help="skip the big cross-group renders")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md", help="results page")
    args = parser.parse_args(argv)
    if not shutil.which("dot"):
        print("bench needs Graphviz (dot) on the PATH", file=sys.stderr)
        return 2
    plan = quick_plan() if args.quick else full_plan(args.repeat)
    if args.no_catalogue:
        plan = dataclasses.replace(plan, specs=())
    if args.no_big:
        plan = dataclasses.replace(plan, big_sizes=())
    print(run(plan, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
