"""Discover disclosures on a portal: read its listing pages (following pagination), pick the
entries whose titles name a configured department, a year and a kind, read their article
pages and turn the attachments into sources.

- Year and kind come from the document's title (the article's own, else the listing's),
  never from the URL alone: crawlers and CMSs put other years in paths.
- A disclosure published as several PDFs (narrative and tables) is one source with several
  files, narrative first, because that is the page order the extractor counts.
- What is found but not read (a .doc, .xls or .zip attachment) is recorded in the warehouse
  table `discovered` with status 'unsupported', beside every file that is read; nothing a
  portal published is dropped silently.
- An article whose attachments cannot be listed is handed to fetch as it is: fetch follows
  its PDF attachments or fails the source with a message saying what the page holds.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from tasks.config import Portal, PortalDepartment
from tasks.contracts import Kind, Source
from tasks.errors import DiscoveryError, FetchError, HTTPStatusError
from tasks.fetch import Fetcher, is_pdf
from tasks.http import Logger
from tasks.pages import (
    Attachment,
    Link,
    Page,
    attachment_of,
    attachments,
    in_document_order,
    parse_page,
    squash,
)

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年")
_BARE_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
_CN_YEAR = re.compile(r"([〇零○一二三四五六七八九]{4})年")
_CN_DIGITS = str.maketrans("〇零○一二三四五六七八九", "000123456789")
# Links to further listing pages, in the patterns government CMSs use.
_PAGINATION = re.compile(r"/index_\d+\.s?html?$|/column-index-\d+\.shtml$", re.I)
_PAGE_QUERY = re.compile(r"(?:^|&)(?:page|pageno|pageindex|curpage)=\d+(?:&|$)", re.I)
_CUT = ("...", "…", "．．．")  # how listings mark a title cut short
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TitleFacts:
    """What a document title says: whose disclosure, which year, budget or final accounts."""

    department: PortalDepartment | None
    year: int | None
    kind: Kind | None

    def over(self, other: TitleFacts) -> TitleFacts:
        """These facts, completed by `other` where these lack one."""
        return TitleFacts(self.department or other.department, self.year or other.year,
                          self.kind or other.kind)


def title_facts(title: str, departments: tuple[PortalDepartment, ...]) -> TitleFacts:
    """Department, year and kind named by a document title."""
    text = squash(title)
    year = None
    if m := _YEAR.search(text):
        year = int(m.group(1))
    elif m := _CN_YEAR.search(text):
        year = int(m.group(1).translate(_CN_DIGITS))
    elif m := _BARE_YEAR.search(text):
        year = int(m.group(1))
    kind = Kind.FINAL if "决算" in text else Kind.BUDGET if "预算" in text else None
    # The department named first; of two names at the same place, the longer one.
    best: tuple[int, int, PortalDepartment] | None = None
    for dept in departments:
        for name in dept.names:
            at = text.find(squash(name))
            if at >= 0 and (best is None or (at, -len(name)) < best[:2]):
                best = (at, -len(name), dept)
    return TitleFacts(best[2] if best else None, year, kind)


@dataclass(frozen=True)
class Discovered:
    """One link discovery acted on: a row of the warehouse table `discovered`."""

    url: str
    status: str  # pdf | unsupported | article | duplicate
    title: str
    link_text: str
    source_key: str | None = None
    department: str | None = None
    year: int | None = None
    kind: str | None = None
    article_url: str | None = None
    file_no: int | None = None
    note: str = ""


@dataclass(frozen=True)
class Discovery:
    """What a portal lists now: the sources to ingest and everything found on the way."""

    portal: str
    sources: tuple[Source, ...]
    found: tuple[Discovered, ...]
    listing_pages: tuple[str, ...]

    def unsupported(self) -> tuple[Discovered, ...]:
        return tuple(d for d in self.found if d.status == "unsupported")

    def unsupported_results(self) -> list[dict[str, Any]]:
        """The unsupported attachments as lines of the ingest flow's result."""
        return [{"source": d.source_key, "status": "unsupported", "doc_id": "",
                 "version": None, "detail": f"{d.link_text} ({d.url}): {d.note}"}
                for d in self.unsupported()]


def _is_pagination(link: str, listing: str) -> bool:
    """A link to another page of the same listing (same folder, or same path with ?page=)."""
    got, base = urlparse(link), urlparse(listing)
    if got.netloc != base.netloc:
        return False
    if _PAGINATION.search(got.path):
        return got.path.rsplit("/", 1)[0] == base.path.rsplit("/", 1)[0]
    return got.path == base.path and bool(_PAGE_QUERY.search(got.query))


