"""`diagramgen list`: a table of the specs, their size, findings and when they were rendered."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from diagramgen.cli.common import EXIT_INVALID, err, spec_paths, stdout_is_terminal

if TYPE_CHECKING:
    from rich.console import Console

    from diagramgen.spec.models import Design

COLUMNS = ("spec", "name", "title", "components", "groups", "flows", "findings", "last rendered")
SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class SpecRow:
    """What `list` shows about one spec file."""

    path: Path
    name: str  # the slug: the folder under the output directory
    title: str
    components: int | None = None  # None for an invalid spec
    groups: int | None = None
    flows: int | None = None
    findings: dict[str, int] | None = None  # by severity; None for an invalid spec
    problems: int = 0  # spec problems: more than 0 means invalid
    rendered: float | None = None  # mtime of the newest output/<slug>/overview.*
    stale: bool = False  # the spec changed after that render

    @property
    def valid(self) -> bool:
        """True when the spec loaded without problems."""
        return self.problems == 0

    def cells(self) -> list[str]:
        """The row as plain text cells, in `COLUMNS` order."""

        def num(n: int | None) -> str:
            return "-" if n is None else str(n)

        return [
            self.path.as_posix(),
            self.name,
            self.title,
            num(self.components),
            num(self.groups),
            num(self.flows),
            self.findings_text(),
            self.rendered_text(),
        ]

    def findings_text(self) -> str:
        """`1 error, 2 warnings`, `none`, `-` (not analysed) or `invalid: 3 problems`."""
        if not self.valid:
            return f"invalid: {_plural(self.problems, 'problem')}"
        if self.findings is None:
            return "-"
        parts = [
            _plural(self.findings[s], s, "info" if s == "info" else None)
            for s in SEVERITIES
            if self.findings.get(s)
        ]
        return ", ".join(parts) or "none"

    def rendered_text(self) -> str:
        """Local time of the last render (`(stale)` when the spec is newer), or `never`."""
        if self.rendered is None:
            return "never"
        stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.rendered))
        return f"{stamp} (stale)" if self.stale else stamp


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def last_rendered(out: Path, slug: str) -> float | None:
    """The mtime of the newest `out/<slug>/overview.*`, or None when never rendered."""
    folder = out / slug
    try:
        times = [f.stat().st_mtime for f in folder.glob("overview.*") if f.is_file()]
    except OSError:
        return None
    return max(times, default=None)


def count_findings(design: Design) -> dict[str, int]:
    """The reported findings by severity (those silenced by `ignore:` are not counted)."""
    from diagramgen.analysis import analyze

    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in analyze(design).findings:
        counts[finding.severity] = counts.get(finding.severity, 0) + 1
    return counts


def spec_row(path: Path, out: Path) -> SpecRow:
    """Load one spec and describe it; an invalid spec gives a row with its problem count."""
    from diagramgen.errors import SpecError
    from diagramgen.spec.loader import load
    from diagramgen.spec.models import slugify

    try:
        spec_mtime = path.stat().st_mtime
    except OSError:
        spec_mtime = None
    try:
        design = load(path)
    except SpecError as exc:
        slug = slugify(_raw_name(path) or path.stem)
        rendered = last_rendered(out, slug)
        return SpecRow(path, slug, "-", problems=len(exc.problems) or 1, rendered=rendered)
    rendered = last_rendered(out, design.slug)
    return SpecRow(
        path,
        design.slug,
        design.display_title,
        components=len(design.components),
        groups=len(design.groups),
        flows=len(design.flows),
        findings=count_findings(design),
        rendered=rendered,
        stale=rendered is not None and spec_mtime is not None and spec_mtime > rendered,
    )


def _raw_name(path: Path) -> str | None:
    """The `name:` of a spec that does not validate, when its YAML still parses."""
    from diagramgen.errors import SpecError
    from diagramgen.spec.loader import parse

    try:
        data, _ = parse(path.read_bytes(), str(path))
    except (SpecError, OSError):
        return None
    name = data.get("name")
    return name if isinstance(name, str) and name.strip() else None


def _clean(text: str) -> str:
    # One row per spec, tab-separated: a tab or newline inside a title would break both.
    return " ".join(text.split())


def print_plain(rows: list[SpecRow]) -> None:
    """Tab-separated values with one header line: for pipes, files and scripts."""
    typer.echo("\t".join(COLUMNS))
    for row in rows:
        typer.echo("\t".join(_clean(c) for c in row.cells()))


def print_table(rows: list[SpecRow], console: Console | None = None) -> None:
    """A rich table for the terminal; invalid specs in red, findings colored by severity."""
    from rich import box
    from rich.console import Console as _Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, collapse_padding=True)
    for col in COLUMNS:
        numeric = col in ("components", "groups", "flows")
        # On a narrow terminal the title and findings wrap; paths, numbers and dates fold
        # only when nothing else can give way.
        table.add_column(
            col,
            justify="right" if numeric else "left",
            overflow="fold",
            no_wrap=numeric,
            ratio=1 if col in ("title", "findings") else None,
            min_width=None if col in ("title", "findings") else len(col),
        )
    for row in rows:
        cells = [Text(c) for c in row.cells()]  # Text, not markup: titles are user text
        findings = cells[6]
        if not row.valid:
            findings.stylize("bold red")
        elif row.findings and row.findings.get("error"):
            findings.stylize("red")
        elif row.findings and row.findings.get("warning"):
            findings.stylize("yellow")
        elif row.findings is not None:
            findings.stylize("green")
        if row.rendered is None or row.stale:
            cells[7].stylize("dim")
        table.add_row(*cells)
    (console or _Console()).print(table)


def list_specs(
    paths: list[Path] = typer.Argument(
        None,
        help="Spec files or folders; a folder means every *.yaml, *.yml, *.json in it. "
        "Default: specs/",
        show_default=False,
    ),
    out: Path = typer.Option(
        Path("output"), "--out", "-o", help="Output folder to look for renders in."
    ),
) -> None:
    """List specs: name, title, size, findings by severity and when each was last rendered.

    A table on a terminal; tab-separated text with a header line otherwise. Exits 1 when a
    spec is invalid (it appears as a row with its problem count), else 0: findings never
    change the exit code (that is `diagramgen check --strict`).

    Examples:

    - `diagramgen list` (every spec in specs/)
    - `diagramgen list specs/ designs/payments.yaml -o build/`
    - `diagramgen list | cut -f1,7` (spec and findings columns)
    """
    files = spec_paths(paths or [Path("specs")])
    rows = [spec_row(path, out) for path in files]
    if stdout_is_terminal():
        print_table(rows)
    else:
        print_plain(rows)
    invalid = [row for row in rows if not row.valid]
    if invalid:
        shown = " ".join(r.path.as_posix() for r in invalid)
        err(f"{_plural(len(invalid), 'spec')} invalid: run `diagramgen validate {shown}`")
        raise typer.Exit(EXIT_INVALID)
