"""The necessary-substring test of extract.regex_prefilter: never skips a text a pattern matches."""
from __future__ import annotations

import random
import re

import pytest

from conftest import CORPUS
from extract.regex_prefilter import Prefiltered, PrefilterSet, required


@pytest.mark.parametrize("pattern, needs", [
    ("为(?P<pop>.{2,8})提供", {"提供"}),  # the longer literal run
    ("免费", {"免费"}),
    ("(?:扩大|延伸)到", {"到"}),
    ("(?:扩大到|延伸至)", {"扩大到", "延伸至"}),
    ("[人户名]", {"人", "户", "名"}),
    ("(?:向)+群众", {"群众"}),
    ("(?>均|均可)享受", {"享受"}),
    ("享受|享有", {"享"}),  # the parser takes the common prefix out of the alternatives
    ("满足|保障", {"满足", "保障"}),
])
def test_required_strings(pattern, needs):
    assert required(re.compile(pattern)) == needs


@pytest.mark.parametrize("pattern", [
    ".{2,8}", "(?:为)?", "[^。]+", "\\w+", "a|", "(?i)free", "为?众?", "(?=提供)", "(?P<x>.)(?P=x)",
])
def test_no_requirement_when_anything_could_match(pattern):
    rx = Prefiltered(re.compile(pattern))
    assert rx.needs is None and rx.may_match("") and rx.may_match("任何文字")


def test_contained_strings_collapse_to_the_shortest():
    assert required(re.compile("(?:到享受|享受)")) == {"享受"}
    assert required(re.compile("(?:按标准|标准)发放")) in ({"标准"}, {"发放"})


def test_random_texts_never_skip_a_match():
    rnd = random.Random(7)
    alphabet = "为向对提供免费享受群众人户到扩大延伸至。，"
    patterns = [Prefiltered(re.compile(p)) for p in
                ("为(?P<pop>.{1,4})提供", "(?:扩大|延伸)到", "[人户]{2}", "(?:享受)+群众", "对.{0,3}免费")]
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 14)))
        for p in patterns:
            if p.rx.search(text):
                assert p.may_match(text), (p.rx.pattern, text)
            assert list(m.span() for m in p.finditer(text)) == list(m.span() for m in p.rx.finditer(text))


def test_statement_patterns_on_the_bundled_corpus():
    """Every statement pattern that matches a sentence of the bundled plans passes the test."""
    from extract.beneficiaries import _patterns

    patterns = _patterns()
    assert all(p.needs for _, _, p in patterns)  # each one has words it needs
    sentences = [s for f in sorted(CORPUS.glob("*.txt"))
                 for s in re.split("[。；\n]", f.read_text(encoding="utf-8", errors="replace")) if len(s) > 3]
    matched = 0
    for _, _, p in patterns:
        for s in sentences:
            if p.rx.search(s):
                matched += 1
                assert p.may_match(s), (p.rx.pattern[:60], s)
    assert matched > 100


def test_one_scan_enables_the_patterns_each_test_would():
    """PrefilterSet gives the patterns whose own test passes, also where needed strings
    overlap or one begins another (残疾 / 残疾人 / 疾人 / 人) and for a pattern with no test."""
    rnd = random.Random(11)
    patterns = [Prefiltered(re.compile(p)) for p in
                ("残疾", "残疾人(?:员)?", "疾人", "[人户]", "(?:为|向).{0,2}提供", ".{2}", "老年人|残疾儿童")]
    pset = PrefilterSet(patterns)
    assert patterns[5].needs is None
    alphabet = "残疾人员户为向提供老年儿童。"
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12)))
        assert pset.may_match(text) == [i for i, p in enumerate(patterns) if p.may_match(text)], text
    assert pset.may_match("残疾人") == [0, 1, 2, 3, 5]
    assert pset.may_match("") == [5]
