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
:func:`normalize_bytes`, :func:`mojibake_report`, :class:`DecodeError`.
"""
from __future__ import annotations

import bisect
import codecs
import re
import sys
import unicodedata
from array import array
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
CHROME_FILE = DATA_DIR / "chrome_patterns.tsv"
VOCAB_FILE = DATA_DIR / "mojibake_vocab.txt"
T2S_SUPPLEMENT_FILE = DATA_DIR / "t2s_supplement.tsv"

# flags carried per clean character
_OK, _REPAIRED, _DAMAGED = 0, 1, 2


# ----------------------------------------------------------------------------------------------
# character classes
# ----------------------------------------------------------------------------------------------
_CJK_IDEO = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_PUNCT = "\u3000-\u303f\u2018\u2019\u201c\u201d\u2014\u2026\uff01-\uff65\u00b7"
_RE_CJK = re.compile(f"[{_CJK_IDEO}]")
_RE_CJK_OR_PUNCT = re.compile(f"[{_CJK_IDEO}{_CJK_PUNCT}]")


def _is_cjk(c: str) -> bool:
    return bool(_RE_CJK.match(c))


def _is_cjk_or_punct(c: str) -> bool:
    return bool(_RE_CJK_OR_PUNCT.match(c))


# ----------------------------------------------------------------------------------------------
# decoding
# ----------------------------------------------------------------------------------------------
class DecodeError(ValueError):
    """The bytes are not a text we can use (empty, binary, or in no encoding we know)."""


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"


def _strict_decode(data: bytes, codec: str) -> str | None:
    """Strict decode; a multi-byte character cut off at the very end is dropped, not an error."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        if e.start >= len(data) - 3 and e.end >= len(data):
            # truncated in the middle of the last character: drop the incomplete bytes
            try:
                return data[:e.start].decode(codec)
            except UnicodeDecodeError:
                return None
        return None
    except LookupError:
        return None


