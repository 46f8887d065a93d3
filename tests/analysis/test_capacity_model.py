"""The load model against the figures issue 13 measured on the catalogue.

Each test pins a figure the first model got wrong. Where the catalogue has since been
resized (it now carries its peak), the test restores the size the issue measured with
`_resized`, so the figure is the one a reviewer saw.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import diagramgen
from diagramgen.analysis import analyze
from diagramgen.analysis.context import Context
from diagramgen.analysis.estimates import estimate
from diagramgen.cli import app
from diagramgen.rendering.notes import render_notes
from diagramgen.spec.models import Autoscaling, Design

SPECS = Path(__file__).resolve().parents[2] / "specs"


def _design(stem: str) -> Design:
    return diagramgen.load(SPECS / f"{stem}.yaml")


def _resized(design: Design, component: str, **update: Any) -> Design:
    """The design with one component's fields replaced (as the issue measured it)."""
    comps = [c.model_copy(update=update) if c.id == component else c for c in design.components]
    return design.model_copy(update={"components": comps})


def _ctx(design: Design) -> Context:
    return Context(design, estimate(design))


def _messages(design: Design, code: str) -> dict[str, str]:
    return {f.component or "": f.message for f in analyze(design).findings if f.code == code}


# ---------------------------------------------------------------- running vs maximum


@pytest.mark.parametrize(
    ("stem", "component", "running", "maximum", "util", "util_max"),
    [
        ("url_shortener", "api", 6, 40, "243%", "36%"),
        ("news_feed", "feed_api", 60, 240, "174%", "43%"),
        ("chat_system", "chat", 200, 600, "148%", "49%"),
        ("rate_limiter", "limiter", 8, 32, "126%", "32%"),
        ("ticket_booking", "waiting_room", 20, 200, "116%", "12%"),
    ],
)
def test_utilisation_at_running_and_at_maximum(
    stem: str, component: str, running: int, maximum: int, util: str, util_max: str
) -> None:
    design = _resized(
        _design(stem),
        component,
        replicas=running,
        autoscaling=Autoscaling(min=running, max=maximum),
    )
    load = _ctx(design).loads[component]
    assert (load.running, load.maximum) == (running, maximum)
    assert f"{load.utilization:.0%}" == util
    assert f"{load.utilization_max:.0%}" == util_max
    message = _messages(design, "DG506")[component]
    assert f"{util} of running capacity" in message
    assert f"{util_max} at the maximum of {maximum}" in message


def test_a_spike_makes_autoscaling_lag_part_of_the_message() -> None:
    design = _resized(
        _design("ticket_booking"),
        "waiting_room",
        replicas=20,
        autoscaling=Autoscaling(min=20, max=200),
    )
    assert "The peak is 20x the average" in _messages(design, "DG506")["waiting_room"]


def test_the_catalogue_now_runs_its_peak() -> None:
    load = _ctx(_design("url_shortener")).loads["api"]
    assert load.utilization is not None and load.utilization <= 1


# ---------------------------------------------------------------- replication factor


def test_copies_come_from_the_replication_factor_not_the_node_count() -> None:
    chat = _resized(_design("chat_system"), "messages", replicas=180)
    assert "to 2 other copies" in _messages(chat, "DG102")["messages"]
    load = _ctx(chat).loads["messages"]
    assert load.storage_bytes == pytest.approx(257.04e12, rel=1e-3)
    # 257 TB x 3 / 180, not 257 TB / 180
    assert load.storage_per_node_bytes == pytest.approx(4.284e12, rel=1e-3)
    assert "4.28 TB per node" in _messages(chat, "DG304")["messages"]
    calendar = _design("calendar_scheduling")
    assert "to 2 other copies" in _messages(calendar, "DG102")["instances"]


