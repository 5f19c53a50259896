"""Parent plans: the plans the text says it is based on (根据/依据/贯彻落实《…》)."""
from __future__ import annotations

import re

from .header import PLAN_WORDS, TITLE_END
from .model import CitedPlan

CITED = re.compile(r"《(?P<t>[^《》\n]{2,100})》")
IMPLEMENT_TRIGGER = re.compile(r"(?:根据|依据|依照|贯彻落实|贯彻|落实)")
SELF_REFERENCE = re.compile(r"(?:本规划|本方案|本计划|本纲要|如下实施方案|如下方案|制定本|编制)")


def find_implements(text: str, hdr_end: int) -> list[CitedPlan]:
    """Parent plans the text says it is based on: 根据/依据/贯彻落实《…》 in the preamble
    (before the body's first heading) or in a sentence about this plan (本规划依据…编制)."""
    out: list[CitedPlan] = []
    seen = set()
    for sent in re.finditer(r"[^。\n]+", text):
        s, e = sent.span()
        body = sent.group(0)
        if s >= hdr_end and not SELF_REFERENCE.search(body):
            continue
        trig = IMPLEMENT_TRIGGER.search(body)
        if not trig:
            continue
        # the run of 《》 titles that follows the trigger, allowing short connectors
        pos = s + trig.end()
        for m in CITED.finditer(text, pos, e):
            gap = text[pos:m.start()]
            if len(gap) > 16 or any(c in gap for c in ",;"):
                break
            title = m.group("t")
            inner = re.search(rf"关于(?:印发|转发)[<《]?(.+?(?:{PLAN_WORDS}))[>》]?的通知", title)
            t_span = m.span("t")
            if inner:
                t_span = (m.start("t") + inner.start(1), m.start("t") + inner.end(1))
                title = inner.group(1)
            if TITLE_END.search(title) and title not in seen:
                seen.add(title)
                out.append(CitedPlan(title, t_span, national="国家" in gap[-4:]))
            pos = m.end()
    return out
