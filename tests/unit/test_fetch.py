"""fetch over real HTTP on 127.0.0.1: what is accepted, retried, refused, followed and not
downloaded again, and what each failure says."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from pdfgen import tiny_pdf
from portal_server import Route, portal_server
from tasks.config import DEFAULT_USER_AGENT, FetchSettings
from tasks.contracts import Kind, Source
from tasks.errors import FetchError, HTTPStatusError
from tasks.fetch import Fetcher, fetch_source, settings_for

PDF = tiny_pdf("a budget")
HTML = "<html><head><title>部门预算公开</title></head><body>附件</body></html>".encode("gbk")
FAST = FetchSettings(hosts=frozenset({"127.0.0.1"}), delay_seconds=0, retries=2,
                     backoff_seconds=(0.01,), connect_timeout=2, read_timeout=0.3)


def _fetch(url: str, raw: Path, settings: FetchSettings = FAST):
    with Fetcher(settings, raw) as fetcher:
        return fetcher.fetch(url)


def test_a_pdf_is_stored_under_its_hash_with_its_provenance(tmp_path: Path):
    routes = {"/ok.pdf": Route(PDF, etag='"v1"', last_modified="Mon, 03 Mar 2025 08:00:00 GMT")}
    with portal_server(routes) as site:
        (got,) = _fetch(site.url("/ok.pdf"), tmp_path)
    assert got.path == tmp_path / f"{got.sha256}.pdf"
    assert got.path.read_bytes() == PDF
    assert (got.url, got.final_url, got.http_status, got.size) == (
        site.url("/ok.pdf"), site.url("/ok.pdf"), 200, len(PDF))
    assert (got.etag, got.last_modified, got.not_modified) == (
        '"v1"', "Mon, 03 Mar 2025 08:00:00 GMT", False)
    assert site.hits[0].headers["User-Agent"] == DEFAULT_USER_AGENT


def test_html_served_as_pdf_fails_saying_what_came(tmp_path: Path):
    with portal_server({"/page.pdf": Route(HTML, "text/html; charset=gbk")}) as site:
        with pytest.raises(FetchError, match="expected a PDF but got an HTML page titled "
                                             "'部门预算公开' with no PDF attachment"):
            _fetch(site.url("/page.pdf"), tmp_path)
    assert not tmp_path.exists() or not list(tmp_path.glob("*.pdf"))


def test_empty_body_fails(tmp_path: Path):
    with portal_server({"/empty.pdf": Route(b"")}) as site:
        with pytest.raises(FetchError, match="got an empty body"):
            _fetch(site.url("/empty.pdf"), tmp_path)


def test_404_fails_at_once_without_retry(tmp_path: Path):
    with portal_server() as site:
        with pytest.raises(FetchError, match=r"/gone.pdf: HTTP 404 Not Found; the file is not "
                                             "there"):
            _fetch(site.url("/gone.pdf"), tmp_path)
    assert site.statuses("/gone.pdf") == [404]


def test_a_500_is_retried_and_the_retry_succeeds(tmp_path: Path):
    with portal_server({"/flaky.pdf": Route(PDF, fail_first=1)}) as site:
        (got,) = _fetch(site.url("/flaky.pdf"), tmp_path)
    assert site.statuses("/flaky.pdf") == [500, 200]
    assert got.path.read_bytes() == PDF


def test_a_5xx_that_persists_gives_up_after_the_configured_attempts(tmp_path: Path):
    with portal_server({"/down.pdf": Route(PDF, fail_first=99)}) as site:
        with pytest.raises(FetchError, match=r"HTTP 500 Internal Server Error \(gave up after "
                                             r"3 attempts\); the portal is slow or failing"):
            _fetch(site.url("/down.pdf"), tmp_path)
    assert site.statuses("/down.pdf") == [500, 500, 500]


def test_a_response_slower_than_the_read_timeout_is_retried_then_fails(tmp_path: Path):
    with portal_server({"/slow.pdf": Route(PDF, delay=2.0)}) as site:
        with pytest.raises(FetchError) as failure:
            _fetch(site.url("/slow.pdf"), tmp_path)
        assert len(site.hits) == 3  # requests arrive before their (late) answers
    assert str(failure.value) == (
        f"{site.url('/slow.pdf')}: no response within 0.3 s (connect timeout 2 s) (gave up "
        "after 3 attempts); the portal is slow or failing: retry later; if the portal is only "
        "slow, raise `read_timeout` of the portal")


def test_a_body_that_trickles_in_past_the_download_timeout_is_retried_then_fails(
        tmp_path: Path):
    # a byte every 0.05 s never leaves the socket silent for the 0.3 s read timeout
    slow = replace(FAST, retries=1, download_timeout=0.5)
    with portal_server({"/drip.pdf": Route(PDF, drip=0.05)}) as site:
        with pytest.raises(FetchError) as failure:
            _fetch(site.url("/drip.pdf"), tmp_path, slow)
    message = str(failure.value)
    assert re.fullmatch(
        re.escape(site.url("/drip.pdf")) + r": body still arriving after 0\.5 s \(\d+ bytes "
        rf"read of {len(PDF):,}\); raise `download_timeout` of the portal if the file is large"
        r" and the portal slow \(gave up after 2 attempts\); the portal is slow or failing: "
        r"retry later", message), message
    assert len(site.hits) == 2
    assert list((tmp_path).rglob("*.pdf")) == []  # nothing half-written is stored


def test_a_truncated_body_is_detected_and_retried(tmp_path: Path):
    with portal_server({"/cut.pdf": Route(PDF, truncate_first=1)}) as site:
        (got,) = _fetch(site.url("/cut.pdf"), tmp_path)
    assert site.statuses("/cut.pdf") == [200, 200]
    assert got.path.read_bytes() == PDF


def test_a_body_truncated_every_time_fails_naming_the_sizes(tmp_path: Path):
    with portal_server({"/cut.pdf": Route(PDF, truncate_first=99)}) as site:
        with pytest.raises(FetchError, match=re.escape(
                f"truncated body ({len(PDF) // 2:,} of {len(PDF):,} bytes) (gave up after 3")):
            _fetch(site.url("/cut.pdf"), tmp_path)
    assert not list(tmp_path.glob("*.pdf"))


def test_a_429_is_not_retried_and_says_to_slow_down(tmp_path: Path):
    with portal_server({"/busy.pdf": Route(b"slow down", ctype="text/plain", status=429)}
                       ) as site:
        with pytest.raises(HTTPStatusError) as failure:
            _fetch(site.url("/busy.pdf"), tmp_path)
    assert (str(failure.value), failure.value.status) == (
        f"{site.url('/busy.pdf')}: HTTP 429 Too Many Requests; the portal asks us to slow "
        "down: raise `delay_seconds` of the portal", 429)
    assert site.statuses("/busy.pdf") == [429]


def test_a_refused_connection_is_retried_then_fails_in_plain_words(tmp_path: Path):
    with portal_server() as site:
        url = site.url("/x.pdf")  # a port that nothing listens on once the server is gone
    with pytest.raises(FetchError) as failure:
        _fetch(url, tmp_path)
    assert str(failure.value) == (
        f"{url}: cannot connect (Connection refused) (gave up after 3 attempts); the portal "
        "is slow or failing: retry later")


def test_a_redirect_loop_fails_naming_it(tmp_path: Path):
    with portal_server({"/a.pdf": Route(status=302, location="/b.pdf"),
                        "/b.pdf": Route(status=302, location="/a.pdf")}) as site:
        with pytest.raises(FetchError) as failure:
            _fetch(site.url("/a.pdf"), tmp_path)
    assert str(failure.value) == (
        f"{site.url('/a.pdf')}: more than 10 redirects (last {site.url('/b.pdf')}); the link "
        "loops — open it in a browser to find the file")
    assert len(site.hits) == 11  # the first request and ten redirects, not one more


def test_redirects_are_followed_and_the_final_url_recorded(tmp_path: Path):
    with portal_server({"/old.pdf": Route(status=302, location="/2025/new.pdf"),
                        "/2025/new.pdf": Route(PDF)}) as site:
        (got,) = _fetch(site.url("/old.pdf"), tmp_path)
    assert (got.url, got.final_url, got.http_status) == (
        site.url("/old.pdf"), site.url("/2025/new.pdf"), 200)


def test_a_redirect_to_a_host_not_named_in_the_configuration_is_refused(tmp_path: Path):
    with portal_server() as site:
        elsewhere = site.url("/new.pdf").replace("127.0.0.1", "localhost")
        site.routes["/old.pdf"] = Route(status=301, location=elsewhere)
        with pytest.raises(FetchError, match=re.escape(
                f"redirected to {elsewhere}, refused: {elsewhere}: host 'localhost' is not "
                "named in the configuration (allowed: 127.0.0.1)")):
            _fetch(site.url("/old.pdf"), tmp_path)
    assert site.paths() == {"/old.pdf"}


def test_a_host_not_named_in_the_configuration_is_never_contacted(tmp_path: Path):
    with portal_server({"/a.pdf": Route(PDF)}) as site:
        with pytest.raises(FetchError, match="host 'localhost' is not named"):
            _fetch(site.url("/a.pdf").replace("127.0.0.1", "localhost"), tmp_path)
    assert site.hits == []


def test_an_unchanged_file_is_not_downloaded_again(tmp_path: Path):
    routes = {"/e.pdf": Route(PDF, etag='"abc"'),
              "/m.pdf": Route(tiny_pdf("m"), last_modified="Tue, 04 Mar 2025 01:02:03 GMT")}
    with portal_server(routes) as site:
        first = [_fetch(site.url(p), tmp_path / "raw")[0] for p in ("/e.pdf", "/m.pdf")]
        again = [_fetch(site.url(p), tmp_path / "raw")[0] for p in ("/e.pdf", "/m.pdf")]
        first[0].path.unlink()  # the stored file is gone: ask unconditionally
        (third,) = _fetch(site.url("/e.pdf"), tmp_path / "raw")
    assert site.statuses("/e.pdf") == [200, 304, 200]
    assert site.statuses("/m.pdf") == [200, 304]
    assert site.hits[2].headers["If-None-Match"] == '"abc"'
    assert site.hits[3].headers["If-Modified-Since"] == "Tue, 04 Mar 2025 01:02:03 GMT"
    assert "If-None-Match" not in site.hits[4].headers
    for before, after in zip(first, again, strict=True):
        assert after == replace(before, not_modified=True)
    assert (third.not_modified, third.path.read_bytes()) == (False, PDF)
    # The validators live beside the raw store, readable without the warehouse.
    assert len(list((tmp_path / "fetch-state").glob("*.json"))) == 2


def test_a_file_over_the_size_cap_is_refused(tmp_path: Path):
    with portal_server({"/big.pdf": Route(PDF)}) as site:
        with pytest.raises(FetchError, match=f"announces {len(PDF):,} bytes, over the size cap "
                                             "of 100; refused"):
            _fetch(site.url("/big.pdf"), tmp_path, replace(FAST, max_bytes=100))


ARTICLE = """<html><head><meta charset="gb2312">
<title>重庆市水利发展研究中心2026年单位预算情况说明_重庆市水利局</title></head><body>
<a href="../../index.html">首页</a>
<p>附件：</p>
<a href="./P020260302295201566290.pdf">附件2：2026年单位预算公开表.pdf</a>
<a href="/module/download/downfile.jsp?classid=0&amp;id=7">附件1：2026年单位预算情况说明.pdf</a>
<a href="./P020260302295201566291.xls">附件3：项目明细.xls</a>
</body></html>""".encode("gbk")


def test_an_article_page_where_a_pdf_should_be_is_followed_to_its_attachments(tmp_path: Path):
    """The chongqing-water-research-centre case: an article page saved where the PDF should
    be, its attachment linked relatively (./P0202603….pdf)."""
    narrative, tables = tiny_pdf("narrative"), tiny_pdf("tables")
    with portal_server({
        "/ys/202603/t20260302_15477589.pdf": Route(ARTICLE, "text/html"),
        "/ys/202603/P020260302295201566290.pdf": Route(tables),
        "/module/download/downfile.jsp?classid=0&id=7": Route(narrative),
    }) as site:
        article = site.url("/ys/202603/t20260302_15477589.pdf")
        got = _fetch(article, tmp_path)
    assert [f.path.read_bytes() for f in got] == [narrative, tables]  # narrative first
    assert [f.url for f in got] == [article, article]
    assert [f.final_url for f in got] == [
        site.url("/module/download/downfile.jsp?classid=0&id=7"),
        site.url("/ys/202603/P020260302295201566290.pdf")]
    assert not any(h.path.endswith(".xls") for h in site.hits)


def test_an_article_page_with_only_office_attachments_fails_naming_them(tmp_path: Path):
    page = ('<html><title>某局2025年部门预算</title><a href="a.xls">预算表.xls</a>'
            '<a href="b.doc">说明.doc</a></html>').encode()
    with portal_server({"/x.pdf": Route(page, "text/html; charset=utf-8")}) as site:
        with pytest.raises(FetchError, match=re.escape(
                "expected a PDF but got an HTML page titled '某局2025年部门预算' whose "
                "attachments are not PDFs (说明.doc, 预算表.xls); yusuan reads PDFs only")):
            _fetch(site.url("/x.pdf"), tmp_path)


def test_requests_to_one_host_keep_the_polite_delay(tmp_path: Path):
    with portal_server({f"/{i}.pdf": Route(tiny_pdf(str(i))) for i in range(3)}) as site:
        for i in range(3):
            _fetch(site.url(f"/{i}.pdf"), tmp_path, replace(FAST, delay_seconds=0.2))
    arrivals = [h.at for h in site.hits]
    assert len(arrivals) == 3
    # The client spaces its sends 0.2 s apart; the server notes arrivals after a loopback
    # connect whose time varies, more so on a loaded CI machine (0.1996 s was once seen).
    # Without the delay the gaps are a few milliseconds, so 0.15 still tells the two apart.
    assert min(b - a for a, b in zip(arrivals, arrivals[1:], strict=False)) >= 0.15


def test_a_plain_source_may_fetch_from_its_own_hosts_only():
    source = Source("a", "A", 2025, Kind.BUDGET, ("https://www.a.gov.cn/x.pdf",
                                                  "https://cdn.a.gov.cn/y.pdf", "local.pdf"))
    assert settings_for(source, None).hosts == {"www.a.gov.cn", "cdn.a.gov.cn"}
    assert settings_for(source, FAST).hosts == {"127.0.0.1"}


def test_local_paths(tmp_path: Path):
    src = tmp_path / "a.pdf"
    src.write_bytes(PDF)
    local = Source("a", "A", 2025, Kind.BUDGET, (str(src), src.as_uri()))
    one, two = fetch_source(local, tmp_path / "raw")
    assert one.sha256 == two.sha256 and one.path.read_bytes() == PDF
    with pytest.raises(FetchError, match="no such file"):
        fetch_source(replace(local, urls=(str(tmp_path / "missing.pdf"),)), tmp_path / "raw")


def test_a_portal_never_reads_local_files(tmp_path: Path):
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(PDF)
    with pytest.raises(FetchError, match="not an http\\(s\\) URL; a portal's sources are "
                                         "fetched from the web only"):
        _fetch(secret.as_uri(), tmp_path / "raw", replace(FAST, local_files=False))
    assert not (tmp_path / "raw").exists()


def test_an_http_status_error_keeps_its_status_when_pickled():
    """Task results cross processes (a Dask worker, Prefect's result store): a 404 must
    still be a 404 there, not an error that cannot be rebuilt."""
    import pickle

    err = pickle.loads(pickle.dumps(HTTPStatusError("http://a/x.pdf: HTTP 404 Not Found", 404)))
    assert (type(err), err.status, str(err)) == (HTTPStatusError, 404,
                                                 "http://a/x.pdf: HTTP 404 Not Found")
