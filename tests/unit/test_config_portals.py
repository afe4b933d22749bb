"""[[portal]] configuration: read whole, validated on load, the offending key named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tasks.config import load_portal, load_sources, parse_portals
from tasks.contracts import Kind
from tasks.errors import ConfigError


def _portal(**fields):
    entry = {"name": "xj", "listing": ["http://www.xinjiang.gov.cn/czt/ys/index.html"],
             "department": [{"id": "xj-hrss", "name": "自治区人力资源和社会保障厅",
                             "aliases": ["人社厅"]}]} | fields
    return parse_portals({"portal": [entry]}, "sources.toml")[entry["name"]]


def test_a_portal_is_read_with_defaults():
    p = _portal()
    assert p.listing == ("http://www.xinjiang.gov.cn/czt/ys/index.html",)
    assert [(d.id, d.names) for d in p.departments] == [
        ("xj-hrss", ("自治区人力资源和社会保障厅", "人社厅"))]
    assert (p.years, p.kinds, p.pagination, p.max_pages, p.encoding) == (
        (), (Kind.BUDGET, Kind.FINAL), None, 10, None)
    assert p.keywords == ("部门预算", "部门决算", "预算公开", "决算公开")
    f = p.fetch
    assert (f.connect_timeout, f.read_timeout, f.download_timeout, f.delay_seconds, f.retries,
            f.backoff_seconds, f.max_bytes) == (10, 60, 600, 1, 3, (2, 10, 30), 200 * 2**20)
    assert "yusuan" in f.user_agent and f.user_agent.startswith("Mozilla/5.0")
    assert f.local_files is False  # what a portal links is fetched from the web only


def test_the_hosts_allowed_are_the_listings_and_those_named():
    p = _portal(listing=["https://czt.xinjiang.gov.cn/a/", "http://www.xj.gov.cn/b?page=1"],
                hosts=["FILES.xj.gov.cn"])
    assert p.fetch.hosts == {"czt.xinjiang.gov.cn", "www.xj.gov.cn", "files.xj.gov.cn"}


def test_settings_are_read():
    p = _portal(pagination="index_{n}.html", first_page=1, max_pages=3, encoding="gbk",
                years=[2025], kinds=["final"], delay_seconds=2.5, read_timeout=30,
                download_timeout=1800, retries=1, backoff_seconds=[5], max_mb=50,
                keywords=["决算"])
    assert (p.pagination, p.max_pages, p.encoding, p.years, p.kinds, p.keywords) == (
        "index_{n}.html", 3, "gbk", (2025,), (Kind.FINAL,), ("决算",))
    assert (p.fetch.delay_seconds, p.fetch.read_timeout, p.fetch.download_timeout,
            p.fetch.retries, p.fetch.backoff_seconds, p.fetch.max_bytes) == (
        2.5, 30, 1800, 1, (5,), 50 * 2**20)


@pytest.mark.parametrize(("fields", "message"), [
    ({"listng": []}, "portal[0]: unknown key(s) listng"),
    ({"listing": ["http://a.gov.cn/", "ftp://b.gov.cn/x"]},
     "portal[0].listing[1]: scheme 'ftp' is not supported (use http, https)"),
    ({"listing": ["/srv/listing.html"]}, "portal[0].listing[0]: '/srv/listing.html' is not an "
                                         "http(s) URL"),
    ({"listing": ["http:///index.html"]}, "portal[0].listing[0]: 'http:///index.html' has no "
                                          "host"),
    ({"listing": ["http://a b.gov.cn/"]}, "portal[0].listing[0]: 'http://a b.gov.cn/' contains "
                                          "white space"),
    ({"listing": ["http://a.gov.cn:99999/"]}, "portal[0].listing[0]: 'http://a.gov.cn:99999/' "
                                              "is not a valid URL"),
    ({"listing": ["http://a_b.gov.cn/"]}, "portal[0].listing[0]: 'http://a_b.gov.cn/' has an "
                                          "invalid host 'a_b.gov.cn'"),
    ({"hosts": ["https://cdn.gov.cn"]}, "portal[0].hosts[0]: 'https://cdn.gov.cn' must be a "
                                        "bare host name"),
    ({"hosts": "cdn.gov.cn"}, "portal[0].hosts: must be a list of host names"),
    ({"pagination": "index_2.html"}, "portal[0].pagination: 'index_2.html' must be a link "
                                     "template with {n}"),
    ({"encoding": "gbk2"}, "portal[0].encoding: 'gbk2' is not an encoding Python knows"),
    ({"years": [25]}, "portal[0].years: [25] must be a list of years"),
    ({"kinds": ["plan"]}, "portal[0].kinds: each must be 'budget' or 'final'"),
    ({"delay_seconds": -1}, "portal[0].delay_seconds: -1 must be a number from 0 to 600"),
    ({"retries": 2.5}, "portal[0].retries: 2.5 must be a whole number from 0 to 10"),
    ({"max_mb": 0}, "portal[0].max_mb: 0 must be a number"),
    ({"download_timeout": "1h"}, "portal[0].download_timeout: '1h' must be a number"),
    ({"name": "XJ Portal"}, "portal[0].name: 'XJ Portal' must be a lower-case ASCII name"),
    ({"department": []}, "portal[0].department: give at least one [[portal.department]]"),
    ({"department": [{"id": "新疆", "name": "x"}]}, "portal[0].department[0].id: '新疆' must "
                                                    "be a lower-case ASCII id"),
    ({"department": [{"id": "a", "name": "x", "alias": ["y"]}]},
     "portal[0].department[0]: unknown key(s) alias"),
])
def test_a_bad_portal_names_the_offending_key(fields, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        _portal(**fields)


def test_two_portals_may_not_share_a_name():
    entry = {"name": "a", "listing": "http://a.gov.cn/", "department": [{"id": "a",
                                                                         "name": "A"}]}
    with pytest.raises(ConfigError, match=r"portal\[1\].name: 'a' is used twice"):
        parse_portals({"portal": [entry, entry]}, "s.toml")


def test_a_bad_portal_fails_loading_the_file_even_for_plain_sources(tmp_path: Path):
    file = tmp_path / "s.toml"
    file.write_text('[[portal]]\nname = "a"\nlisting = ["gopher://a.gov.cn/"]\n'
                    '[[portal.department]]\nid = "a"\nname = "A"\n')
    with pytest.raises(ConfigError, match=re.escape(f"{file} portal[0].listing[0]: scheme "
                                                    "'gopher' is not supported")):
        load_sources(file)


def test_an_unknown_portal_name_lists_the_portals_there(tmp_path: Path):
    file = tmp_path / "s.toml"
    file.write_text('[[portal]]\nname = "gz"\nlisting = ["http://www.gz.gov.cn/ys/"]\n'
                    '[[portal.department]]\nid = "gz-cg"\nname = "广州市城市管理局"\n')
    assert load_portal("gz", file).departments[0].id == "gz-cg"
    with pytest.raises(ConfigError, match="no \\[\\[portal\\]\\] named 'sz'; portals there: gz"):
        load_portal("sz", file)


def test_the_bundled_demo_portal_loads():
    p = load_portal("fixtures")
    assert p.fetch.hosts == {"127.0.0.1"}
    assert {d.id for d in p.departments} == {s.department for s in load_sources()}
