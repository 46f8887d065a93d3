"""Shared test helpers: golden files with an accept switch, sample specs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
ACCEPT = os.environ.get("DIAGRAMGEN_ACCEPT") == "1"


def check_golden(name: str, actual: str) -> None:
    """Compare `actual` with tests/golden/<name>; DIAGRAMGEN_ACCEPT=1 rewrites the file."""
    path = GOLDEN / name
    if ACCEPT or not path.exists():
        if not ACCEPT:
            pytest.fail(f"golden file {path} is missing: run with DIAGRAMGEN_ACCEPT=1 to create it")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, "utf-8")
        return
    expected = path.read_text("utf-8")
    assert actual == expected, (
        f"{name} differs from its golden file (DIAGRAMGEN_ACCEPT=1 to accept)"
    )


SMALL_SPEC = """\
name: small
title: Small design
description: Three components in two groups.
groups:
  - {id: app, label: App}
  - {id: data, label: Data, parent: app}
components:
  - {id: web, kind: client, label: Browser}
  - {id: api, kind: service, group: app, replicas: 3}
  - {id: db, kind: sql_database, tech: postgresql, group: data, replication: async, replicas: 2}
  - {id: jobs, kind: queue, tech: kafka}
connections:
  - web -> api: HTTPS
  - {from: api, to: db, label: SQL}
  - api ~> jobs: events
flows:
  - name: read
    steps:
      - {from: web, to: api}
      - {from: api, to: db, label: select}
"""


@pytest.fixture
def small_spec(tmp_path: Path) -> Path:
    """A small valid spec written to a temporary file."""
    path = tmp_path / "small.yaml"
    path.write_text(SMALL_SPEC, "utf-8")
    return path
