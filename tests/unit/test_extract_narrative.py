"""Lines, paragraphs, headings and sentences of the narrative; facts; the document's own
year and kind."""

from __future__ import annotations

from decimal import Decimal

from tasks.extract.facts import parse_facts
from tasks.extract.narrative import Section, Sentence, document_identity, sections
from tasks.extract.pdf import Line, Page, _lines


def _chars(text: str, x0: float, top: float, size: float = 12.0,
           latin_drop: float = 0.0) -> list[dict]:
    out, x = [], x0
    for ch in text:
        latin = ch.isascii()
        width = size / 2 if latin else size
        t = top + (latin_drop if latin else 0.0)
        out.append({"text": ch, "x0": x, "x1": x + width, "top": t, "bottom": t + size,
                    "size": size})
        x += width
    return out


def test_digits_below_the_cjk_baseline_stay_in_their_sentence():
    """Putuo's ONLYOFFICE export sets Latin digits ~5 pt below the CJK line."""
    chars = _chars("本年收入合计2946.25万元，其中：", 72, 100, latin_drop=5.0)
    chars += _chars("下一行文字。", 72, 130)
    lines = _lines(chars)
    assert [ln.text for ln in lines] == ["本年收入合计2946.25万元，其中：", "下一行文字。"]


def _page(number: int, rows: list[tuple[str, float, float, float]], width: float = 595) -> Page:
    """rows: (text, x0, x1, size), one line each, 20 pt apart."""
    lines = [Line(t, 60.0 + 20 * i, 60.0 + 20 * i + size, x0, x1, size)
             for i, (t, x0, x1, size) in enumerate(rows)]
    return Page(number, 0, width, 842, lines, [])


FULL = 540.0  # the right margin of a full line


def test_paragraphs_make_headings_sections_and_sentences():
    page1 = _page(1, [
        ("江州市文化广电旅游局2025年度部门预算", 100, 400, 22),
        ("第一部分 部门概况", 60, 200, 16),
        ("一、加强党的建设。落实基层党建责任制，加强基层服务型党组织建设，统筹推进区域", 60, FULL, 12),
        ("化党建。", 60, 110, 12),
        ("五、关于江州市文化广电旅游局2025年一般公共预算当年拨款情", 60, FULL, 12),
        ("况说明", 60, 100, 12),
        ("2025年支出总计1682.76万元。其中：基本支出合计为1208.20", 84, 500, 12),
        ("万元，项目支出合计为474.56万元。", 60, 300, 12),
        ("江州市财政局", 250, 330, 10),
    ])
    page2 = _page(2, [
        ("（一）一般公共预算当年拨款规模变化情况", 60, 300, 12),
        ("一般公共预算当年拨款 8,627.56 万元，比2024年预算增加 337.67 万元，增长 4.1%，主要", 84, FULL, 12),
        ("原因是项目投入增加。", 60, 200, 12),
        ("江州市财政局", 250, 330, 10),
    ])
    page3 = _page(3, [("2024年部门预算编制说明", 200, 380, 18),
                      ("收入预算 15621.11 万元。", 84, 300, 12), ("江州市财政局", 250, 330, 10)])
    out = sections([page1, page2, page3])
    heads = [(s.part, s.path, s.scope) for s in out]
    assert ("一", "五", "gpb") in heads and ("一", "五(一)", "gpb") in heads
    assert ("一", "部门预算编制说明", "summary") in heads  # a heading by its larger type
    assert all(not s.heading.startswith("一、加强党的建设") for s in out)  # a list item
    five = next(s for s in out if s.path == "五")
    assert five.heading == "五、关于江州市文化广电旅游局2025年一般公共预算当年拨款情况说明"
    assert [x.text for x in five.sentences] == [
        "2025年支出总计1682.76万元。", "其中：基本支出合计为1208.20万元，项目支出合计为474.56万元。"]
    sub = next(s for s in out if s.path == "五(一)")
    assert sub.sentences[0].page == 2
    # The running foot printed on every page is not narrative.
    assert not any("江州市财政局" == x.text for s in out for x in s.sentences)


def test_sentence_over_a_page_break_knows_the_page_of_each_part():
    page1 = _page(1, [("二、收入预算情况", 60, 200, 12),
                      ("收入预算 45,057.32 万元，其中：一般公共预算 42,040.53 万元，占 93.30%，比上年预", 84, FULL, 12)])
    page2 = _page(2, [("算减少 8,524.52 万元；单位资金 1,498.00 万元，占 3.32%。", 60, 400, 12)])
    (section,) = [s for s in sections([page1, page2]) if s.path == "二"]
    (sentence,) = section.sentences
    assert sentence.page == 1
    assert sentence.page_at(sentence.text.replace(" ", "").index("单位资金")) == 2


def test_year_and_kind_come_from_the_cover_not_the_file_name():
    cover = _page(1, [("西安市人民政府国有资产监督管理委员会", 100, 400, 20),
                      ("2022年部门预算", 200, 300, 26)])
    assert document_identity([cover]) == (2022, "budget")
    final = _page(1, [("上海市普陀区财政局2024年度部门决算", 100, 400, 22)])
    assert document_identity([final]) == (2024, "final")


