"""fetch over real HTTP on 127.0.0.1: what is accepted, what fails and how it says so."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tasks.errors import FetchError, RetryableError
from tasks.fetch import fetch_url

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
HTML = "<html><head><title>部门预算公开</title></head><body>附件</body></html>".encode("gbk")


class Handler(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str, bytes]] = {
        "/ok.pdf": (200, "application/pdf", PDF),
        "/page.pdf": (200, "text/html; charset=gbk", HTML),
        "/empty.pdf": (200, "application/pdf", b""),
        "/gone.pdf": (404, "text/html", b"not found"),
        "/broken.pdf": (500, "text/plain", b"oops"),
    }

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        status, ctype, body = self.routes.get(self.path, (404, "text/plain", b""))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_pdf_is_stored_under_its_hash(server: str, tmp_path: Path):
    got = fetch_url(f"{server}/ok.pdf", tmp_path)
    assert got.path == tmp_path / f"{got.sha256}.pdf"
    assert got.path.read_bytes() == PDF
    assert (got.http_status, got.size) == (200, len(PDF))


def test_html_served_as_pdf_fails_saying_what_came(server: str, tmp_path: Path):
    with pytest.raises(FetchError, match="expected a PDF but got an HTML page titled '部门预算公开'"):
        fetch_url(f"{server}/page.pdf", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_empty_body_fails(server: str, tmp_path: Path):
    with pytest.raises(FetchError, match="got an empty body"):
        fetch_url(f"{server}/empty.pdf", tmp_path)


def test_404_is_terminal_and_500_is_retryable(server: str, tmp_path: Path):
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch_url(f"{server}/gone.pdf", tmp_path)
    with pytest.raises(RetryableError, match="HTTP 500"):
        fetch_url(f"{server}/broken.pdf", tmp_path)


def test_local_paths(tmp_path: Path):
    src = tmp_path / "a.pdf"
    src.write_bytes(PDF)
    assert fetch_url(str(src), tmp_path / "raw").sha256 == fetch_url(
        src.as_uri(), tmp_path / "raw").sha256
    with pytest.raises(FetchError, match="no such file"):
        fetch_url(str(tmp_path / "missing.pdf"), tmp_path / "raw")