def test_read_replicas_and_standbys_add_no_write_capacity() -> None:
    ctx = _ctx(_design("ticket_booking"))
    inventory = ctx.loads["inventory_db"]
    assert inventory.topology is not None
    assert (inventory.topology.nodes, inventory.topology.primaries) == (192, 64)
    assert inventory.write_capacity_per_second == 64 * 2_000  # not 192 x 5k/s
    assert inventory.read_capacity_per_second == 192 * 5_000
    pair = diagramgen.loads(
        """
        workload: {operations: [{name: order, rate: 100/s, size: 1KB, retention: 1y}]}
        components:
          - {id: api, kind: service, replicas: 2}
          - {id: db, kind: sql_database, replicas: 2, replication: sync}
        flows: [{name: order, steps: ["api -> db: insert"]}]
        """
    )
    db = _ctx(pair).loads["db"]
    assert db.write_capacity_per_second == 2_000  # one primary; the standby commits nothing
    assert "writes 1 primary x 2k/s" in db.capacity_text()


# ---------------------------------------------------------------- quotas


def test_a_per_table_quota_is_not_multiplied_by_shards() -> None:
    load = _ctx(_design("file_storage_sync")).loads["block_index"]
    assert load.scope == "table"
    assert load.capacity_per_second == 40_000  # was 256 x 40k/s = 10.2M/s
    assert "40k/s per table (a quota: replicas add nothing)" in load.capacity_text()


def test_an_account_throttle_is_not_multiplied_by_replicas() -> None:
    design = diagramgen.loads(
        """
        workload: {operations: [{name: call, rate: 1B/day}]}
        components:
          - {id: app, kind: client}
          - {id: gw, kind: api_gateway, tech: Amazon API Gateway, replicas: 6}
        flows: [{name: call, steps: [app -> gw]}]
        """
    )
    load = _ctx(design).loads["gw"]
    assert load.capacity_per_second == 10_000
    assert "quota per account" in _messages(design, "DG501")["gw"]


# ---------------------------------------------------------------- where bytes land


def test_storage_lands_where_it_lives() -> None:
    ctx = _ctx(_design("file_storage_sync"))
    assert ctx.stored_bytes("meta_db")[0] == pytest.approx(182.5e12)  # the journal
    # 300M blocks a day x 100 B x 10 years, not the journal's 183 TB
    assert ctx.stored_bytes("block_index")[0] == pytest.approx(109.5e12)
    feed = _ctx(_design("news_feed"))
    assert feed.stored_bytes("posts_db")[0] == pytest.approx(365e12)  # posts, not media
    assert feed.stored_bytes("media")[0] == pytest.approx(292e15)


def test_without_stored_in_an_operation_is_counted_once_and_the_store_is_named() -> None:
    design = diagramgen.loads(
        """
        workload: {operations: [{name: create paste, rate: 1M/day, size: 10KB, retention: 1y}]}
        components:
          - {id: web, kind: client}
          - {id: api, kind: service, replicas: 3}
          - {id: meta, kind: sql_database, replicas: 2}
          - {id: blobs, kind: object_storage, tech: s3}
        flows:
          - name: create paste
            steps: ["web -> api", "api -> meta: insert metadata", "api -> blobs: put text"]
        """
    )
    ctx = _ctx(design)
    total = ctx.estimates.storage_bytes
    assert total == pytest.approx(3.65e12)
    assert ctx.stored_bytes("meta")[0] + ctx.stored_bytes("blobs")[0] == pytest.approx(total)
    assert "create paste is assumed to keep its whole size in `meta`, the first" in render_notes(
        design
    )


def test_a_lease_of_ten_thousand_ids_is_one_call_in_ten_thousand() -> None:
    load = _ctx(_design("url_shortener")).loads["idgen"]
    assert load.peak_per_second == pytest.approx(3472.2 * 0.0001, rel=1e-3)


def test_pre_signed_uploads_do_not_pass_through_the_load_balancer() -> None:
    load = _ctx(_design("news_feed")).loads["lb"]
    share = next(s for s in load.shares if s.operation == "upload media")
    assert share.peak_bytes_per_second == pytest.approx(1388.9 * 1_000, rel=1e-3)  # 1 KB each


