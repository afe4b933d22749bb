"""Discovery against listing pages served on 127.0.0.1: titles, pagination patterns,
encodings, attachments, and what is recorded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pdfgen import tiny_pdf
from portal_server import Route, portal_server
from tasks.config import FetchSettings, Portal, PortalDepartment
from tasks.contracts import Kind
from tasks.discover import run_discovery, title_facts
from tasks.errors import DiscoveryError
from tasks.warehouse import connect

HRSS = PortalDepartment("xj-hrss", "自治区人力资源和社会保障厅", ("自治区人社厅",))
CZT = PortalDepartment("xj-czt", "自治区财政厅")
FAST = FetchSettings(hosts=frozenset({"127.0.0.1"}), delay_seconds=0, retries=0,
                     read_timeout=2)


def _portal(listing: str, **fields) -> Portal:
    return Portal(**{"name": "t", "listing": (listing,), "departments": (HRSS, CZT),
                     "fetch": FAST} | fields)


@pytest.mark.parametrize(("title", "facts"), [
    ("自治区人力资源和社会保障厅2025年部门预算公开", ("xj-hrss", 2025, Kind.BUDGET)),
    ("自治区人社厅 2024 年度部门决算", ("xj-hrss", 2024, Kind.FINAL)),
    ("自治区财政厅二〇二五年部门预算", ("xj-czt", 2025, Kind.BUDGET)),
    ("关于公开２０２３年自治区财政厅部门预算的说明", ("xj-czt", 2023, Kind.BUDGET)),
    ("自治区财政厅关于自治区人力资源和社会保障厅2025年预算的批复", ("xj-czt", 2025,
                                                                   Kind.BUDGET)),
    ("2025年部门预算公开", (None, 2025, Kind.BUDGET)),
    ("自治区财政厅工作动态", ("xj-czt", None, None)),
])
def test_title_facts(title: str, facts: tuple):
    got = title_facts(title, (HRSS, CZT))
    assert (got.department.id if got.department else None, got.year, got.kind) == facts


def test_the_year_comes_from_the_title_not_the_url():
    """The xian-sasac case: a crawler filed a 2022 disclosure under 2026."""
    listing = ('<a href="/2026/P0202603.pdf">自治区财政厅2022年部门预算.pdf</a>').encode()
    with portal_server({"/ys/index.html": Route(listing, "text/html")}) as site:
        found = run_discovery(_portal(site.url("/ys/index.html")))
    assert [(s.key, s.urls) for s in found.sources] == [
        ("xj-czt/2022/budget", (site.url("/2026/P0202603.pdf"),))]


def _listing(entries: list[tuple[str, str]], more: str = "") -> bytes:
    items = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in entries)
    return (f'<html><head><meta charset="gb2312"><title>预算公开</title></head><body>'
            f'<a href="./">预算公开</a><ul>{items}</ul>{more}</body></html>').encode("gbk")


@pytest.mark.parametrize(("template", "first", "pages", "after_last"), [
    ("index_{n}.html", 1, ["/ys/index.html", "/ys/index_1.html", "/ys/index_2.html"], 404),
    ("column-index-{n}.shtml", 2, ["/ys/index.html", "/ys/column-index-2.shtml",
                                   "/ys/column-index-3.shtml"], 404),
    # this server answers an unknown ?page= with the first page again, as CMSs do
    ("?page={n}", 2, ["/ys/index.html", "/ys/index.html?page=2", "/ys/index.html?page=3"],
     200),
])
def test_pagination_templates_are_followed_until_the_listing_ends(
        template: str, first: int, pages: list[str], after_last: int):
    routes = {p: Route(_listing([(f"/a/{i}.pdf", f"自治区财政厅{2020 + i}年部门预算")]),
                       "text/html") for i, p in enumerate(pages)}
    with portal_server(routes) as site:
        found = run_discovery(_portal(site.url("/ys/index.html"), pagination=template,
                                      first_page=first))
    assert [s.key for s in found.sources] == [f"xj-czt/{2020 + i}/budget"
                                              for i in range(len(pages))]
    assert found.listing_pages == tuple(site.url(p) for p in pages)
    # the page after the last one ends the listing quietly: a 404, or nothing new on it
    assert [h.status for h in site.hits] == [200, 200, 200, after_last]
    assert site.hits[-1].path == pages[-1].replace(str(first + 1), str(first + 2))


def test_pagination_links_on_the_page_are_followed_and_max_pages_holds():
    routes = {"/ys/index.html": Route(_listing([("/a/0.pdf", "自治区财政厅2020年部门预算")],
                                               '<a href="index_1.html">下一页</a>'), "text/html"),
              "/ys/index_1.html": Route(_listing([("/a/1.pdf", "自治区财政厅2021年部门预算")],
                                                 '<a href="index_2.html">下一页</a>'
                                                 '<a href="t_3.html">文章</a>'), "text/html"),
              "/ys/index_2.html": Route(_listing([("/a/2.pdf", "自治区财政厅2022年部门预算")]),
                                        "text/html")}
    with portal_server(routes) as site:
        found = run_discovery(_portal(site.url("/ys/index.html"), max_pages=2))
    assert [s.year for s in found.sources] == [2020, 2021]
    assert [h.path for h in site.hits] == ["/ys/index.html", "/ys/index_1.html"]


def test_a_page_repeating_the_last_one_ends_the_listing():
    page = _listing([("/a/0.pdf", "自治区财政厅2020年部门预算")])
    with portal_server({"/ys/index.html": Route(page, "text/html")}) as site:
        run_discovery(_portal(site.url("/ys/index.html"), pagination="?page={n}"))
    # ?page=1 serves the same page again (a CMS that ignores the parameter): stop there
    assert [h.path for h in site.hits] == ["/ys/index.html", "/ys/index.html?page=1"]


def test_an_unreadable_listing_fails_discovery_with_the_reason():
    with portal_server() as site:
        with pytest.raises(DiscoveryError, match=re.escape(
                f"portal 't': listing page {site.url('/ys/index.html')} could not be read: "
                f"{site.url('/ys/index.html')}: HTTP 404 Not Found")):
            run_discovery(_portal(site.url("/ys/index.html")))


def test_a_listing_with_nothing_wanted_says_what_was_looked_for():
    page = _listing([("/a/0.pdf", "某某市交通局2025年部门预算")])
    with portal_server({"/ys/index.html": Route(page, "text/html")}) as site:
        with pytest.raises(DiscoveryError, match=re.escape(
                "portal 't': no disclosure found on 1 listing page(s)")) as failure:
            run_discovery(_portal(site.url("/ys/index.html"), years=(2025,)))
    assert "a year in 2025" in str(failure.value)
    assert "自治区人力资源和社会保障厅, 自治区财政厅" in str(failure.value)
    assert [h.path for h in site.hits] == ["/ys/index.html"]  # another department: not read


def test_what_discovery_found_is_recorded_and_kept_across_runs(tmp_path: Path):
    article = ('<html><head><meta name="ArticleTitle" content="自治区财政厅2025年部门预算公开">'
               '</head><a href="./t.pdf">附件1：公开表.pdf</a><a href="./n.pdf">附件2：情况说明'
               '.pdf</a><a href="./x.xls">附件3：明细.xls</a></html>').encode("gbk")
    routes = {"/ys/index.html": Route(_listing([("./2025/a.html", "自治区财政厅2025年...")]),
                                      "text/html"),
              "/ys/2025/a.html": Route(article, "text/html"),
              "/ys/2025/t.pdf": Route(tiny_pdf("t")), "/ys/2025/n.pdf": Route(tiny_pdf("n"))}
    wh = tmp_path / "warehouse.duckdb"
    with portal_server(routes) as site:
        first = run_discovery(_portal(site.url("/ys/index.html")), wh, run_id="run-1")
        run_discovery(_portal(site.url("/ys/index.html")), wh, run_id="run-2")
    (source,) = first.sources
    assert (source.key, source.name, source.urls) == (
        "xj-czt/2025/budget", "自治区财政厅", (site.url("/ys/2025/n.pdf"),
                                                site.url("/ys/2025/t.pdf")))
    assert [h.path for h in site.hits if h.path.endswith((".pdf", ".xls"))] == []
    con = connect(wh, read_only=True)
    rows = con.execute("SELECT url, status, source_key, title, article_url, file_no, link_text, "
                       "note, first_seen_at < last_seen_at, run_id FROM discovered "
                       "ORDER BY status, file_no").fetchall()
    con.close()
    art = site.url("/ys/2025/a.html")
    assert rows == [
        (site.url("/ys/2025/n.pdf"), "pdf", "xj-czt/2025/budget", "自治区财政厅2025年部门预算公开",
         art, 1, "附件2：情况说明.pdf", None, True, "run-2"),
        (site.url("/ys/2025/t.pdf"), "pdf", "xj-czt/2025/budget", "自治区财政厅2025年部门预算公开",
         art, 2, "附件1：公开表.pdf", None, True, "run-2"),
        (site.url("/ys/2025/x.xls"), "unsupported", "xj-czt/2025/budget",
         "自治区财政厅2025年部门预算公开", art, None, "附件3：明细.xls",
         ".xls is not read (yusuan reads PDFs only); not fetched", True, "run-2"),
    ]


def test_narrative_and_tables_listed_as_two_entries_are_one_source():
    page = _listing([("/f/t.pdf", "自治区财政厅2025年部门预算公开表.pdf"),
                     ("/f/x.xls", "自治区财政厅2025年部门预算公开表.xls"),
                     ("/f/n.pdf", "自治区财政厅2025年部门预算情况说明.pdf")])
    with portal_server({"/ys/index.html": Route(page, "text/html")}) as site:
        found = run_discovery(_portal(site.url("/ys/index.html")))
    assert [(s.key, s.urls) for s in found.sources] == [
        ("xj-czt/2025/budget", (site.url("/f/n.pdf"), site.url("/f/t.pdf")))]
    assert [(d.url.rsplit("/", 1)[1], d.status, d.file_no) for d in found.found] == [
        ("n.pdf", "pdf", 1), ("t.pdf", "pdf", 2), ("x.xls", "unsupported", None)]
    assert [h.path for h in site.hits] == ["/ys/index.html"]  # files are left to fetch
