"""jionlp, imported once and quietly: it prints banners to stdout on import, which would corrupt
JSON output."""
from __future__ import annotations

import contextlib
import io
import threading

_lock = threading.Lock()
_module = None


def jionlp():
    global _module
    with _lock:
        if _module is None:
            with contextlib.redirect_stdout(io.StringIO()):
                import jionlp as jio
            _module = jio
    return _module
