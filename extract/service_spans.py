"""The service a guarantee names: canonical services found in text and the trimming of a
service span to the service as written (相应的就业服务 → 就业服务, 参保能力 → 参保)."""
from __future__ import annotations

import re
from functools import lru_cache

from .guarantee_vocab import ServiceVocabulary, word_lists


def services_in(text: str) -> list[tuple[int, int, str]]:
    """Canonical services named in ``text``: (start, end, key), leftmost-longest."""
    return ServiceVocabulary.load().match(text)


_SVC_TRIM_END = re.compile(r"(?:的能力|能力|工作|机制|力度|水平|覆盖范围|覆盖面|范围|比例|需求|权益|问题|"
                           r"行动|建设|等重大公共卫生专项|标准调整机制|的基础上|\d[\d.]*(?:万|亿)?元)+$")
_SVC_TRIM_START = re.compile(r"^(?:相应的|相应|各类|各项|必要的|有针对性的|适宜的|与[^的]{1,14}的|包括[^的]{1,20}在内的|"
                             r"参加|接受|享受|享有|获得|平等接受|发放|投入|了)")


_SECOND_VERB = re.compile(r"(?:工作)?(?:提供|给予|予以)(?:补助|资金|补贴|经费|支持)")


def service_span(text: str, s: int, e: int) -> tuple[int, int]:
    """``text[s:e]`` trimmed to the service as written."""
    while s < e and text[s] in " ,，、的":
        s += 1
    m = _SVC_TRIM_START.match(text, s, e)
    if m and m.end() < e - 1:
        s = m.end()
    m = _SECOND_VERB.search(text, s + 2, e)  # 对X开展听力干预和康复工作提供补助资金: the service is what is carried out
    if m:
        e = m.start()
    seg = text[s:e]
    m = _SVC_TRIM_END.search(seg)
    if m and m.start() >= 2:
        e = s + m.start()
    while e > s and text[e - 1] in " ,，、的":
        e -= 1
    return s, e


def ends_with_service_head(phrase: str) -> bool:
    return phrase.endswith(word_lists().svc_heads)


@lru_cache(maxsize=1)
def service_np() -> re.Pattern:
    """A short noun phrase ending in a service head noun (补贴, 服务, 救助 …)."""
    heads = "|".join(re.escape(h) for h in word_lists().svc_heads)
    return re.compile(rf"(?:[^,，。；;:：、和及与的\n()（）“”]|“[^”\n]{{1,8}}”){{0,8}}?(?:{heads})")


_DOMAIN_AFTER = re.compile(r"等?(?:\d+|[一二三四五六七八九十]+)?(?:大|个)?(?:领域|方面)")


def domain_follows(text: str, pos: int) -> bool:
    """Whether ``text`` goes on at ``pos`` as a list of domains (…残疾人服务等8大领域): what precedes
    names a field of policy, not a service guaranteed to a group."""
    return bool(_DOMAIN_AFTER.match(text, pos))