@lru_cache(maxsize=1)
def _gb2312_level1() -> frozenset[str]:
    chars = set()
    for a in range(0xB0, 0xD8):
        for b in range(0xA1, 0xFF):
            try:
                chars.add(bytes([a, b]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return frozenset(chars)


@lru_cache(maxsize=1)
def _gb_punct() -> frozenset[str]:
    """CJK punctuation of GB2312 row 1 and the full-width ASCII row 3 (and their ASCII forms)."""
    chars = set()
    for a in (0xA1, 0xA3):
        for b in range(0xA1, 0xFF):
            try:
                c = bytes([a, b]).decode("gb2312")
            except UnicodeDecodeError:
                continue
            chars.add(c)
    chars.update(chr(c) for c in range(0x21, 0x7F))
    return frozenset(chars)


_common_cache: dict[str, bool] = {}


def _is_common(c: str) -> bool:
    """A common Chinese character (GB2312 level 1, directly or after t2s) or CJK punctuation."""
    r = _common_cache.get(c)
    if r is None:
        lv1 = _gb2312_level1()
        r = c in lv1 or c in _gb_punct() or (_is_cjk(c) and _t2s_char(c) in lv1)
        _common_cache[c] = r
    return r


def _text_score(text: str) -> tuple[float, int]:
    """(share of common characters among the CJK/symbol characters, number of them)."""
    sample = text[:50000]
    n = good = 0
    for c in sample:
        o = ord(c)
        if o < 0x80:
            continue
        n += 1
        if _is_common(c):
            good += 1
    return (good / n if n else 0.0), n


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    ctrl = sum(sample.count(bytes([b])) for b in _CONTROL_BYTES)
    return ctrl > 0.05 * len(sample)


def _has_letters(text: str) -> bool:
    sample = text[:200000]
    return any(c.isalpha() for c in sample)


def _check_text(text: str) -> bool:
    if not text or not _has_letters(text):
        return False
    sample = text[:65536]
    ctrl = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\f") or 0x7F <= ord(c) < 0xA0)
    return ctrl <= 0.02 * len(sample)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode the bytes of a crawled file: ``(text, encoding)``.

    Strict UTF-8 (with or without BOM) first; then UTF-16 (BOM, or the NUL pattern of
    Chinese/ASCII UTF-16); then GB18030/GBK and Big5, proposed by charset-normalizer and
    verified by the share of common Chinese characters in the decoded text. A file cut in the
    middle of its last multi-byte character decodes without the incomplete bytes.
    Raises :class:`DecodeError` for empty, binary or undecodable input.
    """
    if data is None or len(data) == 0:
        raise DecodeError("empty file: no bytes to decode")
    # byte order marks
    if data.startswith(codecs.BOM_UTF8):
        t = _strict_decode(data[3:], "utf-8")
        if t is not None and _check_text(t):
            return t, "utf-8"
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                       (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            t = _strict_decode(data[len(bom):], codec)
            if t is not None and _check_text(t):
                return t, codec.split("-l")[0].split("-b")[0]
    if b"\x00" in data[:65536]:
        # UTF-16 without BOM: ASCII has NULs in every other byte; CJK text has none but then
        # the NULs of its ASCII (spaces, digits, line breaks) still sit on one parity only
        sample = data[:65536]
        even = sample[0::2].count(0)
        odd = sample[1::2].count(0)
        order = ("utf-16-le", "utf-16-be") if odd >= even else ("utf-16-be", "utf-16-le")
        for codec in order:
            t = _strict_decode(data[: len(data) - (len(data) % 2)], codec)
            if t is not None and _check_text(t) and (_text_score(t)[0] > 0.6 or _text_score(t)[1] == 0):
                return t, "utf-16"
        raise DecodeError("binary file (NUL bytes): not a text")
    if _looks_binary(data):
        raise DecodeError("binary file (control bytes): not a text")
    t = _strict_decode(data, "utf-8")
    if t is not None:
        if not _check_text(t):
            raise DecodeError("no text: the file has no letters or Chinese characters")
        return t, "utf-8"

    # legacy Chinese encodings: charset-normalizer proposes, the common-character share decides
    candidates: list[str] = []
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200000], cp_isolation=["gb18030", "big5", "big5hkscs", "utf_16"]).best()
        if best is not None:
            candidates.append(best.encoding)
    except Exception:  # pragma: no cover - detector failure is not fatal
        pass
    for c in ("gb18030", "big5", "big5hkscs"):
        if c not in candidates:
            candidates.append(c)
    scored: list[tuple[float, int, str, str]] = []
    for rank, codec in enumerate(candidates):
        codec = {"utf_16": "utf-16", "big5hkscs": "big5hkscs"}.get(codec, codec)
        t = _strict_decode(data, codec)
        if t is None or not _check_text(t):
            continue
        share, n = _text_score(t)
        scored.append((share, -rank, codec, t))
    if scored:
        scored.sort(reverse=True)
        share, _r, codec, t = scored[0]
        if share >= 0.6 or (share > 0 and len(scored) == 1 and share >= 0.3):
            return t, _encoding_name(codec)
    # UTF-8 with a few bad bytes (a damaged download): keep it, the bad bytes become U+FFFD
    t = data.decode("utf-8", errors="replace")
    bad = t.count("\ufffd")
    if bad <= max(1, len(t) // 500) and _check_text(t) and _text_score(t)[0] > 0.6:
        return t, "utf-8"
    raise DecodeError("cannot decode: not UTF-8, UTF-16, GB18030/GBK or Big5 text (binary or corrupt)")


def _encoding_name(codec: str) -> str:
    c = codec.lower().replace("_", "-")
    return {"gb18030": "gb18030", "gbk": "gbk", "big5": "big5", "big5hkscs": "big5hkscs",
            "cp950": "big5", "utf-16": "utf-16"}.get(c, c)


# ----------------------------------------------------------------------------------------------
# the buffer: clean characters with their raw start/end and a flag
# ----------------------------------------------------------------------------------------------
class _Buf:
    __slots__ = ("s", "idx", "end", "flag")

    def __init__(self, s: str, idx: array, end: array, flag: bytearray):
        self.s, self.idx, self.end, self.flag = s, idx, end, flag

    @classmethod
    def from_raw(cls, raw: str) -> "_Buf":
        n = len(raw)
        return cls(raw, array("q", range(n)), array("q", range(1, n + 1)), bytearray(n))

    def edit(self, edits: list) -> "_Buf":
        """Apply sorted, non-overlapping edits ``(start, end, new_s, new_idx, new_end, new_flag)``;
        ``new_idx``/``new_end``/``new_flag`` are sequences as long as ``new_s``."""
        if not edits:
            return self
        parts: list[str] = []
        idx, end, flag = array("q"), array("q"), bytearray()
        pos = 0
        s = self.s
        for a, b, ns, ni, ne, nf in edits:
            if a > pos:
                parts.append(s[pos:a])
                idx.extend(self.idx[pos:a])
                end.extend(self.end[pos:a])
                flag.extend(self.flag[pos:a])
            if ns:
                parts.append(ns)
                idx.extend(ni)
                end.extend(ne)
                flag.extend(nf)
            pos = b
        if pos < len(s):
            parts.append(s[pos:])
            idx.extend(self.idx[pos:])
            end.extend(self.end[pos:])
            flag.extend(self.flag[pos:])
        return _Buf("".join(parts), idx, end, flag)

    def delete(self, spans) -> "_Buf":
        return self.edit([(a, b, "", (), (), b"") for a, b in spans])

    def replace_chars(self, edits) -> "_Buf":
        """Edits ``(start, end, new_s)``: every new char gets the raw index/end of s[start]
        (..end of s[end-1]) and the flag of s[start]."""
        full = []
        for a, b, ns in edits:
            k = len(ns)
            i, e, f = self.idx[a], self.end[b - 1], self.flag[a]
            full.append((a, b, ns, [i] * k, [e] * k, bytes([f]) * k))
        return self.edit(full)


# ----------------------------------------------------------------------------------------------
# step 0: junk characters
# ----------------------------------------------------------------------------------------------
_RE_JUNK = re.compile("[\ufeff\u200b-\u200d\u2060\u00ad\ue000-\uf8ff\x00-\x08\x0e-\x1f\x7f]|\r(?=\n)")


def _step_junk(buf: _Buf) -> _Buf:
    buf = buf.delete(m.span() for m in _RE_JUNK.finditer(buf.s))
    if "\r" in buf.s:
        buf = _Buf(buf.s.replace("\r", "\n"), buf.idx, buf.end, buf.flag)
    if "\ufffd" in buf.s:
        for m in re.finditer("\ufffd", buf.s):
            buf.flag[m.start()] = _DAMAGED
    return buf


# ----------------------------------------------------------------------------------------------
# step 1: inline pinyin
# ----------------------------------------------------------------------------------------------
_PY_LETTERS = "a-z\u00fc\u0101\u00e1\u01ce\u00e0\u0113\u00e9\u011b\u00e8\u012b\u00ed\u01d0\u00ec" \
              "\u014d\u00f3\u01d2\u00f2\u016b\u00fa\u01d4\u00f9\u01d6\u01d8\u01da\u01dc\u0144\u0148\u01f9"
_RE_ANNOT = re.compile(f"(?<=[{_CJK_IDEO}])[(\uff08]([{_PY_LETTERS}]{{1,7}})[)\uff09]")
_RE_ANNOT_ANY = re.compile(f"[(\uff08]([{_PY_LETTERS}]{{1,7}})[)\uff09]")
_RE_REMNANT = re.compile(f"([{_PY_LETTERS}]{{1,7}})[)\uff09]")
_TONE_BASE = str.maketrans({
    "ā": "a", "á": "a", "ǎ": "a", "à": "a", "ē": "e", "é": "e", "ě": "e", "è": "e",
    "ī": "i", "í": "i", "ǐ": "i", "ì": "i", "ō": "o", "ó": "o", "ǒ": "o", "ò": "o",
    "ū": "u", "ú": "u", "ǔ": "u", "ù": "u", "ǖ": "v", "ǘ": "v", "ǚ": "v", "ǜ": "v", "ü": "v",
    "ń": "n", "ň": "n", "ǹ": "n"})


@lru_cache(maxsize=1)
def _pinyin_syllables() -> frozenset[str]:
    initials = ["", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x",
                "zh", "ch", "sh", "r", "z", "c", "s", "y", "w"]
    finals = ["a", "o", "e", "i", "u", "v", "ai", "ei", "ui", "ao", "ou", "iu", "ie", "ve", "ue",
              "er", "an", "en", "in", "un", "vn", "ang", "eng", "ing", "ong", "ia", "iao", "ian",
              "iang", "iong", "ua", "uo", "uai", "uan", "uang", "ueng", "van", "io", "uen", "iou",
              "uei"]
    out = {i + f for i in initials for f in finals}
    out.update({"m", "n", "ng", "hm", "hng", "ê"})
    return frozenset(out)


def _is_pinyin(word: str) -> bool:
    base = word.translate(_TONE_BASE)
    toned = base != word and "ü" not in word or any(c in word for c in "ǖǘǚǜ")
    if not toned and len(base) < 2:
        return False  # "(a)" after a CJK character is a list label, not pinyin
    return base in _pinyin_syllables()


def _step_pinyin(buf: _Buf) -> _Buf:
    s = buf.s
    if "(" not in s and "\uff08" not in s:
        return buf
    spans = [m.span() for m in _RE_ANNOT.finditer(s) if _is_pinyin(m.group(1))]
    return buf.delete(spans)


# ----------------------------------------------------------------------------------------------
# step 2: GBK-misalignment mojibake
# ----------------------------------------------------------------------------------------------
@dataclass
class MojibakeRun:
    """One damaged run found in the text (before repair)."""
    raw_start: int
    raw_end: int
    original: str           # the run as it stands in the text (pinyin already removed)
    status: str             # "repaired" | "partial" (repaired, some chars unresolved) | "damaged"
    reading: str = ""       # the repaired characters ('?' = unresolved), as written
    unresolved: int = 0


_GMAX = 2          # dropped (undefined) pairs allowed between two visible pairs
_MAX_TOKENS = 60   # visible pairs scanned after the stray '?'
_MAX_ENDS = 6      # candidate terminators tried per run
_RUN_BUDGET = 40000      # search steps per run (the corpus needs < 8000)
_DOC_BUDGET = 400_000    # search steps per document (~1.5 s); later runs are only marked damaged
_CTX = 4           # intact characters of context on either side a vocabulary term may use
# Costs (negative log probabilities) of a reading, a unigram model over the vocabulary: a
# term costs ln(N / count), where count = corpus count + _CACHE_WEIGHT * count in the
# document's own text (a cache model: a plan repeats its own terms); a character outside any
# term costs ln(N / its count) + _COST_SINGLE (most characters are parts of terms, few stand
# alone: without it "务" + "建" would look as likely as "创建"); an unresolved character costs -ln of the total probability of
# the characters with its known byte (it claims nothing more). A reading is certain where
# every reading within _MARGIN of the best one (a likelihood ratio of 4) agrees; where they
# disagree the character stays unresolved.
_CACHE_WEIGHT = 10
_COST_SINGLE = 2.0
_MARGIN = 1.3862943611198906  # ln 4
_KBEST = 4


@lru_cache(maxsize=1)
def _can_hide() -> bytearray:
    """can_hide[t]: some lead byte l makes (t, l) a pair GBK does not define."""
    drop = _droppable()
    tab = bytearray(256)
    for t in range(0x81, 0xFF):
        tab[t] = any(drop[t * 256 + l] for l in range(0x81, 0xFF))
    return tab


@lru_cache(maxsize=1)
def _droppable() -> bytearray:
    """droppable[t*256+l]: GBK does not define the pair (t, l): a misaligned decoder drops it."""
    tab = bytearray(65536)
    for t in range(0x81, 0xFF):
        for l in range(0x81, 0xFF):
            try:
                bytes([t, l]).decode("gbk")
            except UnicodeDecodeError:
                tab[t * 256 + l] = 1
    return tab


def _gbk2(c: str) -> bytes | None:
    """The two GBK bytes of a character (None if it has no 2-byte GBK code)."""
    try:
        b = c.encode("gbk")
    except UnicodeEncodeError:
        return None
    return b if len(b) == 2 else None


def _token_bytes(c: str) -> bytes | None:
    """Bytes of a visible mojibake character; ASCII punctuation/letters are taken as folded
    full-width forms (the crawler turned ； into ;)."""
    o = ord(c)
    if 0x21 <= o <= 0x7E:
        return chr(o + 0xFEE0).encode("gbk")
    if c == "€":
        return None
    return _gbk2(c)


class _Vocab:
    """Vocabulary terms (with their corpus counts) as a byte trie of their GBK forms
    (Simplified and OpenCC Traditional forms)."""

    def __init__(self, terms: list[tuple[str, int]]):
        import math

        self.root: dict = {}
        self.size = 0
        # length-1 entries are character counts (the unigram model of single characters)
        self.chars = {t: c for t, c in terms if len(t) == 1}
        terms = [(t, c) for t, c in terms if len(t) > 1]
        self.terms = {t for t, _c in terms}
        self.max_len = max((len(t) for t in self.terms), default=0)
        self.total = max(1, sum(self.chars.values()), sum(c for _t, c in terms))
        self.log_total = math.log(self.total)
        convs = []
        try:
            import opencc

            convs = [opencc.OpenCC(c) for c in ("s2t", "s2tw")]
        except Exception:  # pragma: no cover
            convs = []
        # mass of the characters by GBK lead / trail byte (Simplified and Traditional forms):
        # the probability of "some character" whose only known byte is that lead / trail
        self.lead_mass = [0.0] * 256
        self.trail_mass = [0.0] * 256
        cl = list(self.chars)
        cvars = [cl] + [v for v in (cv.convert("\n".join(cl)).split("\n") for cv in convs) if len(v) == len(cl)]
        for k, ch in enumerate(cl):
            for f in {var[k] for var in cvars}:
                b = _gbk2(f) if len(f) == 1 else None
                if b:
                    self.lead_mass[b[0]] += self.chars[ch]
                    self.trail_mass[b[1]] += self.chars[ch]
        forms: dict[str, int] = {}
        words = [t for t, _c in terms]
        variants = [words]
        for cv in convs:  # one OpenCC call per converter: the terms joined by line breaks
            conv = cv.convert("\n".join(words)).split("\n")
            if len(conv) == len(words):
                variants.append(conv)
        for k, (_t, c) in enumerate(terms):
            for var in variants:
                f = var[k]
                forms[f] = max(forms.get(f, 0), c)
        # punctuation may fill hidden bytes like a term (、 in 化、“ often straddles a vanished
        # pair); as a lone character it pays the lone-character cost (count / e**_COST_SINGLE)
        import math as _m

        for ch, c in self.chars.items():
            if not _is_cjk(ch) and _gbk2(ch) and ch not in forms:
                forms[ch] = max(1, int(c / _m.exp(_COST_SINGLE)))
        for f, c in forms.items():
            try:
                b = f.encode("gbk")
            except UnicodeEncodeError:
                continue
            if len(b) != 2 * len(f) or (len(f) < 2 and _is_cjk(f)):
                continue
            node = self.root
            for x in b:
                node = node.setdefault(x, {})
            node.setdefault(-1, []).append((f, c))
            self.size += 1


    def covers(self, text: str, i: int) -> bool:
        """Is text[i] inside an occurrence of a (Simplified) vocabulary term?"""
        for a in range(max(0, i - self.max_len + 1), i + 1):
            for b in range(i + 1, min(len(text), a + self.max_len) + 1):
                if b - a >= 2 and text[a:b] in self.terms:
                    return True
        return False


@lru_cache(maxsize=4)
def _load_vocab(path: str) -> _Vocab:
    terms = []
    p = Path(path)
    if p.exists():
        for line in p.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cols = line.split("\t")
            term = cols[0].strip()
            count = int(cols[1]) if len(cols) > 1 and cols[1].strip().isdigit() else 3
            if term:
                terms.append((term, count))
    return _Vocab(terms)


class _Solver:
    """Searches readings of one run. Tokens are byte constraints on the original GBK bytes:
    ("K", byte) a known byte, ("A", None) an unknown lead/trail byte, ("G", None) 0..GMAX
    dropped pairs. Each token has the text position it came from, a region (0 left context,
    1 run, 2 right context) and whether a character starts there (context characters)."""

    def __init__(self, toks, vocab: _Vocab, doc_count=None):
        self.kind = [t[0] for t in toks]
        self.val = [t[1] for t in toks]
        self.region = [t[3] for t in toks]
        self.starts = [t[4] for t in toks]
        self.n = len(toks)
        self.vocab = vocab
        self.doc_count = doc_count
        self.drop = _droppable()
        self.hide = _can_hide()
        self.memo: dict = {}
        self.budget = _RUN_BUDGET  # work units, so that no input can make the search explode
        self.exhausted = False

    def closure(self, st):
        ti, pend, g = st
        out = [st]
        while pend is None and ti < self.n and self.kind[ti] == "G":
            ti += 1
            out.append((ti, None, 0))
        return out

    def step(self, st, byte):
        """Next states after one byte (byte -1 = wildcard of a placeholder char):
        list of (state, token index, token kind)."""
        ti, pend, g = st
        if pend is not None:
            if byte >= 0x81 and byte <= 0xFE and self.drop[pend * 256 + byte]:
                return [((ti, None, g + 1), ti, "G")]
            return []
        if ti >= self.n:
            return []
        k = self.kind[ti]
        if k == "K":
            if byte == -1 or byte == self.val[ti]:
                return [((ti + 1, None, 0), ti, "K")]
            return []
        if k == "A":
            if byte == -1 or 0x81 <= byte <= 0xFE:
                return [((ti + 1, None, 0), ti, "A")]
            return []
        if byte != -1 and g < _GMAX and self.hide[byte]:
            return [((ti, byte, g), ti, "G")]
        return []

    # -- options from a state at a character boundary --------------------------------------
    def words(self, st):
        """(form, [(t_first, t_last, in_run) per char], end state) of vocabulary terms."""
        out = []
        stack = [(self.vocab.root, st, 0, [], -1)]
        while stack:
            self.budget -= 1
            if self.budget < 0:
                self.exhausted = True
                break
            node, cur, depth, meta, tfirst = stack.pop()
            if depth and depth % 2 == 0 and -1 in node:
                for form, count in node[-1]:
                    out.append((form, count, meta, cur))
            for s in self.closure(cur):
                ti, pend, g = s
                if pend is None and ti < self.n and self.kind[ti] == "K":
                    items = [(self.val[ti], node.get(self.val[ti]))]
                elif pend is None and ti < self.n and self.kind[ti] == "G":
                    hide = self.hide
                    if g >= _GMAX:
                        continue
                    items = [(b, ch) for b, ch in node.items() if b != -1 and hide[b]]
                elif pend is not None:
                    row = pend * 256
                    drop = self.drop
                    items = [(b, ch) for b, ch in node.items() if b != -1 and drop[row + b]]
                else:
                    items = [(b, ch) for b, ch in node.items() if b != -1]
                for b, child in items:
                    if child is None:
                        continue
                    for ns, t, k in self.step(s, b):
                        if depth % 2 == 1:
                            if self.starts[t]:
                                continue
                            run = self.region[t] == 1 or self.region[tfirst] == 1 or k == "G"
                            stack.append((child, ns, depth + 1, meta + [(tfirst, t, run)], -1))
                        else:
                            if self.region[t] != 1 and not self.starts[t]:
                                continue
                            stack.append((child, ns, depth + 1, meta, t))
        return out

    def chars(self, st, wildcard: bool):
        """Determined characters (both bytes known) or placeholder characters (wildcard)."""
        out = []
        for s in self.closure(st):
            for s1, t1, k1 in self.step(s, -1):
                if k1 == "G":
                    continue
                for s1c in self.closure(s1):
                    for s2, t2, k2 in self.step(s1c, -1):
                        if k2 == "G" or self.starts[t2]:
                            continue
                        if wildcard:
                            if "A" not in (k1, k2) or self.region[t1] != 1 and self.region[t2] != 1:
                                continue
                            out.append(("?", t1, t2, s2))
                        else:
                            if k1 != "K" or k2 != "K":
                                continue
                            if self.region[t1] != 1 and not self.starts[t1]:
                                continue
                            try:
                                c = bytes([self.val[t1], self.val[t2]]).decode("gbk")
                            except UnicodeDecodeError:
                                continue
                            out.append((c, t1, t2, s2))
        return out

    def solve(self, st):
        """Up to ``_KBEST`` cheapest distinct completions from state ``st``:
        list of (cost, reading), reading = tuple of (char, kind, t_first, t_last) of run chars;
        kind "v" vocabulary, "d" determined (both bytes known), "p" placeholder."""
        if st in self.memo:
            return self.memo[st]
        self.memo[st] = None
        self.budget -= 1
        if self.budget < 0:
            self.exhausted = True
            return None
        cands = []  # (cost, reading)
        for s in self.closure(st):
            if s == (self.n, None, 0):
                cands.append((0.0, ()))
        for form, count, meta, end in self.words(st):
            sub = self.solve(end)
            if not sub:
                continue
            c = self.word_cost(form, count)
            head = tuple((form[i], "v", m[0], m[1]) for i, m in enumerate(meta) if m[2])
            for sc, r in sub:
                cands.append((c + sc, head + r))
        for ch, t1, t2, end in self.chars(st, wildcard=False):
            run = self.region[t1] == 1 or self.region[t2] == 1
            if run and not _is_common(ch):
                continue
            sub = self.solve(end)
            if not sub:
                continue
            c = self.char_cost(ch)
            for sc, r in sub:
                cands.append((c + sc, (((ch, "d", t1, t2),) + r) if run else r))
        for ch, t1, t2, end in self.chars(st, wildcard=True):
            sub = self.solve(end)
            if not sub:
                continue
            c = self.placeholder_cost(t1, t2)
            for sc, r in sub:
                cands.append((c + sc, (("?", "p", t1, t2),) + r))
        cands.sort(key=lambda x: x[0])
        best: dict = {}
        for sc, r in cands:
            key = "".join(ch for ch, *_ in r)
            if key not in best:
                best[key] = (sc, r)
                if len(best) >= _KBEST:
                    break
        res = list(best.values())
        self.memo[st] = res
        return res

    def placeholder_cost(self, t1: int, t2: int) -> float:
        """-ln P(some character with the known byte): an unresolved character claims only that."""
        import math

        if self.kind[t1] == "K":
            mass = self.vocab.lead_mass[self.val[t1]]
        elif self.kind[t2] == "K":
            mass = self.vocab.trail_mass[self.val[t2]]
        else:
            return 0.0
        return max(0.0, self.vocab.log_total - math.log(mass + 0.5)) + _COST_SINGLE

    def char_cost(self, ch: str) -> float:
        import math

        n = self.vocab.chars.get(ch)
        if n is None:
            n = self.vocab.chars.get(_t2s_char(ch), 0)
        return self.vocab.log_total - math.log(n + 0.5) + _COST_SINGLE

    def word_cost(self, form: str, count: int) -> float:
        import math

        local = self.doc_count(form) if self.doc_count and len(form) > 1 else 0
        return self.vocab.log_total - math.log(count + _CACHE_WEIGHT * local)


def _scan_run(s: str, p: int, limit: int):
    """Parse the run that starts with the stray '?' at ``p``: (tokens, ends, phantom_end).
    tokens: [(pos, bytes)], ends: [(kind, pos, run_end)] candidate terminators."""
    n = len(s)
    q = p + 1
    m = _RE_REMNANT.match(s, q)
    phantom = False
    if m and m.end() < n and 0x40 <= ord(s[m.end()]) <= 0x7E and _is_pinyin(m.group(1)):
        q = m.end()  # "?yún)^": a pinyin annotation inserted into the misaligned bytes
        phantom = True
    toks: list[tuple[int, bytes]] = []
    ends: list[tuple[str, int, int]] = []
    i = q
    while i < min(n, limit) and len(toks) <= _MAX_TOKENS:
        c = s[i]
        o = ord(c)
        if c == "?":
            e = i + 1
            m = _RE_REMNANT.match(s, e)
            if m and _is_pinyin(m.group(1)):
                ends.append(("badpair+", i, m.end()))
            else:
                ends.append(("badpair", i, e))
            break
        if c == "€":
            ends.append(("euro", i, i + 1))
            break
        if c.isspace() or c in ",.()":
            break  # aligned text: whitespace and ordinary punctuation end the scan
        if 0x40 <= o <= 0x7E and len(ends) < _MAX_ENDS:
            e = i + 1
            m = _RE_ANNOT_ANY.match(s, e)
            if m and _is_pinyin(m.group(1)):
                e = m.end()  # the annotation of the character whose trail byte this is
            ends.append(("ascii", i, e))
        b = _token_bytes(c)
        if b is None:
            break
        toks.append((i, b))
        i += 1
    return toks, ends, phantom


def _mojibake_evidence(s: str, p: int, toks, end, phantom: bool) -> bool:
    kind, epos, _ = end
    body = [s[pos] for pos, _b in toks if pos < epos]
    if phantom or kind in ("badpair+", "euro"):
        return True  # a swallowed "(" of a pinyin annotation, or 0x80 shown as €
    if any(0x21 <= ord(c) <= 0x3F for c in body):
        return True
    if kind == "ascii" and body and _is_cjk_or_punct(s[epos - 1]) and \
            (epos + 1 >= len(s) or _is_cjk_or_punct(s[epos + 1]) or s[epos + 1] in "(（"):
        return True  # a lone Latin letter/symbol between CJK characters: a trail byte
    return any(not _is_common(c) for c in body if ord(c) > 0x7F)


def _step_mojibake(buf: _Buf, runs_out: list, vocab_path: str | None = None) -> _Buf:
    s = buf.s
    if "?" not in s:
        return buf
    edits = []
    busy_until = 0
    vocab = None
    spent = [0]
    for m in re.finditer(r"\?", s):
        p = m.start()
        if p < busy_until:
            continue
        prev = s[p - 1] if p else "\n"
        if not (prev == "\n" or _is_cjk_or_punct(prev)):
            continue
        line_end = s.find("\n", p, p + 200)
        if line_end < 0:
            line_end = min(len(s), p + 200)
        toks, ends, phantom = _scan_run(s, p, line_end)
        if not ends:
            # no terminator: a long run that never fell back into step (no ASCII in it). Mark
            # it when it plainly is mojibake (punctuation tokens or rare characters in it)
            body = "".join(s[pos] for pos, _b in toks)
            if len(body) >= 3 and sum(1 for c in body if 0x21 <= ord(c) <= 0x7E or not _is_common(c)) >= 2:
                run_end = toks[-1][0] + 1
                edits.append((p, run_end, None))
                runs_out.append(MojibakeRun(buf.idx[p], buf.end[run_end - 1], s[p:run_end], "damaged"))
                busy_until = run_end
            continue
        if vocab is None:
            vocab = _load_vocab(vocab_path or str(VOCAB_FILE))
            counts: dict[str, int] = {}

            def doc_count(form: str, _s=s[:300000], _c=counts) -> int:
                n = _c.get(form)
                if n is None:
                    n = _c[form] = _s.count(form)
                return n
        results = []
        for end in ends:  # noqa: B007
            if spent[0] > _DOC_BUDGET:
                break  # a document full of '?': stop repairing, still mark
            res = _repair(s, buf, p, toks, end, phantom, vocab, busy_until, doc_count, spent)
            if res is not None:
                unresolved = sum(1 for ch in res[2] if ch[1] in ("p", "x", "u"))
                # the longest explanation first: a letter inside the run may be a folded
                # full-width form (。完 -> a3 cd -> Ｍ -> M), not the terminator
                results.append((-end[2], unresolved, res, end))
        evidence = [e for e in ends if _mojibake_evidence(s, p, toks, e, phantom)]
        if results:
            results.sort(key=lambda x: (x[0], x[1]))
            score, _neg, (sc, reading, new_chars, run_end), end = results[0]
            if not evidence and sum(1 for ch in new_chars if ch[1] == "v") < 2:
                continue  # an ordinary '?' followed by text that happens to decode
            edits.append((p, run_end, new_chars))
            unresolved = sum(1 for ch in new_chars if ch[1] in ("p", "x", "u"))
            runs_out.append(MojibakeRun(buf.idx[p], buf.end[run_end - 1], s[p:run_end],
                                        "partial" if unresolved else "repaired",
                                        "".join(ch[0] for ch in new_chars), unresolved))
            busy_until = run_end
            continue
        if not evidence:
            continue
        # unrepaired: mark the run (through the first plausible terminator) as damaged
        end = evidence[0]
        run_end = end[2]
        edits.append((p, run_end, None))
        runs_out.append(MojibakeRun(buf.idx[p], buf.end[run_end - 1], s[p:run_end], "damaged"))
        busy_until = run_end
    full = []
    for p, e, new_chars in edits:
        if new_chars is None:
            k = e - p
            full.append((p, e, s[p:e], buf.idx[p:e], buf.end[p:e], bytes([_DAMAGED]) * k))
            continue
        ns = "".join(ch[0] for ch in new_chars)
        ni = [ch[2] for ch in new_chars]
        ne = [ch[3] for ch in new_chars]
        nf = bytes(_DAMAGED if ch[1] in ("p", "x", "u") else _REPAIRED for ch in new_chars)
        full.append((p, e, ns, ni, ne, nf))
    return buf.edit(full)


def _repair(s: str, buf: _Buf, p: int, toks, end, phantom: bool, vocab: _Vocab, busy_until: int,
            doc_count=None, spent=None):
    """Try one terminator: ((score), reading, [(char, kind, raw_idx, raw_end)], run_end) or None."""
    kind, epos, run_end = end
    body = [(pos, b) for pos, b in toks if pos < epos]
    line_start = s.rfind("\n", max(0, p - _CTX - 1), p) + 1
    # left context: intact 2-byte GBK characters on the same line
    lctx = []
    j = p - 1
    while j >= max(line_start, busy_until) and len(lctx) < _CTX:
        b = _gbk2(s[j])
        if b is None or buf.flag[j] != _OK or not _is_cjk(s[j]):
            break
        lctx.append((j, b))
        j -= 1
    lctx.reverse()
    rctx = []
    if kind != "badpair":
        j = run_end
        while j < len(s) and len(rctx) < _CTX:
            c = s[j]
            b = _gbk2(c)
            if b is None or c == "?" or buf.flag[j] != _OK or not _is_cjk(c):
                break
            rctx.append((j, b))
            j += 1
    toks_nfa = []  # (kind, val, pos, region, starts)
    for pos, b in lctx:
        toks_nfa.append(("K", b[0], pos, 0, True))
        toks_nfa.append(("K", b[1], pos, 0, False))
    toks_nfa.append(("A", None, p, 1, True))
    first_pos = body[0][0] if body else epos
    if not phantom:
        # (with a phantom annotation "?yún)^" the annotation was inserted between the lead and
        # the trail byte of the first character: nothing can be hidden between them)
        toks_nfa.append(("G", None, first_pos, 1, False))
    for k, (pos, b) in enumerate(body):
        toks_nfa.append(("K", b[0], pos, 1, False))
        toks_nfa.append(("K", b[1], pos, 1, False))
        nxt = body[k + 1][0] if k + 1 < len(body) else epos
        toks_nfa.append(("G", None, nxt, 1, False))
    if kind in ("badpair", "badpair+"):
        toks_nfa.append(("A", None, epos, 1, False))
    elif kind == "ascii":
        toks_nfa.append(("K", ord(s[epos]), epos, 1, False))
    else:
        toks_nfa.append(("K", 0x80, epos, 1, False))
    for pos, b in rctx:
        toks_nfa.append(("K", b[0], pos, 2, True))
        toks_nfa.append(("K", b[1], pos, 2, False))
    solver = _Solver(toks_nfa, vocab, doc_count)
    res = solver.solve((0, None, 0))
    if spent is not None:
        spent[0] += _RUN_BUDGET - solver.budget
    if solver.exhausted or not res:
        return None
    best_cost = res[0][0]
    close = [r for c, r in res if c <= best_cost + _MARGIN]
    # readings that differ only in Traditional/Simplified forms (務/务) are the same reading:
    # keep the form that matches the script of the context
    ctx_trad = any(_t2s_char(s[pos]) != s[pos] for pos, _b in lctx + rctx)
    best = min((r for r in close if _t2s_line("".join(x[0] for x in r))
                == _t2s_line("".join(x[0] for x in close[0]))),
               key=lambda r: -sum(1 for x in r if (_t2s_char(x[0]) != x[0]) == ctx_trad))
    if any(len(r) != len(best) for r in close):
        return None  # readings of different lengths are equally likely: nothing is certain
    reading = []
    for i, (ch, k, t1, t2) in enumerate(best):
        if any(_t2s_char(r[i][0]) != _t2s_char(ch) for r in close):
            ch, k = "?", "p"  # the likely readings disagree here
        reading.append((ch, k, t1, t2))
    score = best_cost
    if not reading or all(k == "p" for _c, k, _a, _b in reading):
        return None
    # map every repaired char to raw indices (monotone)
    chars = []
    last_raw_end = buf.end[run_end - 1]
    prev_i = buf.idx[p]
    for ch, k, t1, t2 in reading:
        pos1, pos2 = toks_nfa[t1][2], toks_nfa[t2][2]
        i = max(prev_i, buf.idx[pos1])
        e = max(i + 1, buf.end[pos2])
        chars.append([ch, k, i, e])
        prev_i = i
    for c in range(len(chars) - 1):
        chars[c][3] = min(chars[c][3], chars[c + 1][3])
    simp = _t2s_line("".join(s[pos] for pos, _b in lctx) + "".join(c[0] for c in chars)
                     + "".join(s[pos] for pos, _b in rctx))
    off = len(lctx)
    for k, c in enumerate(chars):
        if c[1] == "d" and _is_cjk(c[0]) and not vocab.covers(simp, off + k):
            # both bytes are known, but an undefined pair may have vanished right here and no
            # vocabulary term confirms this character: keep it as the best guess, unreliable
            c[1] = "u"
    chars[-1][3] = last_raw_end
    if kind == "badpair":
        # the decoder swallowed one ASCII character after the last char: unknown, kept as '?'
        chars.append(["?", "x", buf.idx[epos], last_raw_end])
    return score, "".join(c[0] for c in chars), [tuple(c) for c in chars], run_end


# ----------------------------------------------------------------------------------------------
# step 3: chrome and spam lines
# ----------------------------------------------------------------------------------------------
@lru_cache(maxsize=4)
def _chrome_rules(path: str):
    rules = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 3 or cols[0] not in ("keep", "drop"):
            raise ValueError(f"{path}:{n}: expected 'keep|drop<TAB>maxlen<TAB>regex<TAB>comment'")
        rules.append((cols[0], int(cols[1] or 0), re.compile(cols[2])))
    return rules


_RE_WS_ALL = re.compile(r"[\s\u00a0\u3000\u2000-\u200b\u202f\u205f]+")


def _line_key(line: str) -> str:
    key = _RE_WS_ALL.sub("", line)
    key = key.translate(_FW_TABLE)
    return _t2s_line(key)


def chrome_line(line: str, path: str | None = None) -> bool:
    """Is this (pinyin-free) line site chrome or spam? (exposed for tests and tools)"""
    key = _line_key(line)
    if not key:
        return False
    rules = _chrome_rules(path or str(CHROME_FILE))
    for kind, maxlen, rx in rules:
        if kind == "keep" and (not maxlen or len(key) <= maxlen) and rx.search(key):
            return False
    for kind, maxlen, rx in rules:
        if kind == "drop" and (not maxlen or len(key) <= maxlen) and rx.search(key):
            return True
    return False


def _step_chrome(buf: _Buf) -> _Buf:
    s = buf.s
    spans = []
    start = 0
    n = len(s)
    while start <= n:
        nl = s.find("\n", start)
        end = n if nl < 0 else nl
        if end - start <= 400:  # chrome lines are short; long paragraphs are never chrome
            line = s[start:end]
            if line.strip() and chrome_line(line):
                if nl >= 0:
                    spans.append((start, nl + 1))
                elif start > 0:
                    spans.append((start - 1, end))
                else:
                    spans.append((start, end))
        if nl < 0:
            break
        start = nl + 1
    # (a dropped last line takes the preceding line break: spans may overlap)
    return buf.delete(_merge(spans))


def _merge(spans) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if a >= b:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


# ----------------------------------------------------------------------------------------------
# step 4: whitespace
# ----------------------------------------------------------------------------------------------
_SPACE_TABLE = {c: " " for c in [0x09, 0x0B, 0x0C, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F,
                                 0x3000, *range(0x2000, 0x200B)]}
_RE_EDGE_SPACES = re.compile(r"^ +| +$", re.M)
_RE_INNER_SPACES = re.compile(r" {1,}")
_RE_BLANKS = re.compile(r"\n{3,}")


_RE_ODD_SPACE = re.compile("[\t\x0b\x0c\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


def _step_whitespace(buf: _Buf) -> _Buf:
    if _RE_ODD_SPACE.search(buf.s):
        buf = _Buf(buf.s.translate(_SPACE_TABLE), buf.idx, buf.end, buf.flag)
    buf = buf.delete(m.span() for m in _RE_EDGE_SPACES.finditer(buf.s))
    s = buf.s
    spans = []
    for m in _RE_INNER_SPACES.finditer(s):
        a, b = m.span()
        if a > 0 and b < len(s) and _is_cjk_or_punct(s[a - 1]) and _is_cjk_or_punct(s[b]):
            spans.append((a, b))
        elif b - a > 1:
            spans.append((a + 1, b))
    buf = buf.delete(spans)
    s = buf.s
    spans = [(m.start() + 2, m.end()) for m in _RE_BLANKS.finditer(s)]
    lead = len(s) - len(s.lstrip("\n"))
    if lead:
        spans.insert(0, (0, lead))
    trail = len(s) - len(s.rstrip("\n"))
    if trail and trail < len(s):
        spans.append((len(s) - trail, len(s)))
    return buf.delete(_merge(spans))


# ----------------------------------------------------------------------------------------------
# step 5: width and compatibility forms
# ----------------------------------------------------------------------------------------------
_FW_TABLE = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_RE_COMPAT = re.compile("[\uff5f-\uffee\u3220-\u3243\u2474-\u24b5\u2160-\u2188\uf900-\ufaff\u2f00-\u2fd5]")


_RE_FW = re.compile("[\uff01-\uff5e]")


def _step_width(buf: _Buf) -> _Buf:
    if _RE_FW.search(buf.s):
        buf = _Buf(buf.s.translate(_FW_TABLE), buf.idx, buf.end, buf.flag)
    edits = []
    for m in _RE_COMPAT.finditer(buf.s):
        c = m.group()
        r = unicodedata.normalize("NFKC", c)
        if r != c and r:
            edits.append((m.start(), m.end(), r))
    if not edits:
        return buf
    return buf.replace_chars(edits)


# ----------------------------------------------------------------------------------------------
# step 6: Traditional -> Simplified
# ----------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _opencc():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _t2s_supplement() -> dict[int, str]:
    table = {}
    if T2S_SUPPLEMENT_FILE.exists():
        for line in T2S_SUPPLEMENT_FILE.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) >= 2 and len(cols[0]) == 1 and len(cols[1]) == 1:
                table[ord(cols[0])] = cols[1]
    return table


@lru_cache(maxsize=65536)
def _t2s_char(c: str) -> str:
    r = _opencc().convert(c)
    if len(r) != 1:
        r = c
    return r.translate(_t2s_supplement())


def _t2s_line(line: str) -> str:
    if not line:
        return line
    r = _opencc().convert(line)
    if len(r) != len(line):
        # OpenCC changed the length (a phrase rule): convert character by character instead
        table = {c: _t2s_char(c) for c in set(line)}
        r = "".join(table[c] for c in line)
    sup = _t2s_supplement()
    if sup and _re_supplement().search(r):
        r = r.translate(sup)
    return r


@lru_cache(maxsize=1)
def _re_supplement():
    keys = "".join(chr(k) for k in _t2s_supplement())
    return re.compile(f"[{re.escape(keys)}]" if keys else "(?!)")


def _t2s_text(text: str) -> str:
    return "\n".join(_t2s_line(line) for line in text.split("\n"))


def to_simplified(text: str) -> str:
    """Traditional -> Simplified, character for character (same length), as the pipeline does."""
    return _t2s_text(text)


# ----------------------------------------------------------------------------------------------
# the result
# ----------------------------------------------------------------------------------------------
def _spans_of(flag: bytearray, value: int) -> list[tuple[int, int]]:
    out = []
    v = bytes([value])
    i = flag.find(v)
    while i >= 0:
        j = i
        n = len(flag)
        while j < n and flag[j] == value:
            j += 1
        out.append((i, j))
        i = flag.find(v, j)
    return out


@dataclass
class Normalized:
    raw: str              # decoded original text (what offsets refer to)
    text: str             # clean, Simplified text used by the extractors
    written: str          # clean text before Traditional->Simplified (aligned with text)
    offsets: list[int]    # len(text)+1: raw index of each clean char; last = end of last char
    damaged: list[tuple[int, int]]   # clean spans of unrepaired mojibake: do not extract
    repaired: list[tuple[int, int]]  # clean spans that were repaired mojibake
    encoding: str = "utf-8"
    ends: list[int] = field(default_factory=list, repr=False)  # raw end (excl.) of each clean char
    mojibake_runs: list[MojibakeRun] = field(default_factory=list, repr=False)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw ``[s, e)`` of the clean span ``[start, end)``; ``raw[s:e]`` is the exact source
        text of the span (a trailing pinyin annotation of the last char is not included)."""
        if not (0 <= start <= end <= len(self.text)):
            raise IndexError(f"clean span [{start}, {end}) outside [0, {len(self.text)}]")
        s = self.offsets[start]
        if end == start:
            return s, s
        return s, max(s, self.ends[end - 1])

    def is_damaged(self, start: int, end: int) -> bool:
        """Does the clean span ``[start, end)`` touch unrepaired mojibake?"""
        if not self.damaged:
            return False
        if end <= start:
            end = start + 1
        k = bisect.bisect_right(self.damaged, (start, float("inf"))) - 1
        for a, b in self.damaged[max(k, 0):]:
            if a >= end:
                break
            if b > start and a < end:
                return True
        return False

    def clean_span(self, raw_start: int, raw_end: int) -> tuple[int, int]:
        """The smallest clean span whose raw material lies in ``[raw_start, raw_end)``."""
        a = bisect.bisect_left(self.offsets, raw_start, 0, len(self.text))
        b = bisect.bisect_left(self.offsets, raw_end, a, len(self.text))
        return a, b


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


# ----------------------------------------------------------------------------------------------
# the vocabulary used by the repair
# ----------------------------------------------------------------------------------------------
_FUNCTION_CHARS = set("的和与及等在是了对为把将或并以于由从向按之其各有要")


def build_vocabulary(texts: list[Normalized], min_count: int = 3, max_len: int = 6,
                     ratio: float = 0.8) -> list[tuple[str, int]]:
    """Frequent CJK n-grams (2..max_len) of clean texts, outside damaged/repaired spans; an
    n-gram is dropped when a one-longer n-gram containing it has at least ``ratio`` of its
    count (it is then only a piece of the longer term)."""
    from collections import Counter

    cnt: Counter = Counter()
    for n in texts:
        chars = list(n.text)
        for a, b in n.damaged + n.repaired:
            for i in range(a, b):
                chars[i] = "\n"
        joined = "".join(chars)
        for ch in joined:
            if ord(ch) > 0x7F and not ch.isspace():
                cnt[ch] += 1
        for run in re.findall(f"[{_CJK_IDEO}]+", joined):
            for k in range(2, max_len + 2):
                for i in range(len(run) - k + 1):
                    cnt[run[i:i + k]] += 1
    for g in [g for g in cnt if len(g) > 1 and (g[0] in _FUNCTION_CHARS or g[-1] in _FUNCTION_CHARS)]:
        del cnt[g]  # "和社会", "就业的": not terms, they would only make fills look plausible
    sup: dict[str, int] = {}
    for g, c in cnt.items():
        if len(g) >= 3:
            for sub in (g[1:], g[:-1]):
                if c > sup.get(sub, 0):
                    sup[sub] = c
    words = sorted(((g, c) for g, c in cnt.items()
                    if len(g) > 1 and c >= min_count and len(g) <= max_len and sup.get(g, 0) < ratio * c),
                   key=lambda gc: (-gc[1], gc[0]))
    chars = sorted(((g, c) for g, c in cnt.items() if len(g) == 1), key=lambda gc: (-gc[1], gc[0]))
    return words + chars


def _main(argv: list[str]) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m extract.normalize")
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build-vocab", help="print the repair vocabulary built from clean texts")
    b.add_argument("files", nargs="+")
    b.add_argument("--min-count", type=int, default=3)
    r = sub.add_parser("report", help="print the mojibake report of files")
    r.add_argument("files", nargs="+")
    args = ap.parse_args(argv)
    norms = [normalize_bytes(Path(f).read_bytes()) for f in args.files]
    if args.cmd == "build-vocab":
        print("# Domain vocabulary for the mojibake repair of extract/normalize.py (Simplified;")
        print("# matched in Simplified and OpenCC Traditional forms). Built from the clean text of")
        print("# the bundled corpus, outside damaged/repaired spans, by")
        print("#   python -m extract.normalize build-vocab data/corpus/*.txt > extract/data/mojibake_vocab.txt")
        print(f"# CJK n-grams of 2-6 characters seen >= {args.min_count} times, minus pieces of longer terms;")
        print("# then every single character with its count (the model of characters outside terms).")
        print("# Format: term<TAB>count")
        for t, c in build_vocabulary(norms, min_count=args.min_count):
            print(f"{t}\t{c}")
    else:
        for f, n in zip(args.files, norms):
            print(f, mojibake_report(n))
            for run in n.mojibake_runs:
                print(f"  {run.status:9s} raw[{run.raw_start}:{run.raw_end}] {run.original!r} -> {run.reading!r}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(_main(sys.argv[1:]))
