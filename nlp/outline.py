"""Section tree and clauses of a cleaned document.

Heading levels come from the order in which numbering styles nest (a style already open closes
back to that level), so 一、/（一）/1./（1）, 第一章/第一节/第一条, 1/1.1/1.1.1 and Markdown all work,
alone or mixed. A clause is one paragraph or one numbered item, never a whole section.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from nlp.headings import Heading, parse_heading

LOW_STYLES = {"num", "paren_num"}


@dataclass
class Section:
    number: str
    heading: str
    level: int
    start: int
    end: int = -1
    style: str = ""
    children: list["Section"] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"number": self.number, "heading": self.heading, "level": self.level,
                "span": [self.start, self.end], "children": [c.to_json() for c in self.children]}


@dataclass
class Clause:
    text: str
    start: int
    end: int
    section: Section | None  # None for lines before the first heading (title, issuer)


@dataclass
class Outline:
    title: str
    sections: list[Section]
    clauses: list[Clause]
    text: str

    def to_json(self) -> dict:
        return {"title": self.title, "sections": [s.to_json() for s in self.sections]}

    def walk(self):
        """(section, path of numbers) for every section, depth first."""
        def rec(nodes, path):
            for s in nodes:
                p = path + [s.number or s.heading]
                yield s, p
                yield from rec(s.children, p)
        yield from rec(self.sections, [])


def _lines_with_offsets(text: str):
    pos = 0
    for line in text.split("\n"):
        yield line, pos
        pos += len(line) + 1


def _demote_items(entries: list[tuple[str, int, Heading | None]]) -> None:
    """A short numbered line of a low style directly followed by a sibling (or a higher heading)
    is a list item, not a heading."""
    for i, (line, off, h) in enumerate(entries):
        if not h or h.style not in LOW_STYLES:
            continue
        nxt = next((e for e in entries[i + 1:] if e[0].strip()), None)
        if nxt is None or nxt[2] is not None:
            entries[i] = (line, off, None)


def parse_outline(text: str, title_hint: str | None = None) -> Outline:
    entries = [(line, off, parse_heading(line)) for line, off in _lines_with_offsets(text)]
    title = title_hint or ""
    first = next((i for i, e in enumerate(entries) if e[0].strip()), None)
    if first is not None:
        line, off, h = entries[first]
        stripped = line.strip().lstrip("#").strip()
        if not title:
            title = stripped
        if h is None or h.style.startswith("md") or h.style in ("num", "decimal1"):
            entries[first] = (line, off, None)  # the title line is not a section
    _demote_items(entries)

    roots: list[Section] = []
    stack: list[Section] = []
    clauses: list[Clause] = []
    for line, off, h in entries:
        s = line.strip()
        if not s:
            continue
        lead = len(line) - len(line.lstrip())
        if h is None:
            clauses.append(Clause(s, off + lead, off + lead + len(s), stack[-1] if stack else None))
            continue
        if h.style == "annex":
            stack.clear()
        else:
            styles = [sec.style for sec in stack]
            if h.style in styles:
                del stack[styles.index(h.style):]
        sec = Section(h.number, h.text, len(stack) + 1, off + lead, style=h.style)
        (stack[-1].children if stack else roots).append(sec)
        stack.append(sec)
        if h.rest:
            rest_start = off + line.index(h.rest)
            clauses.append(Clause(h.rest, rest_start, rest_start + len(h.rest), sec))
    _close_spans(roots, len(text))
    return Outline(title=title, sections=roots, clauses=clauses, text=text)


def _close_spans(nodes: list[Section], end: int) -> None:
    for i, sec in enumerate(nodes):
        sec.end = nodes[i + 1].start if i + 1 < len(nodes) else end
        _close_spans(sec.children, sec.end)
