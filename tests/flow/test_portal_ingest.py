"""End to end: `ingest-disclosures` with a portal served on 127.0.0.1, under the real Prefect
test harness, into a real DuckDB file. The portal serves every case portals throw at us; the
test asserts exactly what was fetched, what failed with which message, that everything else
loaded, and that a second run downloads and extracts nothing unchanged."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from flows.ingest import ingest_disclosures
from pdfgen import tiny_pdf
from portal_server import PortalServer, Route, portal_server
from tasks.warehouse import connect
from yusuan.cli import main

DEPARTMENTS = {  # id: name as titles print it
    "xj-hrss": "自治区人力资源和社会保障厅", "xj-czt": "自治区财政厅", "xj-jyt": "自治区教育厅",
    "xj-wjw": "自治区卫生健康委员会", "xj-lcj": "自治区林业和草原局", "xj-slt": "自治区水利厅",
    "xj-tjj": "自治区统计局", "xj-sjt": "自治区审计厅",
}
PDFS = {name: tiny_pdf(f"{name} of a disclosure") for name in (
    "hrss-narrative", "hrss-tables", "czt", "jyt", "tjj", "hrss-final", "wjw", "lcj")}
ETAG = {name: f'"{hashlib.sha256(body).hexdigest()[:16]}"' for name, body in PDFS.items()}


def _html(title: str, body: str, charset: str = "gb2312", declare: bool = True) -> bytes:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' \
        if declare else ""
    return (f"<!DOCTYPE html><html><head>{meta}<title>{title}_新疆维吾尔自治区财政厅</title>"
            f'</head><body><div class="nav"><a href="/">首页</a><a href="/czt/bmys/">预算公开</a>'
            f"</div>{body}</body></html>").encode("gbk" if charset != "utf-8" else "utf-8")


def _article(title: str, *links: tuple[str, str], charset: str = "gb2312",
             declare: bool = True) -> Route:
    body = f"<h1>{title}</h1><p>附件：</p>" + "".join(
        f'<p><a href="{href}">{text}</a></p>' for href, text in links)
    ctype = "text/html" if declare or charset != "utf-8" else "text/html; charset=utf-8"
    return Route(_html(title, body, charset, declare), ctype)


def _pdf(name: str, **kw) -> Route:
    return Route(PDFS[name], etag=ETAG[name], **kw)


def _listing_page(items: list[tuple[str, str, str]], pager: str) -> Route:
    lis = "".join(f'<li><a href="{href}" title="{title}">{text}</a><span>2025-03-10</span></li>'
                  for href, title, text in items)
    return Route(_html("部门预算", f'<ul class="list">{lis}</ul><div class="page">{pager}</div>'),
                 "text/html")  # GBK, declared only in the page's <meta>


def portal_routes() -> dict[str, Route]:
    hrss25 = "自治区人力资源和社会保障厅2025年部门预算公开"
    return {
        # Page 1 of a GBK listing: a cut title with the full one in title="", relative links.
        "/czt/bmys/index.html": _listing_page([
            ("./202503/t20250310_101.html", hrss25, "自治区人力资源和社会保障厅2025年部门预..."),
            ("./202503/t20250311_102.html", "", "自治区财政厅2025年部门预算"),
            ("./202503/t20250312_103.html", "", "自治区教育厅2025年部门预算"),
            ("./202503/t20250313_104.html", "", "自治区卫生健康委员会2025年部门预算"),
            ("./202503/t20250319_109.html", "", "某某市交通运输局2025年部门预算"),  # not ours
            ("./201903/t20190310_9.html", "", "自治区人力资源和社会保障厅2019年部门预算"),  # old
        ], '<a href="index_1.html">下一页</a>'),
        # Page 2: links relative to the folder's parent, a direct PDF whose path says 2026.
        "/czt/bmys/index_1.html": _listing_page([
            ("../bmys/202503/t20250314_105.html", "", "自治区林业和草原局2025年部门预算"),
            ("./202503/t20250315_106.html", "", "自治区水利厅2025年部门预算"),
            ("./202503/t20250316_107.html", "", "自治区统计局2025年部门预算"),
            ("./202503/t20250317_108.html", "", "自治区审计厅2025年部门预算"),
            ("./2026/P020240901.pdf", "", "自治区人力资源和社会保障厅2024年部门决算.pdf"),
            ("./202503/t20250318_110.html", "", hrss25 + "（旧版）"),
        ], '<a href="index.html">上一页</a><a href="index_2.html">下一页</a>'),
        # One disclosure split into two PDFs, tables linked first; and a spreadsheet.
        "/czt/bmys/202503/t20250310_101.html": _article(
            hrss25, ("./P020250310001.pdf", "附件1：2025年部门预算公开表.pdf"),
            ("./P020250310002.pdf", "附件2：2025年部门预算情况说明.pdf"),
            ("./P020250310003.xls", "附件3：2025年项目支出明细.xls")),
        "/czt/bmys/202503/P020250310001.pdf": _pdf("hrss-tables"),
        "/czt/bmys/202503/P020250310002.pdf": _pdf("hrss-narrative"),
        # A redirect; the article is UTF-8 declared in the header only.
        "/czt/bmys/202503/t20250311_102.html": _article(
            "自治区财政厅2025年部门预算公开", ("./P020250311001.pdf", "自治区财政厅2025年部门预算.pdf"),
            charset="utf-8", declare=False),
        "/czt/bmys/202503/P020250311001.pdf": Route(status=302, location="/files/2025/czt.pdf"),
        "/files/2025/czt.pdf": _pdf("czt"),
        # An attachment named only by its link text, which fails once with a 500.
        "/czt/bmys/202503/t20250312_103.html": _article(
            "自治区教育厅2025年部门预算公开",
            ("/module/download/downfile.jsp?classid=0&id=103", "自治区教育厅2025年部门预算.pdf")),
        "/module/download/downfile.jsp?classid=0&id=103": _pdf("jyt", fail_first=1),
        # A 404 (the article has no charset declared anywhere: detected as GBK).
        "/czt/bmys/202503/t20250313_104.html": _article(
            "自治区卫生健康委员会2025年部门预算公开", ("./P020250313001.pdf", "预算.pdf"),
            declare=False),
        # Slower than the read timeout, every time.
        "/czt/bmys/202503/t20250314_105.html": _article(
            "自治区林业和草原局2025年部门预算公开", ("./P020250314001.pdf", "预算.pdf")),
        "/czt/bmys/202503/P020250314001.pdf": _pdf("lcj", delay=3.0),
        # HTML served with status 200 as .pdf: the portal's error page.
        "/czt/bmys/202503/t20250315_106.html": _article(
            "自治区水利厅2025年部门预算公开", ("./P020250315001.pdf", "预算.pdf")),
        "/czt/bmys/202503/P020250315001.pdf": Route(
            _html("系统繁忙，请稍后再试", "<p>系统繁忙</p>"), "text/html"),
        # A truncated body, once.
        "/czt/bmys/202503/t20250316_107.html": _article(
            "自治区统计局2025年部门预算公开", ("./P020250316001.pdf", "预算.pdf")),
        "/czt/bmys/202503/P020250316001.pdf": _pdf("tjj", truncate_first=1),
        # Only a Word document.
        "/czt/bmys/202503/t20250317_108.html": _article(
            "自治区审计厅2025年部门预算公开", ("./P020250317001.doc", "2025年部门预算.doc")),
        # Listed directly; Last-Modified only.
        "/czt/bmys/2026/P020240901.pdf": Route(PDFS["hrss-final"],
                                               last_modified="Sun, 01 Sep 2024 08:00:00 GMT"),
        # The same disclosure listed again further down: a duplicate.
        "/czt/bmys/202503/t20250318_110.html": _article(
            hrss25 + "（旧版）", ("./P020250318001.pdf", "旧.pdf")),
    }


def _sources_file(tmp_path: Path, site: PortalServer) -> Path:
    depts = "".join(f'[[portal.department]]\nid = "{i}"\nname = "{n}"\n'
                    for i, n in DEPARTMENTS.items())
    file = tmp_path / "sources.toml"
    file.write_text(f"""
