#!/usr/bin/env python3
"""Score extract.indicators against the dev gold, with the official scorer's matching rule.

    .venv/bin/python scripts/dev_indicators.py [--gold DIR] [--misses] [--fps] [--doc ID] [--all]

Per predicted value it builds (label, value, unit, year, kind) -- one item for the target and
one for the baseline of each Indicator -- and matches a gold line when the value is equal,
norm(unit) equal, kind equal and the names overlap (containment or a common substring of 4+
after norm), as /work/shared/eval/score.py does. Prints P/R/F1 and year accuracy per document
and overall (micro). --misses lists unmatched gold lines, --fps unmatched predictions,
--all prints every prediction of the documents (also those without gold).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCORER_DIR = Path("/work/shared/eval")
sys.path.insert(0, str(SCORER_DIR))

from score import lcs, norm

from extract.domains import domain_labels
from extract.indicators import find_indicators
from extract.normalize import normalize_text
from extract.structure import DomainTagger, parse_structure


def items_of(inds):
    out = []
    for k, x in enumerate(inds):
        if x.target is not None:
            out.append((x.name, float(x.target), norm(x.unit), str(x.target_year or ""), "target", k))
        if x.baseline is not None:
            out.append((x.name, float(x.baseline), norm(x.unit), str(x.baseline_year or ""), "baseline", k))
    return out


def hit(gi, p):
    v = gi.get("value")
    try:
        v = float(v)
    except (TypeError, ValueError):
        return False
    if abs(v - p[1]) > 1e-6 * max(1.0, abs(v)):
        return False
    if norm(gi.get("unit", "")) != p[2] or gi.get("kind") != p[4]:
        return False
    gn, pn = norm(gi.get("name", "")), norm(p[0])
    return bool(gn and pn) and (gn in pn or pn in gn or lcs(gn, pn) >= 4)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=Path("/work/shared/gold/dev"))
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "corpus")
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--fps", action="store_true")
    ap.add_argument("--all", action="store_true")
    ap.add_argument("--doc")
    a = ap.parse_args(argv)
    tagger = DomainTagger(domain_labels())
    tot = {"tp_p": 0, "n_p": 0, "tp_g": 0, "n_g": 0, "y_ok": 0, "y_n": 0}
    t_total = 0.0
    docs = sorted(p.stem for p in a.corpus.glob("*.txt"))
    for doc in docs:
        if a.doc and a.doc != doc:
            continue
        gold_file = a.gold / f"{doc}.indicators.jsonl"
        raw = (a.corpus / f"{doc}.txt").read_text(encoding="utf-8")
        n = normalize_text(raw)
        blocks = parse_structure(n.text, tagger)
        t0 = time.perf_counter()
        inds = find_indicators(n.text, blocks)
        t_total += time.perf_counter() - t0
        if a.all:
            print(f"== {doc}")
            for x in inds:
                print(f"  {x.kind:8s} {x.name} | {x.value} {x.unit} {x.comparator} "
                      f"t={x.target}/{x.target_year} b={x.baseline}/{x.baseline_year} "
                      f"| {n.text[x.span[0]:x.span[1]][:60]}")
        if not gold_file.exists():
            continue
        gold = [json.loads(x) for x in gold_file.read_text(encoding="utf-8").splitlines() if x.strip()]
        mine = items_of(inds)
        tp_g = y_ok = y_n = 0
        missed = []
        for gi in gold:
            m = [p for p in mine if hit(gi, p)]
            if m:
                tp_g += 1
                if gi.get("year"):
                    y_n += 1
                    ok = any(p[3] == str(gi["year"]) for p in m)
                    y_ok += ok
                    if not ok and a.misses:
                        print(f"  YEAR {gi['name']} {gi['value']}{gi['unit']} gold={gi['year']} "
                              f"mine={[p[3] for p in m]}")
            else:
                missed.append(gi)
        fps = [p for p in mine if not any(hit(gi, p) for gi in gold)]
        tp_p = len(mine) - len(fps)
        P = tp_p / len(mine) if mine else 0.0
        R = tp_g / len(gold) if gold else 0.0
        F = 2 * P * R / (P + R) if P + R else 0.0
        print(f"{doc}: P={P:.3f} R={R:.3f} F1={F:.3f} pred={len(mine)} gold={len(gold)} "
              f"year={y_ok}/{y_n}")
        if a.misses:
            for gi in missed:
                print(f"  MISS {gi['name']} | {gi['value']} {gi['unit']} {gi['comparator']} {gi['year']} "
                      f"{gi['kind']} | {gi['quote']}")
        if a.fps:
            for p in fps:
                x = inds[p[5]]
                print(f"  FP   {p[0]} | {p[1]} {p[2]} {p[3]} {p[4]} | {n.text[x.span[0]:x.span[1]][:50]}")
        for k, v in {"tp_p": tp_p, "n_p": len(mine), "tp_g": tp_g, "n_g": len(gold), "y_ok": y_ok, "y_n": y_n}.items():
            tot[k] += v
    P = tot["tp_p"] / tot["n_p"] if tot["n_p"] else 0.0
    R = tot["tp_g"] / tot["n_g"] if tot["n_g"] else 0.0
    F = 2 * P * R / (P + R) if P + R else 0.0
    ya = tot["y_ok"] / tot["y_n"] if tot["y_n"] else 0.0
    print(f"OVERALL: P={P:.3f} R={R:.3f} F1={F:.3f} pred={tot['n_p']} gold={tot['n_g']} "
          f"year_acc={ya:.3f} ({tot['y_ok']}/{tot['y_n']})")
    print(f"find_indicators time (all corpus docs): {t_total:.3f}s")


if __name__ == "__main__":
    main()
