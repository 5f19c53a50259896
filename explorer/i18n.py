"""The explorer's interface text in Chinese and English, read from ui_strings.tsv."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

STRINGS = Path(__file__).resolve().parent / "ui_strings.tsv"


@lru_cache(maxsize=1)
def strings() -> dict[str, tuple[str, str]]:
    out = {}
    for line in STRINGS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, zh, en = line.split("\t")
            out[key] = (zh, en)
    return out


def text(key: str, lang: str = "zh") -> str:
    """The text of ``key`` in ``lang`` ("zh" or "en"); an unknown key is returned as is."""
    zh, en = strings().get(key, (key, key))
    return en if lang == "en" else zh
