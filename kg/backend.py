"""The one interface both graph backends implement."""
from __future__ import annotations

from typing import Any, Protocol, Sequence

from kg.cypher import Query, cypher
from kg.dialect import Dialect

Statement = tuple[Query, dict[str, Any]]

CLEAR = cypher("clear_all", "MATCH (n) DETACH DELETE n")


class GraphBackend(Protocol):
    dialect: Dialect

    def read(self, query: Query, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a read-only statement; rows as dicts of plain values."""

    def write(self, statements: Sequence[Statement]) -> list[list[dict[str, Any]]]:
        """Run statements in order (in one transaction where the backend has them)."""

    def read_only_raw(self, text: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run user-typed Cypher in a read-only transaction; writes are refused by the database."""

    def ensure_schema(self) -> None:
        """Create indexes and constraints if missing."""

    def clear(self) -> None:
        """Delete every node (used by tests and `yingji reset`)."""

    def close(self) -> None: ...


def plain(value: Any) -> Any:
    """Turn driver values (nodes, relationships, paths) into JSON-friendly Python values."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    labels = getattr(value, "labels", None)
    props = getattr(value, "properties", None)
    if props is None and hasattr(value, "items") and hasattr(value, "element_id"):
        props = dict(value.items())
    if props is not None:
        out = {k: plain(v) for k, v in dict(props).items()}
        if labels is not None:
            out["_labels"] = sorted(labels)
        rel_type = getattr(value, "relation", None) or getattr(value, "type", None)
        if labels is None and isinstance(rel_type, str):
            out["_type"] = rel_type
        return out
    if hasattr(value, "nodes") and hasattr(value, "relationships"):
        nodes = value.nodes() if callable(value.nodes) else value.nodes
        return {"nodes": [plain(n) for n in nodes]}
    return str(value)
