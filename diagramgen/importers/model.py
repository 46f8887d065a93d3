"""What an importer hands on: spec-shaped components, groups and connections, plus warnings.

Every importer (Compose, Kubernetes, Terraform) fills one `Imported`; `write.py` turns it
into a commented spec, `diagramgen.drift` into a `Design` to compare with the design.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from diagramgen import techs
from diagramgen.errors import DiagramgenError
from diagramgen.spec.models import ID_PATTERN, Design

_ID_RE = re.compile(ID_PATTERN)
_BAD = re.compile(r"[^A-Za-z0-9_-]+")
# Kinds whose model has `autoscaling` (the `_Compute` kinds).
COMPUTE_KINDS = ("service", "worker")
# An env var whose name says it holds an address: its value may name another service.
_ADDRESS_KEY = re.compile(r"(HOST|URL|URI|ADDR|ADDRESS|SERVER|ENDPOINT|DSN|BROKER|CONN)", re.I)


class SourceError(DiagramgenError):
    """The source cannot be imported: not Compose, Kubernetes or Terraform, or unreadable."""


@dataclass
class Imported:
    """A design read from infrastructure: plain spec data (the canonical long form)."""

    source: str  # what was imported, as the user named it
    format: str  # compose, kubernetes, terraform
    name: str
    components: list[dict[str, Any]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    connections: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def data(self) -> dict[str, Any]:
        """The spec as plain data, in the canonical order."""
        out: dict[str, Any] = {"name": self.name, "title": self.name.replace("-", " ").title()}
        out["description"] = f"Imported from {self.format} ({self.source})."
        if self.groups:
            out["groups"] = self.groups
        out["components"] = [_ordered(c) for c in self.components]
        if self.connections:
            out["connections"] = self.connections
        return out

    def design(self) -> Design:
        """The imported spec as a validated `Design`."""
        return Design.model_validate(self.data())

    def connect(self, source: str, target: str, **extra: Any) -> None:
        """Add `source -> target` once (the first reason found keeps its label)."""
        if source == target:
            return
        if any(c["from"] == source and c["to"] == target for c in self.connections):
            return
        conn: dict[str, Any] = {"from": source, "to": target}
        conn.update({k: v for k, v in extra.items() if v not in (None, False)})
        self.connections.append(conn)


_ORDER = ("id", "label", "kind", "tech", "version", "group", "replicas", "autoscaling")


def _ordered(comp: dict[str, Any]) -> dict[str, Any]:
    """Keys in reading order: identity, what it is, where, how many; the source last."""
    head = {k: comp[k] for k in _ORDER if k in comp}
    rest = {k: v for k, v in comp.items() if k not in head and k != "source"}
    return head | rest | ({"source": comp["source"]} if "source" in comp else {})


def make_id(text: str, taken: set[str]) -> str:
    """A valid, unused id from any name (`my.svc` -> `my-svc`); adds it to `taken`."""
    base = _BAD.sub("-", text).strip("-") or "component"
    if not _ID_RE.match(base):
        base = "c-" + base
    base = base[:60]
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def component_from_image(cid: str, image: str | None, name: str, source: str) -> dict[str, Any]:
    """A component whose kind and tech come from its image (or, without one, its name).

    `postgres:16` -> `sql_database`, `tech: postgresql`, `version: "16"`. An image the
    alias table does not know becomes a `service` with a note saying so.
    """
    comp: dict[str, Any] = {"id": cid}
    tech = techs.lookup(image) if image else None
    if tech is None:
        tech = techs.lookup(name)
        # A name is weaker evidence than an image: only data stores and brokers, whose
        # names (`redis`, `db`) are what they are; `nginx` named services stay services.
        if tech is not None and tech.kind in ("service", "load_balancer", None):
            tech = None
    kind = tech.kind if tech is not None and tech.kind else None
    if kind is None:
        kind = "worker" if re.search(r"worker|consumer|job", name, re.I) else "service"
    comp["kind"] = kind
    if tech is not None:
        comp["tech"] = tech_value(tech)
    version = image_version(image)
    if version:
        comp["version"] = version
    if image and tech is None:
        # In the description, not `note`: every in-house image is unknown, and a note per
        # node would bury the picture.
        short = image.rsplit("/", 1)[-1]
        comp["description"] = f"Image {short}: not a known technology, so `{kind}` is a guess."
    comp["source"] = source
    return comp


def tech_value(tech: techs.Tech) -> str:
    """How to write a tech in the spec: its key when it is the product's own name in
    lower case (`postgresql` for PostgreSQL), else its name (`aws_lb` -> `AWS ALB`)."""
    return tech.key if techs.normalize(tech.name) == tech.key else tech.name


def image_version(image: str | None) -> str | None:
    """The tag of an image reference (`postgres:15-alpine` -> `15-alpine`); None for latest."""
    if not image:
        return None
    ref = image.split("@", 1)[0]
    last = ref.rsplit("/", 1)[-1]
    if ":" not in last:
        return None
    tag = last.rsplit(":", 1)[1]
    return None if tag in ("", "latest") else tag[:64]


def env_references(key: str, value: Any, names: dict[str, str]) -> list[str]:
    """The targets named in one environment variable (`DATABASE_URL=postgres://db/x` -> db).

    `names` maps host names (service names) to component ids. A name counts only where it
    stands as a host: after `://` or `@`, or before `:port`, or as the whole value of a
    variable whose name says it holds an address (`REDIS_HOST=redis`); so
    `POSTGRES_USER=postgres` does not connect to a service called `postgres`.
    """
    if not isinstance(value, str) or not value:
        return []
    found = []
    for host, cid in names.items():
        h = re.escape(host)
        as_host = re.search(rf"(?:://|@)(?:[^/\s@]*@)?{h}(?![\w.-])|(?<![\w.-]){h}:\d+", value)
        whole = value.strip() == host and _ADDRESS_KEY.search(key)
        listed = _ADDRESS_KEY.search(key) and re.search(rf"(?:^|[,\s]){h}(?:$|[,\s]|:\d)", value)
        if as_host or whole or listed:
            found.append(cid)
    return found


def same_name_key(text: object) -> str:
    """A name as matching compares it: `Votes-DB` and `votes_db` are the same name."""
    return "".join(ch for ch in str(text).lower() if ch.isalnum())


def match_key(source: str | None) -> str | None:
    """The part of a `source` that survives edits to the file: `service/db`, not its line."""
    if not source:
        return None
    _, _, obj = source.partition(" ")
    return obj or None
