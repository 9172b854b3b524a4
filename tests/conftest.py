"""Shared fixtures: a backend parametrised over FalkorDB (always) and Neo4j (when NEO4J_URI is set)."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpora" / "lianyungang"
SOURCES = ROOT / "corpora" / "sources" / "lianyungang"


@pytest.fixture
def store_dir():
    # short path: unix socket paths are limited to about 100 bytes
    d = Path(tempfile.mkdtemp(prefix="yj-"))
    yield d
    shutil.rmtree(d, ignore_errors=True)


def _neo4j_config():
    from kg.config import StoreConfig

    return StoreConfig(neo4j_uri=os.environ["NEO4J_URI"], neo4j_user=os.environ.get("NEO4J_USER", "neo4j"),
                       neo4j_password=os.environ.get("NEO4J_PASSWORD", ""),
                       neo4j_database=os.environ.get("NEO4J_DATABASE") or None)


@pytest.fixture(params=["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def backend(request, store_dir):
    from kg.config import StoreConfig
    from kg.open import open_backend

    if request.param == "neo4j":
        if not os.environ.get("NEO4J_URI"):
            pytest.skip("Neo4j live tests need NEO4J_URI (and NEO4J_USER/NEO4J_PASSWORD)")
        b = open_backend(_neo4j_config())
        b.clear()
        b.store_dir = None
    else:
        b = open_backend(StoreConfig(store_dir=store_dir))
        b.store_dir = store_dir
    yield b
    try:
        if request.param == "neo4j":
            b.clear()
    finally:
        b.close()


@pytest.fixture
def small_plan_dir(tmp_path):
    """Two short plans written by the test, in different numbering styles."""
    d = tmp_path / "plans"
    d.mkdir()
    (d / "甲市防汛应急预案.txt").write_text(
        "甲市防汛应急预案\n甲市人民政府办公室　2024年5月\n一、总则\n（一）编制目的\n为做好防汛工作，制定本预案。\n"
        "（二）事件分级\n1. 特别重大：造成30人以上死亡的；\n2. 重大：造成10人以上30人以下死亡的；\n"
        "二、应急响应\n（一）一级响应\n启动条件：发生特别重大洪涝灾害。\n指挥部总指挥决定启动一级响应。\n", encoding="utf-8")
    (d / "乙县地震应急预案.md").write_text(
        "# 乙县地震应急预案\n乙县人民政府　2023年3月\n## 1 总则\n### 1.1 适用范围\n本预案适用于乙县行政区域内的地震灾害。\n"
        "## 2 应急响应\n### 2.1 先期处置\n县应急管理局立即组织搜救。\n", encoding="utf-8")
    return d
