"""The matching rules: by id, never by position; renames; attributes; connections; groups."""

from __future__ import annotations

from diagramgen.diffing import DesignDiff, diff_designs, find_renames
from diagramgen.spec.loader import loads
from diagramgen.spec.models import Design
from tests.diffing.conftest import NEW_SPEC, OLD_SPEC


def design(text: str) -> Design:
    return loads(text, path="<test>")


def structural(old: str, new: str) -> DesignDiff:
    return diff_designs(design(old), design(new), tradeoffs=False)


BASE = """\
name: base
groups:
  - {id: app, label: App}
  - {id: data, label: Data}
components:
  - {id: web, kind: client}
  - {id: api, kind: service, group: app, replicas: 2}
  - {id: db, kind: sql_database, group: data}
  - {id: jobs, kind: queue}
connections:
  - web -> api
  - "api -> db: reads"
  - api ~> jobs
"""


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new)


def test_identical_designs_have_no_changes() -> None:
    result = structural(BASE, BASE)
    assert not result.has_changes
    assert result.renamed == {}


def test_reordering_every_list_is_no_change() -> None:
    reordered = """\
name: base
components:
  - {id: jobs, kind: queue}
  - {id: db, group: data, kind: sql_database}
  - {replicas: 2, id: api, kind: service, group: app}
  - {id: web, kind: client}
connections:
  - api ~> jobs
  - {from: api, to: db, label: reads}
  - web -> api
groups:
  - {id: data, label: Data}
  - {id: app, label: App}
"""
    assert not structural(BASE, reordered).has_changes


def test_reordering_flows_decisions_operations_and_set_like_lists_is_no_change() -> None:
    old = """\
workload:
  operations:
    - {name: a, rate: 1/s}
    - {name: b, rate: 2/s}
components:
  - {id: db, kind: sql_database, indexes: [by_user, by_date]}
flows:
  - {name: f1, steps: ["db -> db"]}
  - {name: f2, steps: ["db -> db"]}
decisions:
  - {title: one, chosen: x, alternatives: [y, z]}
  - {title: two, chosen: x}
"""
    new = """\
workload:
  operations:
    - {name: b, rate: 2/s}
    - {name: a, rate: 1/s}
components:
  - {id: db, kind: sql_database, indexes: [by_date, by_user]}
flows:
  - {name: f2, steps: ["db -> db"]}
  - {name: f1, steps: ["db -> db"]}
decisions:
  - {title: two, chosen: x}
  - {title: one, chosen: x, alternatives: [z, y]}
"""
    assert not structural(old, new).has_changes


def test_attribute_change_reports_old_and_new_values() -> None:
    new = edit(BASE, "replicas: 2}", "replicas: 5, autoscaling: {min: 5, max: 20}}")
    result = structural(BASE, new)
    assert result.components.changed == {
        "api": {
            "replicas": (2, 5),
            "autoscaling": (None, {"min": 5, "max": 20, "metric": "cpu", "target": None}),
        }
    }
    assert not result.components.added and not result.components.removed


def test_nested_attribute_changes_are_dotted() -> None:
    old = "components:\n  - {id: api, kind: service, autoscaling: {min: 2, max: 10}}\n"
    new = "components:\n  - {id: api, kind: service, autoscaling: {min: 2, max: 40}}\n"
    assert structural(old, new).components.changed == {"api": {"autoscaling.max": (10, 40)}}


def test_an_explicit_default_is_no_change() -> None:
    new = edit(BASE, "group: data}", "group: data, replicas: 1, replication: none}")
    assert not structural(BASE, new).has_changes


def test_kind_change_reports_kind_and_only_non_default_attributes() -> None:
    old = "components:\n  - {id: db, kind: sql_database, read_replicas: 0}\n"
    new = "components:\n  - {id: db, kind: nosql_database, consistency: eventual}\n"
    assert structural(old, new).components.changed == {
        "db": {"kind": ("sql_database", "nosql_database"), "consistency": (None, "eventual")}
    }


def test_added_and_removed_components_and_connections() -> None:
    new = edit(BASE, "  - {id: jobs, kind: queue}\n", "  - {id: search, kind: search_index}\n")
    new = edit(new, "  - api ~> jobs\n", "  - api -> search\n")
    result = structural(BASE, new)
    assert result.components.added == ["search"]
    assert result.components.removed == ["jobs"]
    assert result.connections.added == [("api", "search")]
    assert result.connections.removed == [("api", "jobs")]
    assert result.renamed == {}  # a different kind is never a rename


