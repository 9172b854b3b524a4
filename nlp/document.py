"""File to `DocumentRecord`: load, clean, outline, kind."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from nlp.clean import clean_text
from nlp.kind import detect_kind
from nlp.loaders import REGISTRY_SUFFIXES, LoadError, read_text
from nlp.outline import parse_outline
from nlp.records import ClauseRecord, DocumentRecord, SectionRecord


def doc_id_for(path: Path, root: Path) -> str:
    """Stable id: the path relative to the parent of the ingested root (so the folder name stays in it)."""
    path, root = path.resolve(), root.resolve()
    base = root.parent if root.is_dir() else root.parent
    return path.relative_to(base).as_posix()


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


GAZETTEER_HEADER = ("名称", "类型", "上级", "经度", "纬度")


def _read_gazetteer(path: Path) -> list[dict] | None:
    """Places from a gazetteer CSV (名称,别名,类型,上级,经度,纬度), or None when it is not one."""
    import csv
    import io

    from nlp.loaders import decode_bytes

    if path.suffix.lower() != ".csv":
        return None
    reader = csv.DictReader(io.StringIO(decode_bytes(path.read_bytes(), path.name)))
    if not reader.fieldnames or not all(h in reader.fieldnames for h in GAZETTEER_HEADER):
        return None
    places = []
    for row in reader:
        name = (row.get("名称") or "").strip()
        if not name:
            continue
        try:
            lon, lat = float(row["经度"]), float(row["纬度"])
        except (TypeError, ValueError):
            lon = lat = None
        aliases = [a for a in re.split(r"[;；、]", row.get("别名") or "") if a.strip()]
        places.append({"name": name, "aliases": aliases, "kind": (row.get("类型") or "").strip(),
                       "parent": (row.get("上级") or "").strip() or None, "lon": lon, "lat": lat})
    return places


def _table_record(path: Path, root: Path, suffix: str) -> DocumentRecord:
    from nlp.registry import RegistryError, load_registry

    if not path.is_file():
        raise LoadError(f"{path}：文件不存在")
    rec = DocumentRecord(doc_id_for(path, root), str(path), suffix, "registry", path.stem, "", file_sha256(path))
    places = _read_gazetteer(path)
    if places is not None:
        rec.kind, rec.meta["places"] = "gazetteer", places
        return rec
    try:
        result = load_registry(path)
    except RegistryError:
        raise
    rec.meta["registry"] = result
    rec.meta["row_errors"] = [str(e) for e in result.errors]
    return rec


def build_record(path: Path, root: Path | None = None) -> DocumentRecord:
    path = Path(path)
    root = Path(root) if root else path
    suffix = path.suffix.lower()
    if suffix in REGISTRY_SUFFIXES:
        return _table_record(path, root, suffix)
    raw = read_text(path)
    text = clean_text(raw)
    if not text.strip():
        raise LoadError(f"{path.name}：清理后没有正文")
    outline = parse_outline(text)
    sections: list[SectionRecord] = []
    index: dict[int, int] = {}
    for sec, numbers in outline.walk():
        index[id(sec)] = len(sections)
        sections.append(SectionRecord(len(sections), sec.number, sec.heading, sec.level,
                                      " > ".join(numbers), sec.start, sec.end, None))
    for sec, _ in outline.walk():
        for child in sec.children:
            sections[index[id(child)]].parent_seq = index[id(sec)]
    clauses = []
    for i, c in enumerate(outline.clauses):
        seq = index[id(c.section)] if c.section is not None else None
        clauses.append(ClauseRecord(i, c.text, c.start, c.end, seq, sections[seq].path if seq is not None else ""))
    title = outline.title or path.stem
    return DocumentRecord(doc_id_for(path, root), str(path), suffix, detect_kind(title, text, suffix), title,
                          text, file_sha256(path), sections, clauses)
