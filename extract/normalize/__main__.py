"""``python -m extract.normalize build-vocab FILES`` / ``report FILES``."""
from __future__ import annotations

import sys
from pathlib import Path

from . import mojibake_report, normalize_bytes
from .mojibake_vocab import build_vocabulary


def _main(argv: list[str]) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m extract.normalize")
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build-vocab", help="print the repair vocabulary built from clean texts")
    b.add_argument("files", nargs="+")
    b.add_argument("--min-count", type=int, default=3)
    r = sub.add_parser("report", help="print the mojibake report of files")
    r.add_argument("files", nargs="+")
    args = ap.parse_args(argv)
    norms = [normalize_bytes(Path(f).read_bytes()) for f in args.files]
    if args.cmd == "build-vocab":
        print("# Domain vocabulary for the mojibake repair of extract/normalize/ (Simplified;")
        print("# matched in Simplified and OpenCC Traditional forms). Built from the clean text of")
        print("# the bundled corpus, outside damaged/repaired spans, by")
        print("#   python -m extract.normalize build-vocab data/corpus/*.txt > extract/data/mojibake_vocab.txt")
        print(f"# CJK n-grams of 2-6 characters seen >= {args.min_count} times, minus pieces of longer terms;")
        print("# then every single character with its count (the model of characters outside terms).")
        print("# Format: term<TAB>count")
        for t, c in build_vocabulary(norms, min_count=args.min_count):
            print(f"{t}\t{c}")
    else:
        for f, n in zip(args.files, norms):
            print(f, mojibake_report(n))
            for run in n.mojibake_runs:
                print(f"  {run.status:9s} raw[{run.raw_start}:{run.raw_end}] {run.original!r} -> {run.reading!r}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(_main(sys.argv[1:]))