def test_connection_attribute_changes_are_keyed_by_ends() -> None:
    new = edit(BASE, '"api -> db: reads"', '"api ~> db: reads and writes"')
    result = structural(BASE, new)
    assert result.connections.changed == {
        ("api", "db"): {"label": ("reads", "reads and writes"), "async": (False, True)}
    }
    assert not result.connections.added and not result.connections.removed


def test_parallel_connections_are_matched_by_label() -> None:
    old = BASE + '  - "api -> db: writes"\n'
    # Same two parallel edges, written in the other order, plus a third one.
    new = edit(BASE, '  - "api -> db: reads"\n', "")
    new += '  - "api -> db: writes"\n  - "api -> db: reads"\n  - "api -> db: audits"\n'
    result = structural(old, new)
    assert result.connections.added == [("api", "db", "audits")]
    assert not result.connections.removed and not result.connections.changed


def test_parallel_connection_label_change_pairs_the_single_leftover() -> None:
    old = BASE + '  - "api -> db: writes"\n'
    new = BASE + '  - "api -> db: upserts"\n'
    result = structural(old, new)
    assert result.connections.changed == {
        ("api", "db", "upserts"): {"label": ("writes", "upserts")}
    }
    assert not result.connections.added and not result.connections.removed


def test_group_move_is_a_change_of_the_component_group() -> None:
    new = edit(
        BASE,
        "{id: db, kind: sql_database, group: data}",
        "{id: db, kind: sql_database, group: app}",
    )
    result = structural(BASE, new)
    assert result.components.changed == {"db": {"group": ("data", "app")}}
    assert not result.groups


def test_group_nesting_and_label_changes() -> None:
    new = edit(BASE, "{id: data, label: Data}", "{id: data, label: Storage, parent: app}")
    new = edit(new, "  - {id: app, label: App}\n", "  - {id: app, label: App}\n  - {id: ops}\n")
    result = structural(BASE, new)
    assert result.groups.added == ["ops"]
    assert result.groups.changed == {
        "data": {"label": ("Data", "Storage"), "parent": (None, "app")}
    }


def test_rename_is_not_remove_plus_add_and_its_connections_are_not_noise() -> None:
    new = BASE.replace("db", "orders_db")
    result = structural(BASE, new)
    assert result.renamed == {"db": "orders_db"}
    assert not result.components and not result.connections
    assert result.has_changes


def test_two_connected_renames_confirm_each_other() -> None:
    new = BASE.replace("api", "backend").replace("jobs", "tasks")
    result = structural(BASE, new)
    assert result.renamed == {"api": "backend", "jobs": "tasks"}
    assert not result.components and not result.connections


def test_rename_with_other_changes_is_remove_plus_add() -> None:
    new = edit(
        BASE,
        "{id: db, kind: sql_database, group: data}",
        "{id: store, kind: sql_database, group: data, replicas: 3}",
    )
    new = new.replace("to: db", "to: store").replace("-> db", "-> store")
    result = structural(BASE, new)
    assert result.renamed == {}
    assert result.components.added == ["store"] and result.components.removed == ["db"]


def test_rename_needs_the_same_connections() -> None:
    new = edit(
        BASE,
        "{id: db, kind: sql_database, group: data}",
        "{id: store, kind: sql_database, group: data}",
    )
    new = edit(new, '"api -> db: reads"', '"api -> store: writes"')
    result = structural(BASE, new)
    assert result.renamed == {}
    assert result.connections.added == [("api", "store")]
    assert result.connections.removed == [("api", "db")]


def test_identical_twins_rename_in_sorted_order_deterministically() -> None:
    old = "components:\n  - {id: w1, kind: worker}\n  - {id: w2, kind: worker}\n"
    new = "components:\n  - {id: b, kind: worker}\n  - {id: a, kind: worker}\n"
    assert find_renames(design(old), design(new)) == {"w1": "a", "w2": "b"}


def test_twins_are_told_apart_by_their_connections() -> None:
    old = """\
components:
  - {id: q, kind: queue}
  - {id: db, kind: sql_database}
  - {id: w1, kind: worker}
  - {id: w2, kind: worker}
connections: [w1 -> q, w2 -> db]
"""
    new = """\
components:
  - {id: q, kind: queue}
  - {id: db, kind: sql_database}
  - {id: a, kind: worker}
  - {id: b, kind: worker}
connections: [b -> q, a -> db]
"""
    assert find_renames(design(old), design(new)) == {"w1": "b", "w2": "a"}


