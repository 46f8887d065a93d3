"""The preview page: HTML built on the server from a `Snapshot`, plus its CSS and script.

Everything a spec author wrote reaches the page escaped: titles and messages through
`html.escape`, the notes through markdown-it with raw HTML off and images off (so the
page makes no request outside this server), the SVG as written by the render stage
(which escapes every label). The server's Content-Security-Policy allows scripts from
the page's own origin only, as a second line of defence.
"""

from __future__ import annotations

import time
from html import escape
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from diagramgen.rendering.interactive import inline_svg, markdown_html

if TYPE_CHECKING:
    from diagramgen.watch.state import Snapshot, SpecStatus

# The same Markdown and SVG handling as the interactive pages of `render -f html`.
notes_html = markdown_html


def page_url(spec: str | None = None, view: str | None = None) -> str:
    """The page address showing `spec` (None: follow the latest change) and `view`."""
    query = {k: v for k, v in (("spec", spec), ("view", view)) if v}
    return "/?" + urlencode(query) if query else "/"


def _clock(t: float | None) -> str:
    return time.strftime("%H:%M:%S", time.localtime(t)) if t else "-"


def _spec_nav(snapshot: Snapshot, current: SpecStatus, pinned: bool) -> str:
    links = []
    for spec in snapshot.specs:
        classes = ["spec", "ok" if spec.ok else "bad"]
        if spec.key == current.key:
            classes.append("current")
        mark = "✓" if spec.ok else "✗"
        links.append(
            f'<a class="{" ".join(classes)}" href="{escape(page_url(spec.key))}" '
            f'title="{escape(spec.key)}"><span class="mark">{mark}</span> '
            f"{escape(spec.title)}</a>"
        )
    follow = (
        '<a class="follow" href="/">follow latest</a>'
        if pinned
        else '<span class="follow on">following the latest save</span>'
    )
    return f'<nav class="specs" aria-label="Specs">{"".join(links)}{follow}</nav>'


def _problems(spec: SpecStatus) -> str:
    if spec.ok:
        return ""
    kept = (
        f"showing the last good render from {_clock(spec.rendered_at)}"
        if spec.views
        else "no picture yet"
    )
    if spec.error is not None:
        return (
            '<section class="problems" role="alert">'
            f"<h2>Rendering failed: {kept}</h2><p>{escape(spec.error)}</p></section>"
        )
    n = len(spec.problems)
    items = []
    for p in spec.problems:
        where = f"{p.path}:{p.line}:{p.col}" if p.line else p.path
        source = spec.source_lines.get(p.line)
        snippet = ""
        if source is not None:
            gutter = f"{p.line:>5} | "
            caret = " " * len(gutter) + " " * max(p.col - 1, 0) + "^" if p.col else ""
            snippet = (
                f'<pre class="source"><span class="ln">{gutter}</span>{escape(source)}'
                f"{chr(10) + caret if caret else ''}</pre>"
            )
        items.append(
            f'<li><code class="loc">{escape(where)}</code> '
            f'<span class="msg">{escape(p.message)}</span>{snippet}</li>'
        )
    return (
        '<section class="problems" role="alert">'
        f"<h2>{n} problem{'s' if n != 1 else ''} in {escape(spec.key)}: {kept}</h2>"
        f"<ul>{''.join(items)}</ul></section>"
    )


def content_html(snapshot: Snapshot, spec_key: str | None = None, view: str | None = None) -> str:
    """The live part of the page: specs, problems, view tabs, the picture and the notes.

    `spec_key` None follows the spec changed most recently; an unknown `view` falls back
    to the first one (the overview).
    """
    spec = snapshot.get(spec_key)
    if spec is None:
        return (
            '<section class="empty"><h1>No specs yet</h1><p>Create one with '
            "<code>diagramgen new NAME</code>; it appears here as soon as it is saved.</p>"
            "</section>"
        )
    pinned = spec_key is not None and spec.key == spec_key
    shown = next((v for v in spec.views if v.name == view), spec.views[0] if spec.views else None)
    meta = [f"<code>{escape(spec.key)}</code>"]
    if spec.rendered_at:
        meta.append(f"rendered {_clock(spec.rendered_at)}")
        if spec.ok:
            meta.append(f"in {spec.duration:.2f} s")
    if spec.output:
        meta.append(f"into <code>{escape(spec.output)}/</code>")
    tabs = "".join(
        f'<a class="view{" current" if v is shown else ""}" title="{escape(v.title)}" '
        f'href="{escape(page_url(spec.key if pinned else None, v.name))}">{escape(v.name)}</a>'
        for v in spec.views
    )
    if shown is not None:
        picture = (
            f'<figure class="diagram" id="diagram" data-view="{escape(shown.name)}">'
            f"{inline_svg(shown.svg)}</figure>"
        )
    else:
        picture = '<p class="nopicture">No picture yet: fix the problems above and save.</p>'
    notes = (
        f'<aside class="notes"><div class="md">{notes_html(spec.notes)}</div></aside>'
        if spec.notes
        else ""
    )
    return (
        f"{_spec_nav(snapshot, spec, pinned)}"
        f'<header class="head"><h1>{escape(spec.title)}</h1>'
        f'<p class="meta">{" · ".join(meta)}</p></header>'
        f"{_problems(spec)}"
        f'<nav class="views" aria-label="Views">{tabs}</nav>'
        f'<div class="layout">{picture}{notes}</div>'
    )


