"""The `yingji` command line: exit codes, JSON shapes, one-line errors."""
from __future__ import annotations

import json
import subprocess
import sys


def run(*args):
    return subprocess.run([sys.executable, "-m", "ui.cli", *args], capture_output=True, text=True, timeout=300)


def test_ingest_json_and_identical_stats_twice(store_dir, small_plan_dir):
    r = run("ingest", str(small_plan_dir), "--store", str(store_dir), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert len(out["ingested"]) == 2 and out["errors"] == [] and out["clauses"] > 0
    s1 = run("stats", "--store", str(store_dir), "--json").stdout
    assert run("ingest", str(small_plan_dir), "--store", str(store_dir)).returncode == 0
    assert run("stats", "--store", str(store_dir), "--json").stdout == s1
    stats = json.loads(s1)
    assert stats["nodes"]["Document"] == 2 and stats["documents"]["versions"] == 2


def test_nothing_ingestible_exits_non_zero_with_one_line(store_dir, tmp_path):
    r = run("ingest", str(tmp_path / "missing.txt"), "--store", str(store_dir))
    assert r.returncode == 1
    assert "路径不存在" in r.stderr and "Traceback" not in r.stderr


def test_partial_failure_still_succeeds_and_lists_errors(store_dir, small_plan_dir):
    (small_plan_dir / "empty.txt").write_text("", encoding="utf-8")
    r = run("ingest", str(small_plan_dir), "--store", str(store_dir), "--json")
    assert r.returncode == 0
    out = json.loads(r.stdout)
    assert [e["path"].rsplit("/", 1)[-1] for e in out["errors"]] == ["empty.txt"]


def test_bad_neo4j_uri_is_one_clear_line():
    r = run("stats", "--neo4j", "bolt://127.0.0.1:1")
    assert r.returncode == 2 and "Neo4j" in r.stderr and "Traceback" not in r.stderr


def test_outline_json_shape(small_plan_dir):
    r = run("outline", str(small_plan_dir / "甲市防汛应急预案.txt"), "--json")
    out = json.loads(r.stdout)
    assert out["title"] == "甲市防汛应急预案"
    first = out["sections"][0]
    assert set(first) == {"number", "heading", "level", "span", "children"}
    assert (first["number"], first["heading"], first["level"]) == ("一", "总则", 1)
    assert [c["heading"] for c in first["children"]] == ["编制目的", "事件分级"]


def test_parse_batch_writes_clean_json_lines():
    lines = '{"id": "r1", "report": "东海县发生4.6级地震，三人受伤"}\nnot json\n{"id": "r3", "report": ""}\n'
    r = subprocess.run([sys.executable, "-m", "ui.cli", "parse", "--batch", "-"], input=lines,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0
    out = [json.loads(line) for line in r.stdout.splitlines()]  # nothing but JSON on stdout
    assert [o["id"] for o in out] == ["r1", 2, "r3"]
    assert out[0]["magnitude"] == 4.6 and out[0]["injured"] == 3 and out[0]["location"]["county"] == "东海县"
    assert "error" in out[1] and "error" in out[2]
