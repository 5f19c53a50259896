"""Dev loop for service guarantees: precision and recall of the standards in a built graph
against the gold "standard" fields (../shared/gold/<set>/*.services.jsonl). The official scorer
(../shared/eval/score.py) scores target populations but not standards; this counts them the
same way it matches guarantees.

* predicted: every (commitment, pskg:hasStandard) pair of the graph -- guarantees (sentence
  level) and provisions (their own sentences) alike;
* a prediction is correct when a gold item with a standard matches its commitment (the
  scorer's text_match on the commitment's label, evidence quotes and service labels) and the
  standards agree (one contains the other once normalized, the shorter at least 2 characters);
* a gold standard is found when some prediction is correct for it.

Usage (after /work/bin/score-tune, which writes .score/dev2.nq):
  .venv/bin/python scripts/dev_beneficiaries.py --graph .score/dev2.nq --gold ../shared/gold/dev2 \
      --docs $(cat /work/tune.txt) [--list]
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT.parent / "shared" / "eval"))

from score import Graph, group, load_gold, norm, plans, text_match  # noqa: E402


def standards_agree(gold: str, labels: set[str]) -> bool:
    g = norm(gold)
    for lbl in labels:
        n = norm(lbl)
        if n and g and min(len(n), len(g)) >= 2 and (n in g or g in n):
            return True
    return False


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--graph", nargs="+", required=True)
    ap.add_argument("--gold", type=Path, required=True)
    ap.add_argument("--docs", nargs="*")
    ap.add_argument("--list", action="store_true", help="list missed gold standards and wrong predictions")
    a = ap.parse_args(argv)
    g = Graph(a.graph, None)
    gold = load_gold(a.gold)
    if a.docs:
        gold = {k: v for k, v in gold.items() if k in a.docs}
    pmap = plans(g)
    rows = g.select("""SELECT DISTINCT ?plan ?c ?kind ?s WHERE { ?c pskg:inPlan ?plan ; pskg:hasStandard ?s ; a ?kind
        FILTER(?kind IN (pskg:ServiceGuarantee, pskg:Task, pskg:Project)) }""")
    slabels = group(g.select("""SELECT DISTINCT ?s ?l WHERE { ?c pskg:hasStandard ?s . ?s rdfs:label|skos:altLabel ?l }"""),
                    ["s"], ["l"])
    ctexts = group(g.select("""SELECT DISTINCT ?c ?t WHERE { ?c pskg:hasStandard ?s .
        { ?c rdfs:label ?t } UNION { ?c pskg:evidence/pskg:quote ?t }
        UNION { ?c pskg:aboutService/(rdfs:label|skos:altLabel) ?t } }"""), ["c"], ["t"])
    pred = defaultdict(list)
    for r in rows:
        kind = "guarantee" if r["kind"].endswith("ServiceGuarantee") else "provision"
        pred[r["plan"]].append((kind, r["c"], slabels[(r["s"],)]["l"], ctexts[(r["c"],)]["t"]))
    tot = defaultdict(lambda: [0, 0])  # kind -> [correct, predicted]
    found = n_gold = 0
    lines = []
    for doc, gd in sorted(gold.items()):
        items = [x for x in gd["services"] if x.get("standard")]
        mine = pred.get(pmap.get(doc), [])

        def ok(x, p):
            return text_match(x["service"], x.get("quote", ""), p[3]) and standards_agree(x["standard"], p[2])

        for x in items:
            n_gold += 1
            if any(ok(x, p) for p in mine):
                found += 1
            else:
                lines.append(f"{doc}\tmissed\t{x['standard']} ← «{x['service']}» | {x.get('quote', '')}")
        for p in mine:
            good = any(ok(x, p) for x in items)
            tot[p[0]][0] += good
            tot[p[0]][1] += 1
            if not good:
                std = min(p[2], key=len)
                around = [t for t in p[3] if std in t and len(t) > len(std)] or list(p[3])
                lines.append(f"{doc}\textra {p[0]}\t{std} ← {min(around, key=len)[:70]}")
    correct = sum(v[0] for v in tot.values())
    n_pred = sum(v[1] for v in tot.values())
    prec = correct / n_pred if n_pred else 0.0
    rec = found / n_gold if n_gold else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    print(f"standard  P {prec:.3f}  R {rec:.3f}  F1 {f1:.3f}  predicted {n_pred}  gold {n_gold}")
    for kind, (c, n) in sorted(tot.items()):
        print(f"  on {kind}s: {c}/{n} correct")
    if a.list:
        print("\n".join(sorted(lines)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
