"""The design catalogue in specs/: every design is complete, consistent and passes review.

These are the bars a catalogue design must clear (see the README's catalogue section): enough
components, groups, flows and decisions to be a real design, labelled connections, a workload
whose every operation lands on components, and typed attributes where the tradeoffs live.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import diagramgen
from diagramgen.spec.models import Design

ROOT = Path(__file__).resolve().parent.parent
SPECS = sorted((ROOT / "specs").glob("*.yaml"))
SCHEMA_LINE = "# yaml-language-server: $schema=../schemas/design.schema.json"

CATALOGUE = (
    "bike_scooter_sharing", "calendar_scheduling", "carpooling", "chat_system",
    "circuit_breaker", "db_connection_pool", "ecommerce_platform", "file_storage_sync",
    "log_ingestion_pipeline", "maps_routing", "media_encoding_pipeline", "metrics_monitoring",
    "ml_training_platform", "news_feed", "pki_certificate_authority", "rate_limiter",
    "search_autocomplete", "secret_management", "ticket_booking", "url_shortener",
)  # fmt: skip

MIN_COMPONENTS = 8
MIN_GROUPS = 2
MIN_FLOWS = 1
MIN_DECISIONS = 2
MIN_OPERATIONS = 2

STORE_KINDS = {"sql_database", "nosql_database"}
MESSAGING_KINDS = {"queue", "stream"}


def _load(path: Path) -> Design:
    return diagramgen.load(path)


def test_every_catalogue_design_has_its_spec() -> None:
    present = {p.stem for p in SPECS}
    missing = [name for name in CATALOGUE if name not in present]
    assert not missing, f"specs/ lacks {', '.join(missing)}"


def test_slugs_are_unique() -> None:
    slugs = [_load(p).slug for p in SPECS]
    assert len(slugs) == len(set(slugs)), "two specs would render into the same output folder"


@pytest.fixture(params=SPECS, ids=lambda p: p.stem)
def spec(request: pytest.FixtureRequest) -> tuple[Path, Design]:
    """Each spec in specs/, loaded (loading validates it)."""
    return request.param, _load(request.param)


def test_starts_with_the_schema_line(spec: tuple[Path, Design]) -> None:
    path, _ = spec
    assert path.read_text("utf-8").splitlines()[0] == SCHEMA_LINE


def test_has_the_shape_of_a_real_design(spec: tuple[Path, Design]) -> None:
    _, design = spec
    assert design.title and design.description
    assert len(design.components) >= MIN_COMPONENTS
    assert len(design.groups) >= MIN_GROUPS
    assert len(design.flows) >= MIN_FLOWS
    grouped = [c.id for c in design.components if c.group]
    assert len(grouped) >= len(design.components) // 2, "most components belong to a group"


def test_decisions_weigh_alternatives_and_consequences(spec: tuple[Path, Design]) -> None:
    _, design = spec
    assert len(design.decisions) >= MIN_DECISIONS
    for d in design.decisions:
        assert d.alternatives, f"decision {d.title!r} lists no alternatives"
        assert d.consequences, f"decision {d.title!r} states no consequences"
        assert d.because, f"decision {d.title!r} gives no reason"


def test_workload_has_realistic_operations(spec: tuple[Path, Design]) -> None:
    _, design = spec
    assert design.workload is not None
    ops = design.workload.operations
    assert len(ops) >= MIN_OPERATIONS
    assert all(op.rate > 0 and op.size for op in ops), "every operation has a rate and a size"
    assert any(op.retention for op in ops), "at least one operation stores data for a while"


def test_connections_are_labelled_and_flows_follow_them(spec: tuple[Path, Design]) -> None:
    _, design = spec
    unlabelled = [f"{c.source} -> {c.target}" for c in design.connections if not c.label]
    assert not unlabelled, f"unlabelled connections: {', '.join(unlabelled)}"
    drawn = {c.key for c in design.connections}
    off_diagram = [
        f"{f.name}: {s.source} -> {s.target}"
        for f in design.flows
        for s in f.steps
        if s.key not in drawn
    ]
    assert not off_diagram, f"flow steps with no connection: {', '.join(off_diagram)}"


def test_messaging_is_asynchronous(spec: tuple[Path, Design]) -> None:
    _, design = spec
    messaging = {c.id for c in design.components if c.kind in MESSAGING_KINDS}
    sync = [
        f"{c.source} -> {c.target}"
        for c in design.connections
        if c.source in messaging and not c.is_async
    ]
    assert not sync, f"a queue or stream hands work on asynchronously: {', '.join(sync)}"


def test_tradeoff_attributes_are_declared(spec: tuple[Path, Design]) -> None:
    """Where the tradeoffs live, the spec says so explicitly instead of taking defaults."""
    _, design = spec
    missing: list[str] = []
    for c in design.components:
        declared = c.model_fields_set
        if c.kind == "cache" and not {"eviction", "ttl"} & declared:
            missing.append(f"{c.id}: eviction or ttl")
        if c.kind in STORE_KINDS and "replication" not in declared:
            missing.append(f"{c.id}: replication")
        if c.kind in MESSAGING_KINDS and not {"delivery", "dead_letter"} & declared:
            missing.append(f"{c.id}: delivery or dead_letter")
    assert not missing, f"undeclared tradeoffs: {'; '.join(missing)}"
    assert design.disaster_recovery is not None, "the design says how it survives a region"


def test_review_is_clean(spec: tuple[Path, Design]) -> None:
    """Every operation lands on components, and `check --strict` has nothing to report."""
    _, design = spec
    analysis = diagramgen.analyze(design)
    assert not analysis.untraced_operations, (
        f"operations no flow carries: {', '.join(analysis.untraced_operations)}"
    )
    assert not analysis.unknown_ignores
    problems = [
        f"{f.code} {f.component or '-'}: {f.message}"
        for f in analysis.findings
        if f.severity in ("error", "warning")
    ]
    assert not problems, "\n".join(problems)
    silenced = {(f.component, f.code) for f in analysis.suppressed}
    idle = [
        f"{c.id}: {code}"
        for c in design.components
        for code in c.ignore
        if (c.id, code) not in silenced
    ]
    assert not idle, f"ignore entries that silence nothing: {', '.join(idle)}"


def test_catalogue_keeps_few_suppressions() -> None:
    """At most 6 `ignore:` entries in all: facts go into fields (timeouts, breakers, sizes)."""
    entries = []
    for path in SPECS:
        design = _load(path)
        entries += [f"{path.stem}: {code}" for code in design.ignore]
        entries += [f"{path.stem}/{c.id}: {code}" for c in design.components for code in c.ignore]
    assert len(entries) <= 6, entries
