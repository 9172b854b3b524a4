"""Neo4j backend through the official driver, with managed (retried) transactions."""
from __future__ import annotations

from typing import Any, Sequence

from kg.backend import CLEAR, Statement, plain
from kg.config import StoreConfig
from kg.cypher import Query
from kg.dialect import NEO4J
from kg.errors import StoreError


def _driver_errors():
    from neo4j import exceptions as ex

    return ex


class Neo4jBackend:
    dialect = NEO4J

    def __init__(self, config: StoreConfig, driver=None):
        ex = _driver_errors()
        self.database = config.neo4j_database
        if driver is None:
            from neo4j import GraphDatabase

            try:
                driver = GraphDatabase.driver(config.neo4j_uri, auth=(config.neo4j_user, config.neo4j_password))
            except (ValueError, ex.ConfigurationError) as exc:
                raise StoreError(f"Neo4j 地址无效：{config.neo4j_uri}（{exc}）") from exc
        self._driver = driver
        try:
            self._driver.verify_connectivity()
        except ex.AuthError as exc:
            raise StoreError(f"Neo4j 用户名或密码错误：{config.neo4j_uri}") from exc
        except (ex.ServiceUnavailable, OSError) as exc:
            raise StoreError(f"无法连接 Neo4j：{config.neo4j_uri}（{exc.__class__.__name__}）") from exc
        except ex.Neo4jError as exc:
            raise StoreError(f"Neo4j 错误：{exc}") from exc

    def _session(self):
        return self._driver.session(database=self.database) if self.database else self._driver.session()

    @staticmethod
    def _collect(result) -> list[dict[str, Any]]:
        return [{k: plain(v) for k, v in record.items()} for record in result]

    def _guard(self, fn):
        ex = _driver_errors()
        try:
            return fn()
        except ex.ServiceUnavailable as exc:
            raise StoreError(f"Neo4j 不可用：{exc}") from exc
        except ex.Neo4jError as exc:
            raise StoreError(f"Neo4j 查询错误：{exc.message or exc}") from exc

    def read(self, query: Query, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return self.read_only_raw(query.text, params)

    def read_only_raw(self, text: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        def work(tx):
            return self._collect(tx.run(text, params or {}))

        def go():
            with self._session() as session:
                return session.execute_read(work)

        return self._guard(go)

    def write(self, statements: Sequence[Statement]) -> list[list[dict[str, Any]]]:
        def work(tx):
            return [self._collect(tx.run(q.text, p)) for q, p in statements]

        def go():
            with self._session() as session:
                return session.execute_write(work)

        return self._guard(go)

    def ensure_schema(self) -> None:
        def go():
            with self._session() as session:
                for ddl in self.dialect.schema_statements():
                    session.run(ddl).consume()

        self._guard(go)

    def clear(self) -> None:
        self.write([(CLEAR, {})])

    def close(self) -> None:
        self._driver.close()