[[portal]]
name = "xj-czt"
listing = ["{site.url('/czt/bmys/index.html')}"]
years = [2024, 2025]
delay_seconds = 0
read_timeout = 0.5
retries = 2
backoff_seconds = [0.05, 0.1]
{depts}""")
    return file


LOADED = ["xj-czt/2025/budget", "xj-hrss/2024/final", "xj-hrss/2025/budget",
          "xj-jyt/2025/budget", "xj-tjj/2025/budget"]


def _failures(base: str) -> dict[str, str]:
    """The failed sources and the exact message each must carry."""
    art = f"{base}/czt/bmys/202503"
    return {
        "xj-lcj/2025/budget": f"{art}/P020250314001.pdf: no response within 0.5 s (connect "
                              "timeout 10 s) (gave up after 3 attempts); the portal is slow or "
                              "failing: retry later; if the portal is only slow, raise "
                              "`read_timeout` of the portal",
        "xj-sjt/2025/budget": f"{art}/t20250317_108.html: expected a PDF but got an HTML page "
                              "titled '自治区审计厅2025年部门预算公开_新疆维吾尔自治区财政厅' whose "
                              "attachments are not PDFs (2025年部门预算.doc); yusuan reads PDFs "
                              "only — ask the publisher for the PDF, or convert the file and "
                              "list it as a local source",
        "xj-slt/2025/budget": f"{art}/P020250315001.pdf: expected a PDF but got an HTML page "
                              "titled '系统繁忙，请稍后再试_新疆维吾尔自治区财政厅' with no PDF "
                              "attachment; point the source at the PDF attachment itself",
        "xj-wjw/2025/budget": f"{art}/P020250313001.pdf: HTTP 404 Not Found; the file is not "
                              "there — check the link, or re-run discovery",
    }


@pytest.mark.usefixtures("prefect_harness")
def test_ingest_from_a_portal_fetches_what_it_can_and_says_what_failed(
        workdir: Path, capsys: pytest.CaptureFixture[str]):
    wh = workdir / "warehouse.duckdb"
    with portal_server(portal_routes()) as site:
        sources = _sources_file(workdir, site)
        first = ingest_disclosures(str(sources), str(wh), compare=False, portal="xj-czt")
        hits_first = len(site.hits)
        staged = {p.name: p.stat().st_mtime_ns
                  for p in (workdir / "data" / "staging").glob("*/meta.json")}
        # The second run goes through the CLI, as a user would run it.
        assert main(["ingest", "--sources", str(sources), "--portal", "xj-czt",
                     "--warehouse", str(wh), "--no-compare"]) == 0
        printed = capsys.readouterr().out
        hits = site.hits

    # -- run 1: exactly these loaded, these failed with these messages, two unsupported
    base = site.base
    got = {r["source"]: (r["status"], r["detail"]) for r in first if r["status"] != "unsupported"}
    assert got == {**{k: ("loaded", "") for k in LOADED},
                   **{k: ("failed", m) for k, m in _failures(base).items()}}
    assert sorted((r["source"], r["detail"]) for r in first if r["status"] == "unsupported") == [
        ("xj-hrss/2025/budget", f"附件3：2025年项目支出明细.xls ({base}/czt/bmys/202503/"
                                "P020250310003.xls): .xls is not read (yusuan reads PDFs only); "
                                "not fetched"),
        ("xj-sjt/2025/budget", f"2025年部门预算.doc ({base}/czt/bmys/202503/P020250317001.doc): "
                               ".doc is not read (yusuan reads PDFs only); not fetched"),
    ]

    # -- what was asked of the server in run 1, and answered
    run1 = hits[:hits_first]
    answered: dict[str, list] = {}
    for h in run1:
        answered.setdefault(h.path, []).append(h.status)
    # Three attempts at the slow file; each is answered only after the client gave up.
    assert len(answered.pop("/czt/bmys/202503/P020250314001.pdf")) == 3
    a = "/czt/bmys/202503/"
    assert answered == {
        "/czt/bmys/index.html": [200], "/czt/bmys/index_1.html": [200],
        "/czt/bmys/index_2.html": [404],  # the listing ends
        **{f"{a}t2025031{i}_10{i + 1}.html": [200] for i in range(7)},
        f"{a}t20250318_110.html": [200],  # read for its title: a duplicate of 101
        f"{a}P020250310001.pdf": [200], f"{a}P020250310002.pdf": [200],
        f"{a}P020250311001.pdf": [302], "/files/2025/czt.pdf": [200],
        "/module/download/downfile.jsp?classid=0&id=103": [500, 200],
        f"{a}P020250313001.pdf": [404],
        f"{a}P020250315001.pdf": [200],
        f"{a}P020250316001.pdf": [200, 200],  # truncated, then whole
        f"{a}t20250317_108.html": [200, 200],  # discovery, then fetch: only a .doc there
        "/czt/bmys/2026/P020240901.pdf": [200],
    }
    # Never asked: other departments, other years, the .xls and .doc, the duplicate's file.
    assert not any(p.endswith((".xls", ".doc")) or "_109" in p or "2019" in p or "318001" in p
                   for p in answered)

    # -- the warehouse: documents, files with provenance, discovered
    con = connect(wh, read_only=True)
    docs = dict(con.execute("SELECT source_key, status FROM documents").fetchall())
    errors = dict(con.execute("SELECT source_key, error FROM documents "
                              "WHERE status = 'failed'").fetchall())
    files = con.execute(
        "SELECT d.source_key, f.file_no, f.url, f.final_url, f.http_status, f.etag, "
        "f.last_modified, f.fetched_at IS NOT NULL, f.sha256, f.size FROM files f "
        "JOIN documents d USING (doc_id) WHERE d.status = 'loaded' "
        "ORDER BY d.source_key, f.file_no").fetchall()
    discovered = con.execute("SELECT source_key, status, count(*) FROM discovered "
                             "GROUP BY ALL ORDER BY ALL").fetchall()
    versions = con.execute("SELECT count(*), max(version) FROM documents "
                           "WHERE status = 'loaded'").fetchone()
    con.close()
    assert docs == {**{k: "loaded" for k in LOADED}, **{k: "failed" for k in _failures(base)}}
    assert errors == _failures(base)

    def sha(name: str) -> str:
        return hashlib.sha256(PDFS[name]).hexdigest()

    u = f"{base}{a}"
    assert files == [
        ("xj-czt/2025/budget", 1, f"{u}P020250311001.pdf", f"{base}/files/2025/czt.pdf", 200,
         ETAG["czt"], None, True, sha("czt"), len(PDFS["czt"])),
        ("xj-hrss/2024/final", 1, f"{base}/czt/bmys/2026/P020240901.pdf",
         f"{base}/czt/bmys/2026/P020240901.pdf", 200, None, "Sun, 01 Sep 2024 08:00:00 GMT",
         True, sha("hrss-final"), len(PDFS["hrss-final"])),
        ("xj-hrss/2025/budget", 1, f"{u}P020250310002.pdf", f"{u}P020250310002.pdf", 200,
         ETAG["hrss-narrative"], None, True, sha("hrss-narrative"),
         len(PDFS["hrss-narrative"])),  # the narrative first, though linked second
        ("xj-hrss/2025/budget", 2, f"{u}P020250310001.pdf", f"{u}P020250310001.pdf", 200,
         ETAG["hrss-tables"], None, True, sha("hrss-tables"), len(PDFS["hrss-tables"])),
        ("xj-jyt/2025/budget", 1, f"{base}/module/download/downfile.jsp?classid=0&id=103",
         f"{base}/module/download/downfile.jsp?classid=0&id=103", 200, ETAG["jyt"], None, True,
         sha("jyt"), len(PDFS["jyt"])),
        ("xj-tjj/2025/budget", 1, f"{u}P020250316001.pdf", f"{u}P020250316001.pdf", 200,
         ETAG["tjj"], None, True, sha("tjj"), len(PDFS["tjj"])),
    ]
    assert discovered == [
        ("xj-czt/2025/budget", "pdf", 1), ("xj-hrss/2024/final", "pdf", 1),
        ("xj-hrss/2025/budget", "duplicate", 1), ("xj-hrss/2025/budget", "pdf", 2),
        ("xj-hrss/2025/budget", "unsupported", 1), ("xj-jyt/2025/budget", "pdf", 1),
        ("xj-lcj/2025/budget", "pdf", 1), ("xj-sjt/2025/budget", "article", 1),
        ("xj-sjt/2025/budget", "unsupported", 1), ("xj-slt/2025/budget", "pdf", 1),
        ("xj-tjj/2025/budget", "pdf", 1), ("xj-wjw/2025/budget", "pdf", 1),
    ]
    assert versions == (5, 1)  # the second run added no version

    # -- run 2 (CLI): every stored file answered 304, nothing re-extracted or re-loaded
    run2 = hits[hits_first:]
    pdf_answers = {h.path: h.status for h in run2 if h.path in {
        f"{a}P020250310001.pdf", f"{a}P020250310002.pdf", "/files/2025/czt.pdf",
        "/module/download/downfile.jsp?classid=0&id=103", f"{a}P020250316001.pdf",
        "/czt/bmys/2026/P020240901.pdf"}}
    assert set(pdf_answers.values()) == {304} and len(pdf_answers) == 6
    assert all("If-None-Match" in h.headers or "If-Modified-Since" in h.headers
               for h in run2 if h.path in pdf_answers)
    assert {p.name: p.stat().st_mtime_ns
            for p in (workdir / "data" / "staging").glob("*/meta.json")} == staged
    lines = sorted((line.split()[0], line.split()[1]) for line in printed.splitlines()
                   if line.split()[:1] in (["loaded"], ["unchanged"], ["failed"],
                                           ["unsupported"]))
    assert lines == sorted([("unchanged", k) for k in LOADED]
                           + [("failed", k) for k in _failures(base)]
                           + [("unsupported", "xj-hrss/2025/budget"),
                              ("unsupported", "xj-sjt/2025/budget")])


def test_the_portal_test_server_stops(tmp_path: Path):
    """The server is bounded: after the block its port refuses connections."""
    import socket

    with portal_server() as site:
        port = int(site.base.rsplit(":", 1)[1])
    with socket.socket() as s, pytest.raises(ConnectionRefusedError):
        s.settimeout(2)
        s.connect(("127.0.0.1", port))
