"""Step 2: GBK-misalignment mojibake found, repaired where the bytes and the domain vocabulary
make the reading certain, otherwise marked damaged (see the package docstring, *Mojibake*)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .chars import _is_cjk, _is_cjk_or_punct, _is_common
from .gbk import _gbk2, _token_bytes
from .mojibake_solver import _MARGIN, _RUN_BUDGET, _Solver
from .mojibake_vocab import VOCAB_FILE, _load_vocab, _Vocab
from .offsets import _DAMAGED, _OK, _REPAIRED, _Buf
from .pinyin import _RE_ANNOT_ANY, _RE_REMNANT, _is_pinyin
from .simplify import _t2s_char, _t2s_line


@dataclass
class MojibakeRun:
    """One damaged run found in the text (before repair)."""
    raw_start: int
    raw_end: int
    original: str           # the run as it stands in the text (pinyin already removed)
    status: str             # "repaired" | "partial" (repaired, some chars unresolved) | "damaged"
    reading: str = ""       # the repaired characters ('?' = unresolved), as written
    unresolved: int = 0


_MAX_TOKENS = 60   # visible pairs scanned after the stray '?'
_MAX_ENDS = 6      # candidate terminators tried per run
_DOC_BUDGET = 400_000    # search steps per document (~1.5 s); later runs are only marked damaged
_CTX = 4           # intact characters of context on either side a vocabulary term may use


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
