"""Bring a source's files into the content-addressed raw store (`data/raw/<sha256>.pdf`).

Portals are slow and inconsistent, so a download here:
- goes only to hosts the configuration names, redirects included, each hop checked;
- waits its turn per host (a polite delay); has connect and read timeouts, and a deadline
  for the whole body (a server that drips a byte at a time never trips a read timeout);
- is retried with backoff after a timeout, a 5xx or a truncated body, never after a 4xx;
- asks with If-None-Match / If-Modified-Since when the file was fetched before, so an
  unchanged file is not downloaded again (validators live in `data/fetch-state/`, which the
  fetch step reads without the warehouse's lock);
- is accepted only if it is a PDF. An article page served where the PDF should be is
  followed to its PDF attachments; anything else fails the source with a message saying what
  came instead: an HTML page, an error page, an empty body.

The HTTP rules themselves (hosts, timeouts, deadline, delay, retries, size cap) live in
tasks/http.py; here are the raw store, content sniffing and `Fetcher`, with the Prefect task
at the end.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import tempfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from tasks.config import FetchSettings
from tasks.contracts import FetchedFile, Source
from tasks.errors import FetchError
from tasks.http import Download, HttpClient, Logger
from tasks.pages import attachments, parse_page


def describe_non_pdf(body: bytes, content_type: str | None = None) -> str:
    """Say in words what a body that should have been a PDF is instead."""
    if not body.strip():
        return "an empty body"
    head = body[:4096]
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:  # portals still serve GBK; a cut multibyte char is harmless
        text = head.decode("gb18030", errors="replace")
    lowered = text.lower()
    if "<html" in lowered or "<!doctype html" in lowered or (content_type or "").startswith(
            "text/html"):
        match = re.search(r"<title[^>]*>(.*?)</title>", text, re.S | re.I)
        title = " ".join(html.unescape(match.group(1)).split()) if match else ""
        return f"an HTML page{f' titled {title!r}' if title else ''}"
    if head.startswith(b"PK\x03\x04"):
        return "a ZIP archive (or a .docx/.xlsx)"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old Office document (.doc/.xls)"
    return f"{content_type or 'unknown content'} starting with {head[:16]!r}"


def is_pdf(body: bytes) -> bool:
    """A PDF starts with `%PDF-`; tolerate a BOM or whitespace some servers prepend."""
    return body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"%PDF-")


def store_bytes(body: bytes, raw_dir: Path) -> tuple[Path, str]:
    """Write `body` atomically as `raw_dir/<sha256>.pdf`; the server's file name never counts."""
    digest = hashlib.sha256(body).hexdigest()
    target = raw_dir / f"{digest}.pdf"
    if not target.exists():
        _write_atomic(target, body)
    return target, digest


