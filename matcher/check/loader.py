"""Read plans, regulations and registries from the graph into plain Python objects."""
from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field

from matcher.check import meta as M
from matcher.check import queries as Q
from matcher.check.model import Evidence


@dataclass
class Section:
    id: str
    number: str
    heading: str
    level: int
    start: int
    end: int
    seq: int
    parent: str | None = None


@dataclass
class Clause:
    id: str
    text: str
    start: int
    end: int
    seq: int
    section_id: str | None
    section_path: str


@dataclass(eq=False)
class Plan:
    version_id: str
    doc_id: str
    title: str
    text: str
    meta: dict
    level: str | None = None
    jurisdiction: str | None = None
    plan_type: str = "专项"
    issuer: str | None = None
    date: str | None = None
    period: int = 3
    sits_under: list[str] = field(default_factory=list)
    supersedes: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    sections: dict[str, Section] = field(default_factory=dict)
    clauses: list[Clause] = field(default_factory=list)
    rules: list[dict] = field(default_factory=list)
    limits: list[dict] = field(default_factory=list)
    law_refs: list[dict] = field(default_factory=list)
    plan_refs: list[dict] = field(default_factory=list)
    annex_refs: list[dict] = field(default_factory=list)
    duties: list[dict] = field(default_factory=list)
    mentions: list[dict] = field(default_factory=list)
    _by_id: dict = field(default_factory=dict, repr=False)
    _starts: list = field(default_factory=list, repr=False)

    @property
    def rank(self) -> int:
        return M.LEVEL_RANK.get(self.level or "", 3)

    @property
    def overall(self) -> bool:
        return self.plan_type == "总体"

    @property
    def enterprise(self) -> bool:
        return self.level == "企业"

    def index(self) -> None:
        self.clauses.sort(key=lambda c: c.start)
        self._by_id = {c.id: c for c in self.clauses}
        self._starts = [c.start for c in self.clauses]

    def clause(self, clause_id: str | None) -> Clause | None:
        return self._by_id.get(clause_id) if clause_id else None

    def clause_at(self, offset: int) -> Clause | None:
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and self.clauses[i].start <= offset < max(self.clauses[i].end, self.clauses[i].start + 1):
            return self.clauses[i]
        return None

    def fact_clause(self, fact: dict) -> Clause | None:
        return self.clause(fact.get("clause_id")) or (
            self.clause_at(fact["start"]) if isinstance(fact.get("start"), int) else None)

    # --- sections and evidence -----------------------------------------------------------------

    def chain(self, section_id: str | None) -> list[Section]:
        out: list[Section] = []
        s = self.sections.get(section_id) if section_id else None
        while s is not None and s not in out:
            out.append(s)
            s = self.sections.get(s.parent) if s.parent else None
        return out[::-1]

    def section_at(self, offset: int) -> Section | None:
        best = None
        for s in self.sections.values():
            if s.start <= offset < s.end and (best is None or s.level >= best.level):
                best = s
        return best

    def section_label(self, section_id: str | None, fallback: str = "") -> str:
        """Number path and the nearest heading: '四 > （一） 报告程序和时限', '第四章 > 第十九条 信息报告'."""
        chain = self.chain(section_id)
        if not chain:
            return fallback or "正文"
        path = " > ".join(s.number.strip() or s.heading.strip() for s in chain)
        heading = next((s.heading.strip() for s in reversed(chain) if s.heading and s.heading.strip()), "")
        if heading and not path.endswith(heading):
            return f"{path} {heading}"
        return path

    def heading_line(self, section: Section) -> str:
        """The heading as written in the text."""
        end = self.text.find("\n", section.start)
        line = self.text[section.start:end if end >= 0 else section.start + 80].strip()
        return line.lstrip("#").strip() or f"{section.number} {section.heading}".strip()

    def evidence(self, clause: Clause | None = None, text: str | None = None, offset: int | None = None) -> Evidence:
        """Evidence for a clause (its whole text) or for a fact text at an offset."""
        if clause is not None:
            return Evidence(self.title, self.section_label(clause.section_id, clause.section_path), self.quote(clause))
        sec = self.section_at(offset) if offset is not None else None
        return Evidence(self.title, self.section_label(sec.id) if sec else "正文", text or "")

    def quote(self, clause: Clause) -> str:
        """The clause as written, with a run-in heading on the same line ('（五）市安监局：负责…')."""
        sec = self.sections.get(clause.section_id) if clause.section_id else None
        if sec is not None and sec.start < clause.start and clause.start - sec.start <= 60 \
                and "\n" not in self.text[sec.start:clause.start]:
            return self.text[sec.start:clause.end].strip()
        return clause.text

    def first_clause(self, section: Section) -> Clause | None:
        inside = [c for c in self.clauses if c.section_id == section.id]
        return min(inside, key=lambda c: c.start) if inside else None

    def head_evidence(self) -> Evidence:
        """Title and issuer lines as written at the top of the plan."""
        lines = [x for x in self.text.split("\n")[:4] if x.strip()]
        head = "\n".join(lines[:2])
        return Evidence(self.title, "文首（标题及发文信息）", head)


