"""jieba tokenisation and the BM25 index."""
from __future__ import annotations

import numpy as np

from matcher.lexical import BM25Index, tokenize

CLAUSES = [
    "台风来临前，沿海渔船回港避风，海上作业人员撤离上岸。",
    "危险化学品泄漏后，立即划定警戒区，组织下风向群众疏散，消防救援队伍实施堵漏。",
    "学校食堂发生食物中毒，卫生健康部门组织救治。",
    "发生苯泄漏时，使用泡沫覆盖液面，防止苯蒸气扩散。",
    "",
]


def test_tokenize_drops_punctuation_whitespace_and_stopwords():
    tokens = tokenize("徐圩新区的苯储罐发生泄漏，  泄漏量约2吨！（详见附件）")
    assert "苯" in tokens and "泄漏" in tokens and "储罐" in tokens
    assert "2" in tokens and "吨" in tokens
    assert not {"的", "，", "！", "（", "）", " ", ""} & set(tokens)


def test_tokenize_keeps_numbers_and_normalises_width():
    tokens = tokenize("风暴增水１.２米，第13号台风，ＰＭ2.5超标")
    assert "1.2" in tokens and "13" in tokens and "pm2.5" in tokens
    assert tokenize("启动一级响应") == ["启动", "一级", "响应"]


def test_tokenize_search_mode_adds_inner_words():
    assert "连云港" in tokenize("连云港市") and "连云港市" in tokenize("连云港市")
    assert tokenize("连云港市", search=False) == ["连云港市"]


def test_tokenize_empty():
    assert tokenize("") == [] and tokenize(None) == [] and tokenize("，。 \n") == []


def test_search_ranks_relevant_clause_first():
    index = BM25Index(CLAUSES)
    hits = index.search("徐圩新区苯储罐泄漏", k=3)
    assert [i for i, _ in hits] == [3, 1]             # only clauses sharing a word, best first
    assert hits[0][1] > hits[1][1] > 0
    assert index.search("台风 渔船", k=1)[0][0] == 0


def test_scores_cover_every_document():
    index = BM25Index(CLAUSES)
    s = index.scores("苯泄漏")
    assert isinstance(s, np.ndarray) and s.dtype == np.float32 and s.shape == (len(CLAUSES),)
    assert s[3] > s[1] > 0 and s[0] == s[2] == s[4] == 0
    assert len(index) == len(CLAUSES)


def test_empty_corpus_and_empty_query():
    empty = BM25Index([])
    assert empty.search("苯泄漏") == [] and empty.scores("苯泄漏").shape == (0,)
    blank = BM25Index(["", "，。"])
    assert blank.search("苯") == [] and blank.scores("苯").tolist() == [0, 0]
    index = BM25Index(CLAUSES)
    for query in ("", None, "，。！", "的", "量子计算"):
        assert index.search(query) == []
        assert not index.scores(query).any()
    assert index.search("泄漏", k=0) == []


def test_ties_keep_corpus_order_and_k_is_capped():
    index = BM25Index(["燃气泄漏", "停电", "燃气泄漏", "燃气泄漏"])
    assert [i for i, _ in index.search("燃气", k=10)] == [0, 2, 3]
    assert [i for i, _ in index.search("燃气", k=2)] == [0, 2]


def test_custom_tokenizer():
    index = BM25Index(["a b", "b c"], tokenizer=str.split)
    assert index.search("c")[0][0] == 1
    assert index.query_tokens("c zzz") == ["c"]
