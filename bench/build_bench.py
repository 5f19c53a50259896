#!/usr/bin/env python3
"""Build benchmark: wall time, triples and peak memory of `pskg build` at several corpus sizes.

    python bench/build_bench.py                 # the bundled corpus (1x)
    python bench/build_bench.py --scales 1 10 100

Each scale N builds a synthetic corpus of 5*N plans (bench/synth_corpus.py; 1x is the
bundled corpus itself) into a fresh store, in a child process, and reports that process's
wall time and peak resident memory (ru_maxrss of the child).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = r"""
import json, sys, time, resource
from pathlib import Path
t0 = time.perf_counter()
from graph.build import build, entity_counts
from graph.store import GraphStore
store = GraphStore(Path(sys.argv[2]))
rep = build([Path(sys.argv[1])], store)
print(json.dumps({"seconds": time.perf_counter() - t0, "build_seconds": rep.seconds,
                  "docs": len(rep.documents), "failed": len(rep.failures), "triples": len(store),
                  "agencies": entity_counts(store).get("Agency", 0),
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def corpus_for(scale: int, work: Path) -> Path:
    """The bundled corpus for 1x, else a synthetic corpus of 5*scale plans written under ``work``."""
    if scale == 1:
        return ROOT / "data" / "corpus"
    corpus = work / f"corpus-{scale}x"
    subprocess.run([sys.executable, str(ROOT / "bench" / "synth_corpus.py"), str(5 * scale), str(corpus)],
                   check=True, stdout=subprocess.DEVNULL)
    return corpus


def run(scale: int, work: Path) -> dict:
    corpus = corpus_for(scale, work)
    store = work / f"store-{scale}x"
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD, str(corpus), str(store)], check=True,
                         capture_output=True, text=True, cwd=ROOT)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    res["wall_seconds"] = time.perf_counter() - t
    res["scale"] = scale
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scales", type=int, nargs="+", default=[1])
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for s in a.scales:
            rows.append(run(s, Path(tmp)))
            if not a.json:
                r = rows[-1]
                print(f"{r['scale']:>4}x  docs {r['docs']:>5} (failed {r['failed']})  "
                      f"build {r['build_seconds']:7.1f}s  process {r['wall_seconds']:7.1f}s  "
                      f"triples {r['triples']:>9,}  agencies {r['agencies']:>6,}  peak RSS {r['maxrss_mb']:7.0f} MB",
                      flush=True)
    if a.json:
        print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
