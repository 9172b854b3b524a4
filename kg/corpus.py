"""Where the bundled demo corpus lives."""
from __future__ import annotations

import os
from pathlib import Path


def demo_corpus() -> Path:
    env = os.environ.get("YINGJI_CORPUS")
    if env:
        return Path(env)
    import corpora

    return Path(corpora.__file__).resolve().parent / "lianyungang"
