"""HTTP for slow, inconsistent portals: one `requests` session per client that keeps the
rules of a `FetchSettings`.

- Only hosts the configuration names are asked, redirects included, each hop checked.
- Requests to one host take turns, `delay_seconds` apart, across the threads of a process.
- Connect and read timeouts bound each wait, and a deadline bounds a whole body: a server that
  drips a byte at a time never trips a read timeout.
- Timeouts, 5xx and truncated bodies are retried with backoff; a 4xx never is.
- Bodies are read whole, within the size cap; a short body (Content-Length) is detected.

`tasks/fetch.py` builds the raw store on this, `tasks/discover.py` reads listings with it.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urljoin, urlparse

import requests

from tasks.config import FetchSettings
from tasks.errors import FetchError, HTTPStatusError, RetryableError

MAX_REDIRECTS = 10
Logger = logging.Logger | logging.LoggerAdapter  # type: ignore[type-arg]
log = logging.getLogger(__name__)


# ---- politeness ----------------------------------------------------------------------------
# One schedule per host for the whole process, so that sources fetched concurrently (one
# Prefect task each, in threads) still take turns.

_next_slot: dict[str, float] = {}
_slot_lock = threading.Lock()


def wait_turn(host: str, delay: float) -> None:
    """Reserve the next request slot of `host`, `delay` seconds after the previous one."""
    if delay <= 0:
        return
    with _slot_lock:
        now = time.monotonic()
        start = max(now, _next_slot.get(host, 0.0))
        _next_slot[host] = start + delay
    if start > now:
        time.sleep(start - now)


# ---- HTTP ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Download:
    """One HTTP answer, read whole, after redirects."""

    url: str  # as requested
    final_url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    redirects: tuple[str, ...] = ()

    @property
    def content_type(self) -> str | None:
        return self.headers.get("Content-Type")


class HttpClient:
    """One `requests` session that keeps the rules of a `FetchSettings`: allowed hosts,
    timeouts, the download deadline, per-host delay, retries with backoff, the size cap."""

    def __init__(self, settings: FetchSettings, logger: Logger | None = None) -> None:
        if settings.hosts is None:
            raise ValueError("an HTTP client needs settings.hosts; fetch_source fills it in")
        self.settings = settings
        self.log = logger or log
        self.session = requests.Session()
        self.session.headers["User-Agent"] = settings.user_agent

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.session.close()

    def get(self, url: str, headers: Mapping[str, str] | None = None) -> Download:
        """GET with retries: timeouts, 5xx and truncated bodies are retried with backoff;
        the last failure becomes a FetchError that says how many attempts were made."""
        attempts = self.settings.retries + 1
        for attempt in range(1, attempts + 1):
            try:
                return self._get_once(url, headers or {})
            except RetryableError as exc:
                if attempt == attempts:
                    hint = ("; if the portal is only slow, raise `read_timeout` of the portal"
                            if "no response within" in str(exc) else "")
                    raise FetchError(f"{exc} (gave up after {attempts} attempt"
                                     f"{'s' if attempts > 1 else ''}); the portal is slow or "
                                     f"failing: retry later{hint}") from exc
                backoff = self.settings.backoff_seconds
                pause = backoff[min(attempt - 1, len(backoff) - 1)]
                self.log.warning("%s; retry %d of %d in %g s", exc, attempt, attempts - 1,
                                 pause)
                time.sleep(pause)
        raise AssertionError("unreachable")  # the loop returns or raises

    def allowed(self, url: str) -> None:
        """Refuse a URL outside http(s) or on a host the configuration does not name."""
        parsed = urlparse(url)
        if parsed.scheme.lower() not in {"http", "https"}:
            raise FetchError(f"{url}: only http and https are fetched from the web")
        hosts = self.settings.hosts or frozenset()
        if (parsed.hostname or "") not in hosts:
            raise FetchError(f"{url}: host {parsed.hostname!r} is not named in the "
                             f"configuration (allowed: {', '.join(sorted(hosts))}); if it "
                             "serves the portal's files, add it to `hosts` of the portal")

    def _get_once(self, url: str, headers: Mapping[str, str]) -> Download:
        s = self.settings
        current, redirects = url, []
        for _ in range(MAX_REDIRECTS + 1):
            try:
                self.allowed(current)
            except FetchError as exc:
                if not redirects:
                    raise
                raise FetchError(f"{url}: redirected to {current}, refused: {exc}") from None
            wait_turn(urlparse(current).hostname or "", s.delay_seconds)
            try:
                response = self.session.get(current, headers=dict(headers), stream=True,
                                            allow_redirects=False,
                                            timeout=(s.connect_timeout, s.read_timeout))
            except requests.Timeout:
                raise RetryableError(f"{current}: no response within {s.read_timeout:g} s "
                                     f"(connect timeout {s.connect_timeout:g} s)") from None
            except requests.ConnectionError as exc:
                raise RetryableError(f"{current}: cannot connect ({_reason(exc)})") from None
            except requests.RequestException as exc:
                raise FetchError(f"{current}: request failed ({exc})") from None
            with response:
                if response.is_redirect:
                    current = urljoin(current, response.headers["Location"])
                    redirects.append(current)
                    continue
                return self._read(url, current, response, tuple(redirects))
        raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects (last {current}); the "
                         "link loops — open it in a browser to find the file")

    def _read(self, url: str, current: str, response: requests.Response,
              redirects: tuple[str, ...]) -> Download:
        status, reason = response.status_code, response.reason or ""
        if status >= 500:
            raise RetryableError(f"{current}: HTTP {status} {reason}".rstrip())
        if status == 429:
            raise HTTPStatusError(f"{current}: HTTP 429 Too Many Requests; the portal asks us "
                                  "to slow down: raise `delay_seconds` of the portal", status)
        if status >= 400:
            raise HTTPStatusError(f"{current}: HTTP {status} {reason}".rstrip() + "; the file "
                                  "is not there — check the link, or re-run discovery", status)
        if status == 304:
            return Download(url, current, status, response.headers, b"", redirects)
        if not 200 <= status < 300:
            raise FetchError(f"{current}: unexpected HTTP {status} {reason}".rstrip())
        cap = self.settings.max_bytes
        announced = response.headers.get("Content-Length", "")
        expected = int(announced) if announced.isdigit() else None
        if expected is not None and expected > cap:
            raise FetchError(f"{current}: announces {expected:,} bytes, over the size cap of "
                             f"{cap:,}; refused (raise `max_mb` of the portal if it is real)")
        body = self._body(current, response, expected)
        return Download(url, current, status, response.headers, body, redirects)

    def _body(self, current: str, response: requests.Response, expected: int | None) -> bytes:
        """Read a body whole, within the size cap and the download deadline. The read timeout
        bounds each silence only: a server that drips a byte at a time never trips it, so a
        watchdog shuts the socket when `download_timeout` is up and the read ends there."""
        cap, limit = self.settings.max_bytes, self.settings.download_timeout
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            try:
                response.raw.shutdown()  # urllib3 >= 2.3: unblocks a read in another thread
            except (AttributeError, ValueError, RuntimeError, OSError):
                pass  # already released or closed: the read is over anyway

        def too_slow(size: int) -> RetryableError:
            return RetryableError(
                f"{current}: body still arriving after {limit:g} s ({size:,} bytes read"
                + (f" of {expected:,}" if expected is not None else "") + "); raise "
                "`download_timeout` of the portal if the file is large and the portal slow")

        watchdog = threading.Timer(limit, expire)
        watchdog.daemon = True
        watchdog.start()
        chunks, size = [], 0
        try:
            for chunk in response.iter_content(1 << 16):
                size += len(chunk)
                if size > cap:
                    raise FetchError(f"{current}: more than the size cap of {cap:,} bytes; "
                                     "refused (raise `max_mb` of the portal if it is real)")
                chunks.append(chunk)
        except requests.Timeout:
            raise RetryableError(f"{current}: no response within {self.settings.read_timeout:g}"
                                 f" s in the middle of the body ({size:,} bytes read)") from None
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
            # urllib3 drops the partial chunk it raises on; the socket's count has it.
            size = max(size, response.raw.tell())
            if expired.is_set():
                raise too_slow(size) from None
            if expected is not None and size < expected:
                raise RetryableError(f"{current}: truncated body ({size:,} of {expected:,} "
                                     "bytes)") from None
            raise RetryableError(f"{current}: body interrupted after {size:,} bytes "
                                 f"({_reason(exc)})") from None
        finally:
            watchdog.cancel()
        body = b"".join(chunks)
        if expired.is_set():  # the shut socket read as an early end of the body
            raise too_slow(max(len(body), response.raw.tell()))
        # A compressed body's Content-Length counts compressed bytes; urllib3 checks those.
        if expected is not None and expected != len(body) and not response.headers.get(
                "Content-Encoding"):
            raise RetryableError(f"{current}: truncated body ({len(body):,} of {expected:,} "
                                 "bytes)")
        return body


def _reason(exc: BaseException) -> str:
    """The operating system's words from a requests error (`Connection refused`), without
    urllib3's pool and object reprs."""
    text = str(exc)
    match = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", text)
    if match:
        return match.group(1).strip()
    match = re.search(r"\(Caused by \w+\((?:'[^']*'|\"[^\"]*\"|<[^>]*>)?,?\s*'?([^']+)", text)
    return (match.group(1) if match else text).strip() or type(exc).__name__
