"""The Neo4j backend against a recording fake of the official driver's API.

What is checked is our side of the contract: every statement sent is a registered, linted
statement with exactly its declared parameters; writes go through managed write transactions
(one per document, so a document lands whole); reads through read transactions; DDL is the
Neo4j dialect; driver errors become one clear line.
"""
from __future__ import annotations

import re

import pytest
from neo4j import exceptions as neo4j_ex

from kg.config import StoreConfig
from kg.cypher import REGISTRY
from kg.dialect import NEO4J
from kg.errors import StoreError
from kg.ingest import ingest_paths
from kg.neo4j_backend import Neo4jBackend

CONFIG = StoreConfig(neo4j_uri="neo4j://db.invalid:7687", neo4j_user="neo4j", neo4j_password="pw")


class FakeResult(list):
    pass


class FakeTx:
    def __init__(self, log, kind):
        self.log, self.kind = log, kind

    def run(self, text, params=None):
        self.log.append((self.kind, text, dict(params or {})))
        if "RETURN" in text and "v.sha256" in text:
            return FakeResult()
        if "count(" in text or "RETURN" in text:
            return FakeResult()
        return FakeResult()


class FakeSession:
    def __init__(self, driver):
        self.driver = driver

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute_write(self, fn):
        self.driver.transactions.append("write")
        return fn(FakeTx(self.driver.log, f"write#{len(self.driver.transactions)}"))

    def execute_read(self, fn):
        self.driver.transactions.append("read")
        return fn(FakeTx(self.driver.log, "read"))

    def run(self, text, params=None):
        self.driver.log.append(("auto", text, dict(params or {})))

        class _R:
            def consume(self):
                return None
        return _R()


class FakeDriver:
    def __init__(self, connect_error=None):
        self.log, self.transactions, self.connect_error, self.closed = [], [], connect_error, False

    def verify_connectivity(self):
        if self.connect_error:
            raise self.connect_error

    def session(self, database=None):
        self.database = database
        return FakeSession(self)

    def close(self):
        self.closed = True


def _params_in(text):
    return set(re.findall(r"\$([A-Za-z_]\w*)", text))


def test_ingest_sends_registered_statements_in_one_write_transaction_per_document(small_plan_dir):
    driver = FakeDriver()
    backend = Neo4jBackend(CONFIG, driver=driver)
    backend.ensure_schema()
    ddl = [t for kind, t, _ in driver.log if kind == "auto"]
    assert ddl == NEO4J.schema_statements()
    driver.log.clear()

    report = ingest_paths(backend, [small_plan_dir])
    assert len(report.ingested) == 2
    registered = {q.text: q for q in REGISTRY.values()}
    for kind, text, params in driver.log:
        assert text in registered, f"unregistered statement sent: {text}"
        q = registered[text]
        assert _params_in(text) == set(q.params) == set(params), q.name
    writes = [k for k in driver.transactions if k == "write"]
    assert len(writes) == 3  # one managed write transaction per ingested document, one for derived links
    per_tx = {}
    for kind, text, _ in driver.log:
        if kind.startswith("write"):
            per_tx.setdefault(kind, []).append(registered[text].name)
    *documents, derived = per_tx.values()
    for names in documents:
        assert names[0] == "merge_document" and names[-1] == "switch_current"
        assert "create_version" in names and "create_clauses" in names
    assert derived[0] == "links_drop"


def test_database_name_is_passed_to_sessions():
    driver = FakeDriver()
    cfg = StoreConfig(neo4j_uri=CONFIG.neo4j_uri, neo4j_database="yingji")
    Neo4jBackend(cfg, driver=driver).read_only_raw("RETURN 1 AS x")
    assert driver.database == "yingji"


@pytest.mark.parametrize("error, words", [
    (neo4j_ex.ServiceUnavailable("no route"), "无法连接 Neo4j"),
    (neo4j_ex.AuthError("unauthorized"), "用户名或密码错误"),
])
def test_connection_errors_become_one_clear_line(error, words):
    with pytest.raises(StoreError) as info:
        Neo4jBackend(CONFIG, driver=FakeDriver(connect_error=error))
    assert words in str(info.value) and "\n" not in str(info.value)


def test_unreachable_real_driver_gives_clear_error():
    cfg = StoreConfig(neo4j_uri="bolt://127.0.0.1:1", neo4j_user="neo4j", neo4j_password="x")
    with pytest.raises(StoreError) as info:
        Neo4jBackend(cfg)
    assert "无法连接 Neo4j" in str(info.value)
