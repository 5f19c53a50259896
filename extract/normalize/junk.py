"""Step 0: junk characters (BOM, zero-width chars, soft hyphen, private-use glyphs, C0 controls)
removed; CR LF and lone CR become LF; U+FFFD is marked damaged."""
from __future__ import annotations

import re

from .offsets import _DAMAGED, _Buf

_RE_JUNK = re.compile("[\ufeff\u200b-\u200d\u2060\u00ad\ue000-\uf8ff\x00-\x08\x0e-\x1f\x7f]|\r(?=\n)")


def _step_junk(buf: _Buf) -> _Buf:
    buf = buf.delete(m.span() for m in _RE_JUNK.finditer(buf.s))
    if "\r" in buf.s:
        buf = _Buf(buf.s.replace("\r", "\n"), buf.idx, buf.end, buf.flag)
    if "\ufffd" in buf.s:
        for m in re.finditer("\ufffd", buf.s):
            buf.flag[m.start()] = _DAMAGED
    return buf
