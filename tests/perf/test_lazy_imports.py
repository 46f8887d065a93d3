"""Fast start: `--help`, `--version` and `validate` never import the rendering stack.

Each command runs in a fresh interpreter that reports which modules it loaded; a module
imported at the top of any command module (instead of inside the command) shows up here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.generate import design_yaml
from diagramgen.rendering import RenderOptions
from diagramgen.rendering.parallel import render_specs

# The rendering stack: what makes a render slow to start, and nothing else needs.
RENDERING = ("diagrams", "graphviz", "PIL", "rich.progress", "diagramgen.rendering")
# What a no-op render (every spec up to date) must not need either: parsing and models.
PARSING = ("ruamel", "diagramgen.spec.models", "diagramgen.spec.loader")

PROBE = """
import json, sys
sys.argv = ["diagramgen", *json.loads(sys.argv[1])]
from diagramgen.cli import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n")
"""


def loaded_by(*args: str, cwd: Path) -> list[str]:
    """The modules a fresh interpreter has loaded after running `diagramgen ARGS`."""
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    marker = proc.stderr.rsplit("MODULES ", 1)
    assert len(marker) == 2, proc.stderr
    return json.loads(marker[1])


def heavy(modules: list[str], prefixes: tuple[str, ...]) -> list[str]:
    """Modules that are, or are inside, one of `prefixes`."""
    return [m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes)]


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["render", "--help"]])
def test_help_and_version_stay_light(args: list[str], tmp_path: Path) -> None:
    assert heavy(loaded_by(*args, cwd=tmp_path), RENDERING + PARSING) == []


def test_validate_does_not_import_rendering(tmp_path: Path) -> None:
    spec = tmp_path / "g.yaml"
    spec.write_text(design_yaml(10), "utf-8")
    assert heavy(loaded_by("validate", str(spec), cwd=tmp_path), RENDERING) == []


def test_up_to_date_render_loads_neither_specs_nor_renderer(tmp_path: Path) -> None:
    spec = tmp_path / "g.yaml"
    spec.write_text(design_yaml(10), "utf-8")
    out = tmp_path / "out"
    (first,) = render_specs([spec], out, RenderOptions(formats=["svg"]), jobs=1)
    assert first.status == "rendered"
    modules = loaded_by("render", str(spec), "-o", str(out), "-f", "svg", cwd=tmp_path)
    stack = (*RENDERING[:-1], "diagramgen.rendering.diagrams_adapter")
    assert heavy(modules, stack + PARSING) == []
