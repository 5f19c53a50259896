"""The linear character tokenizer gives spaCy's Chinese char segmentation, token for token."""
from __future__ import annotations

import random
import time

import spacy
from spacy.lang.zh import ChineseTokenizer, Segmenter

from conftest import CORPUS


def _same(a, b) -> bool:
    return ([t.text for t in a] == [t.text for t in b] and [t.whitespace_ for t in a] == [t.whitespace_ for t in b]
            and a.text == b.text)


def test_same_tokens_as_spacy_char_segmenter():
    from extract.char_tokens import CharTokenizer
    from extract.normalize import normalize_text

    vocab = spacy.blank("xx").vocab
    theirs, ours = ChineseTokenizer(vocab, segmenter=Segmenter.char), CharTokenizer(vocab)
    texts = []
    for p in sorted(CORPUS.glob("*.txt")):
        raw = p.read_text(encoding="utf-8")
        texts += [raw[:20000], normalize_text(raw).text[:20000]]
    rnd = random.Random(3)
    texts += ["".join(rnd.choice(" \t\n\u3000\xa0\u2028ab中。 ") for _ in range(rnd.randint(0, 12))) for _ in range(2000)]
    for t in texts:
        assert _same(theirs(t), ours(t)), repr(t[:80])


def test_linear_time():
    from extract.char_tokens import CharTokenizer

    tok = CharTokenizer(spacy.blank("xx").vocab)
    t = time.perf_counter()
    doc = tok("，" * 1_000_000)  # spaCy's segmenter: minutes (it slices the rest of the text per token)
    assert len(doc) == 1_000_000
    assert time.perf_counter() - t < 30
