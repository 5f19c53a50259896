#!/usr/bin/env python3
"""Write a synthetic corpus of N plans made from the bundled ones.

Copy 0 of each bundled plan is the original; every further copy has its provinces and
prefecture-level cities swapped for others from the gazetteer (a prefecture is replaced by
one under the replacement of its province, so the hierarchy stays consistent). Agency names
prefixed with a region or a level word then resolve to other regions, so agencies, regions
and plans really multiply.

    python bench/synth_corpus.py N OUT_DIR [--source data/corpus]
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from opencc import OpenCC  # noqa: E402

from extract.gazetteer import Gazetteer  # noqa: E402

NATIONAL = "100000"


def current_children(gaz: Gazetteer, code: str, level: str):
    return sorted((r for r in gaz.children(code) if r.level == level and not r.successor
                   and r.last_year >= 2024), key=lambda r: r.code)


def swap_regions(raw: str, gaz: Gazetteer, rng: random.Random, s2t) -> str:
    provinces = current_children(gaz, NATIONAL, "provincial")
    found_prov = [p for p in provinces if p.name in raw or s2t(p.name) in raw or
                  (len(p.short) >= 2 and (p.short in raw or s2t(p.short) in raw))]
    mapping = {}
    for p in found_prov:
        mapping[p.code] = rng.choice([q for q in provinces if q.code != p.code])
    for p in provinces:
        for c in current_children(gaz, p.code, "prefectural"):
            if c.name in raw or s2t(c.name) in raw:
                target_prov = mapping.get(p.code) or rng.choice(provinces)
                options = current_children(gaz, target_prov.code, "prefectural") or \
                    [x for pp in provinces for x in current_children(gaz, pp.code, "prefectural")]
                mapping[c.code] = rng.choice(options)
    pairs = []
    for code, new in mapping.items():
        old = gaz.get(code)
        pairs.append((old.name, new.name))
        if old.level == "provincial" and len(old.short) >= 2:
            pairs.append((old.short, new.short))
    # longest first, so 甘肃省 is replaced before 甘肃; Traditional forms too
    out = raw
    for old, new in sorted(pairs, key=lambda x: -len(x[0])):
        out = out.replace(old, new)
        t_old = s2t(old)
        if t_old != old:
            out = out.replace(t_old, s2t(new))
    return out


def generate(n: int, out_dir: Path, source: Path) -> list[Path]:
    gaz = Gazetteer.load()
    s2t = OpenCC("s2t").convert
    bundled = sorted(source.glob("*.txt"))
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for k in range(n):
        src = bundled[k % len(bundled)]
        copy = k // len(bundled)
        raw = src.read_text(encoding="utf-8")
        if copy:
            raw = swap_regions(raw, gaz, random.Random(f"{src.name}/{copy}"), s2t)
        path = out_dir / f"{k:05d}_{src.stem}.txt"
        path.write_text(raw, encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--source", type=Path, default=ROOT / "data" / "corpus")
    a = ap.parse_args()
    files = generate(a.n, a.out, a.source)
    print(f"wrote {len(files)} plans to {a.out}")


if __name__ == "__main__":
    main()
