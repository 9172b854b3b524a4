"""spaCy pipeline: jieba + user dictionary, rule entities, the shipped NER and its training script."""
from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")

from nlp import spacy_pipeline as sp  # noqa: E402
from nlp import train_ner  # noqa: E402

# overall dev F measured with `python -m nlp.train_ner --eval-only`: 0.91 combined, 0.75 NER alone
# (spaCy 3.8, jieba 0.42); the floors leave a margin for library/platform drift
COMBINED_DEV_F_FLOOR = 0.85
NER_DEV_F_FLOOR = 0.65


def ents(doc) -> set[tuple[str, str]]:
    return {(e.text, e.label_) for e in doc.ents}


@pytest.fixture(scope="module")
def rules():
    return sp.load_pipeline(None)


@pytest.fixture(scope="module")
def dev():
    return train_ner.split(train_ner.load_passages())[1]


def test_user_dictionary_is_private(rules):
    import jieba

    toks = [t.text for t in rules.make_doc("新沂河沭阳站水位超警戒")]
    assert toks[0] == "新沂河沭阳站"                     # gazetteer name kept whole
    assert "新沂河沭阳站" not in jieba.dt.FREQ            # the global jieba is untouched


def test_ruler_org_alias_and_place(rules):
    found = ents(rules("东海县应急局会同市交警支队赶赴石梁河水库，调运液氯处置物资。"))
    assert ("东海县应急局", "ORG") in found              # alias of 应急管理局 + county prefix
    assert ("市交警支队", "ORG") in found                # alias of 公安局交通警察支队
    assert ("石梁河水库", "PLACE") in found              # gazetteer
    assert ("液氯", "CHEMICAL") in found


def test_ruler_prefix_suffix_and_time_limit(rules):
    found = ents(rules("事发单位应在1小时内向市防指办报告，并通报灌云县安监局。"))
    assert found == {("1小时内", "TIME_LIMIT"), ("市防指办", "ORG"), ("灌云县安监局", "ORG")}


def test_titles_in_brackets(rules):
    doc = rules("依据《中华人民共和国安全生产法》《江苏省实施〈中华人民共和国突发事件应对法〉办法》"
                "和《连云港市防汛抗旱应急预案》，由省应急管理厅指导。")
    found = ents(doc)
    assert ("中华人民共和国安全生产法", "LAW") in found
    assert ("江苏省实施〈中华人民共和国突发事件应对法〉办法", "LAW") in found
    assert ("连云港市防汛抗旱应急预案", "PLAN") in found
    assert ("省应急管理厅", "ORG") in found
    assert not any(e.text.startswith("《") or e.label_ == "PLACE" for e in doc.ents)


def test_split_is_deterministic():
    passages = train_ner.load_passages()
    tr, dev = train_ner.split(passages)
    assert len(tr) + len(dev) == len(passages) and not {p["id"] for p in tr} & {p["id"] for p in dev}
    assert 0.15 < len(dev) / len(passages) < 0.35
    assert [p["id"] for p in dev] == [p["id"] for p in train_ner.split(list(reversed(passages)))[1][::-1]]


@pytest.mark.skipif(not (sp.MODEL_DIR / "ner").is_dir(), reason="no shipped NER model")
def test_shipped_model_scores_on_dev(dev):
    plain = spacy.load(sp.MODEL_DIR)                     # loads offline, without our code
    assert plain.pipe_names == ["ner"] and set(sp.LABELS) <= set(plain.get_pipe("ner").labels)
    full = sp.load_pipeline()
    assert {"yingji_titles", "entity_ruler", "ner"} <= set(full.pipe_names)
    ner_only = sp.build_blank()
    ner_only.add_pipe("ner", source=plain)
    assert train_ner.overall(train_ner.score(ner_only, dev))[2] >= NER_DEV_F_FLOOR
    assert train_ner.overall(train_ner.score(full, dev))[2] >= COMBINED_DEV_F_FLOOR


def test_training_runs_and_saves(tmp_path, dev):
    tr = train_ner.split(train_ner.load_passages())[0][:6]
    train_ner.train(tr, tmp_path / "m", iters=2, seed=1, log=lambda *a: None)
    nlp = spacy.load(tmp_path / "m")
    assert "ner" in nlp.pipe_names
    doc = sp.load_pipeline(tmp_path / "m")(dev[0]["passage"])
    assert doc.text == dev[0]["passage"]
