"""A spaCy pipeline for plan text: blank ``zh`` with the jieba segmenter and our user dictionary,
rule entities from the lexicons and the gazetteer, and (when shipped) a trained NER.

    nlp = load_pipeline()
    [(e.text, e.label_) for e in nlp("市应急管理局依据《中华人民共和国安全生产法》组织处置。").ents]

Labels follow ``corpora/lianyungang/benchmark/nlp_annotations.jsonl``: ORG, PLACE, CHEMICAL, LAW,
PLAN, TEAM, DEPOT, TIME_LIMIT. The rules come from ``nlp/resources/organisations.csv`` (ORG: names,
aliases and old names after an optional locality — 市/县/区/省/新区, 连云港市, 东海县 … — with
办/办公室/总值班室/大队 endings), the city gazetteer (PLACE, below city level), ``chemicals.csv``
(CHEMICAL), the city registry's team and depot names (TEAM, DEPOT), titles inside 《》 (LAW/PLAN),
"<place>…预案" (PLAN) and "N分钟/小时内" (TIME_LIMIT). Every lexicon surface is also a jieba user
word, so entity names stay whole tokens.

Nothing is downloaded: the tokenizer is spaCy's own ``spacy.zh.ChineseTokenizer`` with
``segmenter = "jieba"``; its jieba instance is swapped for a private ``jieba.Tokenizer`` holding the
user dictionary, so the global jieba and site-packages are never touched. A model folder saved by
``nlp.train_ner`` loads with plain ``spacy.load(folder)`` (then without our user dictionary).
"""
from __future__ import annotations

import csv
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jieba
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from nlp.facts import _ORG_END, _org_lexicon, _ref_kind, RESOURCES
from nlp.places import gazetteer_path, load_gazetteer

jieba.setLogLevel(logging.WARNING)

MODEL_DIR = Path(__file__).parent / "models" / "ner"
REGISTRY_DIR = Path(__file__).resolve().parent.parent / "corpora" / "lianyungang" / "registry"
LABELS = ("ORG", "PLACE", "CHEMICAL", "LAW", "PLAN", "TEAM", "DEPOT", "TIME_LIMIT")
ORDERS = ("rules_first", "ner_first", "ner_then_rules_overwrite")
# rules win every overlap with the NER: best overall F on dev (python -m nlp.train_ner --eval-only)
DEFAULT_ORDER = "ner_then_rules_overwrite"
ZH_CONFIG = {"nlp": {"tokenizer": {"segmenter": "jieba"}}}
USE_HMM = False                        # see _Segmenter
SPLIT_WORDS = ("内向",)                # 1小时内向市… : keep 内 with the time limit

ORG_PREFIXES = ("省", "市", "县", "区", "新区")      # 市应急管理局, 新区应急管理局
ADMIN_KINDS = {"省", "市", "区县", "园区"}           # gazetteer kinds usable before an org name
# the plans' own city and province are not PLACE entities in our annotations (only parts of them)
PLACE_SKIP_KINDS = {"省", "市"}
ORG_HEADS = ("政府", "人民政府", "委", "指挥部", "应急委")   # 市政府, 县委, 市指挥部: need a prefix
ORG_SUFFIXES = ((), ("办",), ("办公室",), ("总", "值班室"), ("值班室",), ("大队",))
_TITLE = re.compile(r"《([^《》]{2,80})》")
_NUM = r"^(\d+(\.\d+)?|[一二两三四五六七八九十半]+)$"


# ---------------------------------------------------------------------------------------------
# lexicons


@dataclass(frozen=True)
class Lexicon:
    orgs: tuple[str, ...]           # names usable alone (end in 局/委/中心 …)
    generic_orgs: tuple[str, ...]   # 公安, 消防 …: only after a locality prefix
    provincial: tuple[str, ...]     # 应急管理厅 …: province-level 局 names, only after 省
    admin: tuple[str, ...]          # 连云港市, 东海县, 徐圩新区 … (prefixes of org names)
    places: tuple[str, ...]
    chemicals: tuple[str, ...]
    teams: tuple[str, ...]
    depots: tuple[str, ...]

    def words(self) -> list[str]:
        """Every surface worth keeping whole in jieba, longest first."""
        ws = {w for group in (self.orgs, self.generic_orgs, self.provincial, self.admin, self.places,
                              self.chemicals, self.teams, self.depots) for w in group if len(w) >= 2}
        return sorted(ws, key=lambda w: (-len(w), w))


def _split(cell: str | None) -> list[str]:
    return [x.strip() for x in re.split(r"[;；]", cell or "") if x.strip()]


def _registry_names(registry_dir: Path) -> tuple[list[str], list[str]]:
    """Team names (救援队伍.csv) and depot names (应急物资.csv 储备库); empty when missing."""
    from nlp.registry import load_registry

    teams, depots = [], []
    if (registry_dir / "救援队伍.csv").exists():
        teams = [r.name for r in load_registry(registry_dir / "救援队伍.csv").records if r.name]
    if (registry_dir / "应急物资.csv").exists():
        depots = [r.depot for r in load_registry(registry_dir / "应急物资.csv").records if r.depot]
    return sorted(set(teams)), sorted(set(depots))


