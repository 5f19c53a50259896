"""Step 5: width and compatibility forms: full-width ASCII → ASCII, other compatibility forms by
NFKC, every produced character mapped to the same raw index."""
from __future__ import annotations

import re
import unicodedata

from .offsets import _Buf

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
