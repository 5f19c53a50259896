"""Text normalization with an exact offset map back to the original text.

Every fact extracted later carries evidence whose quote must be exactly
``raw[charStart:charEnd]`` (code points of the decoded original file). The extractors work on a
*clean* text instead; :class:`Normalized` keeps, for every clean character, the index of the raw
character it came from (``offsets``), so any clean span maps back with :meth:`Normalized.raw_span`.

Steps of :func:`normalize_text` (each one rewrites a buffer of ``(char, raw index)`` entries):

0. junk characters: BOM, zero-width chars, soft hyphen, private-use glyphs, C0 controls; CR LF
   and lone CR become LF. U+FFFD (bytes lost before we got the file) stays and is *damaged*.
1. inline pinyin annotations ``服務(wù)`` / ``一（yī）`` after a CJK character are removed
   (validated against the pinyin syllable inventory; ``(PPP)``, ``(GDP)`` and English stay).
2. GBK-misalignment mojibake (see *Mojibake* below) is repaired where the bytes and a domain
   vocabulary make the reading certain; what cannot be repaired stays and is *damaged*.
3. whole lines of site chrome and spam are dropped (rules: ``data/chrome_patterns.tsv``;
   metadata lines such as 文号/发文日期/发布机构 are protected by ``keep`` rules).
4. whitespace: NBSP, U+3000, U+2000-U+200A, tabs → space; lines stripped; runs of spaces
   vanish between two CJK characters and become one space elsewhere; at most one blank line.
5. width: full-width ASCII → ASCII (（ → ``(``, ， → ``,``); other compatibility forms
   (㈠ → ``(一)``, ⑴ → ``(1)``, ⒈ → ``1.``, Ⅳ → ``IV``, compatibility ideographs) by NFKC,
   every produced character mapped to the same raw index. CJK punctuation (。、《》“”〔〕…) stays.
6. Traditional → Simplified with OpenCC ``t2s`` line by line (character by character where a
   line would change length) plus ``data/t2s_supplement.tsv``; ``written`` is the text before.

Mojibake
--------
The damaged runs of the Shanghai plan (``"?;竟卜?wù)管理制度"`` for ``"。基本公共服務(wù)管理制度"``)
come from this process: the (Traditional, pinyin-annotated) text was GBK-encoded; at the start
of a run one byte went astray, so the lead byte of the first character stands alone (shown as
``?``) and the decoder paired every *trail* byte with the next character's *lead* byte:

* a pair that is a GBK character shows up as a wrong character (be b9 → 竟, a3 bb → ；→ ``;``
  after the crawler folded full-width forms to ASCII),
* a pair GBK does not define (user-defined areas such as f9 b1) vanished silently,
* a lead byte followed by an ASCII byte (< 0x40) shows as ``?`` and swallows that byte -- the
  ``(`` of a pinyin annotation, which is why ``wù)`` survives without its ``(``,
* the decoder falls back into step at the first ASCII *trail* byte (間 = e9 67 → ``g``,
  區 = 85 5e → ``^``, 醫 = e1 74 → ``t``), at 0x80 (線 = be 80 → ``€``) or after the ``?``
  that swallowed an ASCII byte; the text after it is intact.

A run is therefore ``?`` + shifted pairs + terminator. Repair re-encodes the visible
characters to GBK (ASCII punctuation/letters inside a run as the full-width forms they were),
re-aligns the bytes (character *i* = trail of pair *i-1* + lead of pair *i*), allows 0-2
silently dropped undefined pairs between visible pairs, and searches (a byte-level automaton
walked together with a byte trie of the vocabulary) for every reading whose simulated damage
gives exactly the observed run. A reading is made of

* characters whose two bytes are both visible (re-aligned); they must be common (GB2312
  level 1, Traditional forms via t2s, CJK punctuation),
* terms of the domain vocabulary ``data/mojibake_vocab.txt`` (Simplified with counts,
  matched in Simplified and OpenCC Traditional forms; punctuation counts as one-character
  terms); a term may extend into up to four intact characters on either side (確 + 保 = 确保),
* unresolved characters ``?`` where a byte is unknown (the stray lead byte, the trail
  swallowed with the ``(``).

Unknown bytes are only ever filled by a vocabulary term. Readings are ranked by a unigram
model (term cost ln(N/count), with a document cache: a plan repeats its own terms; lone
characters pay extra); a character is filled only where every reading within a likelihood
ratio of 4 of the best agrees, otherwise it stays ``?`` and is *damaged*. Re-aligned
characters that no vocabulary term confirms stay in the text as the best guess but are
*damaged* too (a pair may have vanished right there). A run without any certain reading stays
as it is, marked damaged. Runs are found at a ``?`` after a CJK character and only count as
mojibake with evidence (a swallowed pinyin ``(``, ``€``, folded full-width punctuation, rare
characters, a lone Latin letter between CJK characters) unless they are repaired with at
least two vocabulary characters; ordinary question marks are left alone. The search has a
per-run and a per-document budget, so no input can make it slow (later runs are only marked).

Public API: :class:`Normalized`, :func:`decode_bytes`, :func:`normalize_text`,
:func:`normalize_bytes`, :func:`mojibake_report`, :class:`DecodeError`, :func:`to_simplified`,
:func:`chrome_line`, :func:`build_vocabulary`.

One module per job: ``decode`` (bytes → text), ``offsets`` (the buffer and the offset map,
:class:`Normalized`), ``junk``, ``pinyin``, ``mojibake`` (with ``gbk``, ``mojibake_solver`` and
``mojibake_vocab``), ``chrome``, ``whitespace``, ``width``, ``simplify`` (steps 0-6), ``chars``
(character classes). ``python -m extract.normalize`` builds the repair vocabulary or reports runs.
"""
from __future__ import annotations

