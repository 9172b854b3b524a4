"""Check the demo corpus and its gold files: `python -m corpora.verify` (exit 1 on any problem).

Every report has 2-4 gold snippets, each occurring exactly once in its plan's source; a casualty
figure of 0 needs a report that says so in words (otherwise the gold must be null); every team,
supply, expert field and case a gold answer names must exist; the built files must still carry
their sources' text; and the corpus must meet the sizes and format variety the project promises.
"""
from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "sources" / "lianyungang"
CORPUS = HERE / "lianyungang"
EXPERT_FIELDS = {"危险化学品", "化工工艺", "消防", "矿山", "建筑施工", "地震", "地质灾害", "水利防汛", "气象",
                 "森林防火", "海洋", "环境监测", "医疗救治", "燃气", "电力", "结构工程", "综合管理", "政策法规",
                 "核与辐射", "交通运输", "公共卫生"}
GRADES = {"特别重大", "重大", "较大", "一般", "未达分级"}
KINDS = {"threshold_conflict", "responsibility_conflict", "time_limit_conflict", "superseded_law",
         "dangling_reference", "unknown_resource", "missing_section", "stale_plan"}
MINIMUMS = {"救援队伍": 40, "应急物资": 60, "应急装备": 20, "应急专家": 40, "避难场所": 12, "重大危险源": 20}


def squash(text: str) -> str:
    """Compare texts regardless of whitespace, line breaks and full-width digits."""
    from nlp.clean import normalise_width

    return re.sub(r"\s+", "", normalise_width(text))


def plan_sources() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted((SRC / "plans").iterdir())}


