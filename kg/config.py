"""Where the store lives and which backend to use: flags, then environment, then defaults."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir


@dataclass(frozen=True)
class StoreConfig:
    """Either an embedded FalkorDB folder or a Neo4j connection."""

    store_dir: Path | None = None
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str | None = None

    @property
    def backend(self) -> str:
        return "neo4j" if self.neo4j_uri else "falkordb"


def default_store_dir() -> Path:
    return Path(user_data_dir("yingji", appauthor=False)) / "store"


def resolve(store: str | os.PathLike | None = None, neo4j: str | None = None) -> StoreConfig:
    """Build the config: explicit arguments win over YINGJI_* variables, which win over defaults."""
    uri = neo4j or os.environ.get("YINGJI_NEO4J_URI") or None
    if uri:
        return StoreConfig(
            neo4j_uri=uri,
            neo4j_user=os.environ.get("YINGJI_NEO4J_USER", "neo4j"),
            neo4j_password=os.environ.get("YINGJI_NEO4J_PASSWORD", ""),
            neo4j_database=os.environ.get("YINGJI_NEO4J_DATABASE") or None,
        )
    folder = store or os.environ.get("YINGJI_STORE") or default_store_dir()
    return StoreConfig(store_dir=Path(folder).expanduser().resolve())