def test_renames_apply_to_flow_steps_and_references() -> None:
    old = """\
components:
  - {id: web, kind: client}
  - {id: store, kind: object_storage}
  - {id: cdn, kind: cdn, origin: store}
connections: [web -> cdn, cdn -> store]
flows: [{name: get, steps: [web -> cdn, cdn -> store]}]
"""
    new = old.replace("store", "assets")
    result = structural(old, new)
    assert result.renamed == {"store": "assets"}
    assert not result.components and not result.connections and not result.flows


def test_flows_decisions_operations_and_design_attributes() -> None:
    old = """\
title: One
workload:
  peak_factor: 2
  operations: [{name: read, rate: 10/s}, {name: gone, rate: 1/s}]
components: [{id: a, kind: service}, {id: b, kind: service}]
flows: [{name: f, steps: [a -> b]}]
decisions: [{title: D, chosen: x}]
"""
    new = """\
title: Two
workload:
  peak_factor: 3
  operations: [{name: read, rate: 20/s}, {name: new, rate: 1/s}]
components: [{id: a, kind: service}, {id: b, kind: service}]
flows: [{name: f, steps: [a -> b, "b ~> a: back"]}, {name: g, steps: [a -> b]}]
decisions: [{title: D, chosen: y, because: cheaper}]
"""
    result = structural(old, new)
    assert result.design == {"title": ("One", "Two"), "workload.peak_factor": (2.0, 3.0)}
    assert result.operations.added == ["new"] and result.operations.removed == ["gone"]
    assert result.operations.changed == {"read": {"rate": (10.0, 20.0)}}
    assert result.flows.added == ["g"]
    assert result.flows.changed == {"f": {"steps": (["a -> b"], ["a -> b", "b ~> a: back"])}}
    assert result.decisions.changed == {"D": {"chosen": ("x", "y"), "because": (None, "cheaper")}}


def test_sample_pair() -> None:
    result = diff_designs(design(OLD_SPEC), design(NEW_SPEC))
    assert result.renamed == {"cache": "session_cache"}
    assert result.components.added == ["search"]
    assert result.components.removed == ["legacy"]
    assert result.components.changed == {
        "api": {"group": ("app", "data")},
        "db": {"replicas": (1, 3)},
    }


def test_diff_is_symmetric() -> None:
    a, b = design(OLD_SPEC), design(NEW_SPEC)
    forward = diff_designs(a, b, tradeoffs=False)
    backward = diff_designs(b, a, tradeoffs=False)
    assert forward.components.added == backward.components.removed
    assert forward.connections.added == backward.connections.removed
    assert forward.renamed == {v: k for k, v in backward.renamed.items()}
    flipped = {
        cid: {attr: (new, old) for attr, (old, new) in changes.items()}
        for cid, changes in forward.components.changed.items()
    }
    assert flipped == backward.components.changed


def test_a_chain_where_every_component_is_renamed() -> None:
    # Every neighbor is renamed too, and the components are alike but for their place in
    # the chain: only their connections tell them apart.
    def chain(prefix: str, n: int = 40) -> Design:
        return Design.model_validate(
            {
                "components": [
                    {"id": f"{prefix}{i}", "kind": "service", "replicas": 1 + i % 2}
                    for i in range(n)
                ],
                "connections": [f"{prefix}{i} -> {prefix}{i + 1}" for i in range(n - 1)],
            }
        )

    result = diff_designs(chain("svc"), chain("node"), tradeoffs=False)
    assert result.renamed == {f"svc{i}": f"node{i}" for i in range(40)}
    assert not result.components and not result.connections


def test_other_top_level_attributes_are_compared_as_values() -> None:
    old = "components: [{id: a, kind: service}]\n"
    new = "ignore: {DG104: single region by choice}\ncomponents: [{id: a, kind: service}]\n"
    result = structural(old, new)
    assert result.design == {"ignore.DG104": (None, "single region by choice")}
    assert result.has_changes


def test_public_api() -> None:
    import diagramgen

    result = diagramgen.diff(design(OLD_SPEC), design(NEW_SPEC))
    assert isinstance(result, DesignDiff)
    assert result.renamed == {"cache": "session_cache"}
    assert result.tradeoffs is not None and result.tradeoffs.estimates
