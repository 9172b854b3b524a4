"""Every Neo4j-dialect statement passes Neo4j's own Cypher linter with no diagnostics."""
from __future__ import annotations

import os
import shutil

import pytest

from kg import lint


def _linter_ready():
    return shutil.which("node") and (lint.LINTER / "node_modules").is_dir()


@pytest.fixture(scope="module")
def results():
    if not _linter_ready():
        if os.environ.get("CI"):
            pytest.fail("CI must install the Cypher linter (npm ci --prefix tools/cypher_lint)")
        pytest.skip("Cypher linter not installed: npm ci --prefix tools/cypher_lint")
    return lint.lint()


def test_all_statements_lint_clean(results):
    assert len(results) >= 40
    bad = {r["name"]: r["diagnostics"] for r in results if r["diagnostics"]}
    assert bad == {}


def test_linter_catches_mistakes():
    if not _linter_ready():
        pytest.skip("Cypher linter not installed")
    from kg.cypher import Query

    out = lint.lint([Query("typo_label", "MATCH (d:Documnt) RETURN d"),
                     Query("undeclared_param", "MATCH (d:Document {doc_id: $nope}) RETURN d"),
                     Query("syntax", "MATCH (d:Document RETURN d")])
    assert all(r["diagnostics"] for r in out)
