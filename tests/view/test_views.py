"""Views: flow views, custom `views:`, edges to groups, and the checks on `views:`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diagramgen.cli import app
from diagramgen.errors import SpecError
from diagramgen.rendering import RenderOptions, render_design, view_to_dot
from diagramgen.spec.loader import loads
from diagramgen.view.builders import flow_view, overview, views
from diagramgen.view.custom import CONTEXT_LEGEND, custom_view
from diagramgen.view.model import DiagramView
from diagramgen.view.themes import LIGHT

SPEC = """\
name: shop
groups:
  - {id: edge, label: Edge}
  - {id: app, label: App}
  - {id: data, label: Data, parent: app}
  - {id: ops, label: Ops}
components:
  - {id: web, kind: client}
  - {id: lb, kind: load_balancer, group: edge}
  - {id: api, kind: service, group: app}
  - {id: jobs, kind: worker, group: app}
  - {id: db, kind: sql_database, group: data}
  - {id: cache, kind: cache, group: data}
  - {id: mon, kind: monitoring, group: ops}
connections:
  - web -> lb
  - lb -> api
  - "api -> db: writes"
  - api -> cache
  - api ~> jobs: jobs
  - jobs -> db
  - mon -> app
flows:
  - name: Read
    steps:
      - {from: web, to: lb}
      - {from: lb, to: api}
      - {from: api, to: cache, label: hit?}
      - {from: cache, to: db, label: miss}
      - {from: api, to: cache, label: fill}
views:
  - {name: data tier, include: [data], description: Storage only}
  - {name: write path, include: [api, db], exclude: [mon], direction: TB}
  - {name: no ops, exclude: [ops]}
  - {name: bare, include: [api], context: false, title: Just the API}
"""


def emphasis(view: DiagramView) -> dict[str, str]:
    """Emphasis of every node, cluster and edge (`a->b`) in a view."""
    out = {n.id: n.emphasis for n in view.nodes}
    out.update({f"[{c.id}]": c.emphasis for c in view.clusters})
    out.update({f"{e.source}->{e.target}": e.emphasis for e in view.edges})
    return out


def test_views_are_overview_then_flows_then_custom() -> None:
    names = [v.name for v in views(loads(SPEC))]
    assert names == ["overview", "flow-read", "data-tier", "write-path", "no-ops", "bare"]


# ---------------------------------------------------------------- flow views


def test_flow_view_numbers_highlights_and_mutes() -> None:
    view = flow_view(loads(SPEC), 0)
    edges = {(e.source, e.target): e for e in view.edges}
    assert edges[("web", "lb")].label == "1." and edges[("web", "lb")].number == 1
    assert edges[("lb", "api")].label == "2."
    # A connection taken twice carries both numbers and both step labels.
    assert edges[("api", "cache")].label == "3, 5. hit? / fill"
    assert edges[("api", "cache")].emphasis == "highlight"
    assert edges[("api", "db")].emphasis == "muted" and edges[("api", "db")].label == "writes"
    # A step with no connection behind it is drawn as an edge of its own, numbered.
    assert edges[("cache", "db")].label == "4. miss" and edges[("cache", "db")].number == 4
    assert len(view.edges) == len(loads(SPEC).connections) + 1
    marks = emphasis(view)
    assert marks["web"] == marks["cache"] == marks["db"] == "highlight"
    assert marks["jobs"] == marks["mon"] == "muted"


def test_flow_legend_lists_only_what_the_picture_shows() -> None:
    labels = [entry.label for entry in flow_view(loads(SPEC), 0).legend]
    assert labels == ["step of the Read flow, in order", "not on this flow"]
    whole = loads("components: [{id: a, kind: client}, {id: b, kind: service}]\n"
                  "connections: [a -> b]\nflows: [{name: all, steps: [a -> b]}]\n")  # fmt: skip
    only = [entry.label for entry in flow_view(whole, 0).legend]
    assert only == ["step of the all flow, in order"]


def test_flow_view_dot_shows_numbers() -> None:
    dot = view_to_dot(flow_view(loads(SPEC), 0), LIGHT)
    assert "<B>3, 5. hit? / fill</B>" in dot and "<B>4. miss</B>" in dot


# ---------------------------------------------------------------- edges to groups


def test_edges_to_groups_stop_at_the_group_boundary() -> None:
    dot = view_to_dot(overview(loads(SPEC)), LIGHT)
    assert "compound=true" in dot
    line = next(ln for ln in dot.splitlines() if re.match(r"\s*mon -> ", ln))
    assert 'lhead="cluster_app"' in line or "lhead=cluster_app" in line


def test_edge_from_a_group_uses_ltail_and_inner_ends_are_kept() -> None:
    spec = """
