"""Uploaded plans and registries: written to a folder first, then ingested with progress."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from nlp.loaders import SUPPORTED

UPLOAD_ROOT = "上传"   # part of the uploaded documents' ids: re-uploading a file makes a new version


def safe_name(name: str) -> str | None:
    """The bare file name if it is a supported document or registry, else None."""
    base = Path(name or "").name.strip()
    if not base or base.startswith((".", "_")) or Path(base).suffix.lower() not in SUPPORTED:
        return None
    return base


def save_uploads(files: list[tuple[str, bytes]], parent: Path | None = None) -> tuple[Path, list[str]]:
    """Write (name, bytes) pairs under <tmp>/上传/; returns the folder and the refused names."""
    base = Path(tempfile.mkdtemp(prefix="yj-up-", dir=parent))
    folder = base / UPLOAD_ROOT
    folder.mkdir()
    refused = []
    for name, data in files:
        clean = safe_name(name)
        if clean is None:
            refused.append(name)
            continue
        (folder / clean).write_bytes(data)
    return folder, refused


def ingest_uploads(backend, folder: Path, store_dir: Path | None, progress=None):
    """Ingest the saved files; `progress(i, n, path)` is called before each file. Removes the folder."""
    from kg.ingest import ingest_paths

    try:
        return ingest_paths(backend, [folder], store_dir, progress=progress)
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)
