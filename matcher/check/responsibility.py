"""responsibility_conflict: two plans of the same level (or a plan and the plan above it) name
different lead organisations for the same scenario and task. Pre-2018 names: see old_names."""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from itertools import combinations
from pathlib import Path

from matcher.check.loader import Corpus, Plan
from matcher.check.model import HIGH, MEDIUM, Finding
from matcher.check.textutil import strip_numbering

_ORG = r"[\u4e00-\u9fff（）()]{2,30}?(?:局|委员会|委|办公室|办|中心|支队|大队|指挥部|公司|集团|部|政府|管委会|站)"
_LEAD = re.compile(r"(?P<scen>[^。；;：:，,由]{4,60}?)，?由(?P<org>" + _ORG +
                   r")(?:会同[^，。；]{2,30}?)?(?P<verb>牵头|负责组织|统一组织|统一指挥|负责处置|组织处置|负责)(?P<task>[^。；]{0,40})")
_TASKS = [("调查", r"调查"), ("评估", r"评估"), ("发布", r"发布|宣传|舆情"), ("监测", r"监测"),
          ("处置", r"处置|救援|抢险|搜救|扑救|应对|指挥|现场|牵头$|^，")]
_SYNONYMS = {"危化品": "危险化学品", "槽罐车": "运输车辆", "罐车": "运输车辆", "化学品": "危险化学品",
             "危险货物": "危险化学品", "溢油": "油污染"}
_SCENE_WORDS = ("泄漏", "火灾", "爆炸", "中毒", "窒息", "运输", "道路", "车辆", "水上", "海上", "港区", "码头", "隧道",
                "桥梁", "管道", "储罐", "被困", "落水", "油污染", "坍塌", "污染", "停电", "停气", "燃气", "危险化学品",
                "船舶", "铁路", "航空", "地震", "洪水", "森林", "核", "辐射", "传染病", "食物中毒", "建筑施工", "工地",
                "水库", "堤防", "堤坝", "海堤", "河道", "闸站", "险情", "溃坝", "决口", "管涌", "内涝", "山洪", "滑坡",
                "台风", "风暴潮", "供水", "电网", "油气管道", "危险废物", "饮用水水源", "航道", "隧道", "地铁")
_STOP = {"事故", "事件", "发生", "突发事件", "安全事故"}


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[str, ...]:
    words = set(_SCENE_WORDS)
    base = Path(__file__).resolve().parents[2] / "nlp" / "resources"
    try:
        with open(base / "incident_keywords.csv", encoding="utf-8") as fh:
            words |= {r["keyword"].strip() for r in csv.DictReader(fh) if len(r.get("keyword", "").strip()) >= 2}
    except OSError:
        pass
    return tuple(sorted(words - _STOP, key=len, reverse=True))


def scene_tokens(text: str) -> set[str]:
    for a, b in _SYNONYMS.items():
        text = text.replace(a, b)
    out = set()
    for w in _vocabulary():
        if w in text:
            out.add(w)
    # drop words contained in a longer hit ('泄漏' inside '危险化学品泄漏' keeps both; '核' alone only if no longer hit)
    return {w for w in out if not any(w != o and w in o and len(w) == 1 for o in out)}


def _task(verb: str, task: str) -> str:
    s = verb + task
    for name, rx in _TASKS:
        if re.search(rx, s):
            return name
    return "其他"


def _prefix(org: str) -> str:
    m = re.match(r"^([\u4e00-\u9fff]{2,6}?(?:省|市|县|新区|区)|省|市|县|区)", org)
    return m.group(1) if m else ""


_DUTY_LEAD = re.compile(r"牵头(?:负责|组织)?(?P<scen>[^，。；]{4,40}?)(?:的)?(?P<task>现场处置|应急处置|处置工作|处置|救援|应对)")


def _base(org: str) -> str:
    """Organisation without its place prefix, through the lexicon (灌南县消防救援大队 → 消防救援支队)."""
    from nlp.facts import find_organisations

    ms = find_organisations(org)
    return ms[-1].base if ms else re.sub(r"^[\u4e00-\u9fff]{0,6}?(?:省|市|县|新区|区)", "", org)


