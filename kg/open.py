"""Open the configured backend."""
from __future__ import annotations

from kg.config import StoreConfig


def open_backend(config: StoreConfig):
    if config.backend == "neo4j":
        from kg.neo4j_backend import Neo4jBackend

        backend = Neo4jBackend(config)
    else:
        from kg.falkor_backend import FalkorBackend

        backend = FalkorBackend(config.store_dir)
    backend.ensure_schema()
    return backend