@lru_cache(maxsize=4)
def load_lexicon(gazetteer: str | None = None, registry_dir: str | None = None) -> Lexicon:
    orgs, generic = set(), set(ORG_HEADS)
    for surface, _canon, _kind, _dom in _org_lexicon():
        # as in nlp.facts: 公安, 消防, 政府 … are names only after a locality prefix
        bare = _ORG_END.search(surface) and not surface.startswith(("政府", "人民政府"))
        (orgs if bare else generic).add(surface)
    provincial = {n[:-1] + "厅" for n in orgs if n.endswith("局") and not n.endswith("分局")}
    places, admin = set(), set()
    gaz = load_gazetteer(gazetteer_path(gazetteer))
    if gaz is not None:
        places = {s for s, name in gaz.surfaces.items() if gaz.places[name].kind not in PLACE_SKIP_KINDS}
        admin = {s for s, name in gaz.surfaces.items() if gaz.places[name].kind in ADMIN_KINDS}
    chems = set()
    with open(RESOURCES / "chemicals.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            chems.update([row["name"].strip()] + _split(row.get("aliases")))
    teams, depots = _registry_names(Path(registry_dir) if registry_dir else REGISTRY_DIR)
    return Lexicon(*(tuple(sorted(x)) for x in (orgs, generic, provincial, admin, places, chems, teams, depots)))


# ---------------------------------------------------------------------------------------------
# tokenizer


class _Segmenter(jieba.Tokenizer):
    """jieba without HMM new-word guessing: it glues function characters to locality prefixes
    (由市, 向市, 内向), which splits 市应急管理局 or 2小时内 at the wrong place."""

    def cut(self, sentence, cut_all=False, HMM=None):
        return super().cut(sentence, cut_all=cut_all, HMM=USE_HMM if HMM is None else HMM)


@lru_cache(maxsize=4)
def _segmenter(words: tuple[str, ...]) -> _Segmenter:
    """A private jieba tokenizer holding our user words; the global jieba stays untouched.

    It reuses the dictionary already loaded by the global tokenizer (spaCy initialises it),
    which saves a second multi-second load; jieba's own cache lives in the temp dir.
    """
    jieba.dt.check_initialized()
    seg = _Segmenter()
    seg.FREQ, seg.total, seg.initialized = dict(jieba.dt.FREQ), jieba.dt.total, True
    for w in words:
        seg.add_word(w)         # frequency suggested by jieba so the word stays whole
    for w in SPLIT_WORDS:
        seg.del_word(w)
    return seg


def use_user_dictionary(nlp: Language, lex: Lexicon | None = None) -> Language:
    """Point the jieba tokenizer of a zh pipeline at our segmenter with the user dictionary."""
    lex = lex or load_lexicon()
    nlp.tokenizer.jieba_seg = _segmenter(tuple(lex.words()))
    return nlp


def build_blank(lex: Lexicon | None = None, user_dict: bool = True) -> Language:
    """spacy.blank("zh") with jieba segmentation and (by default) our user dictionary."""
    nlp = spacy.blank("zh", config=ZH_CONFIG)
    return use_user_dictionary(nlp, lex) if user_dict else nlp


# ---------------------------------------------------------------------------------------------
# rules


@Language.factory("yingji_titles", default_config={"overwrite_ents": False})
def make_titles(nlp: Language, name: str, overwrite_ents: bool):
    return TitleEntities(overwrite_ents)


class TitleEntities:
    """Titles inside 《》 (brackets excluded): PLAN when the title is a 预案, else LAW."""

    def __init__(self, overwrite_ents: bool = False):
        self.overwrite = overwrite_ents

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for m in _TITLE.finditer(doc.text):
            label = "PLAN" if _ref_kind(m.group(1)) == "plan" else "LAW"
            span = doc.char_span(m.start(1), m.end(1), label=label, alignment_mode="contract")
            if span is not None and len(span):
                spans.append(span)
        old = list(doc.ents)
        if self.overwrite:
            old = [e for e in old if not any(e.start < s.end and s.start < e.end for s in spans)]
        else:
            spans = [s for s in spans if not any(e.start < s.end and s.start < e.end for e in old)]
        doc.ents = filter_spans(old + spans)
        return doc


def _tokens(nlp: Language, text: str) -> list[str]:
    return [t.text for t in nlp.make_doc(text)]


def _org_patterns(nlp: Language, lex: Lexicon) -> list[dict]:
    """ORG token patterns: [place?] + name as jieba cuts it (市|应急管理局, 市政府, 市委|宣传部) + ending.

    Names sharing their leading tokens are folded into one pattern with an IN set for the last
    token: the Matcher's cost grows with the number of patterns, not with the size of IN sets.
    """
    groups: dict[tuple[tuple[str, ...], bool], set[str]] = {}   # (head tokens, needs place) -> last tokens
    for name in lex.orgs + lex.generic_orgs + lex.provincial:
        prefixes = ("省",) if name in lex.provincial else ORG_PREFIXES
        forms = [(p + name, False) for p in prefixes]
        if name not in lex.provincial:         # 应急管理局 alone; 消防救援 only after 东海县 …
            forms.append((name, name in lex.generic_orgs))
        for form, need_place in forms:
            toks = _tokens(nlp, form)
            groups.setdefault((tuple(toks[:-1]), need_place), set()).add(toks[-1])
    place = {"ORTH": {"IN": sorted(lex.admin)}}
    pats = []
    for (head, need_place), lasts in sorted(groups.items()):
        body = [{"ORTH": t} for t in head] + [{"ORTH": {"IN": sorted(lasts)}}]
        for suffix in ORG_SUFFIXES:           # 市防指办, 市政府总值班室, 东海县消防救援大队
            first = place if need_place else {**place, "OP": "?"}
            pats.append({"label": "ORG", "pattern": [first] + body + [{"ORTH": t} for t in suffix]})
    return pats


def ruler_patterns(nlp: Language, lex: Lexicon) -> list[dict]:
    """EntityRuler patterns: token patterns for ORG, PLAN, TIME_LIMIT; phrases for the rest."""
    pats = _org_patterns(nlp, lex)
    # a plan named outside 《》: 连云港市防汛抗旱应急预案
    pats.append({"label": "PLAN", "pattern": [{"ORTH": {"IN": sorted(lex.admin)}}, {
        "IS_PUNCT": False, "IS_SPACE": False, "ORTH": {"NOT_IN": ["|", "｜", "本", "预案"]}, "OP": "{1,6}"},
        {"ORTH": {"REGEX": "预案$"}}]})
    unit = {"ORTH": {"IN": ["分钟", "小时", "天", "日"]}}
    within = {"ORTH": {"IN": ["内", "以内", "之内"]}}
    num = {"ORTH": {"REGEX": _NUM}}
    pats += [{"label": "TIME_LIMIT", "pattern": [num, unit, within]},
             {"label": "TIME_LIMIT", "pattern": [num, {"ORTH": "个"}, {"ORTH": "小时"}, within]},
             {"label": "TIME_LIMIT", "pattern": [{"ORTH": {"REGEX": r"^[一二两三四五六七八九十半]+(分钟|小时|天)$"}}, within]}]
    # phrase patterns (PhraseMatcher), tokenized by the ruler with our tokenizer
    for label, names in (("PLACE", lex.places), ("CHEMICAL", lex.chemicals), ("TEAM", lex.teams),
                         ("DEPOT", lex.depots)):
        pats += [{"label": label, "pattern": n} for n in names]
    return pats


@lru_cache(maxsize=4)
def _cached_patterns(lex: Lexicon) -> tuple[dict, ...]:
    return tuple(ruler_patterns(build_blank(lex), lex))


def add_entity_ruler(nlp: Language, lex: Lexicon | None = None, *, overwrite_ents: bool = False,
                     after: str | None = None) -> Language:
    """Add the 《》 title component and an EntityRuler (ORG, PLACE, CHEMICAL, TEAM, DEPOT, TIME_LIMIT).

    Titles run first, so a place or org inside a title is not tagged; the ruler prefers the
    longest match and, unless ``overwrite_ents``, keeps entities set by earlier components.
    """
    lex = lex or load_lexicon()
    nlp.add_pipe("yingji_titles", config={"overwrite_ents": overwrite_ents}, after=after)
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": overwrite_ents}, after="yingji_titles")
    same_tokenizer = getattr(nlp.tokenizer, "jieba_seg", None) is _segmenter(tuple(lex.words()))
    with nlp.select_pipes(enable=[]):       # phrase patterns only need the tokenizer
        ruler.add_patterns(list(_cached_patterns(lex)) if same_tokenizer else ruler_patterns(nlp, lex))
    return nlp


# ---------------------------------------------------------------------------------------------
# full pipeline


def load_pipeline(model_dir: str | Path | None = MODEL_DIR, order: str = DEFAULT_ORDER,
                  lex: Lexicon | None = None) -> Language:
    """Blank zh + user dictionary + rules, plus the trained NER when ``model_dir`` holds one.

    order: "rules_first" (rules set entities, NER fills the gaps around them),
    "ner_first" (rules only add entities where NER found none) or
    "ner_then_rules_overwrite" (rules replace overlapping NER entities).
    """
    if order not in ORDERS:
        raise ValueError(f"order must be one of {ORDERS}")
    lex = lex or load_lexicon()
    nlp = build_blank(lex)
    has_ner = model_dir is not None and (Path(model_dir) / "ner").is_dir()
    if not has_ner:
        return add_entity_ruler(nlp, lex)
    trained = spacy.load(model_dir)
    if order == "rules_first":
        add_entity_ruler(nlp, lex)
        nlp.add_pipe("ner", source=trained)
    else:
        nlp.add_pipe("ner", source=trained)
        add_entity_ruler(nlp, lex, overwrite_ents=order == "ner_then_rules_overwrite", after="ner")
    return nlp
