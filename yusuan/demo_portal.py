"""A government portal on 127.0.0.1, made from the [[source]] files of a sources file, so that
`yusuan demo --portal` runs the real discovery and HTTP path offline.

It looks like the TRS-style portals most departments use: a GBK listing with `index_N.html`
pagination, one article page per disclosure with relative `./P0….pdf` attachment links
(narrative and tables as two attachments where the source has two files), and PDFs served
with ETag and Last-Modified, answering 304 when they are unchanged.

Run it on its own with `python -m yusuan.demo_portal` and ingest from another terminal with
`yusuan ingest --portal fixtures`.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

from tasks.config import load_portal, load_sources
from tasks.contracts import Kind, Source
from tasks.errors import ConfigError

DEMO_PORTAL = "fixtures"
PER_PAGE = 2  # small, so that the four fixtures need pagination


@dataclass(frozen=True)
class _File:
    body: bytes
    etag: str
    last_modified: str


def _kind_word(kind: Kind) -> str:
    return "部门预算" if kind is Kind.BUDGET else "部门决算"


def _attachment_name(source: Source, i: int, path: Path) -> str:
    base = f"{source.name}{source.year}年{_kind_word(source.kind)}"
    if len(source.urls) == 1:
        return f"{base}.pdf"
    label = {"narrative": "情况说明", "tables": "公开表"}.get(path.stem, path.stem)
    return f"附件{i}：{base}{label}.pdf"


def _page(title: str, body: str) -> bytes:
    return (f'<!DOCTYPE html>\n<html><head>\n<meta http-equiv="Content-Type" '
            f'content="text/html; charset=gb2312">\n<title>{html.escape(title)}_演示门户</title>'
            f'\n</head><body>\n<div class="nav"><a href="/">首页</a> <a href="./">预算公开</a>'
            f'</div>\n{body}\n</body></html>\n').encode("gb18030")


def build_site(sources: Sequence[Source], listing_path: str) -> dict[str, bytes | _File]:
    """Every path of the demo portal and what it serves."""
    folder = PurePosixPath(listing_path).parent
    site: dict[str, bytes | _File] = {}
    items = []
    for n, source in enumerate(sources, start=1):
        article = folder / f"{source.year}03" / f"t{source.year}0315_{n}.html"
        title = f"{source.name}{source.year}年{_kind_word(source.kind)}公开"
        links = []
        for i, url in enumerate(source.urls, start=1):
            path = Path(unquote(urlparse(url).path) if url.startswith("file:") else url)
            body = path.read_bytes()
            digest = hashlib.sha256(body).hexdigest()
            name = f"P0{source.year}0315{digest[:12]}.pdf"
            site[str(article.parent / name)] = _File(
                body, f'"{digest[:32]}"', formatdate(path.stat().st_mtime, usegmt=True))
            links.append(f'<p><a href="./{name}">{html.escape(_attachment_name(source, i, path))}'
                         "</a></p>")
        site[str(article)] = _page(title, f"<h1>{html.escape(title)}</h1>\n"
                                     f"<p>附件：</p>\n{''.join(links)}")
        items.append(f'<li><a href="./{article.relative_to(folder)}" '
                     f'title="{html.escape(title)}">{html.escape(title)}</a>'
                     f"<span>{source.year}-03-15</span></li>")
    pages = [items[i:i + PER_PAGE] for i in range(0, len(items), PER_PAGE)] or [[]]
    for p, chunk in enumerate(pages):
        name = "index.html" if p == 0 else f"index_{p}.html"
        more = f'<a href="index_{p + 1}.html">下一页</a>' if p + 1 < len(pages) else ""
        site[str(folder / name)] = _page("预算公开", f"<ul>{''.join(chunk)}</ul>\n"
                                                 f'<div class="page">{more}</div>')
    return site


class _Handler(BaseHTTPRequestHandler):
    site: dict[str, bytes | _File] = {}

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        found = self.site.get(urlparse(self.path).path)
        if found is None:
            return self._send(404, "text/html; charset=gb2312", _page("404", "<p>页面不存在</p>"))
        if isinstance(found, bytes):
            return self._send(200, "text/html; charset=gb2312", found)
        if self.headers.get("If-None-Match") == found.etag:
            return self._send(304, None, b"", {"ETag": found.etag})
        self._send(200, "application/pdf", found.body,
                   {"ETag": found.etag, "Last-Modified": found.last_modified})

    def _send(self, status: int, ctype: str | None, body: bytes,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve_portal(sources_file: str | Path | None = None, portal: str = DEMO_PORTAL
                 ) -> Iterator[str]:
    """Serve the [[source]] files of a sources file at the first listing URL of `portal`
    (which must be on 127.0.0.1); yield that URL; stop the server on exit."""
    listing = urlparse(load_portal(portal, sources_file).listing[0])
    if listing.hostname != "127.0.0.1" or not listing.port:
        raise ConfigError(f"portal {portal!r}: the demo portal serves on 127.0.0.1 with an "
                          f"explicit port; its listing is {listing.geturl()}")
    sources = [s for s in load_sources(sources_file)
               if not any(u.startswith(("http:", "https:")) for u in s.urls)]
    handler = type("Handler", (_Handler,), {"site": build_site(sources, listing.path)})
    try:
        httpd = ThreadingHTTPServer(("127.0.0.1", listing.port), handler)
    except OSError as exc:
        raise ConfigError(f"portal {portal!r}: cannot serve on 127.0.0.1:{listing.port} "
                          f"({exc.strerror}); stop what uses the port or change the portal's "
                          "listing URL") from None
    thread = threading.Thread(target=httpd.serve_forever, name="demo-portal", daemon=True)
    thread.start()
    try:
        yield listing.geturl()
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", help="sources TOML (default config/sources.toml)")
    parser.add_argument("--portal", default=DEMO_PORTAL)
    args = parser.parse_args(argv)
    with serve_portal(args.sources, args.portal) as url:
        print(f"serving portal {args.portal!r} at {url}; Ctrl-C stops it")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
