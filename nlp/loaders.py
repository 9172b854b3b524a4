"""Read a file into plain text. Every failure is a `LoadError` with one clear Chinese sentence."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
REGISTRY_SUFFIXES = {".csv", ".xlsx"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | {".docx", ".pdf", ".doc"} | REGISTRY_SUFFIXES
MAX_BYTES = 50 * 1024 * 1024


class LoadError(ValueError):
    """A file that cannot be read as a document."""


def decode_bytes(data: bytes, name: str = "") -> str:
    """Decode text bytes: UTF-8 (with or without BOM), else GB18030/GBK, else what charset-normalizer finds."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError(f"{name}：二进制文件，不是文本")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise LoadError(f"{name}：无法识别文本编码")
    return str(best)


def _read_docx(path: Path) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise LoadError(f"{path.name}：不是有效的 Word(.docx) 文件（{exc.__class__.__name__}）") from exc
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = []
                    for cell in row.iterchildren():
                        if cell.tag.endswith("}tc"):
                            cells.append("".join(t.text or "" for t in cell.iter() if t.tag.endswith("}t")).strip())
                    lines.append(" | ".join(cells))
    return "\n".join(lines)


def _read_pdf(path: Path) -> str:
    import pdfplumber

    try:
        with pdfplumber.open(str(path)) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types for broken files
        raise LoadError(f"{path.name}：PDF 文件损坏或无法解析（{exc.__class__.__name__}）") from exc
    text = "\n".join(pages)
    if len(text.strip()) < 20:
        raise LoadError(f"{path.name}：PDF 没有文字层（可能是扫描件），请先做 OCR")
    return text


def _read_html(data: bytes, name: str) -> str:
    from html.parser import HTMLParser

    class _Text(HTMLParser):
        BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "table"}

        def __init__(self):
            super().__init__()
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag, attrs):
            if tag in ("script", "style"):
                self.skip += 1
            if tag in self.BLOCK:
                self.parts.append("\n")

        def handle_endtag(self, tag):
            if tag in ("script", "style") and self.skip:
                self.skip -= 1
            if tag in ("td", "th"):
                self.parts.append(" | ")

        def handle_data(self, data):
            if not self.skip:
                self.parts.append(data)

    parser = _Text()
    parser.feed(decode_bytes(data, name))
    return "".join(parser.parts)


def _read_doc(path: Path) -> str:
    for tool, args in (("antiword", ["-w", "0"]), ("catdoc", ["-w"])):
        exe = shutil.which(tool)
        if exe:
            proc = subprocess.run([exe, *args, str(path)], capture_output=True, timeout=60)
            if proc.returncode == 0 and proc.stdout.strip():
                return decode_bytes(proc.stdout, path.name)
    raise LoadError(f"{path.name}：旧版 Word(.doc) 需要安装 antiword 或 catdoc（apt-get install antiword）")


def read_text(path: Path) -> str:
    """Plain text of a document file (not registries)."""
    path = Path(path)
    if not path.exists():
        raise LoadError(f"{path}：文件不存在")
    if not path.is_file():
        raise LoadError(f"{path}：不是文件")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise LoadError(f"{path.name}：不支持的文件类型 {suffix or '(无扩展名)'}")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise LoadError(f"{path.name}：文件过大（{size // 1048576} MB，上限 50 MB）")
        if suffix == ".docx":
            text = _read_docx(path)
        elif suffix == ".pdf":
            text = _read_pdf(path)
        elif suffix == ".doc":
            text = _read_doc(path)
        else:
            data = path.read_bytes()
            text = _read_html(data, path.name) if suffix in HTML_SUFFIXES else decode_bytes(data, path.name)
    except PermissionError as exc:
        raise LoadError(f"{path.name}：无读取权限") from exc
    except OSError as exc:
        raise LoadError(f"{path.name}：读取失败（{exc.strerror or exc}）") from exc
    if not text.strip():
        raise LoadError(f"{path.name}：文件为空")
    return text
