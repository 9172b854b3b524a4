"""The behaviour every backend must show; runs on FalkorDB always and on Neo4j when NEO4J_URI is set."""
from __future__ import annotations

import pytest

from kg import documents as docs
from kg.cypher import cypher
from kg.errors import StoreError
from kg.ingest import ingest_paths, remove_incomplete
from kg.stats import collect
from nlp.document import build_record

CURRENT_CLAUSES = cypher("test_current_clauses", """
    MATCH (d:Document {doc_id: $doc_id})-[:CURRENT]->(v:DocVersion)
    MATCH (v)-[:HAS_SECTION|SUBSECTION|HAS_CLAUSE*1..8]->(c:Clause)
    RETURN c.text AS text, c.start AS start, c.end AS end, c.section_path AS path, v.text AS doc_text
    ORDER BY c.seq""", ("doc_id",))


def _ingest(backend, paths):
    return ingest_paths(backend, paths, backend.store_dir)


def test_ingest_writes_document_section_clause_tree(backend, small_plan_dir):
    report = _ingest(backend, [small_plan_dir])
    assert len(report.ingested) == 2 and not report.errors
    stats = collect(backend)
    assert stats["documents"]["total"] == 2
    assert stats["nodes"]["Document"] == 2 and stats["nodes"]["DocVersion"] == 2
    assert stats["relationships"]["CURRENT"] == 2
    rows = backend.read(CURRENT_CLAUSES, {"doc_id": "plans/甲市防汛应急预案.txt"})
    texts = [r["text"] for r in rows]
    assert "1. 特别重大：造成30人以上死亡的；" in texts
    for r in rows:  # provenance: the span points at the clause in the stored text
        assert r["doc_text"][r["start"]:r["end"]] == r["text"]
    grading = next(r for r in rows if r["text"].startswith("2. 重大"))
    assert grading["path"] == "一 > （二）"


def test_reingest_unchanged_changes_nothing(backend, small_plan_dir):
    _ingest(backend, [small_plan_dir])
    first = collect(backend)
    report = _ingest(backend, [small_plan_dir])
    assert not report.ingested and len(report.unchanged) == 2
    assert collect(backend) == first


def test_changed_file_replaces_current_version(backend, small_plan_dir):
    _ingest(backend, [small_plan_dir])
    path = small_plan_dir / "甲市防汛应急预案.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("30人以上死亡", "30人以上死亡（含失踪）"), encoding="utf-8")
    report = _ingest(backend, [small_plan_dir])
    assert [e["doc_id"] for e in report.ingested] == ["plans/甲市防汛应急预案.txt"]
    texts = [r["text"] for r in backend.read(CURRENT_CLAUSES, {"doc_id": "plans/甲市防汛应急预案.txt"})]
    assert "1. 特别重大：造成30人以上死亡（含失踪）的；" in texts
    assert "1. 特别重大：造成30人以上死亡的；" not in texts
    stats = collect(backend)
    assert stats["documents"]["versions"] == 3 and stats["relationships"]["CURRENT"] == 2


def test_incomplete_version_is_invisible_and_cleaned(backend, small_plan_dir):
    _ingest(backend, [small_plan_dir])
    path = small_plan_dir / "乙县地震应急预案.md"
    path.write_text(path.read_text(encoding="utf-8") + "县消防救援大队负责现场救援。\n", encoding="utf-8")
    rec = build_record(path, small_plan_dir)
    half = docs.version_statements(rec)
    backend.write(half[: len(half) // 2 + 1])  # a writer that died before switching the pointer
    doc_id = "plans/乙县地震应急预案.md"
    texts = [r["text"] for r in backend.read(CURRENT_CLAUSES, {"doc_id": doc_id})]
    assert "县消防救援大队负责现场救援。" not in texts and "县应急管理局立即组织搜救。" in texts
    assert remove_incomplete(backend) == 1
    report = _ingest(backend, [small_plan_dir])
    assert [e["doc_id"] for e in report.ingested] == [doc_id]
    texts = [r["text"] for r in backend.read(CURRENT_CLAUSES, {"doc_id": doc_id})]
    assert "县消防救援大队负责现场救援。" in texts


def test_bad_files_are_reported_and_leave_store_unchanged(backend, tmp_path):
    d = tmp_path / "mixed"
    d.mkdir()
    (d / "空文件.txt").write_bytes(b"")
    (d / "二进制.txt").write_bytes(b"\x00\x01\x02PK\x00" * 50)
    (d / "坏文档.docx").write_bytes(b"not a zip at all")
    (d / "国标编码预案.txt").write_bytes("丙市危险化学品事故应急预案\n一、总则\n为规范处置，制定本预案。\n".encode("gb18030"))
    report = _ingest(backend, [d, tmp_path / "不存在的目录"])
    assert [e["title"] for e in report.ingested] == ["丙市危险化学品事故应急预案"]
    errors = {e["path"].rsplit("/", 1)[-1]: e["error"] for e in report.errors}
    assert set(errors) == {"空文件.txt", "二进制.txt", "坏文档.docx", "不存在的目录"}
    assert "为空" in errors["空文件.txt"] and "二进制" in errors["二进制.txt"] and "不存在" in errors["不存在的目录"]
    assert collect(backend)["documents"]["total"] == 1


def test_read_only_console_refuses_writes(backend):
    with pytest.raises(StoreError):
        backend.read_only_raw("CREATE (n:Meta {key: 'x'}) RETURN n")
    assert backend.read_only_raw("MATCH (n:Meta) RETURN count(n) AS n") == [{"n": 0}]


def test_parameters_carry_hostile_text_verbatim(backend, tmp_path):
    hostile = "注入'}) MATCH (n) DETACH DELETE n //\"\\ 预案"
    d = tmp_path / "h"
    d.mkdir()
    (d / "x.txt").write_text(f"丁市应急预案\n一、总则\n{hostile}\n", encoding="utf-8")
    _ingest(backend, [d])
    texts = [r["text"] for r in backend.read(CURRENT_CLAUSES, {"doc_id": "h/x.txt"})]
    assert hostile in texts
    assert collect(backend)["documents"]["total"] == 1
