"""Reading portal pages: encodings as declared or detected, titles, links, attachments."""

from __future__ import annotations

import pytest

from tasks.pages import (
    Link,
    attachment_of,
    attachments,
    codec_name,
    decode_html,
    parse_page,
)

TITLE = "自治区人力资源和社会保障厅2025年部门预算公开"


@pytest.mark.parametrize(("body", "content_type"), [
    (f'<meta charset="gb2312"><title>{TITLE}</title>'.encode("gbk"), None),
    (f'<meta http-equiv="Content-Type" content="text/html; charset=GBK">{TITLE}'.encode("gbk"),
     "text/html"),
    (f"<title>{TITLE}</title>".encode("gbk"), "text/html; charset=gb2312"),
    (f"<title>{TITLE}</title>".encode("gbk"), None),  # undeclared: detected
    (f"<title>{TITLE}</title>".encode(), None),
    (f'<meta charset="utf-8"><title>{TITLE}</title>'.encode(), "text/html; charset=utf-8"),
])
def test_pages_decode_as_declared_or_detected(body: bytes, content_type: str | None):
    assert TITLE in decode_html(body, content_type)


def test_a_gbk_page_mislabelled_utf8_is_still_read():
    body = f'<meta charset="utf-8"><title>{TITLE}</title>'.encode("gbk")
    assert TITLE in decode_html(body, "text/html; charset=utf-8")


def test_gb2312_declared_pages_with_gbk_only_characters_decode():
    text = "朱镕基"  # 镕 is in GBK, not in GB2312: portals declare gb2312 and use GBK anyway
    page = f'<meta charset="gb2312">{text}，'.encode("gbk")
    assert codec_name("GB2312") == codec_name("gbk") == "gb18030"
    assert decode_html(page).endswith(f"{text}，") and "\ufffd" not in decode_html(page)


def test_a_configured_encoding_wins():
    body = TITLE.encode("gbk")
    assert decode_html(body, "text/html; charset=utf-8", encoding="gbk") == TITLE


def test_links_resolve_against_the_page_and_its_base():
    page = parse_page(
        b'<html><title>t</title><a href="./P0202603.pdf">a</a><a href="../x/y.html#top">b</a>'
        b'<a href="javascript:void(0)">c</a><a href="#">d</a><a href="mailto:a@b.cn">e</a>'
        b'<a href="file:///etc/passwd">f.pdf</a><a href="ftp://a/g.pdf">g.pdf</a>'
        b"</html>", "http://www.a.gov.cn/ys/202603/t1.html")
    assert [link.url for link in page.links] == ["http://www.a.gov.cn/ys/202603/P0202603.pdf",
                                                 "http://www.a.gov.cn/ys/x/y.html"]
    based = parse_page(b'<base href="http://cdn.a.gov.cn/f/"><a href="z.pdf">z</a>',
                       "http://www.a.gov.cn/p.html")
    assert based.links[0].url == "http://cdn.a.gov.cn/f/z.pdf"


def test_the_document_title_prefers_articletitle_then_title_without_the_site_name():
    meta = parse_page(f'<meta name="ArticleTitle" content="{TITLE}"><title>x_站</title>'
                      "<h1>网站标志</h1>".encode(), "http://a/")
    assert meta.title == TITLE
    plain = parse_page(f"<h1>重庆市水利局</h1><title>{TITLE}_重庆市水利局</title>".encode(),
                       "http://a/")
    assert plain.title == TITLE


def test_a_cut_link_text_gives_way_to_the_title_attribute():
    link = Link("http://a/1.html", "自治区人力资源和社会保障厅2025年...", TITLE)
    assert link.label == TITLE
    assert Link("http://a/1.html", TITLE, "详情").label == TITLE


@pytest.mark.parametrize(("url", "text", "ext"), [
    ("http://a/ys/P020260302295201566289.pdf", "重庆市水利发展研究中心.pdf", "pdf"),
    ("http://a/down.jsp?id=7", "附件：2025年部门预算公开表.pdf", "pdf"),  # the text names it
    ("http://a/download?filename=%E8%A1%A8.XLSX", "下载", "xlsx"),
    ("http://a/f/budget.DOC", "说明", "doc"),
    ("http://a/f/all.zip", "打包下载", "zip"),
    ("http://a/ys/t20250301_1.html", "2025年部门预算", None),
])
def test_attachments_by_link_text_url_or_file_name(url: str, text: str, ext: str | None):
    att = attachment_of(Link(url, text))
    assert (att.ext if att else None) == ext


def test_attachments_put_the_narrative_before_the_tables_and_pdfs_first():
    page = parse_page("""
        <a href="a.xls">附件3：项目支出表.xls</a>
        <a href="t.pdf">附件1：2026年部门预算公开表.pdf</a>
        <a href="t.pdf">2026年部门预算公开表.pdf</a>
        <a href="perf.pdf">附件4：绩效目标表.pdf</a>
        <a href="n.pdf">附件2：2026年部门预算情况说明.pdf</a>
    """.encode(), "http://a/ys/")
    assert [(a.name, a.ext) for a in attachments(page)] == [
        ("附件2：2026年部门预算情况说明.pdf", "pdf"),
        ("附件1：2026年部门预算公开表.pdf", "pdf"),
        ("附件4：绩效目标表.pdf", "pdf"),
        ("附件3：项目支出表.xls", "xls"),
    ]
