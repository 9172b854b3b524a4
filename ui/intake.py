"""What the commander hands in: pasted text, or an uploaded text or CAP (Common Alerting Protocol) file."""
from __future__ import annotations

from pathlib import Path

from nlp.loaders import LoadError, decode_bytes

CAP_SUFFIXES = {".xml", ".cap"}
TEXT_SUFFIXES = {".txt", ".md", ".text"}
MAX_BYTES = 2 * 1024 * 1024


def is_cap(name: str, data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return Path(name).suffix.lower() in CAP_SUFFIXES or (head.startswith(b"<") and b"alert" in head)


def match_inputs(text: str | None, upload: tuple[str, bytes] | None) -> dict:
    """Keyword arguments for `Matcher.match`: {"text": …} or {"cap": …}; an upload wins over pasted text.

    Raises `LoadError` with a Chinese message for an empty, oversized or undecodable input."""
    if upload is not None:
        name, data = upload
        if len(data) > MAX_BYTES:
            raise LoadError(f"{name}：文件过大（超过 2 MB）")
        if not data.strip():
            raise LoadError(f"{name}：文件为空")
        if is_cap(name, data):
            return {"cap": data}
        return {"text": decode_bytes(data, name)}
    if not (text or "").strip():
        raise LoadError("请粘贴事件报告，或上传报告文件（.txt/.md 或 CAP .xml）")
    return {"text": text}
