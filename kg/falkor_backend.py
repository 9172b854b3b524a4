"""Embedded FalkorDB backend: a graph in the redis-server that `FalkorServer` runs for the store folder."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import redis
from falkordb import FalkorDB

from kg.backend import CLEAR, Statement, plain
from kg.cypher import Query
from kg.dialect import FALKORDB
from kg.errors import StoreError
from kg.falkor_server import FalkorServer

GRAPH_NAME = "yingji"


class FalkorBackend:
    dialect = FALKORDB

    def __init__(self, folder: Path):
        self.server = FalkorServer(folder)
        sock = self.server.ensure_running()
        self._db = FalkorDB(unix_socket_path=str(sock))
        self._graph = self._db.select_graph(GRAPH_NAME)

    def _run(self, text: str, params: dict[str, Any] | None, read_only: bool):
        try:
            if read_only:
                return self._graph.ro_query(text, params or {})
            return self._graph.query(text, params or {})
        except redis.exceptions.ResponseError as exc:
            raise StoreError(f"FalkorDB 查询错误：{exc}") from exc
        except (redis.exceptions.ConnectionError, OSError) as exc:
            raise StoreError(f"FalkorDB 连接中断：{exc}") from exc

    @staticmethod
    def _rows(result) -> list[dict[str, Any]]:
        header = [h[1] if isinstance(h, (list, tuple)) else h for h in (result.header or [])]
        header = [h.decode() if isinstance(h, bytes) else h for h in header]
        return [dict(zip(header, (plain(v) for v in row))) for row in result.result_set or []]

    def read(self, query: Query, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return self._rows(self._run(query.text, params, read_only=True))

    def read_only_raw(self, text: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return self._rows(self._run(text, params, read_only=True))

    def write(self, statements: Sequence[Statement]) -> list[list[dict[str, Any]]]:
        # FalkorDB runs each statement atomically; multi-statement atomicity comes from the
        # version pointer (see kg.store): readers only follow CURRENT to complete versions.
        return [self._rows(self._run(q.text, p, read_only=False)) for q, p in statements]

    def ensure_schema(self) -> None:
        for ddl in self.dialect.schema_statements():
            try:
                self._graph.query(ddl)
            except redis.exceptions.ResponseError as exc:
                if "already indexed" not in str(exc) and "already exists" not in str(exc):
                    raise StoreError(f"FalkorDB 建索引失败：{exc}") from exc

    def clear(self) -> None:
        self.write([(CLEAR, {})])

    def close(self) -> None:
        try:
            self._db.connection.close()
        except Exception:  # noqa: BLE001 - closing a dead connection is fine
            pass
        self.server.stop()
