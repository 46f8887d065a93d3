"""Helpers for the watch tests: a running preview, polling, small HTTP and SSE clients."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from diagramgen.rendering import RenderOptions
from diagramgen.watch import PreviewServer, PreviewState, Watcher

SPEC = """\
name: live
title: Live preview
components:
  - {{id: web, kind: client}}
  - {{id: api, kind: service, label: {label}}}
  - {{id: db, kind: sql_database, replicas: 2}}
connections:
  - web -> api
  - api -> db
flows:
  - name: read
    steps:
      - {{from: web, to: api}}
"""


def spec_text(label: str) -> str:
    """A small valid spec whose `api` component shows `label`."""
    return SPEC.format(label=label)


def wait_for(predicate: Callable[[], Any], timeout: float = 20.0, what: str = "condition") -> Any:
    """Poll `predicate` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def get(port: int, path: str, host: str | None = None) -> tuple[int, dict[str, str], str]:
    """GET `path` from the preview: status, headers, body text."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": host} if host else {})
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read().decode("utf-8")
    finally:
        conn.close()


def state(port: int) -> dict[str, Any]:
    """The preview's `/api/state` JSON."""
    status, _, body = get(port, "/api/state")
    assert status == 200
    return json.loads(body)


def svg_of(port: int, key_suffix: str, view: str = "overview") -> str:
    """The SVG text of a spec's view in the preview state ('' while there is none)."""
    for spec in state(port)["specs"]:
        if spec["key"].endswith(key_suffix):
            for v in spec["views"]:
                if v["name"] == view:
                    return v["svg"]
    return ""


@contextmanager
def running_preview(paths: list[Path], out: Path) -> Iterator[tuple[PreviewServer, Watcher]]:
    """A preview server on a free port with its watch loop in a thread, stopped on exit."""
    preview_state = PreviewState()
    watcher = Watcher(paths, out, RenderOptions(formats=("svg",), theme="light"), preview_state)
    stop = threading.Event()
    with PreviewServer(preview_state, port=0) as server:
        thread = threading.Thread(
            target=watcher.run, args=(stop,), kwargs={"debounce_ms": 500, "step_ms": 50}
        )
        thread.start()
        try:
            wait_for(lambda: preview_state.version > 0, what="the first build")
            yield server, watcher
        finally:
            stop.set()
            thread.join(timeout=10)
            assert not thread.is_alive(), "the watch loop did not stop"


class EventStream:
    """A minimal server-sent-events reader over one HTTP connection."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        self.conn.request("GET", "/events")
        self.resp = self.conn.getresponse()
        assert self.resp.status == 200
        assert self.resp.getheader("Content-Type", "").startswith("text/event-stream")

    def next_version(self) -> int:
        """Block until the next `version` event and return its number."""
        event = None
        while True:
            line = self.resp.readline().decode("utf-8")
            if not line:
                raise AssertionError("the event stream ended")
            line = line.rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event == "version":
                return int(json.loads(line[6:])["version"])

    def close(self) -> None:
        """Drop the connection."""
        self.conn.close()