def listing_pages(portal: Portal, listing: str, fetcher: Fetcher) -> list[Page]:
    """Read a listing and its further pages: those its pagination template names (until a
    404 or a page with no new link) and those the pages link to, at most `max_pages`."""
    queue, seen, pages = [listing], {listing}, []
    seen_links: set[str] = set()
    n = portal.first_page
    while queue and len(pages) < portal.max_pages:
        url = queue.pop(0)
        try:
            got = fetcher.get(url)
        except FetchError as exc:
            if pages and isinstance(exc, HTTPStatusError) and exc.status in {404, 410}:
                fetcher.log.info("%s: HTTP 404, the listing ends before this page", url)
                continue
            raise DiscoveryError(f"portal {portal.name!r}: listing page {url} could not be "
                                 f"read: {exc}") from None
        page = parse_page(got.body, got.final_url, got.content_type, portal.encoding)
        new = {link.url for link in page.links} - seen_links
        if pages and not new:
            break  # past the end: some CMSs serve the last (or first) page again
        seen_links |= new
        pages.append(page)
        if portal.pagination:
            next_url = urljoin_template(listing, portal.pagination, n)
            n += 1
            if next_url not in seen:
                seen.add(next_url)
                queue.append(next_url)
        for link in page.links:
            if link.url not in seen and _is_pagination(link.url, listing):
                seen.add(link.url)
                queue.append(link.url)
    return pages


def urljoin_template(listing: str, template: str, n: int) -> str:
    """Listing page `n` from a template relative to the first page: `index_{n}.html`,
    `column-index-{n}.shtml`, `?page={n}`."""
    return urljoin(listing, template.replace("{n}", str(n)))


def _may_want(facts: TitleFacts, portal: Portal) -> bool:
    """Worth reading: names a year or a department (a menu link names neither), and no fact
    it names is one the portal excludes."""
    if facts.year is None and facts.department is None:
        return False
    if facts.year and facts.kind and not facts.department:
        return False  # another department's disclosure
    return ((facts.year is None or not portal.years or facts.year in portal.years)
            and (facts.kind is None or facts.kind in portal.kinds))


def _has_keyword(title: str, portal: Portal) -> bool:
    text = squash(title)
    return any(squash(k) in text for k in portal.keywords)


def listing_entries(portal: Portal, fetcher: Fetcher) -> tuple[list[Link], list[str]]:
    """The links of every listing page whose text contains a keyword, or is cut short
    (`…2025年部门预…`, the keyword may be in the part cut off), each once, in order; and the
    listing pages read."""
    entries: dict[str, Link] = {}
    pages_read: list[str] = []
    for listing in portal.listing:
        for page in listing_pages(portal, listing, fetcher):
            pages_read.append(page.url)
            for link in page.links:
                if link.url not in entries and (_has_keyword(link.label, portal)
                                                or link.label.endswith(_CUT)):
                    entries[link.url] = link
    return list(entries.values()), pages_read


@dataclass(frozen=True)
class _Entry:
    """A listing entry after reading what it links to."""

    link: Link
    facts: TitleFacts
    title: str
    page: Page | None = None  # the article page, when it is one and could be read
    error: str | None = None  # why the article page could not be read

    @property
    def is_file(self) -> bool:
        """The entry links the file itself (a PDF, or a .doc/.xls …), not an article."""
        return self.page is None and self.error is None


def _read_entry(link: Link, portal: Portal, fetcher: Fetcher) -> _Entry:
    listed = title_facts(link.label, portal.departments)
    if attachment_of(link) is not None:
        return _Entry(link, listed, link.label)
    try:
        got = fetcher.get(link.url)
    except FetchError as exc:
        return _Entry(link, listed, link.label, error=str(exc))
    if is_pdf(got.body):
        return _Entry(link, listed, link.label)
    page = parse_page(got.body, got.final_url, got.content_type, portal.encoding)
    # The article's own title is the document's title; the listing's may be cut short.
    facts = title_facts(page.title, portal.departments).over(listed)
    return _Entry(link, facts, page.title or link.label, page=page)


def _article_files(entry: _Entry, common: dict[str, Any]
                   ) -> tuple[list[str], list[Discovered]]:
    """The URLs a source found on an article page is fetched from, and what discovery
    records about them."""
    link = entry.link
    if entry.page is None:
        return [link.url], [Discovered(link.url, "article", link_text=link.label, **common,
                                       note=f"unreadable during discovery ({entry.error}); "
                                            "handed to fetch as it is")]
    files: list[str] = []
    found: list[Discovered] = []
    for att in attachments(entry.page):
        if att.is_pdf:
            files.append(att.url)
            found.append(Discovered(att.url, "pdf", link_text=att.name, **common,
                                    article_url=link.url, file_no=len(files)))
        else:
            found.append(Discovered(att.url, "unsupported", link_text=att.name, **common,
                                    article_url=link.url, note=f".{att.ext} is not read "
                                    "(yusuan reads PDFs only); not fetched"))
    if not files:
        files = [link.url]
        found.append(Discovered(link.url, "article", link_text=link.label, **common,
                                note="no PDF attachment on the article page; fetch says "
                                     "what it holds"))
    return files, found


