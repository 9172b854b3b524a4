"""Lexical retrieval: Chinese tokens from jieba, ranked with BM25 (bm25s).

    index = BM25Index(clause_texts)
    index.search("徐圩新区苯储罐泄漏", k=10)    # [(clause index, score), ...] best first
    index.scores("徐圩新区苯储罐泄漏")          # np.ndarray, one score per clause (for fusion)
"""
from __future__ import annotations

import logging
import threading
import unicodedata
from typing import Callable, Sequence

import numpy as np

# function words only: content words, numbers and grading words (一级, 重大) are kept
STOPWORDS = frozenset(
    "的 地 得 了 着 过 和 与 及 以及 或 或者 等 等等 在 是 为 对 对于 将 由 把 被 从 向 于 以 之 其 "
    "并 并且 而 且 也 又 就 都 这 那 该 此 所 进行".split())

_lock = threading.Lock()
_jieba = None


def _tokenizer():
    """A private jieba tokenizer (the global one stays untouched), loaded once, quietly."""
    global _jieba
    with _lock:
        if _jieba is None:
            import jieba
            jieba.setLogLevel(logging.WARNING)
            tk = jieba.Tokenizer()
            tk.initialize()
            _jieba = tk
    return _jieba


def _is_noise(token: str) -> bool:
    # punctuation, symbols, whitespace and control characters only
    return all(unicodedata.category(c)[0] in "PSZC" for c in token)


def tokenize(text: str | None, *, search: bool = True) -> list[str]:
    """Tokens of ``text``: NFKC-normalised (全角 → half width), lower-case, jieba-segmented,
    without punctuation, whitespace and STOPWORDS; numbers are kept (``1.2``, ``13``).

    ``search=True`` uses jieba's search mode, which adds the shorter words inside long ones
    (连云港市 → 连云, 连云港, 连云港市 …) for better recall; False gives precise mode.
    """
    if not text:
        return []
    text = unicodedata.normalize("NFKC", str(text)).lower()
    tk = _tokenizer()
    words = tk.lcut_for_search(text) if search else tk.lcut(text)
    return [w for w in (w.strip() for w in words) if w and w not in STOPWORDS and not _is_noise(w)]


class BM25Index:
    """BM25 over a fixed list of texts; document i is ``texts[i]``.

    An empty corpus, or one with no tokens at all, is valid: every score is 0.
    """

    def __init__(self, texts: Sequence[str], *, tokenizer: Callable[[str], list[str]] = tokenize,
                 k1: float = 1.5, b: float = 0.75) -> None:
        self.tokenizer = tokenizer
        corpus = [tokenizer(t) for t in texts]
        self.size = len(corpus)
        self._bm25 = None
        if any(corpus):
            import bm25s
            self._bm25 = bm25s.BM25(k1=k1, b=b)
            self._bm25.index(corpus, show_progress=False)

    def __len__(self) -> int:
        return self.size

    def query_tokens(self, query: str | None) -> list[str]:
        """The query's tokens that occur in the corpus (the only ones that can score)."""
        if self._bm25 is None:
            return []
        vocab = self._bm25.vocab_dict
        return [t for t in self.tokenizer(query or "") if t and t in vocab]

    def scores(self, query: str | None) -> np.ndarray:
        """float32 BM25 score of every document, in corpus order (0 = no query word)."""
        tokens = self.query_tokens(query)
        if not tokens:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)

    def search(self, query: str | None, k: int = 10) -> list[tuple[int, float]]:
        """Up to ``k`` (document index, score) pairs, best first, ties by index;
        documents that share no word with the query are left out."""
        s = self.scores(query)
        k = min(int(k), int(np.count_nonzero(s > 0)))
        if k <= 0:
            return []
        order = np.argsort(-s, kind="stable")[:k]      # stable: equal scores keep index order
        return [(int(i), float(s[i])) for i in order]
