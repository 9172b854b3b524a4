"""SIGKILL an ingest part-way: the store still opens and serves the previous version."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from kg.cypher import cypher
from kg.falkor_backend import FalkorBackend
from kg.stats import collect

INCOMPLETE = cypher("test_count_incomplete",
                    "MATCH (v:DocVersion) WHERE v.complete = false RETURN count(v) AS n")
CURRENT_SHA = cypher("test_current_sha", """
    MATCH (d:Document {doc_id: $doc_id})-[:CURRENT]->(v:DocVersion) RETURN v.sha256 AS sha""", ("doc_id",))
FIRST_CLAUSE = cypher("test_first_grading_clause", """
    MATCH (d:Document {doc_id: $doc_id})-[:CURRENT]->(v:DocVersion)
    MATCH (v)-[:HAS_SECTION|SUBSECTION|HAS_CLAUSE*1..8]->(c:Clause)
    WHERE c.text STARTS WITH '第1项'
    RETURN c.text AS text""", ("doc_id",))


def _big_plan(marker: str, items: int = 30000) -> str:
    body = "\n".join(f"第{i}项：{marker}，发生事故时由市应急管理局组织处置并于30分钟内报告。" for i in range(1, items + 1))
    return f"戊市综合应急预案\n一、总则\n（一）处置措施\n{body}\n"


def _yingji(*args, **kw):
    return subprocess.Popen([sys.executable, "-m", "ui.cli", *args], **kw)


def test_sigkill_during_ingest_keeps_previous_version(store_dir, tmp_path):
    corpus = tmp_path / "kill"
    corpus.mkdir()
    plan = corpus / "plan.txt"
    plan.write_text(_big_plan("旧版本"), encoding="utf-8")
    doc_id = "kill/plan.txt"
    observer = FalkorBackend(store_dir)  # keeps the server up so the ingest child reuses it
    try:
        assert _yingji("ingest", str(corpus), "--store", str(store_dir)).wait(timeout=300) == 0
        old_sha = observer.read(CURRENT_SHA, {"doc_id": doc_id})[0]["sha"]
        before = collect(observer)

        plan.write_text(_big_plan("新版本"), encoding="utf-8")
        child = _yingji("ingest", str(corpus), "--store", str(store_dir),
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while observer.read(INCOMPLETE)[0]["n"] == 0:  # wait until the new version is being written
            assert child.poll() is None, "ingest finished before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()

        assert observer.read(CURRENT_SHA, {"doc_id": doc_id})[0]["sha"] == old_sha
        assert observer.read(FIRST_CLAUSE, {"doc_id": doc_id})[0]["text"].startswith("第1项：旧版本")
        reopened = FalkorBackend(store_dir)
        try:
            assert reopened.read(CURRENT_SHA, {"doc_id": doc_id})[0]["sha"] == old_sha
        finally:
            reopened.close()
        after = collect(observer)
        assert after["documents"] == before["documents"]

        assert _yingji("ingest", str(corpus), "--store", str(store_dir)).wait(timeout=300) == 0
        assert observer.read(INCOMPLETE)[0]["n"] == 0
        assert observer.read(FIRST_CLAUSE, {"doc_id": doc_id})[0]["text"].startswith("第1项：新版本")
    finally:
        observer.close()
