"""A scriptable web server on 127.0.0.1 for fetch and discovery tests: each path answers as
its `Route` says (status, redirect, ETag/304, 500s before success, slow, truncated), and every
request is logged so that tests can assert exactly what was asked and answered."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse


@dataclass
class Route:
    body: bytes = b""
    ctype: str = "application/pdf"
    status: int = 200
    location: str | None = None  # redirect target; status should be 301/302
    etag: str | None = None  # sent, and If-None-Match honoured with 304
    last_modified: str | None = None  # sent, and If-Modified-Since honoured with 304
    fail_first: int = 0  # answer 500 to the first N requests
    truncate_first: int = 0  # send half the body under the full Content-Length, N times
    delay: float = 0.0  # wait this long before answering, every time
    drip: float = 0.0  # send the body a byte at a time, this long between bytes


@dataclass
class Hit:
    """A request, logged on arrival; `status` is filled in once it is answered."""

    path: str  # with the query
    headers: dict[str, str]
    at: float  # time.monotonic() on arrival
    status: int | str | None = None  # sent; "gone": the client had closed the socket


@dataclass
class PortalServer:
    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    base: str = ""
    stopping: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str) -> str:
        return self.base + path

    def statuses(self, path: str) -> list[int | str]:
        """What `path` was answered, request by request."""
        return [h.status for h in self.hits if h.path == path]

    def paths(self) -> set[str]:
        return {h.path for h in self.hits}


def _handler(server: PortalServer) -> type[BaseHTTPRequestHandler]:
    lock = threading.Lock()
    counts: dict[str, int] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            hit = Hit(self.path, dict(self.headers.items()), time.monotonic())
            path = self.path
            route = server.routes.get(path) or server.routes.get(urlparse(path).path)
            with lock:
                counts[path] = n = counts.get(path, 0) + 1
                server.hits.append(hit)
            status: int | str
            if route is None:
                status = self._send(404, "text/html", b"<html><title>404</title></html>")
            else:
                if route.delay:
                    server.stopping.wait(route.delay)
                try:
                    status = self._answer(route, n)
                except OSError:
                    status = "gone"  # the client timed out and closed the connection
            hit.status = status

        def _answer(self, route: Route, n: int) -> int:
            if n <= route.fail_first:
                return self._send(500, "text/html", b"<html><title>500</title></html>")
            if route.location:
                return self._send(route.status, "text/html", b"", {"Location": route.location})
            validators = {k: v for k, v in (("ETag", route.etag),
                                             ("Last-Modified", route.last_modified)) if v}
            if (route.etag and self.headers.get("If-None-Match") == route.etag) or (
                    route.last_modified and not route.etag
                    and self.headers.get("If-Modified-Since") == route.last_modified):
                return self._send(304, None, b"", validators)
            if n <= route.fail_first + route.truncate_first:
                return self._send(route.status, route.ctype, route.body, validators,
                                  cut=len(route.body) // 2)
            return self._send(route.status, route.ctype, route.body, validators,
                              drip=route.drip)

        def _send(self, status: int, ctype: str | None, body: bytes,
                  headers: dict[str, str] | None = None, cut: int | None = None,
                  drip: float = 0.0) -> int:
            self.send_response(status)
            if ctype:
                self.send_header("Content-Type", ctype)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            if cut is not None:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            if drip:
                for i in range(len(body)):
                    if server.stopping.wait(drip):
                        break
                    self.wfile.write(body[i:i + 1])
                    self.wfile.flush()
                return status
            self.wfile.write(body if cut is None else body[:cut])
            return status

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@contextmanager
def portal_server(routes: dict[str, Route] | None = None) -> Iterator[PortalServer]:
    """Serve `routes` on 127.0.0.1 (a free port) for the duration of the block."""
    server = PortalServer(dict(routes or {}))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    server.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()  # releases slow handlers
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
        # Let released handlers record their answers before the test reads `hits`.
        deadline = time.monotonic() + 5
        while any(h.status is None for h in server.hits) and time.monotonic() < deadline:
            time.sleep(0.01)
