"""time_limit_conflict: a lower plan allows more time than the plan above for the same report
(same reporting level, same recipient, overlapping grades, same form: 电话 first report or 书面)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from matcher.check.hierarchy import pairs
from matcher.check.loader import Corpus, Plan
from matcher.check.model import HIGH, Finding
from matcher.check.textutil import ALL_GRADES, GRADES, first_level, grade_scope, levels_in, sentence_bounds

_FIRST = {"电话", "短信", "口头", "网络直报"}
_WRITTEN = {"书面", "传真"}
_VERB = re.compile(r"(?:报告|报送|上报|报至|通报|报)")
_TO = re.compile(r"(?:向|报告|报送|上报|报至|抄报)([^，。；、]{2,30}?(?:和|、|及)?[^，。；]{0,30}?)(?=报告|报送|上报|，|。|；|$)")
_GOV = re.compile(r"总值班室|人民政府(?!办)|政府(?!办)|[市县区]委")
_COMMAND = re.compile(r"指挥部办公室|指挥部|防指|指挥机构办公室|应急委|应急办|核应急办|搜救中心|值班室")


@dataclass
class Limit:
    fact: dict
    minutes: float
    form: str | None            # first / written / None
    scope: frozenset
    reporters: set[str]
    recipients: set[tuple[str, str]]   # (level, kind)
    clause: object
    sentence: str


def _kinds(seg: str) -> set[str]:
    from nlp.facts import find_organisations

    out = set()
    if _GOV.search(seg):
        out.add("gov")
    if _COMMAND.search(seg):
        out.add("command")
    for m in find_organisations(seg):
        if m.base not in ("人民政府",) and not _COMMAND.search(m.base):
            out.add(m.base)
    return out


def _recipients(seg: str, own_level: str | None) -> set[tuple[str, str]]:
    """(level, kind) pairs for each addressee in a segment like '县委、县政府和市指挥部办公室'."""
    out = set()
    for part in re.split(r"[、和及]|同时", seg):
        if not part.strip():
            continue
        level = "本级" if "本级" in part else first_level(part)
        level = own_level if level in ("本级", None) and own_level else level
        for kind in _kinds(part):
            out.add((level or "?", kind))
    return out


def _limits(plan: Plan) -> list[Limit]:
    out: list[Limit] = []
    last_to: set = set()
    last_sentence = None
    for f in plan.limits:
        minutes, start = f.get("minutes"), f.get("start")
        if not isinstance(minutes, (int, float)) or not isinstance(start, int):
            continue
        a, b = sentence_bounds(plan.text, start, f.get("end") or start)
        sentence, pre = plan.text[a:b], plan.text[a:start]
        if sentence != last_sentence:
            last_to, last_sentence = set(), sentence
        part = pre.split("；")[-1]
        scope = grade_scope(part) if re.search("|".join(GRADES), part) else grade_scope(pre)
        head = re.split(r"向|立即(?:电话|书面)?报告|电话报告", pre, maxsplit=1)[0]
        reporters = levels_in(head) or {plan.level or "?"}
        own = first_level(head) or plan.level
        text = f.get("text") or ""
        m = _TO.search(text)
        to = _recipients(m.group(1), own) if m else set()
        if not to:
            for pm in reversed(list(_TO.finditer(pre))):
                to = _recipients(pm.group(1), own)
                if to:
                    break
            to = to or last_to
        last_to = to or last_to
        mode = f.get("mode")
        form = "first" if mode in _FIRST else "written" if mode in _WRITTEN else None
        out.append(Limit(f, float(minutes), form, scope, reporters, to, plan.fact_clause(f), sentence))
    return out


def _value(limits: list[Limit], form: str, explicit_only: bool = False) -> Limit | None:
    exact = [x for x in limits if x.form == form]
    if exact:
        return min(exact, key=lambda x: x.minutes)
    if explicit_only:
        return None
    loose = [x for x in limits if x.form is None]
    return min(loose, key=lambda x: x.minutes) if loose else None


def _fmt(minutes: float) -> str:
    if minutes >= 60 and minutes % 60 == 0:
        return f"{int(minutes // 60)}小时"
    return f"{minutes:g}分钟"


def _form_name(form: str | None) -> str:
    return {"first": "电话（首报）", "written": "书面"}.get(form or "", "")


def compare_plans(lower: Plan, upper: Plan, same_level: bool = False) -> list[Finding]:
    out: list[Finding] = []
    ups = [u for u in _limits(upper) if u.recipients]
    lows = [x for x in _limits(lower) if x.recipients]
    groups: dict[tuple, tuple[list[Limit], list[Limit]]] = {}
    for lo in lows:
        matching = [u for u in ups if lo.reporters & u.reporters and lo.scope & u.scope
                    and {r for r in lo.recipients if r[0] != lower.level or r[0] == upper.level} & u.recipients]
        if not matching:
            continue
        key = (lo.clause.id if lo.clause else lo.sentence, matching[0].clause.id if matching[0].clause else "")
        g = groups.setdefault(key, ([], []))
        g[0].append(lo)
        g[1].extend(u for u in matching if u not in g[1])
    for (lo_key, _), (lo_list, up_list) in sorted(groups.items(), key=lambda kv: kv[0]):
        problems, used = [], []
        for form in ("first", "written"):
            lv = _value(lo_list, form)
            uv = _value(up_list, form, explicit_only=False) if form == "first" else _value(up_list, form, True)
            if lv and uv and lv.minutes > uv.minutes:
                problems.append(f"{_form_name(form)}报告本预案为{_fmt(lv.minutes)}，上级预案为{_fmt(uv.minutes)}"
                                if not same_level else
                                f"{_form_name(form)}报告本预案为{_fmt(lv.minutes)}，另一预案为{_fmt(uv.minutes)}")
                used += [lv, uv]
        if not problems:
            continue
        note = ""
        if _value(up_list, "first", True) and not _value(lo_list, "first") and \
                not any("电话" in x.sentence for x in lo_list):
            note = "；本预案也未规定电话首报时限"
        scope = lo_list[0].scope & up_list[0].scope
        scope_text = "" if scope == ALL_GRADES else "对" + "、".join(g for g in GRADES if g in scope) + "事件，"
        who = "另一预案" if same_level else "上级预案"
        message = (f"{scope_text}向同一接收单位报告的时限与{who}《{upper.title}》不一致：" + "；".join(problems) +
                   f"{note}。时限放宽会造成迟报。")
        evidence, seen = [], set()
        for plan, items in ((lower, lo_list), (upper, [x for x in up_list if x in used] or up_list)):
            for x in items:
                ev = plan.evidence(x.clause) if x.clause else plan.evidence(text=x.sentence, offset=x.fact.get("start"))
                if (ev.plan_title, ev.text) not in seen:
                    seen.add((ev.plan_title, ev.text))
                    evidence.append(ev)
        suggestion = f"按《{upper.title}》的报告时限修改（电话首报和书面报告均不晚于上级要求）。"
        out.append(Finding("time_limit_conflict", HIGH, message, evidence, suggestion, (lower.title, upper.title)))
    return out


def check(corpus: Corpus) -> list[Finding]:
    out: list[Finding] = []
    for lower, upper in pairs(corpus):
        out += compare_plans(lower, upper)
    return out
