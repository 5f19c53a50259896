"""The spaCy pipeline: blank zh, character tokens, registered components, data-loaded matchers."""
from __future__ import annotations

from conftest import CORPUS
from extract.nlp import PIPES, build_nlp, process


def test_pipeline_is_blank_zh_with_registered_components():
    nlp = build_nlp()
    assert nlp.lang == "zh"
    assert nlp.pipe_names == PIPES
    doc = nlp("市人社局牵头")
    assert [t.text for t in doc] == list("市人社局牵头")


def test_every_occurrence_of_an_abbreviation_is_a_mention():
    raw = (CORPUS / "001_a6579b1a56d4ceb4.txt").read_text(encoding="utf-8")
    doc = process(raw)
    hits = [m for m in doc._.agency_mentions if m.text.endswith("人社局")]
    assert len(hits) == doc.text.count("人社局") == raw.count("人社局") > 10


def test_tokenizer_normalizes_and_keeps_the_offset_map():
    raw = "當前位置:首頁\n基本公共服務(wù)均等化,市發改委(jī)牽頭。\n"
    doc = process(raw)
    assert "当前位置" not in doc.text
    i = doc.text.index("发改委")
    s, e = doc._.norm.raw_span(i, i + 3)
    assert raw[s:e] == "發改委"