def page_html(snapshot: Snapshot, spec_key: str | None = None, view: str | None = None) -> str:
    """The whole preview page, rendered with the current state (it works without script)."""
    spec = snapshot.get(spec_key)
    title = f"{spec.title} · diagramgen" if spec else "diagramgen watch"
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title>"
        '<link rel="stylesheet" href="/app.css"><script src="/app.js" defer></script>'
        f'</head><body><main id="content" data-version="{snapshot.version}">'
        f"{content_html(snapshot, spec_key, view)}</main>"
        '<footer><span id="live" class="live">static</span> · diagramgen watch</footer>'
        "</body></html>\n"
    )


APP_JS = """\
// Live updates: the server announces each new state version on /events; the page then
// fetches the fresh content for the same address and swaps it in. No reload, no scroll jump.
(function () {
  "use strict";
  var content = document.getElementById("content");
  var live = document.getElementById("live");
  var version = Number(content.dataset.version);
  var busy = false;
  var again = false;

  function status(text, cls) {
    live.textContent = text;
    live.className = "live " + cls;
  }

  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch("/content" + window.location.search, { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        var v = Number(response.headers.get("X-Preview-Version"));
        return response.text().then(function (html) {
          content.innerHTML = html;
          content.dataset.version = String(v);
          version = v;
          var h1 = content.querySelector("h1");
          if (h1) { document.title = h1.textContent + " \\u00b7 diagramgen"; }
        });
      })
      .catch(function () { status("update failed", "bad"); })
      .then(function () {
        busy = false;
        if (again) { again = false; refresh(); }
      });
  }

  if (!window.EventSource) { return; }
  var events = new EventSource("/events");
  events.addEventListener("version", function (event) {
    status("live", "ok");
    var v = JSON.parse(event.data).version;
    if (v !== version) { refresh(); }
  });
  events.onerror = function () { status("reconnecting\\u2026", "bad"); };
})();
"""

APP_CSS = """\
:root { --fg: #1f2933; --muted: #616e7c; --line: #d9e2ec; --bg: #fff; --panel: #f5f7fa;
        --bad: #b42318; --badbg: #fef3f2; --ok: #067647; --accent: #2f6fde; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
       color: var(--fg); background: var(--bg); }
main { padding: 0 1.25rem 2rem; }
a { color: var(--accent); text-decoration: none; }
code, pre { font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; }
nav.specs { display: flex; flex-wrap: wrap; gap: .25rem .5rem; align-items: center;
            padding: .6rem 0; border-bottom: 1px solid var(--line); }
nav.specs a.spec { padding: .2rem .6rem; border-radius: 999px; border: 1px solid var(--line); }
nav.specs a.spec.current { background: var(--panel); font-weight: 600; }
nav.specs a.spec.ok .mark { color: var(--ok); }
nav.specs a.spec.bad .mark { color: var(--bad); }
nav.specs .follow { margin-left: auto; font-size: 13px; color: var(--muted); }
header.head h1 { margin: .8rem 0 .1rem; font-size: 1.4rem; }
header.head .meta { margin: 0 0 .6rem; color: var(--muted); font-size: 13px; }
section.problems { border: 1px solid var(--bad); background: var(--badbg); border-radius: 6px;
                   padding: .5rem .9rem; margin: .5rem 0 .8rem; }
section.problems h2 { color: var(--bad); font-size: 1rem; margin: .2rem 0 .4rem; }
section.problems ul { margin: 0; padding-left: 1.1rem; }
section.problems li { margin: .25rem 0; }
section.problems .loc { color: var(--bad); font-weight: 600; }
pre.source { margin: .2rem 0 .4rem; padding: .3rem .5rem; background: var(--bg);
             border-radius: 4px; overflow-x: auto; }
pre.source .ln { color: var(--muted); user-select: none; }
nav.views { display: flex; flex-wrap: wrap; gap: .25rem; margin: .3rem 0 .6rem; }
nav.views a.view { padding: .15rem .6rem; border-bottom: 2px solid transparent; }
nav.views a.view.current { border-bottom-color: var(--accent); font-weight: 600; }
.layout { display: flex; gap: 1.25rem; align-items: flex-start; }
figure.diagram { flex: 3 1 0; min-width: 0; margin: 0; overflow: auto; }
figure.diagram svg { display: block; max-width: 100%; height: auto; }
aside.notes { flex: 1 1 0; min-width: 18rem; max-height: calc(100vh - 9rem); overflow: auto;
              background: var(--panel); border-radius: 6px; padding: .2rem 1rem; font-size: 14px; }
aside.notes table { border-collapse: collapse; font-size: 13px; }
aside.notes th, aside.notes td { border: 1px solid var(--line); padding: .15rem .4rem; }
.nopicture, section.empty { color: var(--muted); padding: 2rem 0; }
footer { position: fixed; right: .6rem; bottom: .4rem; font-size: 12px; color: var(--muted);
         background: var(--bg); padding: .1rem .4rem; border-radius: 4px; }
.live.ok { color: var(--ok); }
.live.bad { color: var(--bad); }
@media (max-width: 900px) { .layout { flex-direction: column; } aside.notes { max-height: none; } }
"""
