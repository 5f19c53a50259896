"""graph/form.py decodes parameters exactly as urllib.parse.parse_qs (blank values kept,
UTF-8, strict): the same parameters, or the same refusal, for written and random texts."""
from __future__ import annotations

import random
import urllib.parse

import pytest

from graph.form import parse_params


def reference(text: str):
    try:
        return urllib.parse.parse_qs(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        return "refused"


def ours(text: str):
    try:
        return parse_params(text)
    except UnicodeDecodeError:
        return "refused"


WRITTEN = [
    "", "&", "a", "a=", "=b", "a=1&a=2&b", "query=" + urllib.parse.quote_plus("SELECT * WHERE { ?s ?p ?o } # 白银市"),
    urllib.parse.urlencode({"query": "PREFIX pskg: <https://w3id.org/pskg/ontology#>\nSELECT ?x { ?x a pskg:Plan }",
                            "default-graph-uri": "https://w3id.org/pskg/graph/a", "format": "json"}),
    "q=100%", "q=%zz", "q=%4", "q=%%41", "q=%41%", "q=%e4%b8%ad", "q=%E4%B8", "q=%ff", "q=a%3Db=c", "q=a=b",
    "q=line%0Abreak", "q=raw\nbreak", "q=raw\r\nbreak", "q=中文%41", "q=%E4中", "q=+%2B+", "q=%3d%3D=", "a+b=c+d",
    "q=%C3%A9%20%e2%82%AC", "q=_x_", "q=%5F", "q=%0D%0A", "q==41", "x=%3",
]


@pytest.mark.parametrize("text", WRITTEN)
def test_written_texts_decode_as_parse_qs_does(text):
    assert ours(text) == reference(text)


def test_random_texts_decode_as_parse_qs_does():
    rng = random.Random(20261207)
    alphabet = list("ab%+=&;09AFaf \n\r_") + ["%41", "%E4%B8%AD", "%C3", "%ZZ", "中", "é", "%0a", "%3D"]
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        assert ours(text) == reference(text), repr(text)
