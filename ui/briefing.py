"""The commander's briefing from a match result (`matcher.service.Matcher.match`): Markdown and .docx.

Both renderers walk the same `sections(result)`: a list of (heading, blocks) where a block is a
paragraph string, a bullet list or a table, so the two formats always say the same thing.
"""
from __future__ import annotations

import datetime as _dt
import io
from collections import OrderedDict

TITLE = "突发事件应急处置简报"
FIGURES = (("deaths", "死亡", "人"), ("missing", "失踪", "人"), ("injured", "受伤", "人"),
           ("seriously_injured", "重伤", "人"), ("evacuated", "疏散转移", "人"), ("direct_loss_wan", "直接经济损失", "万元"))


def _v(value, empty: str = "—") -> str:
    if value is None or value == "" or value == []:
        return empty
    if isinstance(value, float):
        return f"{value:.1f}".rstrip("0").rstrip(".")
    if isinstance(value, list):
        return "、".join(str(x) for x in value)
    return str(value)


def place_text(loc: dict | None, short: bool = False) -> str:
    """省市县 and the place, each said once (a place named after its county drops the county)."""
    loc = loc or {}
    keys = ("county", "place") if short else ("province", "city", "county", "place")
    parts = [loc.get(k) for k in keys if loc.get(k)]
    kept = [p for i, p in enumerate(parts) if not any(q != p and (q.startswith(p) or p in q) for q in parts[i + 1:])]
    return "".join(dict.fromkeys(kept)) or "未识别"


def casualty_text(incident: dict) -> str:
    items = [f"{label} {_v(incident.get(key))} {unit}" for key, label, unit in FIGURES if incident.get(key) is not None]
    return "，".join(items) or "未提及"


def grade_text(incident: dict) -> str:
    basis = incident.get("grade_basis") or {}
    grade = incident.get("grade") or "未达分级"
    if not basis:
        return f"{grade}（无可适用的分级规则）"
    where = "《{}》{}".format(basis.get("plan") or "", basis.get("section") or "").strip()
    return f"{grade}：依据 {where}，规则“{_v(basis.get('rule'))}”；原文：{_v(basis.get('text'))}"


def checklist_by_org(checklist: list[dict]) -> "OrderedDict[str, list[dict]]":
    groups: "OrderedDict[str, list[dict]]" = OrderedDict()
    for item in checklist or []:
        groups.setdefault(item.get("org") or "未明确单位", []).append(item)
    return groups


def _distance(d) -> str:
    return "—" if d is None else f"{float(d):.1f}"


def sections(result: dict) -> list[tuple[str, list]]:
    """The briefing's content as (heading, blocks); a block is str, ("list", [str]) or ("table", header, rows)."""
    inc = result.get("incident") or {}
    out: list[tuple[str, list]] = []
    out.append(("一、事件概况", [("table", ["项目", "内容"], [
        ["事件类型", f"{_v(inc.get('type_name'))}（{_v(inc.get('category'))}）"],
        ["发生地点", place_text(inc.get("location"))],
        ["发生时间", _v(inc.get("time"))],
        ["伤亡情况", casualty_text(inc)],
        ["危险物质", _v(inc.get("hazards"))],
    ])]))
    level = inc.get("response_level")
    out.append(("二、事件分级与响应", [f"事件等级：{grade_text(inc)}",
                                      f"建议响应级别：{_v(level, '未确定')}"]))
    plans = result.get("plans") or []
    out.append(("三、适用预案", [("table", ["预案", "层级", "得分", "理由"],
                                  [[p.get("title"), _v(p.get("level")), _v(p.get("score")), _v(p.get("why"))]
                                   for p in plans])] if plans else ["未匹配到预案"]))
    clauses = result.get("clauses") or []
    out.append(("四、应执行条款", [("list", [f"《{c.get('plan_title')}》{_v(c.get('section'), '')}：{c.get('text')}"
                                              for c in clauses])] if clauses else ["无"]))
    blocks: list = []
    if result.get("teams"):
        blocks += ["救援队伍", ("table", ["队伍", "专业", "距离(公里)", "理由"], [
            [t.get("name"), _v(t.get("speciality")), _distance(t.get("distance_km")), _v(t.get("why"))]
            for t in result["teams"]])]
    if result.get("supplies"):
        blocks += ["应急物资", ("table", ["物资", "数量", "储备库", "距离(公里)"], [
            [s.get("name"), f"{_v(s.get('quantity'))} {_v(s.get('unit'), '')}".strip(), _v(s.get("depot")),
             _distance(s.get("distance_km"))] for s in result["supplies"]])]
    if result.get("experts"):
        blocks += ["应急专家", ("table", ["专家", "领域", "单位"], [
            [e.get("name"), _v(e.get("field")), _v(e.get("org"))] for e in result["experts"]])]
    out.append(("五、救援力量与物资", blocks or ["无"]))
    cases = result.get("cases") or []
    out.append(("六、相似案例", [("list", [f"{c.get('title')}（{_v(c.get('why'), '')}）".replace("（）", "")
                                           for c in cases])] if cases else ["无"]))
    groups = checklist_by_org(result.get("checklist") or [])
    blocks = []
    for org, items in groups.items():
        blocks += [org, ("table", ["任务", "时限", "来源"], [
            [i.get("action"), _v(i.get("deadline"), "立即"), _v(i.get("source"))] for i in items])]
    out.append(("七、任务清单（按单位）", blocks or ["无"]))
    return out


def _cell(value) -> str:
    return str(value if value is not None else "").replace("|", "｜").replace("\n", " ")


def to_markdown(result: dict, report: str | None = None, now: _dt.datetime | None = None) -> str:
    now = now or _dt.datetime.now()
    lines = [f"# {TITLE}", "", f"生成时间：{now:%Y-%m-%d %H:%M}", ""]
    if report:
        lines += ["> 事件报告：" + " ".join(report.split())[:500], ""]
    for heading, blocks in sections(result):
        lines += [f"## {heading}", ""]
        for block in blocks:
            if isinstance(block, str):
                lines += [block, ""]
            elif block[0] == "list":
                lines += [f"{i}. {_cell(item)}" for i, item in enumerate(block[1], start=1)] + [""]
            else:
                _, header, rows = block
                lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
                lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows] + [""]
    return "\n".join(lines).rstrip() + "\n"


def to_docx(result: dict, report: str | None = None, now: _dt.datetime | None = None) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn

    now = now or _dt.datetime.now()
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    doc.add_heading(TITLE, level=0)
    doc.add_paragraph(f"生成时间：{now:%Y-%m-%d %H:%M}")
    if report:
        doc.add_paragraph("事件报告：" + " ".join(report.split())[:500])
    for heading, blocks in sections(result):
        doc.add_heading(heading, level=1)
        for block in blocks:
            if isinstance(block, str):
                doc.add_paragraph(block)
            elif block[0] == "list":
                for item in block[1]:
                    doc.add_paragraph(str(item), style="List Number")
            else:
                _, header, rows = block
                table = doc.add_table(rows=1, cols=len(header))
                table.style = "Table Grid"
                for cell, text in zip(table.rows[0].cells, header):
                    cell.text = text
                for row in rows:
                    for cell, text in zip(table.add_row().cells, row):
                        cell.text = _cell(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
