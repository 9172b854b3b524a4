"""Outline parsing and cleaning across numbering styles and copy-paste damage."""
from __future__ import annotations

import pytest

from nlp.clean import clean_text
from nlp.kind import detect_kind
from nlp.loaders import read_text
from nlp.outline import parse_outline
from tests.conftest import CORPUS, SOURCES


def headings(outline):
    return [(s.level, s.number, s.heading) for s, _ in outline.walk()]


def test_chapter_article_style():
    text = "某县堆场预案\n第一章　总则\n第一条　为了规范应急工作，制定本预案。\n第二条　本预案适用于本县。\n第二章　组织机构\n第一节　指挥部\n第三条　指挥部由县长任总指挥。\n"
    o = parse_outline(clean_text(text))
    assert headings(o) == [(1, "第一章", "总则"), (2, "第一条", ""), (2, "第二条", ""),
                           (1, "第二章", "组织机构"), (2, "第一节", "指挥部"), (3, "第三条", "")]
    assert [c.text for c in o.clauses if c.section and c.section.number == "第一条"] == ["为了规范应急工作，制定本预案。"]


def test_decimal_style_and_items_are_not_headings():
    text = ("某市地震应急预案\n1 总则\n1.1 事件分级\n1. 特别重大：造成300人以上死亡；\n2. 重大：造成50人以上300人以下死亡；\n"
            "1.2 工作原则\n以人为本。\n2 组织体系\n2.1 指挥部\n（1）组织搜救\n（2）安置群众\n")
    o = parse_outline(clean_text(text))
    assert headings(o) == [(1, "1", "总则"), (2, "1.1", "事件分级"), (2, "1.2", "工作原则"),
                           (1, "2", "组织体系"), (2, "2.1", "指挥部")]
    items = [c.text for c in o.clauses if c.section and c.section.number == "2.1"]
    assert items == ["（1）组织搜救", "（2）安置群众"]


def test_markdown_title_is_not_a_section():
    o = parse_outline(clean_text("# 某市燃气预案\n## 1 总则\n### 1.1 目的\n文字。\n## 2 响应\n"))
    assert o.title == "某市燃气预案"
    assert headings(o) == [(1, "1", "总则"), (2, "1.1", "目的"), (1, "2", "响应")]


def test_toc_page_numbers_headers_and_hard_breaks_are_removed():
    body = "为了有效应对突发事件，最大程度减少人员伤亡和财产损失，维护公共安全和社会稳定，依据有关法律法规，结合本市实际，制定本预案。"
    lines = ["某市森林防灭火应急预案", "目  录", "一、总则……………………1", "二、组织体系………………3", "一、总则", "（一）编制目的"]
    wrapped = [body[i:i + 20] for i in range(0, len(body), 20)]
    filler = [f"第{i}项措施由市应急管理局负责组织实施并及时报告进展情况和有关信息，确保到位" for i in range(30)]
    noisy = lines + wrapped + ["", "— 1 —", "", "某市森林防灭火应急预案"] + [f[:20] for f in filler] + ["- 2 -", "某市森林防灭火应急预案", "二、组织体系", "由市政府统一领导。"]
    o = parse_outline(clean_text("\n".join(noisy)))
    assert [h[2] for h in headings(o)] == ["总则", "编制目的", "组织体系"]
    assert body in o.text
    assert "— 1 —" not in o.text and o.text.count("某市森林防灭火应急预案") == 1


def test_fullwidth_digits_are_normalised():
    o = parse_outline(clean_text("某预案\n１ 总则\n１.１ 目的\n造成３人死亡。\n"))
    assert headings(o) == [(1, "1", "总则"), (2, "1.1", "目的")]
    assert "造成3人死亡。" in o.text


@pytest.mark.parametrize("title, text, suffix, kind", [
    ("中华人民共和国安全生产法（2021年修正）", "第一条 为了加强安全生产工作", ".txt", "regulation"),
    ("突发事件应急预案管理办法（2024年）", "第一条 为加强应急预案管理", ".txt", "regulation"),
    ("某市危险化学品事故应急预案", "一、总则", ".txt", "plan"),
    ("某公司“3·21”爆炸事故", "伤亡情况：死亡3人\n一、事件经过\n四、经验教训", ".txt", "case"),
    ("救援队伍", "", ".csv", "registry"),
])
def test_document_kind(title, text, suffix, kind):
    assert detect_kind(title, text, suffix) == kind


def test_built_files_keep_the_outline_of_their_sources():
    """Word, PDF (hard-wrapped, running headers, page numbers), GB18030 and noisy copies."""
    total = same = 0
    for built in sorted((CORPUS / "plans").iterdir()):
        source = next((SOURCES / "plans").glob(built.stem + ".*"))
        want = [(n, h) for _, n, h in headings(parse_outline(clean_text(source.read_text(encoding="utf-8"))))]
        got = [(n, h) for _, n, h in headings(parse_outline(clean_text(read_text(built))))]
        total += len(want)
        same += sum(1 for w in want if w in got)
        assert len(got) >= 0.95 * len(want), built.name
    assert same / total >= 0.97
