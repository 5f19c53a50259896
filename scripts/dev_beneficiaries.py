"""Dev loop for extract/beneficiaries.py: P/R/F1 of target populations as the official scorer
(/work/shared/eval/score.py, score_services) would count them on the graph the lead builds:

* one ServiceGuarantee per Statement: rdfs:label = service as written, evidence quote =
  n.raw[raw_span(statement span)], aboutService → PublicService (label + altLabels);
* one TargetPopulation node per canonical key: label + every written form of that key seen
  anywhere in the corpus; one prediction per (statement, population node).

Usage: .venv/bin/python scripts/dev_beneficiaries.py [--misses] [--fps] [--doc 002] [--all]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, "/work/shared/eval")

from score import name_match, text_match  # noqa: E402

from extract.beneficiaries import ServiceVocabulary, find_statements  # noqa: E402
from extract.domains import domain_labels  # noqa: E402
from extract.normalize import normalize_text  # noqa: E402
from extract.structure import DomainTagger, parse_structure  # noqa: E402

CORPUS = ROOT / "data" / "corpus"
GOLD = Path("/work/shared/gold/dev")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--misses", action="store_true", help="list gold pairs not found")
    ap.add_argument("--fps", action="store_true", help="list predictions matching no gold pair")
    ap.add_argument("--doc", default="", help="only show lists for docs starting with this")
    ap.add_argument("--all", action="store_true", help="print every statement")
    args = ap.parse_args(argv)

    t0 = time.time()
    tagger = DomainTagger(domain_labels())
    docs = {}
    for f in sorted(CORPUS.glob("*.txt")):
        n = normalize_text(f.read_text(encoding="utf-8"))
        blocks = parse_structure(n.text, tagger)
        docs[f.stem] = (n, find_statements(n.text, blocks, n.is_damaged))
    t1 = time.time()
    names = defaultdict(set)
    for n, sts in docs.values():
        for st in sts:
            for pm in st.populations:
                names[pm.key] |= {pm.label, pm.written}
    svc = ServiceVocabulary.load()

    tot = [0, 0, 0, 0]
    for doc, (n, sts) in docs.items():
        gf = GOLD / f"{doc}.services.jsonl"
        if not gf.exists():
            print(f"{doc}: {len(sts)} statements (no gold)")
            continue
        gold = [json.loads(x) for x in gf.read_text(encoding="utf-8").splitlines() if x.strip()]
        gpairs = [(x["service"], x.get("quote", ""), p) for x in gold for p in x.get("populations", [])]
        preds = []
        for st in sts:
            q = n.raw[slice(*n.raw_span(*st.span))]
            sl = set(svc.by_key[st.service_key].forms) if st.service_key else set()
            for key in dict.fromkeys(pm.key for pm in st.populations):
                preds.append((st, key, {"pn": names[key], "cl": {st.service}, "q": {q}, "sl": sl}))

        def hit(gp, v):
            return name_match(gp[2], v["pn"], loose=True) and text_match(gp[0], gp[1], v["cl"] | v["q"] | v["sl"])

        tp_g = [gp for gp in gpairs if any(hit(gp, v) for _, _, v in preds)]
        tp_p = [pr for pr in preds if any(hit(gp, pr[2]) for gp in gpairs)]
        p = len(tp_p) / len(preds) if preds else 0
        r = len(tp_g) / len(gpairs) if gpairs else 0
        f = 2 * p * r / (p + r) if p + r else 0
        print(f"{doc}: P={p:.3f} R={r:.3f} F1={f:.3f}  pred={len(preds)} gold={len(gpairs)} statements={len(sts)}")
        tot[0] += len(tp_p); tot[1] += len(preds); tot[2] += len(tp_g); tot[3] += len(gpairs)
        show = doc.startswith(args.doc)
        if args.misses and show:
            for gp in gpairs:
                if gp not in tp_g:
                    print(f"   MISS {gp[2]} | {gp[0]} | {gp[1]}")
        if args.fps and show:
            for st, key, v in preds:
                if not any(hit(gp, v) for gp in gpairs):
                    w = [pm.written for pm in st.populations if pm.key == key]
                    print(f"   FP [{st.pattern}] {w} | {st.service} | {n.text[slice(*st.span)]}")
        if args.all and show:
            for st in sts:
                print(f"   [{st.pattern}] {[pm.written + '→' + pm.label for pm in st.populations]} | {st.service}"
                      f" ({st.service_key}, {st.domain}) | std={st.standard} | {n.text[slice(*st.span)]}")
    p = tot[0] / tot[1] if tot[1] else 0
    r = tot[2] / tot[3] if tot[3] else 0
    f = 2 * p * r / (p + r) if p + r else 0
    print(f"OVERALL: P={p:.3f} R={r:.3f} F1={f:.3f}  pred={tot[1]} gold={tot[3]}")
    print(f"extraction time {t1 - t0:.2f}s for {len(docs)} docs (incl. normalization)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
