"""`yingji ingest`: walk files and folders, turn each into a record, write new versions to the graph."""
from __future__ import annotations

import fcntl
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kg import documents as docs
from kg import facts, links, resources
from kg.errors import StoreError
from nlp.document import build_record, doc_id_for, file_sha256
from nlp.loaders import SUPPORTED, LoadError


@dataclass
class IngestReport:
    ingested: list[dict] = field(default_factory=list)
    unchanged: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    clauses: int = 0
    seconds: float = 0.0
    links: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"ingested": self.ingested, "unchanged": self.unchanged, "skipped": self.skipped,
                "errors": self.errors, "clauses": self.clauses, "links": self.links, "seconds": round(self.seconds, 3),
                "clauses_per_second": round(self.clauses / self.seconds, 1) if self.seconds else None}


def walk(paths: list[Path], report: IngestReport) -> list[tuple[Path, Path]]:
    """(file, root) pairs in a stable order; missing paths become errors."""
    out: list[tuple[Path, Path]] = []
    for root in paths:
        root = Path(root)
        if not root.exists():
            report.errors.append({"path": str(root), "error": f"{root}：路径不存在"})
        elif root.is_file():
            out.append((root, root))
        else:
            for f in sorted(p for p in root.rglob("*") if p.is_file()):
                rel = f.relative_to(root).parts
                if any(part.startswith((".", "_")) for part in rel):
                    continue
                if f.suffix.lower() not in SUPPORTED:
                    report.skipped.append({"path": str(f), "reason": f"不支持的文件类型 {f.suffix or '(无)'}"})
                    continue
                out.append((f, root))
    return out


@contextmanager
def ingest_lock(store_dir: Path | None):
    """One ingest at a time per embedded store folder (Neo4j relies on its unique constraints)."""
    if store_dir is None:
        yield
        return
    store_dir.mkdir(parents=True, exist_ok=True)
    with open(store_dir / "ingest.lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise StoreError(f"另一个导入正在进行：{store_dir}") from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


FACT_DELETERS = (*facts.FACT_DELETERS, *resources.FACT_DELETERS)


def remove_incomplete(backend, fact_deleters=FACT_DELETERS) -> int:
    """Delete versions left half-written by a killed ingest."""
    stale = [r["version_id"] for r in backend.read(docs.INCOMPLETE_VERSIONS)]
    for vid in stale:
        backend.write(docs.delete_version_statements(vid, fact_deleters))
    return len(stale)


def ingest_paths(backend, paths: list[Path], store_dir: Path | None = None, extra=None, progress=None) -> IngestReport:
    """Ingest files; `extra(record)` may add fact statements for a record's version."""
    report = IngestReport()
    started = time.perf_counter()
    with ingest_lock(store_dir):
        remove_incomplete(backend)
        files = walk(paths, report)
        for i, (path, root) in enumerate(files):
            if progress:
                progress(i, len(files), path)
            try:
                doc_id, sha = doc_id_for(path, root), file_sha256(path)
            except OSError as exc:
                report.errors.append({"path": str(path), "error": f"{path.name}：读取失败（{exc.strerror or exc}）"})
                continue
            current = backend.read(docs.CURRENT_VERSION, {"doc_id": doc_id})
            if current and current[0]["sha256"] == sha:  # unchanged: no need to parse it again
                report.unchanged.append({"path": str(path), "doc_id": doc_id, "kind": current[0]["kind"],
                                         "title": current[0]["title"]})
                continue
            try:
                rec = build_record(path, root, sha)
            except LoadError as exc:
                report.errors.append({"path": str(path), "error": str(exc)})
                continue
            entry = {"path": str(path), "doc_id": rec.doc_id, "kind": rec.kind, "title": rec.title,
                     "sections": len(rec.sections), "clauses": len(rec.clauses)}
            if rec.meta.get("registry") is not None:
                entry["rows"] = len(rec.meta["registry"].records)
                entry["row_errors"] = rec.meta["row_errors"]
            vid = docs.version_id(rec)
            existing = backend.read(docs.VERSION_STATE, {"version_id": vid})
            statements = [] if existing and existing[0]["complete"] else docs.version_statements(rec)
            if statements:
                statements += resources.registry_statements(rec, vid) + facts.fact_statements(rec, vid)
            if statements and extra:
                statements += extra(rec)
            backend.write(statements + [docs.switch_statement(rec)])
            report.ingested.append(entry)
            report.clauses += len(rec.clauses)
        if report.ingested:
            report.links = links.relink(backend)
    report.seconds = time.perf_counter() - started
    return report
