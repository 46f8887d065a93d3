"""The watch library: state, page safety, the server's endpoints and the live rebuild loop."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import pytest

from diagramgen.errors import Problem
from diagramgen.watch import PreviewServer, PreviewServerError, PreviewState, SpecStatus, ViewImage
from diagramgen.watch.page import content_html, inline_svg, notes_html, page_html
from tests.authoring.preview_helpers import (
    EventStream,
    get,
    running_preview,
    spec_text,
    state,
    svg_of,
    wait_for,
)

SVG = '<?xml version="1.0"?>\n<!DOCTYPE svg>\n<!-- made -->\n<svg viewBox="0 0 1 1"><g/></svg>\n'


# ---------------------------------------------------------------- state and page


def test_state_versions_and_wait() -> None:
    st = PreviewState()
    assert st.snapshot().version == 0 and st.snapshot().get(None) is None
    assert st.update(SpecStatus(key="b.yaml", title="B")) == 1
    assert st.update(SpecStatus(key="a.yaml", title="A")) == 2
    snap = st.snapshot()
    assert [s.key for s in snap.specs] == ["a.yaml", "b.yaml"]  # sorted, whatever the order
    assert snap.get(None).key == "a.yaml"  # the latest change is the default
    assert snap.get("b.yaml").seq == 1
    assert st.wait(since=1, timeout=5) == 2  # already newer: no wait
    woke: list[int] = []
    waiter = threading.Thread(target=lambda: woke.append(st.wait(since=2, timeout=10)))
    waiter.start()
    st.remove("b.yaml")
    waiter.join(5)
    assert woke == [3]
    st.remove("missing")  # no change, no new version
    assert st.version == 3
    st.close()
    assert st.wait(since=3, timeout=10) == 3 and st.closed  # close wakes waiters at once


def test_inline_svg_drops_the_prolog() -> None:
    assert inline_svg(SVG) == '<svg viewBox="0 0 1 1"><g/></svg>'


def test_notes_are_rendered_safely() -> None:
    html = notes_html(
        "# Notes\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<script>alert(1)</script>\n\n"
        "[click](javascript:alert(1)) ![pixel](http://example.com/p.png) <img src=x>"
    )
    assert "<h1>Notes</h1>" in html and "<table>" in html  # Markdown, tables included
    assert "<script" not in html and "&lt;script&gt;" in html
    assert not re.search(r"<[^>]*\bsrc=", html)  # no tag the page would fetch something for
    assert 'href="javascript:' not in html  # an unsafe link stays text


def _status(**kw: object) -> SpecStatus:
    base = {
        "key": "specs/x.yaml",
        "title": "X <script>alert(1)</script>",
        "slug": "x",
        "views": (ViewImage("overview", "X", SVG), ViewImage("flow-a", "X: a", SVG)),
        "notes": "# X\n\nSome *notes*.",
        "rendered_at": 1.0,
        "output": "out/x",
    }
    base.update(kw)
    return SpecStatus(**base)  # type: ignore[arg-type]


def test_page_escapes_user_text_and_shows_problems_with_the_last_picture() -> None:
    st = PreviewState()
    problem = Problem("specs/x.yaml", 3, 7, "unknown kind '<servce>'")
    st.update(_status(problems=(problem,), source_lines={3: "  - {id: api, kind: <servce>}"}))
    html = page_html(st.snapshot())
    assert "<script>alert(1)</script>" not in html
    assert "X &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "specs/x.yaml:3:7" in html and "unknown kind &#x27;&lt;servce&gt;&#x27;" in html
    assert (
        '<span class="ln">    3 | </span>  - {id: api, kind: &lt;servce&gt;}\n'
        + " " * 8
        + " " * 6
        + "^</pre>"
    ) in html
    assert "showing the last good render" in html
    assert '<figure class="diagram" id="diagram" data-view="overview"><svg' in html
    assert "<em>notes</em>" in html  # the notes beside the picture
    assert '<script src="/app.js" defer></script>' in html


def test_page_view_selection_and_follow_mode() -> None:
    st = PreviewState()
    st.update(_status(key="a.yaml", title="A"))
    st.update(_status(key="b.yaml", title="B"))
    snap = st.snapshot()
    follow = content_html(snap)
    assert "<h1>B</h1>" in follow and "following the latest save" in follow
    pinned = content_html(snap, "a.yaml", "flow-a")
    assert "<h1>A</h1>" in pinned and 'data-view="flow-a"' in pinned
    assert 'href="/">follow latest</a>' in pinned
    assert 'href="/?spec=a.yaml&amp;view=overview"' in pinned
    assert 'data-view="overview"' in content_html(snap, "a.yaml", "no-such-view")
    assert "No specs yet" in content_html(PreviewState().snapshot())


def test_page_when_there_was_never_a_good_render() -> None:
    st = PreviewState()
    st.update(SpecStatus(key="x.yaml", title="x", error="Graphviz failed (exit 1): boom"))
    html = content_html(st.snapshot())
    assert "Rendering failed: no picture yet" in html and "boom" in html
    assert "<svg" not in html and "No picture yet" in html


# ---------------------------------------------------------------- server


def test_server_endpoints_and_host_check() -> None:
    st = PreviewState()
    st.update(_status())
    with PreviewServer(st, port=0) as server:
        assert server.url == f"http://127.0.0.1:{server.port}/"
        status, headers, body = get(server.port, "/")
        assert status == 200 and headers["Content-Type"].startswith("text/html")
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Preview-Version"] == "1" and "<svg" in body
        status, headers, body = get(server.port, "/content?spec=specs/x.yaml&view=flow-a")
        assert status == 200 and 'data-view="flow-a"' in body and "<html" not in body
        assert get(server.port, "/app.js")[1]["Content-Type"].startswith("text/javascript")
        assert get(server.port, "/app.css")[0] == 200
        data = json.loads(get(server.port, "/api/state")[2])
        assert data["version"] == 1 and data["specs"][0]["views"][1]["name"] == "flow-a"
        assert get(server.port, "/nope")[0] == 404
        assert get(server.port, "/", host="localhost:1")[0] == 200
        # A page on another site reaching this port through DNS rebinding is refused.
        assert get(server.port, "/api/state", host="attacker.example:80")[0] == 403


def test_port_in_use_and_non_local_hosts_are_refused() -> None:
    st = PreviewState()
    with PreviewServer(st, port=0) as first, pytest.raises(PreviewServerError, match="in use"):
        PreviewServer(st, port=first.port)
    with pytest.raises(PreviewServerError, match=r"127\.0\.0\.1"):
        PreviewServer(st, host="0.0.0.0", port=0)


def test_stop_ends_open_event_streams() -> None:
    st = PreviewState()
    server = PreviewServer(st, port=0)
    server.start()
    stream = EventStream(server.port)
    assert stream.next_version() == 0
    server.stop()  # must not hang on the open stream
    stream.close()


# ---------------------------------------------------------------- the live loop


def test_a_save_reaches_the_page_and_a_broken_save_keeps_the_last_picture(
    tmp_path: Path,
) -> None:
    spec = tmp_path / "live.yaml"
    spec.write_text(spec_text("First label"), "utf-8")
    out = tmp_path / "out"
    with running_preview([spec], out) as (server, _watcher):
        assert "First label" in svg_of(server.port, "live.yaml")
        assert (out / "live" / "overview.svg").is_file()  # the same files as `render`
        assert (out / "live" / "flow-read.svg").is_file()
        stream = EventStream(server.port)
        try:
            seen = stream.next_version()

            spec.write_text(spec_text("Second label"), "utf-8")
            wait_for(lambda: "Second label" in svg_of(server.port, "live.yaml"), what="re-render")
            assert stream.next_version() > seen  # the page is told
            page = get(server.port, "/")[2]
            assert "Second label" in page and "problems" not in page

            broken = spec_text("Third label").replace("kind: sql_database", "kind: sql_databse")
            spec.write_text(broken, "utf-8")
            live = wait_for(
                lambda: next((s for s in state(server.port)["specs"] if not s["ok"]), None),
                what="the problems",
            )
            line = broken.splitlines().index("  - {id: db, kind: sql_databse, replicas: 2}") + 1
            assert [(p["line"], "did you mean 'sql_database'" in p["message"]) for p in
                    live["problems"]] == [(line, True)]  # fmt: skip
            page = get(server.port, "/")[2]
            assert f"live.yaml:{line}:" in page and "sql_databse" in page
            assert "Second label" in page  # the last good picture stays
            assert "Second label" in (out / "live" / "overview.svg").read_text("utf-8")

            spec.write_text(spec_text("Fourth label"), "utf-8")
            wait_for(lambda: "Fourth label" in svg_of(server.port, "live.yaml"), what="the fix")
            assert all(s["ok"] for s in state(server.port)["specs"])
        finally:
            stream.close()


def test_folders_pick_up_new_and_deleted_specs(tmp_path: Path) -> None:
    folder = tmp_path / "specs"
    folder.mkdir()
    (folder / "one.yaml").write_text(spec_text("One").replace("name: live", "name: one"))
    with running_preview([folder], tmp_path / "out") as (server, _watcher):
        assert [s["key"] for s in state(server.port)["specs"]] == [f"{folder.as_posix()}/one.yaml"]
        (folder / "notes.txt").write_text("not a spec")  # ignored
        (folder / "two.yml").write_text(spec_text("Two").replace("name: live", "name: two"))
        wait_for(lambda: "Two" in svg_of(server.port, "two.yml"), what="the new spec")
        (folder / "one.yaml").unlink()
        wait_for(
            lambda: (
                [s["key"] for s in state(server.port)["specs"]] == [f"{folder.as_posix()}/two.yml"]
            ),
            what="the deleted spec to go",
        )


def test_an_editor_style_save_by_rename_is_seen(tmp_path: Path) -> None:
    spec = tmp_path / "live.yaml"
    spec.write_text(spec_text("Before"), "utf-8")
    with running_preview([spec], tmp_path / "out") as (server, _watcher):
        temp = tmp_path / ".live.yaml.swp-new"
        temp.write_text(spec_text("After rename"), "utf-8")
        temp.replace(spec)
        wait_for(lambda: "After rename" in svg_of(server.port, "live.yaml"), what="re-render")


def test_idle_connections_time_out_and_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    import contextlib
    import socket
    import time
    import urllib.request

    from diagramgen.watch import server as server_module

    monkeypatch.setattr(server_module._Handler, "timeout", 0.5)
    monkeypatch.setattr(server_module, "MAX_CONNECTIONS", 8)
    before = threading.active_count()
    with PreviewServer(PreviewState(), port=0) as srv:
        idle = []
        for _ in range(40):  # half-open requests: connect, send nothing
            s = socket.create_connection(("127.0.0.1", srv.port))
            s.sendall(b"GET / HTTP/1.0\r\n")
            idle.append(s)
        time.sleep(0.2)
        assert threading.active_count() <= before + 1 + 8 + 1
        time.sleep(1.5)  # past the timeout: every idle request was closed
        for s in idle:
            s.settimeout(2)  # before the fix: no reply ever, so recv times out
            with contextlib.suppress(ConnectionResetError):
                assert s.recv(1024) == b""  # closed by the server
            s.close()
        assert threading.active_count() <= before + 2
        with urllib.request.urlopen(srv.url, timeout=5) as page:  # still serving
            assert page.status == 200
