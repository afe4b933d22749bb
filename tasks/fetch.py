"""Bring a source's files into the content-addressed raw store (`data/raw/<sha256>.pdf`).

Plain functions first; the Prefect task (with the only retries of the pipeline) sits at the
end. A body is accepted only if it is a PDF: an HTML page served as `.pdf`, an error page or
an empty body fails the source with a message saying what came instead.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlparse

import requests
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from tasks.contracts import FetchedFile, Source
from tasks.errors import FetchError, RetryableError

USER_AGENT = "yusuan/0.1 (budget-disclosure consistency checker; +https://example.invalid/yusuan)"
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 60.0
MAX_BYTES = 200 * 1024 * 1024


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
        title = html.unescape(match.group(1)).strip() if match else ""
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
    raw_dir.mkdir(parents=True, exist_ok=True)
    target = raw_dir / f"{digest}.pdf"
    if not target.exists():
        fd, tmp = tempfile.mkstemp(dir=raw_dir, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(body)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return target, digest


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


def _read_http(url: str, session: requests.Session) -> tuple[bytes, requests.Response]:
    try:
        response = session.get(url, timeout=(CONNECT_TIMEOUT, READ_TIMEOUT), stream=True,
                               headers={"User-Agent": USER_AGENT})
    except (requests.Timeout, requests.ConnectionError) as exc:
        raise RetryableError(f"{url}: {type(exc).__name__}: {exc}") from exc
    with response:
        if response.status_code >= 500:
            raise RetryableError(f"{url}: HTTP {response.status_code}")
        if response.status_code >= 400:
            raise FetchError(f"{url}: HTTP {response.status_code}; the file is not there — "
                             "check the URL or re-run discovery")
        chunks, size = [], 0
        try:
            for chunk in response.iter_content(1 << 16):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise FetchError(f"{url}: larger than {MAX_BYTES // 2**20} MiB; refused")
                chunks.append(chunk)
        except (requests.Timeout, requests.ConnectionError) as exc:
            raise RetryableError(f"{url}: body interrupted: {exc}") from exc
        body = b"".join(chunks)
        expected = response.headers.get("Content-Length")
        if expected and expected.isdigit() and int(expected) != len(body) and not \
                response.headers.get("Content-Encoding"):
            raise RetryableError(f"{url}: truncated body ({len(body)} of {expected} bytes)")
        return body, response


def fetch_url(url: str, raw_dir: Path, session: requests.Session | None = None) -> FetchedFile:
    """Fetch one file (local path, file:// or http(s)://) into the raw store."""
    scheme = urlparse(url).scheme.lower()
    response = None
    if scheme in {"http", "https"}:
        body, response = _read_http(url, session or requests.Session())
    else:
        body = _read_local(url)
    if not is_pdf(body):
        what = describe_non_pdf(body, response.headers.get("Content-Type") if response else None)
        raise FetchError(f"{url}: expected a PDF but got {what}; "
                         "point the source at the PDF attachment itself")
    path, digest = store_bytes(body, raw_dir)
    return FetchedFile(
        url=url, path=path, sha256=digest, size=len(body),
        final_url=response.url if response is not None else None,
        http_status=response.status_code if response is not None else None,
        etag=response.headers.get("ETag") if response is not None else None,
        last_modified=response.headers.get("Last-Modified") if response is not None else None,
        fetched_at=_now(),
    )


def fetch_source(source: Source, raw_dir: Path,
                 session: requests.Session | None = None) -> tuple[FetchedFile, ...]:
    """Fetch every file of a source, in published order."""
    session = session or requests.Session()
    return tuple(fetch_url(url, raw_dir, session) for url in source.urls)


# ---- Prefect edge ---------------------------------------------------------------------------

def _retryable(task, task_run, state) -> bool:  # noqa: ANN001 - Prefect's callback signature
    """Retry only what a retry can cure: timeouts, 5xx, truncated bodies."""
    exc = state.result(raise_on_failure=False)
    return isinstance(exc, RetryableError)


@task(name="fetch", retries=3, retry_delay_seconds=[2, 10, 30], retry_condition_fn=_retryable,
      cache_policy=NO_CACHE)
def fetch_task(source: Source, raw_dir: Path) -> tuple[FetchedFile, ...]:
    """Download a disclosure's files into the content-addressed raw store."""
    files = fetch_source(source, raw_dir)
    get_run_logger().info("%s: fetched %d file(s), %s", source.key, len(files),
                          ", ".join(f"{f.sha256[:12]} ({f.size:,} bytes)" for f in files))
    return files