from .chrome import _step_chrome, chrome_line
from .decode import DecodeError, decode_bytes
from .junk import _step_junk
from .mojibake import MojibakeRun, _step_mojibake
from .mojibake_vocab import build_vocabulary
from .offsets import _DAMAGED, _REPAIRED, Normalized, _Buf, _spans_of
from .pinyin import _step_pinyin
from .simplify import _t2s_text, to_simplified
from .whitespace import _step_whitespace
from .width import _step_width

__all__ = ["DecodeError", "MojibakeRun", "Normalized", "build_vocabulary", "chrome_line", "decode_bytes",
           "mojibake_report", "normalize_bytes", "normalize_text", "to_simplified"]


def normalize_text(raw: str, encoding: str = "utf-8") -> Normalized:
    """Normalize a decoded original text (see the module docstring for the steps)."""
    buf = _Buf.from_raw(raw)
    buf = _step_junk(buf)
    buf = _step_pinyin(buf)
    runs: list[MojibakeRun] = []
    buf = _step_mojibake(buf, runs)
    buf = _step_chrome(buf)
    buf = _step_whitespace(buf)
    buf = _step_width(buf)
    written = buf.s
    text = _t2s_text(written)
    assert len(text) == len(written)
    offsets = buf.idx.tolist()
    ends = buf.end.tolist()
    # keep the map monotone (it is by construction; this guards the invariant cheaply)
    offsets.append(ends[-1] if ends else 0)
    return Normalized(raw=raw, text=text, written=written, offsets=offsets,
                      damaged=_spans_of(buf.flag, _DAMAGED), repaired=_spans_of(buf.flag, _REPAIRED),
                      encoding=encoding, ends=ends, mojibake_runs=runs)


def normalize_bytes(data: bytes) -> Normalized:
    """Decode (see :func:`decode_bytes`) and normalize."""
    text, enc = decode_bytes(data)
    return normalize_text(text, enc)


def mojibake_report(n: Normalized) -> dict:
    """Counts of the mojibake runs of a normalized text."""
    runs = n.mojibake_runs
    return {
        "runs_found": len(runs),
        "repaired": sum(1 for r in runs if r.status in ("repaired", "partial")),
        "fully_repaired": sum(1 for r in runs if r.status == "repaired"),
        "partially_repaired": sum(1 for r in runs if r.status == "partial"),
        "left_marked": sum(1 for r in runs if r.status == "damaged"),
        "unresolved_chars": sum(r.unresolved for r in runs),
        "damaged_clean_chars": sum(b - a for a, b in n.damaged),
        "repaired_clean_chars": sum(b - a for a, b in n.repaired),
    }
