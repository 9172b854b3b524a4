"""The demo corpus: gold files verified, and every file ingests."""
from __future__ import annotations

import pytest

from corpora.verify import verify
from kg.ingest import ingest_paths
from tests.conftest import CORPUS


def test_corpus_and_gold_verify():
    problems, counts = verify()
    assert problems == []
    assert counts["plans"] >= 16 and counts["reports"] >= 150 and counts["inconsistencies"] >= 8


@pytest.mark.slow
def test_whole_corpus_ingests_without_errors(store_dir):
    from kg.config import StoreConfig
    from kg.open import open_backend

    backend = open_backend(StoreConfig(store_dir=store_dir))
    try:
        report = ingest_paths(backend, [CORPUS], store_dir)
        assert report.errors == []
        kinds = {}
        for e in report.ingested:
            kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
        assert kinds.get("plan") == 19 and kinds.get("case", 0) >= 20 and kinds.get("regulation", 0) >= 5
        assert kinds.get("registry", 0) >= 6
    finally:
        backend.close()


# --- the gold checks themselves: each must catch the mistake it is there for -----------------------

def _copy_benchmark(tmp_path, edit):
    """Copy the benchmark report files to tmp_path, applying edit(report) to every report."""
    import json

    for src in sorted((CORPUS / "benchmark").glob("reports_*.jsonl")):
        rows = [json.loads(line) for line in src.read_text(encoding="utf-8").splitlines() if line.strip()]
        for r in rows:
            edit(r)
        (tmp_path / src.name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                         encoding="utf-8")
    return tmp_path


def _benchmark_problems(folder):
    from corpora.verify import check_benchmark, plan_sources

    problems: list[str] = []
    check_benchmark(plan_sources(), problems, folder)
    return problems


def test_unmodified_copy_of_benchmark_passes(tmp_path):
    assert _benchmark_problems(_copy_benchmark(tmp_path, lambda r: None)) == []


def test_report_with_one_gold_snippet_fails(tmp_path):
    def edit(r):
        if r["id"] == "NA001":
            r["gold"]["clauses"] = r["gold"]["clauses"][:1]

    problems, _ = verify(benchmark=_copy_benchmark(tmp_path, edit))
    assert problems == ["NA001: 1 gold clauses (need 2-4)"]


def test_report_with_five_gold_snippets_fails(tmp_path):
    extra = ["组织巡堤人员昼夜巡查，发现渗水、管涌立即标记并报告", "灌南县防汛抢险队"]

    def edit(r):
        if r["id"] == "NA001":
            r["gold"]["clauses"] = (r["gold"]["clauses"] + extra)[:5]

    problems = _benchmark_problems(_copy_benchmark(tmp_path, edit))
    assert any(p.startswith("NA001: 5 gold clauses") for p in problems)


def test_snippet_must_occur_exactly_once(tmp_path):
    # this threshold is written twice in the city flood plan (grading list and level-IV start list)
    twice = "主城区局部积水深度超过0.3米且持续2小时以上的"

    def edit(r):
        if r["id"] == "NA014":
            r["gold"]["clauses"][-1] = twice

    problems = _benchmark_problems(_copy_benchmark(tmp_path, edit))
    assert problems == [f"NA014: clause snippet occurs 2x in 连云港市防汛抗旱应急预案: {twice}"]


def test_zero_casualties_need_the_report_to_say_so(tmp_path):
    def edit(r):
        if r["id"] == "NA001":  # a flood bulletin that says nothing about casualties
            r["gold"]["deaths"] = 0
            r["gold"]["missing"] = 0
        if r["id"] == "AC006":  # says 无人员伤亡: deaths and injured 0 are fine, missing is not covered
            r["gold"]["missing"] = 0

    problems = _benchmark_problems(_copy_benchmark(tmp_path, edit))
    assert sorted(problems) == ["AC006: gold missing is 0 but the report does not say so (use null)",
                                "NA001: gold deaths is 0 but the report does not say so (use null)",
                                "NA001: gold missing is 0 but the report does not say so (use null)"]


@pytest.mark.parametrize("text, field, expected", [
    ("现场无人员伤亡。", "deaths", True),
    ("事故未造成人员伤亡", "injured", True),
    ("截至16时暂无人员伤亡报告", "deaths", True),
    ("无死亡、失踪报告", "missing", True),
    ("现场已无失联人员", "missing", True),
    ("2人均无骨折，无人员受伤", "injured", True),
    ("无人员受伤", "deaths", False),          # says nothing about deaths
    ("有没有人员受伤？先安抚", "injured", False),  # a question, not an answer
    ("2人轻微擦伤自行就医", "deaths", False),
    ("2人轻微擦伤自行就医", "seriously_injured", True),
    ("2人重伤、3人轻伤", "seriously_injured", False),
    ("河面有白色泡沫，未见死鱼", "deaths", False),
])
def test_says_none(text, field, expected):
    from corpora.verify import says_none

    assert says_none(text, field) is expected
