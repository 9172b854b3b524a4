"""Shared fixtures for the UI tests (imported by tests/test_ui_*.py): the demo store, built once."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpora" / "lianyungang"


def _build(folder: Path) -> None:
    from kg.config import StoreConfig
    from kg.ingest import ingest_paths
    from kg.open import open_backend

    backend = open_backend(StoreConfig(store_dir=folder))
    try:
        report = ingest_paths(backend, [CORPUS], folder)
    finally:
        backend.close()
    assert report.ingested and not report.errors, report.errors


@pytest.fixture(scope="session")
def demo_store():
    """A store folder holding the bundled 连云港 corpus (short path: unix socket limit)."""
    folder = Path(tempfile.mkdtemp(prefix="yj-ui-"))
    _build(folder)
    yield folder
    from ui import state

    state.close_all()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def use_store(monkeypatch):
    """Point the app at a store folder through YINGJI_STORE (AppTest has no command line)."""
    def use(folder: Path) -> Path:
        monkeypatch.setenv("YINGJI_STORE", str(folder))
        monkeypatch.delenv("YINGJI_NEO4J_URI", raising=False)
        return folder
    return use


def first_report(name: str = "reports_accidents.jsonl") -> dict:
    import json

    return json.loads((CORPUS / "benchmark" / name).read_text(encoding="utf-8").splitlines()[0])


def test_demo_store_has_plans(demo_store):
    from kg.config import StoreConfig
    from kg.open import open_backend
    from ui import queries

    backend = open_backend(StoreConfig(store_dir=demo_store))
    try:
        assert len(queries.plans(backend)) >= 10
    finally:
        backend.close()


os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never try to download a driver