def _csv_column(name: str, column: str) -> set[str]:
    with open(SRC / "registry" / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return {row[column].strip() for row in csv.DictReader(fh)}


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def check_plans(plans: dict[str, str], problems: list[str]) -> None:
    if len(plans) < 16:
        problems.append(f"only {len(plans)} plans (need >= 16)")
    for title, text in plans.items():
        if not 3000 <= len(text) <= 10000:
            problems.append(f"plan {title}: {len(text)} characters (need 3,000-10,000)")
        if text.split("\n", 1)[0].lstrip("# ").strip() != title:
            problems.append(f"plan {title}: first line is not the title")
    built = sorted((CORPUS / "plans").iterdir())
    suffixes = [p.suffix for p in built]
    if suffixes.count(".docx") < 3 or suffixes.count(".pdf") < 2:
        problems.append("need >= 3 .docx and >= 2 .pdf plans")
    gb = [p for p in built if p.suffix == ".txt" and _is_gb18030(p.read_bytes())]
    if len(gb) < 2:
        problems.append("need >= 2 plans saved in GB18030")
    if {p.stem for p in built} != set(plans):
        problems.append("built plans do not match sources: run python -m corpora.build")


def _is_gb18030(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return False
    except UnicodeDecodeError:
        data.decode("gb18030")
        return True


def check_built_text(plans: dict[str, str], problems: list[str]) -> None:
    """What a loader reads from each built file must still contain the source's clauses."""
    from nlp.clean import clean_text
    from nlp.loaders import read_text

    for path in sorted((CORPUS / "plans").iterdir()):
        source = plans.get(path.stem)
        if source is None:
            continue
        loaded = squash(clean_text(read_text(path)))
        lines = [ln for ln in source.split("\n") if len(ln.strip()) >= 12 and "…" not in ln and "|" not in ln]
        missing = [ln for ln in lines if squash(ln.lstrip("#")) not in loaded]
        if len(missing) > 0.02 * len(lines):
            problems.append(f"{path.name}: {len(missing)} of {len(lines)} source lines lost in loading, e.g. {missing[0][:40]}")


def check_inconsistencies(plans: dict[str, str], problems: list[str]) -> int:
    rows = [r for f in sorted((CORPUS / "gold" / "inconsistencies").glob("*.jsonl")) for r in _jsonl(f)]
    if len(rows) < 8:
        problems.append(f"only {len(rows)} seeded inconsistencies (need >= 8)")
    for r in rows:
        if r["kind"] not in KINDS:
            problems.append(f"inconsistency kind {r['kind']!r} unknown")
        for plan_key, snip_key in (("plan", "snippet"), ("other_plan", "other_snippet")):
            plan, snippet = r.get(plan_key), r.get(snip_key)
            if plan is None and snippet is None and plan_key == "other_plan":
                continue
            if plan not in plans:
                problems.append(f"inconsistency names unknown plan {plan!r}")
            elif plans[plan].count(snippet) != 1:
                problems.append(f"inconsistency snippet occurs {plans[plan].count(snippet)}x in {plan}: {snippet}")
    return len(rows)


# A casualty field may be 0 only when the report itself says nobody was hurt in that way. These are
# keyword checks, not parsing: they catch a 0 copied into a report that never mentions casualties,
# but they do not prove that a stated figure is right.
_NEG = r"(?:无|(?<!有)没有?|未造成|未发生|未发现|未出现|未收到)"  # not the question 有没有…？
_GAP = r"[^，。；,;！!？?\n]{0,8}"
_NO_CASUALTIES = re.compile(_NEG + _GAP + r"伤亡|人都没事|其他人没事|人都好|船员均?安全")
_NO_DEATHS = re.compile(_NEG + _GAP + r"(?:死亡|遇难)")
_NO_INJURED = re.compile(_NEG + _GAP + r"(?:受伤|伤员|不适|中毒|发病)")
_NO_MISSING = re.compile(_NEG + _GAP + r"(?:失踪|失联)|(?:失踪|失联)[^。]{0,30}找到|找到[^。]{0,12}(?:失踪|失联)")
_LIGHT_ONLY = re.compile(r"轻伤|轻微|轻度|轻症|皮外伤|擦伤")
_NO_SERIOUS = re.compile(r"无(?:重伤|重症|危重)")
_SERIOUS = re.compile(r"重伤|重症|危重|伤重|较重|严重\S?伤")
CASUALTY_FIELDS = ("deaths", "missing", "injured", "seriously_injured")
CLAUSES_PER_REPORT = (2, 4)
SNIPPET_CHARS = (8, 40)


def says_none(text: str, field: str) -> bool:
    """Does the report state in words that `field` is zero (no deaths, nobody missing, ...)?"""
    if _NO_CASUALTIES.search(text) and field in ("deaths", "injured", "seriously_injured"):
        return True
    if field == "deaths":
        return bool(_NO_DEATHS.search(text))
    if field == "injured":
        return bool(_NO_INJURED.search(text))
    if field == "missing":
        return bool(_NO_MISSING.search(text))
    if field == "seriously_injured":
        return bool(_NO_SERIOUS.search(text)) or (
            bool(_LIGHT_ONLY.search(text)) and not _SERIOUS.search(_NO_SERIOUS.sub("", text)))
    return False


def check_report(r: dict, plans: dict[str, str], known: dict[str, set[str]]) -> list[str]:
    """Problems with one benchmark report's gold answer."""
    problems: list[str] = []
    g, rid = r["gold"], r["id"]
    if g["grade"] not in GRADES:
        problems.append(f"{rid}: grade {g['grade']!r}")
    for plan in [g["plan"], g.get("grade_plan"), *g.get("also_plans", [])]:
        if plan and plan not in plans:
            problems.append(f"{rid}: unknown plan {plan!r}")
    lo, hi = CLAUSES_PER_REPORT
    if not lo <= len(g["clauses"]) <= hi:
        problems.append(f"{rid}: {len(g['clauses'])} gold clauses (need {lo}-{hi})")
    if len(set(g["clauses"])) != len(g["clauses"]):
        problems.append(f"{rid}: repeated gold clause snippet")
    if g["plan"] in plans:
        for s in g["clauses"]:
            n = plans[g["plan"]].count(s)
            if n != 1:
                problems.append(f"{rid}: clause snippet occurs {n}x in {g['plan']}: {s}")
            if not SNIPPET_CHARS[0] <= len(s) <= SNIPPET_CHARS[1]:
                problems.append(f"{rid}: clause snippet of {len(s)} characters (need {SNIPPET_CHARS[0]}-{SNIPPET_CHARS[1]}): {s}")
    for field in CASUALTY_FIELDS:
        if g.get(field) == 0 and not says_none(r["report"], field):
            problems.append(f"{rid}: gold {field} is 0 but the report does not say so (use null)")
    problems += [f"{rid}: unknown team {t}" for t in g.get("teams", []) if t not in known["teams"]]
    problems += [f"{rid}: unknown supply {s}" for s in g.get("supplies", []) if s not in known["supplies"]]
    problems += [f"{rid}: unknown expert field {f}" for f in g.get("expert_fields", []) if f not in EXPERT_FIELDS]
    problems += [f"{rid}: unknown case {c}" for c in g.get("cases", []) if c not in known["cases"]]
    return problems


def check_benchmark(plans: dict[str, str], problems: list[str], folder: Path | None = None) -> int:
    """Check every reports_*.jsonl in `folder` (default: the corpus benchmark folder)."""
    folder = folder or CORPUS / "benchmark"
    known = {"teams": _csv_column("救援队伍", "队伍名称"), "supplies": _csv_column("应急物资", "物资名称"),
             "cases": {p.stem for p in (CORPUS / "cases").glob("*.txt")}}
    reports = [r for f in sorted(folder.glob("reports_*.jsonl")) for r in _jsonl(f)]
    if len(reports) < 150:
        problems.append(f"only {len(reports)} benchmark reports (need >= 150)")
    ids = [r["id"] for r in reports]
    if len(ids) != len(set(ids)):
        problems.append("duplicate benchmark report ids")
    for r in reports:
        problems += check_report(r, plans, known)
    return len(reports)


def check_annotations(plans: dict[str, str], problems: list[str]) -> int:
    path = CORPUS / "benchmark" / "nlp_annotations.jsonl"
    rows = [r for r in _jsonl(path) if r.get("id") != "METRICS"] if path.exists() else []
    if len(rows) < 30:
        problems.append(f"only {len(rows)} annotated plan passages (need >= 30)")
    for r in rows:
        text = plans.get(r["plan"])
        if text is None or r["passage"] not in text:
            problems.append(f"{r['id']}: passage not found in {r['plan']}")
            continue
        for e in r.get("entities", []):
            if r["passage"][e["start"]:e["end"]] != e["text"]:
                problems.append(f"{r['id']}: entity offsets wrong for {e['text']}")
        for rule in r.get("grading_rules", []):
            if rule["clause"] not in r["passage"]:
                problems.append(f"{r['id']}: grading clause not in passage: {rule['clause'][:30]}")
    return len(rows)


def check_other(problems: list[str]) -> dict:
    cases = list((CORPUS / "cases").glob("*.txt"))
    if len(cases) < 20:
        problems.append(f"only {len(cases)} cases (need >= 20)")
    for c in cases:
        n = len(c.read_text(encoding="utf-8"))
        if not 700 <= n <= 2200:
            problems.append(f"case {c.stem}: {n} characters")
    regs = list((CORPUS / "regulations").glob("*.txt"))
    if len(regs) < 5:
        problems.append(f"only {len(regs)} regulations (need >= 5)")
    for kind, minimum in MINIMUMS.items():
        with open(SRC / "registry" / f"{kind}.csv", encoding="utf-8", newline="") as fh:
            n = sum(1 for _ in csv.DictReader(fh))
        if n < minimum:
            problems.append(f"registry {kind}: {n} rows (need >= {minimum})")
    if not list((CORPUS / "registry").glob("*.xlsx")):
        problems.append("no XLSX registry")
    return {"cases": len(cases), "regulations": len(regs)}


def verify(benchmark: Path | None = None) -> tuple[list[str], dict]:
    """Run every check; `benchmark` points the report checks at another folder of reports_*.jsonl."""
    problems: list[str] = []
    plans = plan_sources()
    check_plans(plans, problems)
    check_built_text(plans, problems)
    counts = {"plans": len(plans), "inconsistencies": check_inconsistencies(plans, problems),
              "reports": check_benchmark(plans, problems, benchmark),
              "annotated_passages": check_annotations(plans, problems)}
    counts.update(check_other(problems))
    return problems, counts


def main() -> int:
    problems, counts = verify()
    for p in problems:
        print("PROBLEM:", p)
    print("corpus:", ", ".join(f"{k} {v}" for k, v in counts.items()), f"— {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