def _lead(plan: Plan, clause, scen: str, org: str, task: str) -> dict | None:
    from nlp.facts import normalise_org

    scen = strip_numbering(scen).strip()
    tokens = scene_tokens(scen)
    if len(tokens) < 2:
        return None
    org = normalise_org(re.sub(r"^由", "", org))
    return {"clause": clause, "scenario": scen, "org": org, "tokens": tokens, "task": task,
            "prefix": _prefix(org), "base": _base(org)}


def _leads(plan: Plan) -> list[dict]:
    out = []
    for c in plan.clauses:
        for m in _LEAD.finditer(c.text):
            lead = _lead(plan, c, m.group("scen"), m.group("org"), _task(m.group("verb"), m.group("task")))
            if lead:
                out.append(lead)
    for d in plan.duties:
        action, org = d.get("action") or "", d.get("org") or d.get("org_node") or ""
        m = _DUTY_LEAD.search(action)
        if m and org:
            lead = _lead(plan, plan.fact_clause(d), m.group("scen"), org, _task("牵头", m.group("task")))
            if lead and lead["clause"] is not None:
                out.append(lead)
    return out


def _similar(a: set[str], b: set[str]) -> bool:
    shared = a & b
    return len(shared) >= 2 and len(shared) >= 0.6 * min(len(a), len(b))


def _comparable(corpus: Corpus, plans: list[Plan]):
    """Same-level plan pairs, and each plan with the plans directly above it."""
    from matcher.check.hierarchy import parents

    seen = set()
    for pa, pb in combinations(plans, 2):
        if pa.rank == pb.rank:
            seen.add((pa.title, pb.title))
            yield pa, pb, False
    for p in plans:
        for up in parents(corpus, p):
            if (p.title, up.title) not in seen and (up.title, p.title) not in seen and up in plans:
                yield p, up, True


def compare_leads(pa: Plan, pb: Plan, cross: bool, leads_a=None, leads_b=None) -> list[Finding]:
    """Lead-organisation conflicts between two plans (cross: different levels, compare base names)."""
    leads_a = _leads(pa) if leads_a is None else leads_a
    leads_b = _leads(pb) if leads_b is None else leads_b
    pairs: dict[tuple, list] = {}
    for a in leads_a:
        for b in leads_b:
            same = a["base"] == b["base"] if cross else (a["org"] == b["org"] or a["prefix"] != b["prefix"])
            if same or a["task"] != b["task"] or not _similar(a["tokens"], b["tokens"]):
                continue
            pairs.setdefault((a["org"], b["org"]), []).append((a, b))
    out = []
    for (org_a, org_b), matches in sorted(pairs.items()):
        a, b = matches[0]
        message = (f"同一情形的牵头单位不一致：《{pa.title}》规定“{a['scenario']}”由{org_a}牵头，"
                   f"《{pb.title}》规定“{b['scenario']}”由{org_b}牵头。事发时牵头主体不明确，"
                   f"可能互相推诿或重复指挥。")
        evidence = []
        for plan, side in ((pa, 0), (pb, 1)):
            for m in matches:
                ev = plan.evidence(m[side]["clause"])
                if ev not in evidence:
                    evidence.append(ev)
        # across levels each level names its own bodies, so a different type of lead is for review
        out.append(Finding("responsibility_conflict", MEDIUM if cross else HIGH, message, evidence,
                           "统一该情形的牵头单位和配合单位，两部预案互相引用对方条款。", (pa.title, pb.title)))
    return out


def lead_conflicts(corpus: Corpus, plans: list[Plan] | None = None) -> list[Finding]:
    plans = plans or corpus.plans
    leads = {p.title: _leads(p) for p in plans}
    out: list[Finding] = []
    for pa, pb, cross in _comparable(corpus, plans):
        out += compare_leads(pa, pb, cross, leads[pa.title], leads[pb.title])
    return out


def check(corpus: Corpus) -> list[Finding]:
    from matcher.check.old_names import old_names

    return lead_conflicts(corpus) + old_names(corpus)
