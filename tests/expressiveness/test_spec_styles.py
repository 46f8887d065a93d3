"""Style fields of the spec: validation with exact locations, fan-out, icons, legend."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from diagramgen.errors import SpecError
from diagramgen.spec.loader import loads
from diagramgen.spec.models import Connection, Design, Service
from diagramgen.spec.schema import schema_dict
from diagramgen.spec.styles import NAMED_COLORS, check_color
from tests.conftest import check_golden

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

BASE = """\
components:
  - {id: api, kind: service}
  - {id: users, kind: service}
  - {id: orders, kind: service}
"""

# Each case is a spec whose problems are compared, with their lines, against one golden file.
CASES: dict[str, str] = {
    "bad_colors": BASE
    + """\
groups:
  - {id: g, color: "bluish"}
connections:
  - {from: api, to: users, color: "#12345"}
  - {from: api, to: orders, color: firebrik}
""",
    "unknown_line_and_direction": BASE
    + """\
connections:
  - {from: api, to: users, line: dashd}
  - {from: api, to: orders, direction: sideways}
groups:
  - {id: g, style: wavy, direction: RL}
direction: diagonal
""",
    "injection_attempts": BASE
    + """\
connections:
  - {from: api, to: users, color: "] evil [label=x"}
  - {from: api, to: orders, line: "solid] [label=x"}
groups:
  - {id: g, color: 'red" fontcolor="blue', style: "filled,invis"}
legend:
  colors: {"] evil [": meaning}
""",
    "fanout_references": BASE
    + """\
connections:
  - {from: api, to: [users, orders, payments, users]}
  - {from: [api, nobody], to: orders}
""",
    "fanout_errors": BASE
    + """\
connections:
  - {from: api, to: [users, orders]}
  - {from: [api, users], to: orders, color: nocolor}
  - {from: api, to: []}
flows:
  - name: f
    steps:
      - {from: api, to: [users, orders]}
""",
    "bad_icons": """\
components:
  - {id: a, kind: service, icon: missing.png}
  - {id: b, kind: service, icon: ../outside.png}
  - {id: c, kind: service, icon: notes.txt}
  - {id: d, kind: service, icon: fake.png}
  - {id: e, kind: service, icon: fake.svg}
  - {id: f, kind: service, icon: "https://example.com/logo.png"}
  - {id: g, kind: service, icon: /etc/logo.png}
  - {id: h, kind: service, icon: link.png}
""",
}


def _spec_dir(tmp_path: Path) -> Path:
    """A spec folder with broken icons next to it and a real one outside of it."""
    spec_dir = tmp_path / "specs"
    spec_dir.mkdir()
    shutil.copy(EXAMPLES / "icons" / "pv.png", tmp_path / "outside.png")
    (spec_dir / "notes.txt").write_text("not an image")
    (spec_dir / "fake.png").write_text("not a PNG")
    (spec_dir / "fake.svg").write_text("<html><body>not an svg</body></html>")
    (spec_dir / "link.png").symlink_to(tmp_path / "outside.png")
    return spec_dir


def test_style_errors_golden(tmp_path: Path) -> None:
    spec_dir = _spec_dir(tmp_path)
    out = []
    for name, text in CASES.items():
        with pytest.raises(SpecError) as info:
            loads(text, path=f"specs/{name}.yaml", base_dir=spec_dir)
        out.append(f"## {name}\n{info.value}\n")
    check_golden("expressiveness/style_errors.txt", "\n".join(out))


def test_injection_never_reaches_the_model() -> None:
    for value in ("] evil [label=x", 'red" x="y', "red;blue", "#fff", "rgb(1,2,3)", ""):
        with pytest.raises(ValueError):
            check_color(value)


def test_colors_are_normalised() -> None:
    assert check_color(" FireBrick ") == "firebrick"
    assert check_color("#AABBCC") == "#aabbcc"
    assert check_color("#aabbcc80") == "#aabbcc80"
    assert len(NAMED_COLORS) == 148 and NAMED_COLORS["green"] == "#008000"


def test_fanout_expands_in_order_and_keeps_the_rest() -> None:
    design = loads(
        BASE
        + """\