@dataclass
class Regulation:
    version_id: str
    title: str
    text: str
    key: str
    version: str | None
    year: int | None
    date: str | None
    supersedes: list[str]

    def head_evidence(self) -> Evidence:
        lines = [x for x in self.text.split("\n")[:4] if x.strip()]
        return Evidence(self.title, "文首（发布及施行信息）", "\n".join(lines[:2]))


@dataclass
class Corpus:
    plans: list[Plan]
    regulations: list[Regulation]
    registry: dict[str, list[str]]
    places: list[dict]
    as_of: tuple[int, int] | None = None

    def __post_init__(self):
        self.by_title = {p.title: p for p in self.plans}

    def find(self, title: str) -> Plan | None:
        """A plan by exact title, doc id, or a title with the 《》 and spacing stripped."""
        t = (title or "").strip().strip("《》")
        if t in self.by_title:
            return self.by_title[t]
        for p in self.plans:
            if p.doc_id == t or p.title.replace(" ", "") == t.replace(" ", ""):
                return p
        return None


def _int(v, default=0) -> int:
    try:
        return int(v)
    except (TypeError, ValueError):
        return default


def _plan(row: dict) -> Plan:
    v = row["v"]
    m = M.meta(v)
    title = v.get("title") or ""
    text = v.get("text") or ""
    level, juris = m.get("admin_level"), m.get("jurisdiction")
    if not level or not juris:
        g_level, g_juris = M.subject(title)
        level, juris = level or g_level, juris or g_juris
    issuer = m.get("issuer")
    date = m.get("date") or M.head_date(text)
    period = _int(m.get("review_period_years")) or M.review_period(text) or 3
    return Plan(version_id=v["version_id"], doc_id=row["doc_id"], title=title, text=text, meta=m,
                level=level, jurisdiction=juris, plan_type=m.get("plan_type") or M.plan_type(title, issuer),
                issuer=issuer, date=str(date) if date else None, period=period,
                sits_under=M.as_list(m.get("sits_under")), supersedes=M.as_list(m.get("supersedes")))


def _regulation(row: dict) -> Regulation:
    v = row["v"]
    m = M.meta(v)
    title = v.get("title") or ""
    text = v.get("text") or ""
    key = m.get("law_key") or m.get("key") or M.law_key(title)
    version = m.get("version")
    date = m.get("date")
    # the version's own year (an effective date may fall in the next year)
    years = [int(y) for y in re.findall(r"((?:19|20)\d{2})", version or "")] or \
        [int(y) for y in re.findall(r"((?:19|20)\d{2})", date or "")] or \
        [int(y) for y in re.findall(r"((?:19|20)\d{2})年", title + text[:300])]
    return Regulation(v["version_id"], title, text, key, version, max(years) if years else None,
                      str(date) if date else None, M.as_list(m.get("supersedes")))