groups: [{id: g, label: G}]
components: [{id: a, kind: service, group: g}, {id: b, kind: cache}]
connections: [g -> b, b -> g, a -> g]
"""
    dot = view_to_dot(overview(loads(spec)), LIGHT)
    lines = [ln for ln in dot.splitlines() if "->" in ln]
    assert any("ltail=cluster_g" in ln.replace('"', "") for ln in lines)
    assert any("lhead=cluster_g" in ln.replace('"', "") for ln in lines)
    # `a -> g` ends inside its own group: at a point in the box, never a self-loop `a -> a`,
    # and no lhead, or Graphviz drops the edge.
    inner = next(ln for ln in lines if re.match(r'\s*a -> "anchor\.g"', ln))
    assert "lhead" not in inner
    assert not any(re.match(r"\s*a -> a\b", ln) for ln in lines)


# ---------------------------------------------------------------- custom views


def test_group_view_keeps_its_contents_and_fades_neighbours() -> None:
    view = custom_view(loads(SPEC), 0)
    assert view.name == "data-tier" and view.title == "shop: data tier"
    assert view.subtitle == "Storage only"
    marks = emphasis(view)
    assert marks["db"] == marks["cache"] == "normal"
    assert marks["api"] == marks["jobs"] == "context"  # they call into the data tier
    assert "web" not in marks and "lb" not in marks and "mon" not in marks
    assert marks["api->db"] == marks["jobs->db"] == "context"
    assert marks["[data]"] == "normal" and marks["[app]"] == "normal"  # app holds data
    assert "[edge]" not in marks and "[ops]" not in marks
    assert CONTEXT_LEGEND in [entry.label for entry in view.legend]


def test_component_view_with_exclude_and_direction() -> None:
    view = custom_view(loads(SPEC), 1)
    assert view.direction == "TB"
    marks = emphasis(view)
    assert marks["api"] == marks["db"] == "normal"
    assert marks["api->db"] == "normal"
    assert marks["lb"] == marks["cache"] == marks["jobs"] == "context"
    assert marks["[edge]"] == "context"  # only holds a neighbour
    assert "web" not in marks
    assert "mon" not in marks and "mon->app" not in marks  # excluded: not even context


def test_exclude_only_view_keeps_everything_else() -> None:
    view = custom_view(loads(SPEC), 2)
    marks = emphasis(view)
    assert "mon" not in marks and "[ops]" not in marks and "mon->app" not in marks
    assert {n.id for n in view.nodes} == {"web", "lb", "api", "jobs", "db", "cache"}
    assert set(marks.values()) == {"normal"}
    assert CONTEXT_LEGEND not in [entry.label for entry in view.legend]


def test_view_without_context() -> None:
    view = custom_view(loads(SPEC), 3)
    assert view.title == "Just the API"
    assert [n.id for n in view.nodes] == ["api"] and view.edges == []
    assert [c.id for c in view.clusters] == ["app"]


def test_view_of_a_group_end() -> None:
    spec = """