connections:
  - {from: api, to: [users, orders], label: calls, color: "#336699", line: dotted}
  - {from: [users, orders], to: api, async: true, direction: both}
"""
    )
    got = [
        (c.source, c.target, c.label, c.color, c.line_style, c.direction)
        for c in design.connections
    ]
    assert got == [
        ("api", "users", "calls", "#336699", "dotted", "forward"),
        ("api", "orders", "calls", "#336699", "dotted", "forward"),
        ("users", "api", None, None, "dashed", "both"),
        ("orders", "api", None, None, "dashed", "both"),
    ]
    assert design.connection_origin(1) == (0, None, 1)
    assert design.connection_origin(3) == (1, 1, None)


def test_fanout_from_python() -> None:
    design = Design(
        components=[Service(id="a"), Service(id="b"), Service(id="c")],
        connections=[{"from": "a", "to": ["b", "c"]}],  # type: ignore[list-item]
    )
    assert [c.key for c in design.connections] == [("a", "b"), ("a", "c")]
    with pytest.raises(ValueError, match="fan-out"):
        Connection(source="a", target=["b"])  # type: ignore[arg-type]


def test_async_stays_dashed_unless_line_says_otherwise() -> None:
    design = loads(
        BASE
        + """\
connections:
  - api ~> users
  - {from: api, to: orders, async: true, line: bold}
"""
    )
    assert [c.line_style for c in design.connections] == ["dashed", "bold"]


def test_legend_forms() -> None:
    assert loads(BASE + "legend: false\n").legend.show is False
    assert loads(BASE).legend.show is True
    legend = loads(BASE + "legend: {colors: {FireBrick: alerts}, lines: {dotted: sync}}\n").legend
    assert legend.colors == {"firebrick": "alerts"} and legend.lines == {"dotted": "sync"}


def test_direction_is_case_insensitive() -> None:
    assert loads(BASE + "direction: tb\n").direction == "TB"


def test_icon_resolves_inside_the_spec_folder(tmp_path: Path) -> None:
    (tmp_path / "icons").mkdir()
    shutil.copy(EXAMPLES / "icons" / "pvc.svg", tmp_path / "icons" / "x.svg")
    spec = tmp_path / "s.yaml"
    spec.write_text("components:\n  - {id: a, kind: service, icon: icons/x.svg}\n")
    from diagramgen.spec.loader import load

    design = load(spec)
    assert design.components[0].icon == "icons/x.svg"
    assert design.components[0].icon_file == (tmp_path / "icons" / "x.svg").resolve()
    # The model keeps what the spec says: no machine path in dumps or diffs.
    assert "icons/x.svg" in json.dumps(design.model_dump(mode="json"))
    assert str(tmp_path) not in json.dumps(design.model_dump(mode="json"))


def test_schema_allows_fanout_and_legend_false() -> None:
    schema = json.dumps(schema_dict())
    assert '"minItems": 1' in schema
    defs = schema_dict()["$defs"]

    def to_field(name: str) -> str:
        model = defs[name]
        model = next((m for m in model.get("anyOf", []) if "properties" in m), model)
        return json.dumps(model["properties"]["to"])

    assert "array" in to_field("Connection")
    assert "array" not in to_field("FlowStep")
    assert "boolean" in json.dumps(schema_dict()["properties"]["legend"])


def test_readme_styles_example_loads(tmp_path: Path) -> None:
    import re

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    section = readme.split("### Styles, icons, notes and the legend", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert block
    (tmp_path / "icons").mkdir()
    shutil.copy(EXAMPLES / "icons" / "storage-class.svg", tmp_path / "icons" / "pv.svg")
    design = loads(block.group(1), path="readme.yaml", base_dir=tmp_path)
    assert design.direction == "TB" and len(design.connections) == 6
