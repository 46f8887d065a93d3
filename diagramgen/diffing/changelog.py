"""A `DesignDiff` as a Markdown changelog or as JSON-ready data (the shape design.md fixes)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import Any

from diagramgen.diffing.compare import step_text
from diagramgen.diffing.model import (
    Changes,
    ConnectionKey,
    DesignDiff,
    FindingRef,
    SectionDiff,
    connection_name,
)
from diagramgen.diffing.tradeoffs import latency_text
from diagramgen.diffing.values import UNITS, human
from diagramgen.spec.models import Connection, Design
from diagramgen.spec.units import (
    human_bandwidth,
    human_duration,
    human_money,
    human_percent,
    human_rate,
    human_size,
)
from diagramgen.view.builders import tech_name

# ---------------------------------------------------------------- JSON


def _changes_json(changes: Changes) -> dict[str, list[Any]]:
    return {attr: [old, new] for attr, (old, new) in changes.items()}


def _section_json(section: SectionDiff[Any], key: Any = lambda k: k) -> dict[str, Any]:
    return {
        "added": [key(k) for k in section.added],
        "removed": [key(k) for k in section.removed],
        "changed": {
            (connection_name(k) if isinstance(k, tuple) else k): _changes_json(v)
            for k, v in section.changed.items()
        },
    }


def _finding_json(f: FindingRef) -> dict[str, Any]:
    return {
        "code": f.code,
        "name": f.name,
        "severity": f.severity,
        "component": f.component,
        "message": f.message,
    }


def to_json(diff: DesignDiff, old_label: str | None = None, new_label: str | None = None) -> dict:
    """JSON-ready data: `components`, `connections`, `groups` (as design.md fixes), and more.

    Connections are `[from, to]`, or `[from, to, label]` for connections that share their
    ends with another one; changed connections are keyed `from -> to` (`from -> to: label`).
    """
    out: dict[str, Any] = {}
    if old_label is not None or new_label is not None:
        out["old"], out["new"] = old_label, new_label
    out["changed"] = diff.has_changes
    out["components"] = _section_json(diff.components) | {"renamed": dict(diff.renamed)}
    out["connections"] = _section_json(diff.connections, list)
    out["groups"] = _section_json(diff.groups)
    out["flows"] = _section_json(diff.flows)
    out["decisions"] = _section_json(diff.decisions)
    out["operations"] = _section_json(diff.operations)
    out["design"] = _changes_json(diff.design)
    if diff.tradeoffs is not None:
        t = diff.tradeoffs
        out["tradeoffs"] = {
            "findings": {
                "appeared": [_finding_json(f) for f in t.appeared],
                "resolved": [_finding_json(f) for f in t.resolved],
            },
            "estimates": {
                "operations": [
                    {
                        "name": e.operation,
                        "peak_per_second": [e.old_peak_per_second, e.new_peak_per_second],
                        "bandwidth_bytes_per_second": [
                            e.old_bandwidth_bytes_per_second,
                            e.new_bandwidth_bytes_per_second,
                        ],
                        "storage_bytes": [e.old_storage_bytes, e.new_storage_bytes],
                    }
                    for e in t.estimates
                ],
                "storage_bytes": [t.old_storage_bytes, t.new_storage_bytes],
            },
            "flows": [
                {
                    "name": f.flow,
                    "latency_p99_ms": [
                        None if f.old_p99_s is None else f.old_p99_s * 1000,
                        None if f.new_p99_s is None else f.new_p99_s * 1000,
                    ],
                    "availability": [f.old_availability, f.new_availability],
                }
                for f in t.flows
            ],
            "cost": None
            if t.cost is None
            else {
                "currency": t.cost.currency,
                "storage_per_month": [t.cost.old_storage, t.cost.new_storage],
                "egress_per_month": [t.cost.old_egress, t.cost.new_egress],
            },
        }
    return out


# ---------------------------------------------------------------- Markdown

_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")


def _code(value: str) -> str:
    """Inline code that survives any text (a backtick inside widens the fence)."""
    text = value.replace("\n", " ")
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _text(value: str) -> str:
    """Prose from a spec, safe inline in Markdown (no emphasis, links, code or HTML)."""
    out = value.replace("\\", "\\\\").replace("\n", " ")
    for ch in "*`[]<|":
        out = out.replace(ch, "\\" + ch)
    # `_` only makes emphasis at a word boundary; `analytics_worker` stays readable.
    return _UNDERSCORE.sub(r"\\_", out)


def change_list(section: str, changes: Changes) -> list[str]:
    """`replicas `1` → `3``, one entry per changed attribute."""
    formatters = UNITS.get(section, {})
    return [
        f"{attr} {_code(human(old, formatters.get(attr)))} → "
        f"{_code(human(new, formatters.get(attr)))}"
        for attr, (old, new) in changes.items()
    ]


def _component_note(design: Design, cid: str) -> str:
    c = design.component(cid)
    if c is None:
        return ""
    parts = [c.KIND_LABEL]
    if c.tech:
        parts.append(tech_name(c.tech) or c.tech)
    if c.label:
        parts.insert(0, f'"{_text(c.label)}"')
    return f" ({', '.join(parts)})"


def _connection(design: Design, key: ConnectionKey) -> Connection | None:
    for conn in design.connections:
        if conn.key == key[:2] and (len(key) == 2 or (conn.label or "") == key[2]):
            return conn
    return None


def _steps_lines(old: list[str], new: list[str]) -> list[str]:
    lines = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            lines += [f"  - removed step {i + 1}: {_code(old[i])}" for i in range(i1, i2)]
        if tag in ("insert", "replace"):
            lines += [f"  - added step {j + 1}: {_code(new[j])}" for j in range(j1, j2)]
    return lines


def _simple_section(title: str, section: str, part: SectionDiff[str], noun: str = "") -> list[str]:
    if not part:
        return []
    lines = [f"## {title}", ""]
    lines += [f"- **added** {noun}{_code(k)}" for k in part.added]
    lines += [f"- **removed** {noun}{_code(k)}" for k in part.removed]
    for key, changes in part.changed.items():
        if section == "flows" and "steps" in changes:
            rest = {a: v for a, v in changes.items() if a != "steps"}
            head = f"- **changed** {noun}{_code(key)}: steps"
            if rest:
                head += "; " + "; ".join(change_list(section, rest))
            lines.append(head)
            lines += _steps_lines(*changes["steps"])
        else:
            lines.append(
                f"- **changed** {noun}{_code(key)}: " + "; ".join(change_list(section, changes))
            )
    return [*lines, ""]


def _summary(diff: DesignDiff) -> str:
    counts = []
    for name, part in (
        ("component", diff.components),
        ("connection", diff.connections),
        ("group", diff.groups),
        ("flow", diff.flows),
        ("decision", diff.decisions),
        ("operation", diff.operations),
    ):
        n = len(part.added) + len(part.removed) + len(part.changed)
        if name == "component":
            n += len(diff.renamed)
        if n:
            counts.append(f"{n} {name}{'s' if n != 1 else ''}")
    if diff.design:
        counts.append("design attributes")
    return "changes in " + ", ".join(counts) + "." if counts else "no changes."


def _retentions(design: Design) -> dict[str, float | None]:
    return {op.name: op.retention for op in (design.workload.operations if design.workload else [])}


def _tradeoff_lines(diff: DesignDiff) -> list[str]:
    t = diff.tradeoffs
    if not t:
        return []
    lines = ["## Tradeoffs", ""]
    if t.resolved or t.appeared:
        lines += ["### Findings", ""]
        for f in t.resolved:
            where = f" on {_code(f.component)}" if f.component else ""
            gone = f.component is not None and diff.new.component(f.component) is None
            lines.append(
                f"- **resolved** {f.code} {f.name.replace('-', ' ')}{where}: "
                + ("the component was removed" if gone else "no longer flagged")
                + f" (was: {_text(f.message)})"
            )
        lines += [
            f"- **new** {f.code} {f.name.replace('-', ' ')}"
            + (f" on {_code(f.component)}" if f.component else "")
            + f": {_text(f.message)}"
            for f in t.appeared
        ]
        lines.append("")
    if t.estimates:
        kept_before, kept_after = _retentions(diff.old), _retentions(diff.new)
        lines += ["### Capacity", ""]
        for e in t.estimates:
            parts = []
            for what, a, b, fmt in (
                ("peak rate", e.old_peak_per_second, e.new_peak_per_second, human_rate),
                (
                    "bandwidth",
                    e.old_bandwidth_bytes_per_second,
                    e.new_bandwidth_bytes_per_second,
                    human_bandwidth,
                ),
                ("storage", e.old_storage_bytes, e.new_storage_bytes, human_size),
            ):
                if a == b:
                    continue
                before, after = kept_before.get(e.operation), kept_after.get(e.operation)
                if what == "storage" and before and before == after:
                    what = f"storage over {_retention(after)}"
                elif what == "storage" and (before or after):
                    what = f"storage (kept {_retention(before)} → {_retention(after)})"
                parts.append(f"{what} {_moved(a, b, fmt)}")
            note = ""
            if e.old_peak_per_second is None:
                note = " (new operation)"
            elif e.new_peak_per_second is None:
                note = " (operation removed)"
            lines.append(f"- {_code(e.operation)}{note}: " + "; ".join(parts))
        storing = max(
            sum(1 for v in kept_before.values() if v), sum(1 for v in kept_after.values() if v)
        )
        if storing > 1 and t.old_storage_bytes != t.new_storage_bytes:
            lines.append(
                f"- total storage {_moved(t.old_storage_bytes, t.new_storage_bytes, human_size)}"
            )
        lines.append("")
    lines += _flow_lines(diff) + _cost_lines(diff)
    return lines if len(lines) > 2 else []


def _flow_lines(diff: DesignDiff) -> list[str]:
    """`redirect p99 from 38 ms to 12 ms`; `availability of checkout from 99.80% to 99.95%`."""
    t = diff.tradeoffs
    if t is None or not t.flows:
        return []
    lines = ["### Latency and availability", ""]
    for f in t.flows:
        name = _text(f.flow)
        if not f.old_exists:
            lines.append(
                f"- {name} (new flow): p99 {latency_text(f.new_p99_s)}, availability "
                f"{human_percent(f.new_availability or 0)}"
            )
            continue
        if not f.new_exists:
            lines.append(f"- {name}: flow removed")
            continue
        if latency_text(f.old_p99_s) != latency_text(f.new_p99_s):
            lines.append(
                f"- {name} p99 from {latency_text(f.old_p99_s)} to {latency_text(f.new_p99_s)}"
            )
        before, after = (
            human_percent(f.old_availability or 0),
            human_percent(f.new_availability or 0),
        )
        if before != after:
            lines.append(f"- availability of {name} from {before} to {after}")
    return [*lines, ""]


def _cost_lines(diff: DesignDiff) -> list[str]:
    """`storage cost after 5y from $1.9M to $0.4M a month`, and the egress likewise."""
    t = diff.tradeoffs
    c = t.cost if t is not None else None
    if c is None:
        return []
    lines = ["### Cost", ""]
    money = lambda v: human_money(v, c.currency)  # noqa: E731
    if money(c.old_storage) != money(c.new_storage):
        after = c.new_retention_s or c.old_retention_s
        when = f" after {human_duration(after)}" if after else ""
        unpriced = ""
        if c.old_unpriced_bytes or c.new_unpriced_bytes:
            size = lambda b: human_size(b) if b else "nothing"  # noqa: E731
            unpriced = (
                f" (not priced: {size(c.old_unpriced_bytes)} → "
                f"{size(c.new_unpriced_bytes)} that no flow takes to a store)"
            )
        lines.append(
            f"- storage cost{when} from {money(c.old_storage)} to {money(c.new_storage)} "
            f"a month{unpriced}"
        )
    if money(c.old_egress) != money(c.new_egress):
        lines.append(f"- egress cost from {money(c.old_egress)} to {money(c.new_egress)} a month")
    return [*lines, ""]


def _retention(seconds: float | None) -> str:
    return human_duration(seconds) if seconds else "nothing"


def _moved(old: float | None, new: float | None, fmt: Any) -> str:
    if old is None or new is None:
        return fmt(new if old is None else old)
    if old and new:
        return f"{'grew' if new > old else 'shrank'} from {fmt(old)} to {fmt(new)}"
    return f"{fmt(old)} → {fmt(new)}"


def to_markdown(
    diff: DesignDiff, old_label: str | None = None, new_label: str | None = None
) -> str:
    """The changelog: what changed, section by section, then the tradeoff delta."""
    lines = [f"# Changes to {_text(diff.new.display_title)}", ""]
    head = f"{_code(old_label)} → {_code(new_label)}: " if old_label and new_label else ""
    lines += [head + _summary(diff), ""]
    if diff.design:
        lines += ["## Design", ""]
        lines += [f"- {c}" for c in change_list("design", diff.design)]
        lines.append("")
    comp = diff.components
    if comp or diff.renamed:
        lines += ["## Components", ""]
        lines += [f"- **added** {_code(k)}{_component_note(diff.new, k)}" for k in comp.added]
        lines += [f"- **removed** {_code(k)}{_component_note(diff.old, k)}" for k in comp.removed]
        lines += [f"- **renamed** {_code(a)} → {_code(b)}" for a, b in diff.renamed.items()]
        for key, changes in comp.changed.items():
            lines.append(
                f"- **changed** {_code(key)}: " + "; ".join(change_list("components", changes))
            )
        lines.append("")
    conns = diff.connections
    if conns:
        lines += ["## Connections", ""]
        for verb, keys, design in (
            ("added", conns.added, diff.new),
            ("removed", conns.removed, diff.old),
        ):
            for key in keys:
                conn = _connection(design, key if verb == "added" else _old_key(diff, key))
                text = step_text(conn, diff.renamed if verb == "removed" else {}) if conn else None
                lines.append(f"- **{verb}** {_code(text or connection_name(key))}")
        for key, changes in conns.changed.items():
            lines.append(
                f"- **changed** {_code(connection_name(key))}: "
                + "; ".join(change_list("connections", changes))
            )
        lines.append("")
    lines += _simple_section("Groups", "groups", diff.groups)
    lines += _simple_section("Flows", "flows", diff.flows)
    lines += _simple_section("Decisions", "decisions", diff.decisions)
    lines += _simple_section("Workload operations", "operations", diff.operations)
    lines += _tradeoff_lines(diff)
    return "\n".join(lines).rstrip("\n") + "\n"


def _old_key(diff: DesignDiff, key: ConnectionKey) -> ConnectionKey:
    """A removed connection's key in the old design's own ids (before renames)."""
    back = {new: old for old, new in diff.renamed.items()}
    return (back.get(key[0], key[0]), back.get(key[1], key[1]), *key[2:])


def since_markdown(rev: str, entries: Sequence[tuple[str, str, DesignDiff | None]]) -> str:
    """The changelog of `diff --since`: added and deleted spec files, then one diff per file.

    `entries` holds (path, status, diff): status `added`, `deleted` or `modified`; the
    diff is None for added and deleted files.
    """
    lines = [f"# Changes since {_code(rev)}", ""]
    added = [p for p, s, _ in entries if s == "added"]
    deleted = [p for p, s, _ in entries if s == "deleted"]
    changed = [(p, d) for p, s, d in entries if s == "modified" and d and d.has_changes]
    same = [p for p, s, d in entries if s == "modified" and d and not d.has_changes]
    if not (added or deleted or changed):
        lines += [f"No spec changed since {_code(rev)} ({len(same)} compared).", ""]
    lines += [f"- **added** spec {_code(p)}" for p in added]
    lines += [f"- **deleted** spec {_code(p)}" for p in deleted]
    lines += [f"- **changed** spec {_code(p)}" for p, _ in changed]
    lines += [f"- unchanged spec {_code(p)}" for p in same]
    lines.append("")
    for path, d in changed:
        body = to_markdown(d, f"{path}@{rev}", path)
        # Each file's changelog nests one level under this one.
        lines += ["#" + line if line.startswith("#") else line for line in body.splitlines()]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def since_json(rev: str, entries: Sequence[tuple[str, str, DesignDiff | None]]) -> dict:
    """JSON-ready data of `diff --since`: file lists, then each changed file's diff."""
    return {
        "since": rev,
        "changed": any(s != "modified" or (d and d.has_changes) for _, s, d in entries),
        "added": [p for p, s, _ in entries if s == "added"],
        "deleted": [p for p, s, _ in entries if s == "deleted"],
        "modified": {
            p: to_json(d, f"{p}@{rev}", p)
            for p, s, d in entries
            if s == "modified" and d is not None and d.has_changes
        },
        "unchanged": [p for p, s, d in entries if s == "modified" and d and not d.has_changes],
    }
