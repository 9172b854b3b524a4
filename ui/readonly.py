"""The power users' Cypher console: user-typed statements run only in a read-only transaction.

FalkorDB runs them with GRAPH.RO_QUERY, Neo4j in a READ session's `execute_read`; the database
itself refuses any write. Statements that plainly write are refused before they are even sent, so
the message is clear. This is the only place where Cypher that is not declared through
`kg.cypher.cypher` is run.
"""
from __future__ import annotations

import re
from typing import Any

from kg.errors import StoreError

MAX_ROWS = 1000
TIMEOUT_MS = 15_000
WRITE_WORDS = ("CREATE", "MERGE", "DELETE", "DETACH", "SET", "REMOVE", "DROP", "LOAD", "FOREACH", "ALTER",
               "GRANT", "REVOKE", "DENY")
# a word that is a keyword: not a property (n.set), parameter ($set), label (:Set) or map key ({set: 1})
_WORD = re.compile(r"(?<![.$:\w])([A-Za-z_]+)(?!\w)(?!\s*:)")
WRITE_PROCEDURES = re.compile(r"\b(?:db\.idx\.\w+\.(?:create|drop)\w*|db\.(?:create|drop)\w*|apoc\.(?:create|merge|"
                              r"refactor|periodic|trigger|load|import)\w*|dbms\.\w+)", re.I)
REFUSED = "只读控制台拒绝写操作：{detail}。本控制台只执行查询（MATCH … RETURN），不能修改数据。"
_STRINGS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.S)


class ReadOnlyRefused(StoreError):
    """A statement that would write; refused with a Chinese message."""


def _code_only(text: str) -> str:
    """The statement with strings, quoted names and comments blanked out."""
    return _STRINGS.sub(" ", text)


def write_keyword(text: str) -> str | None:
    """The first writing keyword or procedure outside strings and comments, if any."""
    code = _code_only(text)
    for word in _WORD.findall(code):
        if word.upper() in WRITE_WORDS:
            return word.upper()
    m = WRITE_PROCEDURES.search(code)
    return m.group(0) if m else None


def _is_write_refusal(message: str) -> bool:
    m = message.lower()
    return ("read-only" in m or "read only" in m or "ro_query" in m or "writing in read access mode" in m
            or "not allowed for user" in m and "write" in m or "accessmode" in m.replace(" ", ""))


def run_readonly(backend, text: str, params: dict[str, Any] | None = None, max_rows: int = MAX_ROWS) -> list[dict]:
    """Rows of a user-typed statement, run read-only; raise `ReadOnlyRefused` for a write and
    `StoreError` for any other failure (syntax, timeout, backend down)."""
    text = (text or "").strip().rstrip(";")
    if not text:
        raise StoreError("请输入 Cypher 查询语句")
    word = write_keyword(text)
    if word:
        raise ReadOnlyRefused(REFUSED.format(detail=f"语句含有写操作 {word}"))
    try:
        rows = _dispatch(backend, text, params or {})
    except StoreError as exc:
        if _is_write_refusal(str(exc)):
            raise ReadOnlyRefused(REFUSED.format(detail="数据库在只读事务中拒绝了该语句")) from exc
        raise
    return rows[:max_rows]


def _dispatch(backend, text: str, params: dict) -> list[dict]:
    if hasattr(backend, "_graph"):  # FalkorDB: GRAPH.RO_QUERY with a time limit
        return _falkordb(backend, text, params)
    if hasattr(backend, "_driver"):  # Neo4j: READ access mode, managed read transaction
        return _neo4j(backend, text, params)
    return backend.read_only_raw(text, params)


def _falkordb(backend, text: str, params: dict) -> list[dict]:
    import redis

    try:
        result = backend._graph.ro_query(text, params, timeout=TIMEOUT_MS)
    except redis.exceptions.ResponseError as exc:
        raise StoreError(f"FalkorDB 查询错误：{exc}") from exc
    except (redis.exceptions.ConnectionError, OSError) as exc:
        raise StoreError(f"FalkorDB 连接中断：{exc}") from exc
    return backend._rows(result)


def _neo4j(backend, text: str, params: dict) -> list[dict]:
    import neo4j

    def work(tx):
        return backend._collect(tx.run(neo4j.Query(text, timeout=TIMEOUT_MS / 1000), params))

    def go():
        kwargs = {"default_access_mode": neo4j.READ_ACCESS}
        if backend.database:
            kwargs["database"] = backend.database
        with backend._driver.session(**kwargs) as session:
            return session.execute_read(work)

    return backend._guard(go)