def test_units_and_staff_with_their_changes():
    section = Section("一", "二", "二、机构设置及人员情况", "overview", [Sentence(t, 4) for t in [
        "从预算单位构成看，本部门的预算包括：本级预算及下属 4 家预算单位在内的汇总预算。",
        "本级下设 31 个处室，分别是：办公室、政策法规处。",
        "本部门中，行政单位 1 家，事业单位 4 家，纳入部门预算编制范围的下属预算单位包括：",
        "1. 新疆维吾尔自治区人力资源和社会保障厅本级", "2. 新疆维吾尔自治区技工教师进修学校",
        "编制数 515，实有人数 1060 人，其中：在职 437 人，减少 403 人；退休 617 人，减少 342 人；"
        "离休 6 人，减少 2 人。"]])
    jz = Section("一", "一(二)", "(二)机构设置", "overview", [Sentence(t, 1) for t in [
        "本部门预算由局本级和下属 4 个预算单位组成，包括：江州市文化广电旅游局本级、江州市文化馆。",
        "在职人员 210 人（增加 4 人），退休人员 95 人（增加2 人）。"]])
    facts = [(f.kind, f.subject, f.value, f.change) for f in parse_facts([section, jz])]
    assert facts == [
        ("unit_count", "下属预算单位", Decimal(4), None), ("office_count", "处室", Decimal(31), None),
        ("office", "办公室", None, None), ("office", "政策法规处", None, None),
        ("admin_units", "行政单位", Decimal(1), None), ("inst_units", "事业单位", Decimal(4), None),
        ("quota", "编制数", Decimal(515), None), ("staff", "实有人数", Decimal(1060), None),
        ("staff", "在职", Decimal(437), Decimal(-403)), ("staff", "退休", Decimal(617), Decimal(-342)),
        ("staff", "离休", Decimal(6), Decimal(-2)),
        ("unit", "新疆维吾尔自治区人力资源和社会保障厅本级", None, None),
        ("unit", "新疆维吾尔自治区技工教师进修学校", None, None),
        ("unit_count", "下属预算单位", Decimal(4), None),
        ("unit", "江州市文化广电旅游局本级", None, None), ("unit", "江州市文化馆", None, None),
        ("staff", "在职", Decimal(210), Decimal(4)), ("staff", "退休", Decimal(95), Decimal(2))]


def test_units_listed_in_a_small_table_when_the_text_lists_none():
    """Putuo and Fuzhou list their units in a `序号 | 单位名称 | 备注` table."""
    from tasks.extract.facts import unit_list_tables
    from tasks.extract.pdf import Cell, Grid

    rows = [["序号", "单位名称", "备注"], ["1", "上海市普陀区财政局（本级）", ""],
            ["2", "上海市普陀区国库收付中心", "预算不单列，并入本级"]]
    cells = [Cell(t, r, r + 1, c, c + 1) for r, row in enumerate(rows) for c, t in enumerate(row)]
    grid = Grid(5, 100, 160, 50, 400, 3, 3, cells, [50.0, 90.0, 300.0, 400.0])
    facts = unit_list_tables([Page(5, 0, 595, 842, [], [grid])])
    assert [(f.kind, f.subject, f.page) for f in facts] == [
        ("unit", "上海市普陀区财政局(本级)", 5), ("unit", "上海市普陀区国库收付中心", 5)]


def test_chongqing_heading_run_into_its_paragraph_opens_its_own_section():
    """重庆 五: `（一）机关运行经费。2026 年一般公共预算财政拨款运行经费 1,815 万元…` is a
    sub-heading set at the start of its paragraph: its own section, with the scope it names."""
    page = _page(1, [
        ("五、其他重要事项的情况说明", 60, 300, 12),
        ("（一）机关运行经费。2026 年一般公共预算财政拨款运行经费 1,815 万元，比 2025 年增加", 84, FULL, 12),
        ("21.99 万元，主要原因为在职人员较去年有所增加。", 60, 300, 12),
        ("（二）政府采购情况。所属各预算单位政府采购预算总额 4,542.69 万元。", 84, 500, 12),
        ("一、加强党的建设。落实基层党建责任制。", 84, 400, 12),
    ])
    out = {s.path: s for s in sections([page])}
    assert (out["五(一)"].heading, out["五(一)"].scope) == ("(一)机关运行经费。", "running-cost")
    assert out["五(一)"].sentences[0].text.startswith("2026 年一般公共预算财政拨款运行经费")
    assert (out["五(二)"].heading, out["五(二)"].scope) == ("(二)政府采购情况。", "procurement")
    # a numbered task (`一、…。`) stays a sentence of its section
    assert [t.text for t in out["五(二)"].sentences][-2:] == ["一、加强党的建设。", "落实基层党建责任制。"]


def test_changchun_stray_full_stop_before_an_items_amount_does_not_end_the_sentence():
    """长春 九: `…取暖费23.37万元，维修（护）费。12.61万元等。`: the 12.61 is 维修（护）费's."""
    section = sections([_page(1, [("九、机关运行经费安排使用情况说明", 60, 300, 12),
                                  ("机关运行经费预算总计211万元，其中主要支出为取暖费23.37万元，维修（护）费。"
                                   "12.61万元等。", 84, 400, 12)])])[-1]
    assert [s.text for s in section.sentences] == [
        "机关运行经费预算总计211万元，其中主要支出为取暖费23.37万元，维修（护）费。12.61万元等。"]


def test_guangzhou_office_marked_as_not_counted_is_not_listed_as_one():
    """广州: `局本级内设处室22个，分别是办公室、…、离退休人员服务处、机关党委（不纳入内设机构数）；…`."""
    section = Section("一", "二", "二、机构设置", "overview", [Sentence(
        "局本级内设处室2个，分别是办公室、人事处、机关党委（不纳入内设机构数）；此外纳入局本级编制预算的"
        "还有市纪委、市监委驻局纪检监察组。", 5)])
    facts = [(f.kind, f.subject, f.value) for f in parse_facts([section])]
    assert facts == [("office_count", "处室", Decimal(2)), ("office", "办公室", None),
                     ("office", "人事处", None)]
