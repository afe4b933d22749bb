"""Read the HTML pages of government portals: decode them (UTF-8, GBK/GB2312, as declared or
detected), take their title and links, and find the files attached to an article page.

Plain functions, no I/O: discovery reads listing and article pages with them, and fetch
uses them to follow an article page served where a PDF should be.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import PurePosixPath
from urllib.parse import parse_qsl, unquote, urldefrag, urljoin, urlparse

# What an attachment link can point at. Only PDFs are read; the others are recorded as
# unsupported so that nothing a portal published is dropped silently.
PDF = "pdf"
DOCUMENT_EXTENSIONS = frozenset({PDF, "doc", "docx", "wps", "xls", "xlsx", "et", "csv", "ofd",
                                 "zip", "rar", "7z"})

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_EXTENSION = re.compile(r"\.([A-Za-z0-9]{1,5})\s*$")
# Titles carry the site's name after a separator: "…2026年单位预算情况说明_重庆市水利局".
_SITE_SUFFIX = re.compile(r"\s*(?:_|\s[-|–—]\s|\|)\s*[^_|]*$")
# Which attachment is the narrative and which the tables: the narrative's pages come first.
_NARRATIVE_WORDS = ("说明", "正文", "文字", "概况")
_TABLE_WORDS = ("表",)


def codec_name(label: str | None) -> str | None:
    """The Python codec for a declared charset; GB2312 and GBK are read as their superset."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in {"gb2312", "gbk", "gb_2312-80", "x-gbk", "gb18030", "cp936", "euc-cn"}:
        return "gb18030"  # pages declared GB2312 routinely contain GBK-only characters
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(body: bytes, content_type: str | None = None, encoding: str | None = None
                ) -> str:
    """Decode a page: the configured encoding, else the HTTP or <meta> charset, else detect.

    A declaration that does not decode is not trusted (portals mislabel GBK pages as UTF-8);
    detection tries UTF-8 and falls back to GB18030, which covers GBK and GB2312.
    """
    declared = [encoding, None, None]
    if content_type and (m := _HEADER_CHARSET.search(content_type)):
        declared[1] = m.group(1)
    if m := _META_CHARSET.search(body[:8192]):
        declared[2] = m.group(1).decode("ascii")
    if body.startswith(codecs.BOM_UTF8):
        return body[3:].decode("utf-8", errors="replace")
    for label in [*declared, "utf-8"]:
        codec = codec_name(label)
        if codec:
            try:
                return body.decode(codec)
            except UnicodeDecodeError:
                continue
    return body.decode("gb18030", errors="replace")


def squash(text: str) -> str:
    """Text for matching: NFKC (full-width digits and brackets) with all white space removed."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass(frozen=True)
class Link:
    """An <a href> of a page, resolved against the page's URL."""

    url: str
    text: str
    title: str = ""

    @property
    def label(self) -> str:
        """What the link says: its title attribute when the text is cut short (`…`), or
        whichever is longer."""
        text, title = self.text, self.title
        return title if len(squash(title)) > len(squash(text).rstrip(".…")) else text


@dataclass(frozen=True)
class Page:
    """A portal page: its document title and its links in page order."""

    url: str
    title: str
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Attachment:
    """A file linked from an article page."""

    url: str
    name: str  # the link's text or title, else the file name in the URL
    ext: str  # lower-case extension: "pdf", "xls", …
    position: int  # order on the page

    @property
    def is_pdf(self) -> bool:
        return self.ext == PDF


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []
        self.meta: dict[str, str] = {}
        self.title: list[str] = []
        self.h1: str | None = None
        self.base: str | None = None
        self._a: tuple[str, str, list[str]] | None = None
        self._in_title = False
        self._h1: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): v or "" for k, v in attrs}
        if tag == "a":
            self._close_a()
            if a.get("href"):
                self._a = (a["href"], a.get("title", ""), [])
        elif tag == "title":
            self._in_title = True
        elif tag == "meta" and a.get("name") and a.get("content"):
            self.meta.setdefault(a["name"].lower(), a["content"])
        elif tag == "h1" and self.h1 is None:
            self._h1 = []
        elif tag == "base" and a.get("href") and self.base is None:
            self.base = a["href"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._close_a()
        elif tag == "title":
            self._in_title = False
        elif tag == "h1" and self._h1 is not None:
            self.h1, self._h1 = " ".join("".join(self._h1).split()), None

    def handle_data(self, data: str) -> None:
        if self._a is not None:
            self._a[2].append(data)
        if self._in_title:
            self.title.append(data)
        if self._h1 is not None:
            self._h1.append(data)

    def _close_a(self) -> None:
        if self._a is not None:
            href, title, text = self._a
            self.links.append((href, " ".join(title.split()), " ".join("".join(text).split())))
            self._a = None


def parse_page(body: bytes, url: str, content_type: str | None = None,
               encoding: str | None = None) -> Page:
    """Title and links of an HTML page; links are absolute, without fragments, in order."""
    reader = _Reader()
    reader.feed(decode_html(body, content_type, encoding))
    reader.close()
    reader._close_a()
    base = urljoin(url, reader.base) if reader.base else url
    links = []
    for href, title, text in reader.links:
        href = href.strip()
        if not href or href.startswith("#"):
            continue
        absolute = urldefrag(urljoin(base, href)).url
        # Only web links: a page must never point us at a local file (file://) or a script.
        if urlparse(absolute).scheme.lower() in {"http", "https"}:
            links.append(Link(absolute, text, title))
    # The CMS's ArticleTitle is the document's own; the browser title carries the site's
    # name after a separator; an <h1> is often the site's logo, so it comes last.
    title = (reader.meta.get("articletitle")
             or _SITE_SUFFIX.sub("", " ".join("".join(reader.title).split())) or reader.h1 or "")
    return Page(url, " ".join(title.split()), tuple(links))


def _extension(name: str) -> str | None:
    match = _EXTENSION.search(name)
    ext = match.group(1).lower() if match else None
    return ext if ext in DOCUMENT_EXTENSIONS else None


def attachment_of(link: Link, position: int = 0) -> Attachment | None:
    """The file a link points at, if it points at a document: by the URL's extension, else
    the link's text (`<a href="/down.jsp?id=7">预算公开表.pdf</a>`), else a `filename=`."""
    parsed = urlparse(link.url)
    path_name = PurePosixPath(unquote(parsed.path)).name
    ext = _extension(path_name) or _extension(link.text) or _extension(link.title)
    if ext is None:
        for key, value in parse_qsl(parsed.query):
            if key.lower() in {"filename", "file", "name", "fn"} and (ext := _extension(value)):
                break
    if ext is None:
        return None
    return Attachment(link.url, link.label or path_name, ext, position)


def _rank(att: Attachment) -> int:
    name = squash(att.name)
    if any(w in name for w in _NARRATIVE_WORDS):
        return 0
    if any(w in name for w in _TABLE_WORDS):
        return 2
    return 1


def in_document_order(found: list[Attachment]) -> list[Attachment]:
    """PDFs first, narrative before tables (that is the page order of the document),
    otherwise in the order they were linked."""
    return sorted(found, key=lambda a: (not a.is_pdf, _rank(a), a.position))


def attachments(page: Page) -> list[Attachment]:
    """The files an article page links to, each once, in document order."""
    found: dict[str, Attachment] = {}
    for i, link in enumerate(page.links):
        att = attachment_of(link, i)
        if att is not None and att.url not in found:
            found[att.url] = att
    return in_document_order(list(found.values()))
