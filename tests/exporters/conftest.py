"""Specs for the exporter tests, and D2 itself (its WebAssembly build, run by Node)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

D2_PACKAGE = "@terrastruct/d2@0.1.33"
D2_DIR = ROOT / ".cache" / "d2"
D2_SCRIPT = Path(__file__).with_name("d2_compile.mjs")

# Groups nested two deep, an empty group, edges to and from groups, async and styled
# edges, a custom view: every construct the exporters draw.
EXPORT_SPEC = """\
name: shop
title: Shop
description: A small shop with every construct the exporters draw.
groups:
  - {id: edge, label: Edge}
  - {id: app, label: Application tier, color: steelblue, style: dashed}
  - {id: data, label: Data tier, parent: app, color: "#2f9e44", style: filled}
  - {id: spare, label: Spare capacity}
components:
  - {id: web, kind: client, label: Browser}
  - {id: cdn, kind: cdn, group: edge}
  - {id: lb, kind: load_balancer, tech: nginx, group: edge, replicas: 2}
  - {id: api, kind: service, group: app, replicas: 3}
  - {id: jobs, kind: worker, group: app}
  - {id: db, kind: sql_database, tech: postgresql, group: data, replicas: 2}
  - {id: cache, kind: cache, tech: redis, group: data}
  - {id: events, kind: queue, tech: kafka}
  - {id: mon, kind: monitoring, label: Metrics}
  - {id: pay, kind: external, label: Payments}
connections:
  - web -> cdn: HTTPS
  - cdn -> lb
  - lb -> api
  - {from: api, to: data, label: reads, protocol: SQL}
  - api ~> events: order placed
  - events ~> jobs: consume
  - {from: jobs, to: pay, label: charge, color: firebrick, line: bold}
  - {from: db, to: cache, label: warm, line: dotted, direction: both}
  - {from: mon, to: app, label: scrape, direction: none}
flows:
  - name: checkout
    steps:
      - {from: web, to: cdn}
      - {from: cdn, to: lb}
      - {from: lb, to: api}
      - {from: api, to: db, label: insert order}
      - {from: api, to: events}
views:
  - name: data tier
    include: [data]
"""

# Labels that break naive exporters: quotes, brackets, comment and entity starters,
# pipes, markup, backslashes, D2 substitutions, newlines, non-ASCII.
NASTY = [
    'say "hi"',
    "a[b]{c}(d)",
    "#1 | pipes",
    "<b>bold</b> & co; `tick`",
    "trailing backslash \\",
    "${var} and $HOME",
    "two\nlines",
    "end",
    "émoji 🚀 漢字",
    "-- --> ==> -.-> ; 100%% %%{init}%%",
]


def nasty_spec() -> str:
    """A spec whose every label (and id-like word) is one of NASTY."""
    spec = {
        "name": "nasty",
        "title": NASTY[0],
        "groups": [{"id": "g", "label": NASTY[1]}, {"id": "end", "label": NASTY[2]}],
        "components": [
            {"id": f"n{i}", "kind": "service", "label": label, "group": "g" if i % 2 else "end"}
            for i, label in enumerate(NASTY)
        ]
        + [{"id": "style", "kind": "cache", "label": "plain"}],
        "connections": [
            {"from": f"n{i}", "to": f"n{(i + 1) % len(NASTY)}", "label": label}
            for i, label in enumerate(NASTY)
        ]
        + [{"from": "style", "to": "end", "label": NASTY[3]}],
    }
    return json.dumps(spec, ensure_ascii=False)


@pytest.fixture(scope="session")
def d2_modules() -> Path:
    """The node_modules folder holding D2; installed with npm on first use."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed: cannot run D2")
    if not (D2_DIR / "node_modules" / "@terrastruct" / "d2" / "package.json").exists():
        npm = shutil.which("npm")
        assert npm, "node is installed but npm is not: install npm to fetch D2"
        D2_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "install", "--prefix", str(D2_DIR), "--no-audit", "--no-fund", D2_PACKAGE],
            check=True,
            capture_output=True,
            timeout=600,
        )
    return D2_DIR / "node_modules"


def compile_d2(modules: Path, files: list[Path]) -> list[dict[str, object]]:
    """Compile D2 files with D2; one result per file (`ok`, `errors`, `shapes`, ...)."""
    run = subprocess.run(
        ["node", str(D2_SCRIPT), str(modules), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    results = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    assert len(results) == len(files), run.stderr
    return results
