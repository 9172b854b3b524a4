"""The demo corpus: gold files verified, and every file ingests."""
from __future__ import annotations

import pytest

from corpora.verify import verify
from kg.ingest import ingest_paths
from tests.conftest import CORPUS


def test_corpus_and_gold_verify():
    problems, counts = verify()
    assert problems == []
    assert counts["plans"] >= 16 and counts["reports"] >= 150 and counts["inconsistencies"] >= 8


@pytest.mark.slow
def test_whole_corpus_ingests_without_errors(store_dir):
    from kg.config import StoreConfig
    from kg.open import open_backend

    backend = open_backend(StoreConfig(store_dir=store_dir))
    try:
        report = ingest_paths(backend, [CORPUS], store_dir)
        assert report.errors == []
        kinds = {}
        for e in report.ingested:
            kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
        assert kinds.get("plan") == 19 and kinds.get("case", 0) >= 20 and kinds.get("regulation", 0) >= 5
        assert kinds.get("registry", 0) >= 6
    finally:
        backend.close()
