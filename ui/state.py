"""Streamlit glue shared by the pages: which store, the cached backend and matcher, clear messages.

The store comes from the app's own arguments (`streamlit run app.py -- --store DIR` or `--neo4j URI`),
else from YINGJI_STORE / YINGJI_NEO4J_URI like every other yingji command. The backend and the
matcher are `st.cache_resource`s (one per store, shared by every session and rerun); query results
are `st.cache_data` and are cleared after an upload.
"""
from __future__ import annotations

import argparse
import atexit
import importlib
import sys
import threading

import streamlit as st

from kg.cypher import cypher
from kg.errors import StoreError

PING = cypher("ui_ping", "RETURN 1 AS ok")
EMPTY_HINT = ("存储中还没有任何文档。请在「预案管理」页上传预案和名录，"
              "或在命令行运行 `yingji ingest corpora/lianyungang --store 目录` 后再打开本页。")


def store_options(argv: list[str] | None = None) -> tuple[str | None, str | None]:
    """(--store, --neo4j) from the script's arguments; unknown arguments are ignored."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--store")
    parser.add_argument("--neo4j")
    ns, _ = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    return ns.store, ns.neo4j


def current_config():
    from kg.config import resolve

    return resolve(*store_options())


def store_key(config) -> str:
    return config.neo4j_uri or str(config.store_dir)


@st.cache_resource(show_spinner="正在打开知识图谱存储…")
def _open(key: str, _config):
    from kg.open import open_backend

    backend = open_backend(_config)
    _OPENED.append(backend)
    return backend


_OPENED: list = []


@atexit.register
def close_all() -> None:
    """Close every backend the app opened (stops the embedded servers it started)."""
    _open.clear()
    _matcher.clear()
    while _OPENED:
        try:
            _OPENED.pop().close()
        except Exception:  # noqa: BLE001 - closing at exit must not raise
            pass


def _alive(backend) -> bool:
    try:
        backend.read(PING)
        return True
    except StoreError:
        return False


def connect():
    """(config, backend) or None after showing why the store cannot be used."""
    config = current_config()
    key = store_key(config)
    try:
        backend = _open(key, config)
        if not _alive(backend):  # the server went away: reopen once
            _open.clear()
            _matcher.clear()
            backend = _open(key, config)
            backend.read(PING)
    except (StoreError, OSError) as exc:  # OSError: the store folder cannot be created or opened
        st.error(f"无法连接知识图谱存储：{exc}")
        st.caption("请检查存储目录或 Neo4j 地址后刷新页面。")
        return None
    return config, backend


@st.cache_data(ttl=300, show_spinner=False)
def cached(_backend, key: str, func: str, *args):
    """`func(backend, *args)` (a dotted name, e.g. "ui.queries.documents"), cached per store `key`."""
    module, name = func.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)(_backend, *args)


def require_store(allow_empty: bool = False):
    """(config, backend, stats) for a page, or stop the page with a clear message."""
    conn = connect()
    if conn is None:
        st.stop()
    config, backend = conn
    try:
        summary = cached(backend, store_key(config), "kg.stats.collect")
    except StoreError as exc:
        st.error(f"读取存储失败：{exc}")
        st.stop()
    if summary["documents"]["total"] == 0 and not allow_empty:
        st.info(EMPTY_HINT)
        st.stop()
    return config, backend, summary


@st.cache_resource(show_spinner="正在建立匹配索引（首次约需一分钟）…")
def _matcher(key: str, _config, _backend):
    from matcher.service import Matcher

    return Matcher(_backend, _config.store_dir)


def get_matcher(config, backend):
    """The cached Matcher for this store, or None after showing why matching is unavailable."""
    try:
        return _matcher(store_key(config), config, backend)
    except ImportError as exc:
        st.warning(f"匹配服务不可用（{exc}），暂时无法匹配预案。其他页面仍可使用。")
    except StoreError as exc:
        st.error(f"匹配服务无法读取存储：{exc}")
    except Exception as exc:  # noqa: BLE001 - a broken index must not take the page down
        st.error(f"匹配服务启动失败：{exc.__class__.__name__}：{exc}")
    return None


_MATCH_LOCK = threading.Lock()


def run_match(matcher, **kwargs) -> dict:
    """One match at a time: the matcher is shared by every session of the app."""
    with _MATCH_LOCK:
        return matcher.match(**kwargs)


def after_ingest() -> None:
    """Forget cached query results and the matcher's indexes once the store changed."""
    st.cache_data.clear()
    _matcher.clear()


def sidebar(config, summary: dict) -> None:
    with st.sidebar:
        where = config.neo4j_uri or str(config.store_dir)
        st.caption(f"存储：{config.backend} · {where}")
        docs = summary["documents"]
        kinds = {"plan": "预案", "regulation": "法规", "case": "案例", "registry": "名录", "gazetteer": "地名库"}
        st.caption(f"文档 {docs['total']} 个：" + "，".join(f"{kinds.get(k, k)} {v}" for k, v in docs["by_kind"].items()))