def _listed_files(listed: list[tuple[Attachment, dict[str, Any]]]
                  ) -> tuple[list[str], list[Discovered]]:
    """Files the listing links directly, grouped by source: narrative and tables listed as
    two entries are one disclosure. Without a PDF among them, the first file goes to fetch,
    which says what it is."""
    ordered = in_document_order([att for att, _ in listed])
    common = {att.url: c for att, c in listed}
    files = [att.url for att in ordered if att.is_pdf] or [ordered[0].url]
    found = []
    for att in ordered:
        if att.url in files:
            note = "" if att.is_pdf else (f"the disclosure is listed only as a .{att.ext} "
                                          "file; fetch will fail it (yusuan reads PDFs only)")
            found.append(Discovered(att.url, "pdf" if att.is_pdf else "unsupported",
                                    link_text=att.name, file_no=files.index(att.url) + 1,
                                    note=note, **common[att.url]))
        else:
            found.append(Discovered(att.url, "unsupported", link_text=att.name,
                                    note=f".{att.ext} is not read (yusuan reads PDFs only); "
                                         "not fetched", **common[att.url]))
    return files, found


def discover(portal: Portal, fetcher: Fetcher) -> Discovery:
    """Every disclosure the portal lists that its configuration asks for."""
    entries, pages_read = listing_entries(portal, fetcher)
    sources: dict[str, Source] = {}
    found: list[Discovered] = []
    listed: dict[str, list[tuple[Attachment, dict[str, Any]]]] = {}  # files linked directly
    for position, link in enumerate(entries):
        if not _may_want(title_facts(link.label, portal.departments), portal):
            continue
        entry = _read_entry(link, portal, fetcher)
        if not _has_keyword(entry.title, portal):
            if entry.error:
                fetcher.log.warning("%s (%r): skipped, its page could not be read: %s",
                                    link.url, link.label, entry.error)
            continue  # a cut listing title of something else
        dept, year, kind = entry.facts.department, entry.facts.year, entry.facts.kind
        if dept is None or year is None or kind is None:
            if _may_want(entry.facts, portal):
                fetcher.log.warning("%s: title %r names no %s; skipped", link.url, entry.title,
                                    "department" if dept is None else "year" if year is None
                                    else "budget (预算) or final accounts (决算)")
            continue
        if (portal.years and year not in portal.years) or kind not in portal.kinds:
            continue
        key = f"{dept.id}/{year}/{kind}"
        common: dict[str, Any] = dict(title=entry.title, source_key=key, department=dept.id,
                                      year=year, kind=kind.value)
        source = Source(department=dept.id, name=dept.name, year=year, kind=kind,
                        urls=(link.url,))
        if entry.is_file and (key not in sources or key in listed):
            # A PDF served at a link without a document extension counts as a PDF.
            att = attachment_of(link, position) or Attachment(link.url, link.label, "pdf",
                                                              position)
            listed.setdefault(key, []).append((att, common))
            sources.setdefault(key, source)
        elif key in sources:
            found.append(Discovered(link.url, "duplicate", link_text=link.label, **common,
                                    note=f"{key} was already found at {sources[key].urls[0]};"
                                         " the first listed (usually the newest) is used"))
        else:
            files, records = _article_files(entry, common)
            found.extend(records)
            sources[key] = replace(source, urls=tuple(files))
    for key, files_listed in listed.items():
        files, records = _listed_files(files_listed)
        found.extend(records)
        sources[key] = replace(sources[key], urls=tuple(files))
    return Discovery(portal.name, tuple(sources.values()), tuple(found), tuple(pages_read))


def run_discovery(portal: Portal, warehouse: Path | None = None,
                  logger: Logger | None = None, run_id: str | None = None) -> Discovery:
    """Discover, record what was found in the warehouse (when given), and say so."""
    logger = logger or log
    with Fetcher(portal.fetch, logger=logger) as fetcher:
        discovery = discover(portal, fetcher)
    if not discovery.sources:
        raise DiscoveryError(
            f"portal {portal.name!r}: no disclosure found on {len(discovery.listing_pages)} "
            f"listing page(s) ({', '.join(portal.listing)}) whose title contains one of "
            f"{', '.join(portal.keywords)}, a year"
            f"{' in ' + ', '.join(map(str, portal.years)) if portal.years else ''} and one of "
            f"the departments {', '.join(d.name for d in portal.departments)}; check the "
            "portal's keywords, years and department names (aliases) against the listing")
    if warehouse is not None:
        from tasks.load import record_discovery
        from tasks.warehouse import connect

        con = connect(warehouse)
        try:
            record_discovery(con, discovery, run_id)
        finally:
            con.close()
    for d in discovery.unsupported():
        logger.warning("%s: attachment %r is not a PDF; recorded as unsupported in table "
                       "`discovered`", d.source_key, d.link_text)
    logger.info("portal %s: %d listing page(s), %d source(s): %s", portal.name,
                len(discovery.listing_pages), len(discovery.sources),
                ", ".join(f"{s.key} ({len(s.urls)} file(s))" for s in discovery.sources))
    return discovery


# ---- Prefect edge ---------------------------------------------------------------------------

@task(name="discover", cache_policy=NO_CACHE)
def discover_task(portal: Portal, warehouse: Path) -> Discovery:
    """Find the disclosures a portal lists and record what was found in the warehouse."""
    return run_discovery(portal, warehouse, get_run_logger(),
                         str(flow_run.id) if flow_run.id else None)
