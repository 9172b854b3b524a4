"""Plain records that nlp produces and kg writes to the graph."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class SectionRecord:
    seq: int
    number: str
    heading: str
    level: int
    path: str          # numbers from the root, joined with " > "
    start: int
    end: int
    parent_seq: int | None


@dataclass
class ClauseRecord:
    seq: int
    text: str
    start: int
    end: int
    section_seq: int | None
    section_path: str


@dataclass
class DocumentRecord:
    doc_id: str
    path: str
    suffix: str
    kind: str          # plan / regulation / case / registry / other
    title: str
    text: str          # cleaned text; every span refers to it
    sha256: str
    sections: list[SectionRecord] = field(default_factory=list)
    clauses: list[ClauseRecord] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