def load(backend, plan_kind: str = "plan") -> Corpus:
    """Everything the checks need, in a handful of queries."""
    params = {"kind": plan_kind}
    plans = {r["v"]["version_id"]: _plan(r) for r in backend.read(Q.DOCS, params)}
    for r in backend.read(Q.SECTIONS, params):
        p = plans.get(r["version_id"])
        if p is not None:
            p.sections[r["id"]] = Section(r["id"], r.get("number") or "", r.get("heading") or "",
                                          _int(r.get("level")), _int(r.get("start")), _int(r.get("end")),
                                          _int(r.get("seq")), r.get("parent"))
    for r in backend.read(Q.CLAUSES, params):
        p = plans.get(r["version_id"])
        if p is not None:
            p.clauses.append(Clause(r["id"], r.get("text") or "", _int(r.get("start")), _int(r.get("end")),
                                    _int(r.get("seq")), r.get("section_id"), r.get("section_path") or ""))
    for p in plans.values():
        p.index()
    for query, attr in ((Q.RULES, "rules"), (Q.LIMITS, "limits"), (Q.LAW_REFS, "law_refs"),
                        (Q.PLAN_REFS, "plan_refs"), (Q.ANNEX_REFS, "annex_refs")):
        for r in backend.read(query, params):
            p = plans.get(r["version_id"])
            if p is not None:
                getattr(p, attr).append({**r["f"], "clause_id": r.get("clause_id")})
    for r in backend.read(Q.DUTIES, params):
        p = plans.get(r["version_id"])
        if p is not None:
            p.duties.append({**r["f"], "org_node": r.get("org"), "clause_id": r.get("clause_id")})
    for r in backend.read(Q.MENTIONS, params):
        p = plans.get(r["version_id"])
        if p is not None:
            p.mentions.append(r)
    for r in backend.read(Q.COVERS, params):
        p = plans.get(r["version_id"])
        if p is not None and r.get("code") and r["code"] not in p.types:
            p.types.append(r["code"])
    for p in plans.values():
        for attr in ("rules", "limits", "law_refs", "plan_refs", "annex_refs", "duties"):
            getattr(p, attr).sort(key=lambda f: (_int(f.get("start")), _int(f.get("seq"))))
        for rule in p.rules:
            if isinstance(rule.get("conditions"), str):
                try:
                    rule["conditions"] = json.loads(rule["conditions"])
                except ValueError:
                    pass
        if not p.types:
            p.types = _types_from_title(p.title)
    regs = [_regulation(r) for r in backend.read(Q.DOCS, {"kind": "regulation"})]
    registry: dict[str, list[str]] = {}
    for label, query in Q.REGISTRY.items():
        registry[label] = sorted({r["name"] for r in backend.read(query) if r.get("name")})
    registry["Depot"] = sorted({n for r in backend.read(Q.DEPOTS) for n in (r.get("name"), r.get("depot")) if n})
    places = backend.read(Q.PLACES)
    ordered = sorted(plans.values(), key=lambda p: (p.rank, p.title))
    return Corpus(ordered, sorted(regs, key=lambda r: r.title), registry, places, _as_of(ordered, regs))


def _as_of(plans: list[Plan], regs: list[Regulation]) -> tuple[int, int] | None:
    """The store's own 'today': the newest plan or regulation date (findings stay reproducible)."""
    dates = [M.year_month(p.date) for p in plans] + [M.year_month(r.date) for r in regs]
    dates = [d for d in dates if d]
    return max(dates) if dates else None


def _types_from_title(title: str) -> list[str]:
    """Incident type codes named in a title (used only when the graph has no COVERS links)."""
    try:
        from nlp.incident import lexicons
        tax = lexicons().taxonomy
    except Exception:  # noqa: BLE001 - lexicons are optional here
        return []
    hits: list[tuple[int, str]] = []
    for code, entry in tax.items():
        for surface in [entry.name, *getattr(entry, "aliases", [])]:
            if surface and len(surface) >= 2 and surface in title:
                hits.append((len(surface), code))
    if not hits:
        return []
    best = max(n for n, _ in hits)
    return sorted({c for n, c in hits if n >= min(best, 4)})