groups: [{id: g, label: G}, {id: h, label: H}]
components: [{id: a, kind: service, group: g}, {id: b, kind: cache, group: h}]
connections: [a -> h]
views: [{name: g only, include: [g]}]
"""
    view = custom_view(loads(spec), 0)
    marks = emphasis(view)
    # The neighbour is the group itself: its box is drawn, faded, without its members.
    assert marks["a->h"] == "context" and marks["[h]"] == "context" and "b" not in marks


def test_render_writes_custom_views_and_view_option(tmp_path: Path) -> None:
    design = loads(SPEC)
    result = render_design(design, tmp_path, RenderOptions(formats=["dot"]))
    names = sorted(p.name for p in result.directory.iterdir())
    assert {"data-tier.dot", "write-path.dot", "no-ops.dot", "bare.dot"} <= set(names)
    dot = (result.directory / "write-path.dot").read_text()
    assert "rankdir=TB" in dot
    spec = tmp_path / "shop.yaml"
    spec.write_text(SPEC, "utf-8")
    out = tmp_path / "out"
    args = ["render", str(spec), "-o", str(out), "-f", "svg", "--view", "data-tier"]
    assert CliRunner().invoke(app, args).exit_code == 0
    names = sorted(p.name for p in (out / "shop").iterdir())
    assert names == [".diagramgen.hash", "data-tier.svg", "notes.md"]


# ---------------------------------------------------------------- checks on `views:`


BAD_VIEWS = """\
groups: [{id: data, label: Data}]
components:
  - {id: api, kind: service}
  - {id: db, kind: sql_database, group: data}
connections: [api -> db]
flows:
  - {name: Read, steps: [api -> db]}
  - {name: read, steps: [api -> db]}
views:
  - name: data tier
    include: [dta, api]
    exclude: [api, nothing]
  - {name: Data Tier}
  - {name: overview}
  - {name: flow-read}
  - {name: data tier}
"""


def test_view_problems_are_located() -> None:
    with pytest.raises(SpecError) as info:
        loads(BAD_VIEWS, path="bad.yaml")
    assert [str(p) for p in info.value.problems] == [
        "bad.yaml:8:12: flow 'read' would write the same view file (flow-read) as flow 'Read': "
        "rename one",
        "bad.yaml:11:15: unknown group or component 'dta' in view 'data tier' "
        "(did you mean 'data'?)",
        "bad.yaml:12:15: 'api' is both included and excluded in view 'data tier'",
        "bad.yaml:12:20: unknown group or component 'nothing' in view 'data tier'",
        "bad.yaml:13:12: view 'Data Tier' would write the same file (data-tier) as view "
        "'data tier': rename it",
        "bad.yaml:14:12: view 'overview' would write the same file (overview) as the overview: "
        "rename it",
        "bad.yaml:15:12: view 'flow-read' would write the same file (flow-read) as the view of "
        "flow 'Read': rename it",
        "bad.yaml:16:12: duplicate view 'data tier'",
    ]


def test_view_problems_in_code_are_validation_errors() -> None:
    from pydantic import ValidationError

    from diagramgen import Design, Service, View

    with pytest.raises(ValidationError, match="unknown group or component 'ap'"):
        Design(components=[Service(id="api")], views=[View(name="v", include=["ap"])])


def test_unknown_view_field_has_a_hint() -> None:
    with pytest.raises(SpecError, match=r"unknown field 'exlude' \(did you mean 'exclude'\?\)"):
        loads("components: [{id: a, kind: service}]\nviews: [{name: v, exlude: [a]}]\n")


def test_readme_examples_load() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    spec = re.search(r"## A spec\n.*?```yaml\n(.*?)```", readme, re.S)
    snippet = re.search(r"### Your own views: `views:`\n.*?```yaml\n(.*?)```", readme, re.S)
    assert spec and snippet
    design = loads(spec.group(1), path="readme.yaml")
    assert [v.name for v in design.views] == ["data tier"]
    text = spec.group(1).split("\nviews:", 1)[0] + "\n" + snippet.group(1)
    names = [v.name for v in views(loads(text, path="readme.yaml"))]
    assert names[-4:] == ["data-tier", "write-path", "behind-the-edge", "just-the-api"]
