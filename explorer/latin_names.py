"""Latin-script forms of Chinese place, agency and plan names, for search: pinyin (白银市 →
"Baiyin", "Baiyinshi") and English with the administrative word (白银市 → "Baiyin City",
甘肃省 → "Gansu Province"), the suffixes read from place_suffixes.tsv. Offline (pypinyin's
own dictionary); names without Han characters get none."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

SUFFIXES = Path(__file__).resolve().parent / "place_suffixes.tsv"
_HAN = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def suffixes() -> list[tuple[str, str]]:
    rows = []
    for line in SUFFIXES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            zh, en = line.split("\t")
            rows.append((zh, en))
    return sorted(rows, key=lambda r: -len(r[0]))


@lru_cache(maxsize=1 << 16)  # a region's short name is also the stem of its full name
def pinyin(text: str) -> str:
    """The text in pinyin without tones, syllables of one word run together, capitalised
    ("白银" → "Baiyin"); other characters kept."""
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(text)).capitalize()


def latin_forms(name: str, place: bool) -> list[str]:
    """Search forms of a Chinese name: its pinyin; for a place, also the pinyin of the name
    without its administrative suffix, alone and with the suffix's English word."""
    if not _HAN.search(name):
        return []
    forms = [pinyin(name)]
    if place:
        for zh, en in suffixes():
            if name.endswith(zh) and len(name) > len(zh):
                short = pinyin(name[: -len(zh)])
                forms += [short, f"{short} {en}"]
                break
    return list(dict.fromkeys(forms))
