"""`diagramgen diff`: what changed between two versions of a design, as changelog and picture."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from diagramgen.cli.common import (
    EXIT_INVALID,
    err,
    exists,
    print_spec_error,
    split_csv,
    timeout_option,
    usage_error,
)


def diff(
    args: list[str] = typer.Argument(
        None,
        metavar="OLD NEW",
        help="Two specs, each a path or `path@REV` (any git revision: `HEAD~2`, `v1.0`). "
        "With --since: the spec files or folders to compare (default: specs/).",
        show_default=False,
    ),
    since: str | None = typer.Option(
        None,
        "--since",
        metavar="REV",
        help="Compare every spec under the given paths with its version at this git revision.",
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        "-o",
        help="Also draw the changes into OUT/diff.svg (and the other -f formats).",
    ),
    formats: str = typer.Option(
        "svg,png", "--formats", "-f", help="Picture formats with -o: svg, png, pdf, dot."
    ),
    output_format: str = typer.Option(
        "markdown", "--format", help="Changelog format on stdout: markdown or json."
    ),
    exit_code: bool = typer.Option(
        False, "--exit-code", help="Exit 1 when anything changed, 0 when not (like git diff)."
    ),
    theme: str = typer.Option("light", "--theme", help="Picture theme: light or dark."),
    timeout: float = timeout_option("Seconds Graphviz may take."),
) -> None:
    """Show what changed between two versions of a design: Markdown changelog (or JSON) on
    stdout, the tradeoff delta, and with `-o` a picture of both versions in one.

    Examples:

    - `diagramgen diff specs/feed.yaml@HEAD~1 specs/feed.yaml`
    - `diagramgen diff old.yaml new.yaml --format json -o review/`
    - `diagramgen diff --since main --exit-code` (CI: exit 1 when a spec under specs/ changed)
    """
    from diagramgen.rendering import VIEW_FORMATS as FORMATS
    from diagramgen.view.themes import THEMES

    if output_format not in ("markdown", "json"):
        usage_error(f"unknown --format {output_format!r}: choose markdown or json")
    fmts = split_csv(formats)
    bad = [f for f in fmts if f not in FORMATS]
    if bad or not fmts:
        usage_error(
            f"unknown format {bad[0] if bad else formats!r}: choose from {', '.join(FORMATS)}"
        )
    if theme not in THEMES:
        usage_error(f"unknown theme {theme!r}: choose from {', '.join(THEMES)}")
    args = args or []
    if since is None and len(args) != 2:
        usage_error(
            "give two specs to compare (OLD NEW, each a path or path@REV), or --since REV [PATHS]"
        )
    if since is not None and not since.strip():
        usage_error("--since needs a git revision")

    from diagramgen.errors import DiagramgenError, SpecError

    try:
        if since is not None:
            changed = _since(since, args, out, fmts, theme, timeout, output_format)
        else:
            changed = _pair(args[0], args[1], out, fmts, theme, timeout, output_format)
    except SpecError as exc:
        print_spec_error(exc)
        raise typer.Exit(EXIT_INVALID) from None
    except DiagramgenError as exc:
        err(f"error: {exc}")
        raise typer.Exit(EXIT_INVALID) from None
    if exit_code and changed:
        raise typer.Exit(1)


def _check_exists(ref_path: Path, text: str) -> None:
    if not exists(ref_path):
        usage_error(f"no such file: {text} (write path@REV to read it from git)")


def _pair(
    old_arg: str,
    new_arg: str,
    out: Path | None,
    fmts: list[str],
    theme: str,
    timeout: float,
    output_format: str,
) -> bool:
    from diagramgen.diffing import diff_designs
    from diagramgen.diffing.changelog import to_json, to_markdown
    from diagramgen.diffing.git import parse_ref
    from diagramgen.diffing.output import write_diff_diagram
    from diagramgen.diffing.sources import load_ref

    refs = [parse_ref(old_arg), parse_ref(new_arg)]
    for ref, text in zip(refs, (old_arg, new_arg), strict=True):
        if ref.rev is None:
            _check_exists(ref.path, text)
    old, new = (load_ref(ref) for ref in refs)
    result = diff_designs(old, new)
    if output_format == "json":
        typer.echo(json.dumps(to_json(result, old_arg, new_arg), indent=2, ensure_ascii=False))
    else:
        typer.echo(to_markdown(result, old_arg, new_arg), nl=False)
    if out is not None:
        written = write_diff_diagram(result, out, fmts, theme, old_arg, new_arg, timeout)
        err("wrote " + ", ".join(map(str, written)))
    return result.has_changes


def _since(
    rev: str,
    paths: list[str],
    out: Path | None,
    fmts: list[str],
    theme: str,
    timeout: float,
    output_format: str,
) -> bool:
    from diagramgen.diffing import diff_since
    from diagramgen.diffing.changelog import since_json, since_markdown
    from diagramgen.diffing.output import write_diff_diagram

    entries = diff_since(rev, [Path(p) for p in paths or ["specs"]])
    if output_format == "json":
        typer.echo(json.dumps(since_json(rev, entries), indent=2, ensure_ascii=False))
    else:
        typer.echo(since_markdown(rev, entries), nl=False)
    if out is not None:
        for path, _status, result in entries:
            if result is not None and result.has_changes:
                target = out / result.new.slug
                written = write_diff_diagram(
                    result, target, fmts, theme, f"{path}@{rev}", path, timeout
                )
                err("wrote " + ", ".join(map(str, written)))
    return any(status != "modified" or (d and d.has_changes) for _, status, d in entries)
