"""File to `DocumentRecord`: load, clean, outline, kind."""
from __future__ import annotations

import hashlib
from pathlib import Path

from nlp.clean import clean_text
from nlp.facts import extract_facts
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
    from nlp.places import place_from_row

    if path.suffix.lower() != ".csv":
        return None
    reader = csv.DictReader(io.StringIO(decode_bytes(path.read_bytes(), path.name)))
    if not reader.fieldnames or not all(h in reader.fieldnames for h in GAZETTEER_HEADER):
        return None
    places = (place_from_row(row) for row in reader)
    return [{"name": p.name, "aliases": list(p.aliases), "kind": p.kind, "parent": p.parent,
             "lon": p.lon, "lat": p.lat} for p in places if p is not None]


def _table_record(path: Path, root: Path, suffix: str, sha256: str | None = None) -> DocumentRecord:
    from nlp.registry import load_registry

    if not path.is_file():
        raise LoadError(f"{path}：文件不存在")
    rec = DocumentRecord(doc_id_for(path, root), str(path), suffix, "registry", path.stem, "",
                         sha256 or file_sha256(path))
    places = _read_gazetteer(path)
    if places is not None:
        rec.kind, rec.meta["places"] = "gazetteer", places
        return rec
    result = load_registry(path)  # RegistryError (a LoadError) for an unmappable file
    rec.meta["registry"] = result
    rec.meta["row_errors"] = [str(e) for e in result.errors]
    return rec


def build_record(path: Path, root: Path | None = None, sha256: str | None = None) -> DocumentRecord:
    path = Path(path)
    root = Path(root) if root else path
    suffix = path.suffix.lower()
    if suffix in REGISTRY_SUFFIXES:
        return _table_record(path, root, suffix, sha256)
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
    rec = DocumentRecord(doc_id_for(path, root), str(path), suffix, detect_kind(title, text, suffix), title,
                         text, sha256 or file_sha256(path), sections, clauses)
    _attach_meta(rec, outline)
    return rec


def _attach_meta(rec: DocumentRecord, outline) -> None:
    """Facts and metadata by document kind; kg writes what it finds in `rec.meta`."""
    if rec.kind == "plan":
        from nlp.incident import lexicons
        from nlp.metadata import plan_metadata

        rec.meta["facts"] = extract_facts(outline)
        meta = plan_metadata(rec)
        rec.meta["plan_meta"] = meta.to_json()
        tax = lexicons().taxonomy
        rec.meta["incident_types"] = [{"code": c, "name": tax[c].name, "category": tax[c].category}
                                      for c in meta.incident_types if c in tax]
    elif rec.kind == "regulation":
        from nlp.metadata import regulation_metadata

        rec.meta["doc_meta"] = regulation_metadata(rec).to_json()
    elif rec.kind == "case":
        from nlp.case import extract_case

        rec.meta["case"] = extract_case(rec).to_json()
