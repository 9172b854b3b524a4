"""Build the bureau-style corpus from our clean sources: `python -m corpora.build`.

Real bureaus hold plans as Word, PDF, GB18030 text and copy-pasted files full of page numbers,
running headers and hard line breaks. This script turns selected clean sources in
`corpora/sources/lianyungang` into such files under `corpora/lianyungang`, deterministically.
Needs the `corpus` extra (reportlab for PDF with the built-in STSong-Light CID font).
"""
from __future__ import annotations

import csv
import datetime as _dt
import re
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "sources" / "lianyungang"
OUT = HERE / "lianyungang"

DOCX = {"连云港市城镇燃气事故应急预案", "东海县地震应急预案", "江苏海澜石化有限公司生产安全事故应急预案"}
PDF = {"连云港市大面积停电事件应急预案", "连云港市核应急预案（田湾核电站）"}
GB18030 = {"灌南县防汛抗旱应急预案", "连云港市建筑施工事故应急预案"}
NOISY = {"连云港市森林防灭火应急预案", "徐圩新区危险化学品事故应急预案"}
XLSX = {"应急专家", "应急装备"}
GBK_CSV = {"避难场所": {"场所名称": "名称", "容纳人数": "可容纳人数"}}  # saved as GBK with synonym headers

WRAP = 36
LINES_PER_PAGE = 40
_TO_FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def _md_heading(line: str) -> tuple[int, str] | None:
    m = re.match(r"^(#{1,6})\s*(.+)$", line)
    return (len(m.group(1)), m.group(2).strip()) if m else None


def write_docx(text: str, dest: Path) -> None:
    import docx

    document = docx.Document()
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if "|" in line:
            rows = []
            while i < len(lines) and "|" in lines[i]:
                rows.append([c.strip() for c in lines[i].strip().strip("|").split("|")])
                i += 1
            width = max(len(r) for r in rows)
            table = document.add_table(rows=len(rows), cols=width)
            for r, cells in enumerate(rows):
                for c, value in enumerate(cells):
                    table.cell(r, c).text = value
            continue
        head = _md_heading(line)
        if head:
            document.add_heading(head[1], level=min(head[0], 4))
        else:
            document.add_paragraph(line)
        i += 1
    core = document.core_properties
    core.title, core.author = lines[0].lstrip("# ").strip(), "yingji corpus"
    core.created = core.modified = _dt.datetime(2024, 1, 1)
    document.save(str(dest))


def _wrap(line: str, width: int = WRAP) -> list[str]:
    if len(line) <= width:
        return [line]
    return [line[i:i + width] for i in range(0, len(line), width)]


def _pages(text: str, title: str) -> list[list[str]]:
    wrapped = [piece for line in text.split("\n") for piece in _wrap(line)]
    pages = [wrapped[i:i + LINES_PER_PAGE] for i in range(0, len(wrapped), LINES_PER_PAGE)]
    return pages


def write_pdf(text: str, dest: Path, title: str) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(dest), invariant=1)
    c.setTitle(title)
    for n, page in enumerate(_pages(text, title), start=1):
        c.setFont("STSong-Light", 9)
        if n > 1:
            c.drawString(72, 800, title)
        c.setFont("STSong-Light", 11)
        y = 770
        for line in page:
            c.drawString(60, y, line)
            y -= 17
        c.setFont("STSong-Light", 9)
        c.drawString(290, 40, f"- {n} -")
        c.showPage()
    c.save()


def add_noise(text: str, title: str) -> str:
    """Hard line breaks, running headers, page numbers and full-width digits, as in a pasted PDF."""
    out: list[str] = []
    for n, page in enumerate(_pages(text, title), start=1):
        if n > 1:
            out.append(title)
        for i, line in enumerate(page):
            out.append(line.translate(_TO_FULL) if (i + n) % 7 == 0 and not re.match(r"^\s*\d", line) else line)
        out += ["", f"— {n} —", ""]
    return "\n".join(out)


def build_plans() -> list[Path]:
    dest_dir = OUT / "plans"
    if dest_dir.exists():
        shutil.rmtree(dest_dir)
    dest_dir.mkdir(parents=True)
    written = []
    for src in sorted((SRC / "plans").iterdir()):
        stem, text = src.stem, src.read_text(encoding="utf-8")
        if stem in DOCX:
            dest = dest_dir / f"{stem}.docx"
            write_docx(text, dest)
        elif stem in PDF:
            dest = dest_dir / f"{stem}.pdf"
            write_pdf(text, dest, stem)
        elif stem in GB18030:
            dest = dest_dir / src.name
            dest.write_bytes(text.encode("gb18030"))
        elif stem in NOISY:
            dest = dest_dir / src.name
            dest.write_text(add_noise(text, stem), encoding="utf-8")
        else:
            dest = dest_dir / src.name
            shutil.copyfile(src, dest)
        written.append(dest)
    return written


def build_registry() -> list[Path]:
    import openpyxl

    dest_dir = OUT / "registry"
    for old in dest_dir.glob("*.*"):
        if old.suffix in (".csv", ".xlsx"):
            old.unlink()
    dest_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for src in sorted((SRC / "registry").glob("*.csv")):
        with open(src, encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        if src.stem in XLSX:
            book = openpyxl.Workbook()
            sheet = book.active
            sheet.title = src.stem
            sheet.append([f"连云港市{src.stem}名录（{len(rows) - 1}条）"])
            for row in rows:
                sheet.append([_number(v) for v in row])
            book.properties.creator = "yingji corpus"
            dest = dest_dir / f"{src.stem}.xlsx"
            book.save(dest)
        elif src.stem in GBK_CSV:
            rename = GBK_CSV[src.stem]
            rows[0] = [rename.get(h, h) for h in rows[0]]
            dest = dest_dir / src.name
            with open(dest, "w", encoding="gbk", newline="") as fh:
                csv.writer(fh).writerows(rows)
        else:
            dest = dest_dir / src.name
            shutil.copyfile(src, dest)
        written.append(dest)
    return written


def _number(value: str):
    try:
        return int(value) if re.fullmatch(r"-?\d+", value) else float(value) if re.fullmatch(r"-?\d+\.\d+", value) else value
    except ValueError:
        return value


def main() -> None:
    plans = build_plans()
    registry = build_registry()
    print(f"built {len(plans)} plans and {len(registry)} registry files under {OUT}")


if __name__ == "__main__":
    main()