def test_a_cdn_access_log_is_not_reduced_by_its_hit_ratio() -> None:
    load = _ctx(_design("url_shortener")).loads["events"]
    assert load.peak_per_second == pytest.approx(416_667, rel=1e-4)  # 347k/s + 69.4k/s


# ---------------------------------------------------------------- skew, regions, bytes


def test_the_hot_event_takes_one_primary_past_saturation() -> None:
    load = _ctx(_design("ticket_booking")).loads["inventory_db"]
    assert load.hottest_key_per_second == pytest.approx(3240.7, rel=1e-3)
    assert f"{load.hot_key_utilization:.0%}" == "162%"
    assert load.utilization is not None and load.utilization < 0.05  # the average hides it


def test_a_waiting_room_sorted_set_is_one_redis_key() -> None:
    design = diagramgen.loads(
        """
        workload:
          operations: [{name: poll, rate: 250k/s, access: read, hot_key_share: 1}]
          peak_factor: 1
        components:
          - {id: fans, kind: client}
          - {id: room, kind: service, replicas: 200, capacity: 5k/s}
          - {id: line, kind: cache, tech: redis, replicas: 3, replication_factor: 3}
        flows: [{name: poll, steps: [fans -> room, "room -> line: ZRANK"]}]
        """
    )
    assert "hottest key takes 250k/s at peak" in _messages(design, "DG507")["line"]


def test_active_active_is_checked_with_its_largest_region_lost() -> None:
    design = _resized(
        _design("rate_limiter"),
        "limiter",
        replicas=8,
        autoscaling=Autoscaling(min=8, max=32),
    )
    load = _ctx(design).loads["limiter"]
    assert load.region_loss is not None
    assert (load.region_loss.region, load.region_loss.survivors) == ("eu-west-1", 4)
    assert f"{load.region_loss.utilization:.0%}" == "253%"
    notes = render_notes(design)
    assert "| eu-west-1 lost |" in notes


def test_load_balancer_bytes_with_one_down() -> None:
    notes = render_notes(_design("file_storage_sync"))
    assert (
        "`lb` (Load balancer) moves 1.2 GB/s per instance at peak: 96% of its 1.25 GB/s "
        "network, 100% with one down." in notes
    )


# ---------------------------------------------------------------- summary lines


def test_growth_counts_only_data_kept_a_day() -> None:
    notes = render_notes(_design("rate_limiter"))
    assert "grows 51.8 GB a day (data kept a day or more), 1.56 TB once" in notes
    assert "check limit ~2.4 GB held for 2m" in notes
    assert "A month is 30 days, a year 365." in notes


def test_heartbeats_and_held_polls_stay_out_of_the_ratio() -> None:
    assert "writes outnumber reads 63:1" in render_notes(_design("chat_system"))  # was 495:1
    assert "reads outnumber writes 4.87:1" in render_notes(_design("file_storage_sync"))


# ---------------------------------------------------------------- the JSON contract


def test_notes_json_carries_the_capacity_keys() -> None:
    result = CliRunner().invoke(app, ["notes", str(SPECS / "chat_system.yaml"), "--format", "json"])
    assert result.exit_code == 0, result.output
    entries = {e["component"]: e for e in json.loads(result.output)["estimates"]["components"]}
    for entry in entries.values():
        for key in (
            "utilization",
            "utilization_max",
            "storage_bytes",
            "storage_per_node_bytes",
            "hottest_key_per_second",
        ):
            assert key in entry
    messages = entries["messages"]
    assert messages["storage_per_node_bytes"] == pytest.approx(257.04e12 * 3 / 630, rel=1e-3)
    assert messages["topology"] == {
        "nodes": 630,
        "replication_factor": 3.0,
        "primaries": 210.0,
        "read_nodes": 630.0,
    }
    chat = entries["chat"]
    assert chat["running_instances"] == 450 and chat["max_instances"] == 900
    assert chat["utilization"] == pytest.approx(chat["utilization_max"] * 2)
