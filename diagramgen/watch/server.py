"""The preview's HTTP server: the page, its content fragments, state JSON and an event stream.

Standard library only (`ThreadingHTTPServer`): one thread per connection, so the
long-lived event streams do not block page loads. It listens on 127.0.0.1 and answers
only requests addressed to it by that name (or `localhost`), which keeps other web pages
from reading it through DNS rebinding.
"""

from __future__ import annotations

import errno
import json
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from diagramgen.errors import DiagramgenError
from diagramgen.watch.page import APP_CSS, APP_JS, content_html, page_html
from diagramgen.watch.state import PreviewState, Snapshot

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
KEEPALIVE_SECONDS = 15.0  # an SSE comment this often finds closed connections
REQUEST_SECONDS = 10.0  # a client silent this long mid-request (or stalled reading) is dropped
MAX_CONNECTIONS = 64  # open at once (a page holds one event stream); more are refused
CSP = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)


class PreviewServerError(DiagramgenError):
    """The preview server cannot start (the port is taken, the address is not local...)."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # open event streams must not keep the process alive
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], state: PreviewState) -> None:
        self.state = state
        self.stopping = threading.Event()
        # One thread per connection: without a cap, half-open requests grow threads forever.
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve in a thread when a slot is free; otherwise close the connection at once."""
        if not self.slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        """The connection's thread; its slot is freed when it ends."""
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "diagramgen-watch"
    protocol_version = "HTTP/1.0"  # one response per connection: simple, and fine locally
    timeout = REQUEST_SECONDS  # socket timeout: an idle or half-open request is closed

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the library never prints (the default writes to stderr)."""

    # ---------------------------------------------------------------- routing

    def do_HEAD(self) -> None:
        """Like GET, without a body."""
        self._route(head=True)

    def do_GET(self) -> None:
        """Serve the page, its parts, the state JSON or the event stream."""
        self._route(head=False)

    def _route(self, head: bool) -> None:
        if not self._host_allowed():
            self._send(HTTPStatus.FORBIDDEN, "text/plain", b"forbidden host\n", head)
            return
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        spec, view = query.get("spec"), query.get("view")
        state = self.server.state
        if url.path == "/":
            snap = state.snapshot()
            self._send_text(HTTPStatus.OK, "text/html", page_html(snap, spec, view), head, snap)
        elif url.path == "/content":
            snap = state.snapshot()
            self._send_text(HTTPStatus.OK, "text/html", content_html(snap, spec, view), head, snap)
        elif url.path == "/api/state":
            snap = state.snapshot()
            body = json.dumps(snap.to_json(), ensure_ascii=False)
            self._send_text(HTTPStatus.OK, "application/json", body, head, snap)
        elif url.path == "/events":
            self._events(head)
        elif url.path == "/app.js":
            self._send_text(HTTPStatus.OK, "text/javascript", APP_JS, head)
        elif url.path == "/app.css":
            self._send_text(HTTPStatus.OK, "text/css", APP_CSS, head)
        elif url.path == "/favicon.ico":
            self._send(HTTPStatus.NO_CONTENT, "text/plain", b"", head)
        else:
            self._send(HTTPStatus.NOT_FOUND, "text/plain", b"not found\n", head)

    def _host_allowed(self) -> bool:
        host = (self.headers.get("Host") or "").strip().lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return name in ("127.0.0.1", "localhost", "[::1]")

    # ---------------------------------------------------------------- responses

    def _headers(self, status: HTTPStatus, content_type: str, length: int | None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")

    def _send(self, status: HTTPStatus, content_type: str, body: bytes, head: bool) -> None:
        self._headers(status, content_type, len(body))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _send_text(
        self,
        status: HTTPStatus,
        content_type: str,
        text: str,
        head: bool,
        snap: Snapshot | None = None,
    ) -> None:
        body = text.encode("utf-8")
        self._headers(status, content_type, len(body))
        if snap is not None:
            self.send_header("X-Preview-Version", str(snap.version))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self, head: bool) -> None:
        """Server-sent events: the current version at once, then each new one."""
        self._headers(HTTPStatus.OK, "text/event-stream", None)
        self.end_headers()
        if head:
            return
        state, stopping = self.server.state, self.server.stopping
        sent = -1
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while not stopping.is_set():
                version = state.version
                if version != sent:
                    data = json.dumps({"version": version})
                    self.wfile.write(f"event: version\ndata: {data}\n\n".encode())
                    sent = version
                else:
                    self.wfile.write(b": keepalive\n\n")
                self.wfile.flush()
                state.wait(sent, KEEPALIVE_SECONDS)
                if state.closed:
                    break
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            return  # the page went away


class PreviewServer:
    """The preview server on `host:port` (port 0: any free port), run in a thread.

    Use as a context manager, or `start()` and `stop()`; `url` is the page's address.
    """

    def __init__(
        self, state: PreviewState, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT
    ) -> None:
        if host not in ("127.0.0.1", "localhost"):
            raise PreviewServerError(f"the preview only listens on 127.0.0.1, not {host!r}")
        self.state = state
        try:
            self._server = _Server((host, port), state)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PreviewServerError(
                    f"port {port} is in use: choose another with --port (0 picks a free one)"
                ) from None
            raise PreviewServerError(
                f"cannot listen on {host}:{port}: {exc.strerror or exc}"
            ) from None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The port listened on (the real one when 0 was asked for)."""
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """The address of the preview page."""
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> None:
        """Serve in a background thread."""
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.2},
            name="diagramgen-preview",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving, end the event streams and close the socket."""
        self._server.stopping.set()
        self.state.close()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()

    def __enter__(self) -> PreviewServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
