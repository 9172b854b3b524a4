"""Lint every Neo4j-dialect statement with Neo4j's own Cypher linter (`python -m kg.lint`).

Needs Node and `npm ci` in tools/cypher_lint. Statements come from the `kg.cypher` registry (every
module that runs Cypher is imported first), the Neo4j DDL and search procedures of the dialect,
and the Cypher export, when present.
"""
from __future__ import annotations

import importlib
import json
import pkgutil
import re
import shutil
import subprocess
import sys
from pathlib import Path

from kg.cypher import REGISTRY, Query
from kg.dialect import NEO4J
from kg.schema import LABELS, RELATIONSHIP_TYPES

ROOT = Path(__file__).resolve().parents[1]
LINTER = ROOT / "tools" / "cypher_lint"
QUERY_PACKAGES = ("kg", "matcher", "ui")


def load_all_statements() -> list[Query]:
    for pkg_name in QUERY_PACKAGES:
        try:
            pkg = importlib.import_module(pkg_name)
        except ImportError:
            continue
        for mod in pkgutil.walk_packages(pkg.__path__, prefix=f"{pkg_name}."):
            importlib.import_module(mod.name)
    statements = [q for q in REGISTRY.values() if not q.falkordb_only]
    statements += [Query(f"ddl_{i}", ddl) for i, ddl in enumerate(NEO4J.schema_statements())]
    statements += [Query("fulltext_clause", NEO4J.fulltext_clause_query(), ("q", "k"))]
    return statements


def _property_keys(statements: list[Query]) -> list[str]:
    keys: set[str] = set()
    for q in statements:
        keys.update(re.findall(r"\.([A-Za-z_]\w*)", q.text))
        keys.update(re.findall(r"[{,]\s*([A-Za-z_]\w*)\s*:", q.text))
    return sorted(keys)


def lint(statements: list[Query] | None = None) -> list[dict]:
    """Diagnostics for each statement: [{"name", "text", "diagnostics": [...]}]."""
    node = shutil.which("node")
    if node is None or not (LINTER / "node_modules").is_dir():
        raise RuntimeError("Cypher linter not installed: run `npm ci --prefix tools/cypher_lint` (needs Node)")
    statements = statements if statements is not None else load_all_statements()
    schema = {"labels": LABELS, "relationshipTypes": RELATIONSHIP_TYPES,
              "propertyKeys": _property_keys(statements)}
    payload = json.dumps({"schema": schema, "statements": [
        {"name": q.name, "text": q.text, "params": list(q.params)} for q in statements]}, ensure_ascii=False)
    proc = subprocess.run([node, str(LINTER / "lint.cjs")], input=payload, capture_output=True, text=True,
                          timeout=300, cwd=LINTER)
    if proc.returncode != 0:
        raise RuntimeError(f"linter failed: {proc.stderr.strip()[-500:]}")
    by_name = {q.name: q for q in statements}
    out = []
    for line in proc.stdout.splitlines():
        row = json.loads(line)
        row["text"] = by_name[row["name"]].text
        out.append(row)
    return out


def main() -> int:
    results = lint()
    bad = [r for r in results if r["diagnostics"]]
    for r in bad:
        for d in r["diagnostics"]:
            kind = "error" if d["severity"] == 1 else "warning"
            print(f"{r['name']}: {kind}: {d['message']}\n    {r['text']}")
    print(f"linted {len(results)} Neo4j statements: {len(bad)} with diagnostics")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