def _write_atomic(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _read_local(url: str) -> bytes:
    parsed = urlparse(url)
    path = Path(unquote(parsed.path)) if parsed.scheme == "file" else Path(url)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise FetchError(f"{url}: no such file; check the path in the sources file") from None
    except IsADirectoryError:
        raise FetchError(f"{url}: is a directory, not a PDF") from None


class Fetcher(HttpClient):
    """An HTTP client (tasks/http.py) that brings PDFs into the raw store, with conditional
    requests for files fetched before."""

    def __init__(self, settings: FetchSettings, raw_dir: Path | None = None,
                 state_dir: Path | None = None, logger: Logger | None = None) -> None:
        super().__init__(settings, logger)
        self.raw_dir = raw_dir
        self.state_dir = state_dir or (raw_dir.parent / "fetch-state" if raw_dir else None)

    def fetch(self, url: str) -> tuple[FetchedFile, ...]:
        """The PDF(s) at `url`: the file itself, or the PDF attachments of the article page
        served there. Local paths and file:// URLs are read from disk."""
        if urlparse(url).scheme.lower() not in {"http", "https"}:
            if not self.settings.local_files:
                raise FetchError(f"{url}: not an http(s) URL; a portal's sources are fetched "
                                 "from the web only")
            body = _read_local(url)
            if not is_pdf(body):
                raise FetchError(f"{url}: expected a PDF but got {describe_non_pdf(body)}; "
                                 "point the source at the PDF itself")
            path, digest = store_bytes(body, self._raw())
            return (FetchedFile(url=url, path=path, sha256=digest, size=len(body),
                                fetched_at=_now()),)
        download, unchanged = self._conditional(url)
        if unchanged is not None:
            return (unchanged,)
        if is_pdf(download.body):
            return (self._store(url, download),)
        what = describe_non_pdf(download.body, download.content_type)
        if what.startswith("an HTML page"):
            found = attachments(parse_page(download.body, download.final_url,
                                           download.content_type))
            pdfs = [a for a in found if a.is_pdf]
            if pdfs:
                # An article page where the PDF should be: its attachments are the document.
                self.log.info("%s is an article page; following its %d PDF attachment(s): %s",
                              url, len(pdfs), ", ".join(a.name for a in pdfs))
                return tuple(self._attachment(url, a.url, a.name) for a in pdfs)
            if found:
                raise FetchError(
                    f"{url}: expected a PDF but got {what} whose attachments are not PDFs ("
                    f"{', '.join(a.name for a in found)}); yusuan reads PDFs only — ask the "
                    "publisher for the PDF, or convert the file and list it as a local source")
            what += " with no PDF attachment"
        raise FetchError(f"{url}: expected a PDF but got {what}; point the source at the PDF "
                         "attachment itself")

    def _attachment(self, origin: str, url: str, name: str) -> FetchedFile:
        download, unchanged = self._conditional(url)
        if unchanged is not None:
            return replace(unchanged, url=origin)
        if not is_pdf(download.body):
            raise FetchError(f"{origin}: its attachment {name!r} ({url}) is not a PDF either: "
                             f"got {describe_non_pdf(download.body, download.content_type)}")
        return self._store(origin, download)

    def _conditional(self, url: str) -> tuple[Download, FetchedFile | None]:
        """GET `url`, conditionally when an earlier run stored it; a 304 yields that file."""
        state = self._state(url)
        headers = {}
        if state and (self._raw() / f"{state['sha256']}.pdf").exists():
            if state.get("etag"):
                headers["If-None-Match"] = state["etag"]
            if state.get("last_modified"):
                headers["If-Modified-Since"] = state["last_modified"]
        download = self.get(url, headers)
        if download.status != 304:
            return download, None
        if not headers:
            raise FetchError(f"{url}: HTTP 304 Not Modified to a request that was not "
                             "conditional; the server is confused — retry later")
        assert state is not None
        self.log.info("%s: not modified since %s (HTTP 304); using the stored file", url,
                      state["fetched_at"])
        return download, FetchedFile(
            url=url, path=self._raw() / f"{state['sha256']}.pdf", sha256=state["sha256"],
            size=state["size"], final_url=state["final_url"], http_status=state["http_status"],
            etag=state.get("etag"), last_modified=state.get("last_modified"),
            fetched_at=state["fetched_at"], not_modified=True)

    def _store(self, url: str, download: Download) -> FetchedFile:
        path, digest = store_bytes(download.body, self._raw())
        if download.redirects:
            self.log.info("%s: redirected %s", download.url, " -> ".join(download.redirects))
        fetched = FetchedFile(
            url=url, path=path, sha256=digest, size=len(download.body),
            final_url=download.final_url, http_status=download.status,
            etag=download.headers.get("ETag"),
            last_modified=download.headers.get("Last-Modified"), fetched_at=_now())
        if fetched.etag or fetched.last_modified:
            self._save_state(download.url, fetched)
        return fetched

    # -- validators of earlier downloads ---------------------------------------------------

    def _raw(self) -> Path:
        if self.raw_dir is None:
            raise ValueError("this Fetcher has no raw store")
        return self.raw_dir

    def _state_file(self, url: str) -> Path | None:
        if self.state_dir is None:
            return None
        return self.state_dir / f"{hashlib.sha256(url.encode()).hexdigest()}.json"

    def _state(self, url: str) -> dict[str, Any] | None:
        file = self._state_file(url)
        if file is None or not file.exists():
            return None
        try:
            state = json.loads(file.read_text())
        except (json.JSONDecodeError, UnicodeDecodeError):
            # The state is only a cache of validators: without it the file is downloaded.
            self.log.warning("%s: unreadable fetch state %s; downloading again", url, file)
            return None
        return state if isinstance(state, dict) and state.get("url") == url else None

    def _save_state(self, url: str, fetched: FetchedFile) -> None:
        file = self._state_file(url)
        if file is None:
            return
        state = {"url": url, "sha256": fetched.sha256, "size": fetched.size,
                 "final_url": fetched.final_url, "http_status": fetched.http_status,
                 "etag": fetched.etag, "last_modified": fetched.last_modified,
                 "fetched_at": fetched.fetched_at}
        _write_atomic(file, json.dumps(state, ensure_ascii=False, indent=1).encode())


def settings_for(source: Source, settings: FetchSettings | None) -> FetchSettings:
    """The settings to fetch a source with; without a portal, only its own URLs' hosts."""
    settings = settings or FetchSettings()
    if settings.hosts is None:
        settings = replace(settings, hosts=frozenset(
            h for u in source.urls if (h := urlparse(u).hostname)))
    return settings


def fetch_source(source: Source, raw_dir: Path, settings: FetchSettings | None = None,
                 state_dir: Path | None = None, logger: Logger | None = None
                 ) -> tuple[FetchedFile, ...]:
    """Fetch every file of a source, in published order."""
    with Fetcher(settings_for(source, settings), raw_dir, state_dir, logger) as fetcher:
        return tuple(f for url in source.urls for f in fetcher.fetch(url))


# ---- Prefect edge ---------------------------------------------------------------------------
# Retries happen inside, per file, with the portal's backoff: a retried task would download
# the files that already arrived again, and Prefect's delays cannot follow the portal's.

@task(name="fetch", cache_policy=NO_CACHE)
def fetch_task(source: Source, raw_dir: Path, settings: FetchSettings | None = None
               ) -> tuple[FetchedFile, ...]:
    """Download a disclosure's files into the content-addressed raw store."""
    logger = get_run_logger()
    files = fetch_source(source, raw_dir, settings, logger=logger)
    logger.info("%s: %d file(s), %s", source.key, len(files), ", ".join(
        f"{f.sha256[:12]} ({f.size:,} bytes{', not modified' if f.not_modified else ''})"
        for f in files))
    return files
