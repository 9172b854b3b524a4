"""Cross-plan consistency checker for plan drafters (`yingji check`).

``run_checks(backend, plan=None, kinds=None)`` reads the current plans, regulations and registries
from the graph and returns `Finding`s of eight kinds (see `model.KINDS` and docs/check.md);
``compare(backend, a, b)`` lines two plans up at their conflicting clauses; ``render`` turns
findings into text, Markdown or HTML.
"""
from matcher.check.model import KINDS, Evidence, Finding  # noqa: F401
from matcher.check.runner import run_checks, summary  # noqa: F401
