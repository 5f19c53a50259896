#!/usr/bin/env python3
"""Build benchmark: `pskg build` at several corpus sizes, and a rebuild after one change.

    python bench/build_bench.py                        # the bundled corpus (1x)
    python bench/build_bench.py --scales 1 100 600 --jobs 2

Each scale N builds a synthetic corpus of 5*N plans (bench/synth_corpus.py; 1x is the
bundled corpus itself) into a fresh store with `pskg build --plain` in a child process, then
appends a sentence to one document and builds again (only that document is re-extracted).
Reported per build: wall time; CPU seconds of the whole process tree (the build and its
extraction workers, sampled from /proc every 0.2 s); peak resident memory of the tree (the
sum of every process's RSS at the worst sample: shared pages count once per process, so
this overstates), and of its largest process; the store's size on disk and what of it is
write-ahead log (RocksDB *.log files). Under the table: the wall time of each step of each build
(the `time:` line `pskg build` prints).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def corpus_for(scale: int, work: Path) -> Path:
    """The bundled corpus for 1x, else a synthetic corpus of 5*scale plans written under ``work``."""
    if scale == 1:
        corpus = work / "corpus-1x"
        if not corpus.exists():
            shutil.copytree(ROOT / "data" / "corpus", corpus)
        return corpus
    corpus = work / f"corpus-{scale}x"
    if corpus.is_dir() and len(list(corpus.glob("*.txt"))) == 5 * scale:  # made by an earlier run
        return corpus
    subprocess.run([sys.executable, str(ROOT / "bench" / "synth_corpus.py"), str(5 * scale), str(corpus)],
                   check=True, stdout=subprocess.DEVNULL)
    return corpus


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def _stat(pid: int) -> tuple[float, int] | None:
    """(CPU seconds, RSS bytes) of one process."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK, int(fields[21]) * PAGE
    except (OSError, ValueError, IndexError):
        return None


def measured(cmd: list[str]) -> dict:
    """Run ``cmd``; wall seconds, CPU seconds of its process tree, peak RSS (tree sum, largest)."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    cpu: dict[int, float] = {}
    peak_sum = peak_one = 0
    out = []
    import threading

    reader = threading.Thread(target=lambda: out.extend(proc.stdout), daemon=True)
    reader.start()
    while proc.poll() is None:
        total = 0
        for pid in _tree(proc.pid):
            s = _stat(pid)
            if s:
                cpu[pid] = max(cpu.get(pid, 0.0), s[0])
                total += s[1]
                peak_one = max(peak_one, s[1])
        peak_sum = max(peak_sum, total)
        time.sleep(0.2)
    reader.join()
    wall = time.perf_counter() - t
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{''.join(out)[-3000:]}")
    return {"wall_s": wall, "cpu_s": sum(cpu.values()), "peak_rss_mb": peak_sum / 2**20,
            "largest_process_mb": peak_one / 2**20, "output": "".join(out)}


def disk(path: Path) -> tuple[float, float]:
    total = wal = 0
    for p in path.rglob("*"):
        if p.is_file():
            total += p.stat().st_size
            if p.suffix == ".log" and p.parent == path:
                wal += p.stat().st_size
    return total / 2**20, wal / 2**20


def run(scale: int, work: Path, jobs: int | None, keep: bool = False) -> dict:
    corpus = corpus_for(scale, work)
    store = work / f"store-{scale}x"
    shutil.rmtree(store, ignore_errors=True)
    cmd = [sys.executable, "-m", "pskg.cli", "build", str(corpus), "--store", str(store), "--plain"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    res = measured(cmd)
    lines = res.pop("output").splitlines()
    res["summary"] = next(ln for ln in lines if ln.startswith("documents:"))
    res["phases"] = next((ln for ln in lines if ln.startswith("time: ")), "")[6:]  # wall seconds per build step
    res["store_mb"], res["wal_mb"] = disk(store)
    one = sorted(corpus.glob("*.txt"))[len(list(corpus.glob("*.txt"))) // 2]
    one.write_text(one.read_text(encoding="utf-8") + "\n（市教育局牵头，市民政局配合）\n", encoding="utf-8")
    again = measured(cmd)
    res["rebuild_one"] = {k: again[k] for k in ("wall_s", "cpu_s", "peak_rss_mb")}
    res["rebuild_summary"] = next(ln for ln in again["output"].splitlines() if ln.startswith("documents:"))
    res["scale"], res["docs"] = scale, len(list(corpus.rglob("*.txt")))
    if not keep:
        shutil.rmtree(store, ignore_errors=True)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scales", type=int, nargs="+", default=[1])
    ap.add_argument("--jobs", type=int, help="pskg build --jobs (default: all cores)")
    ap.add_argument("--work", type=Path, help="where corpora and stores go (default: a temporary folder)")
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    ap.add_argument("--keep", action="store_true", help="keep the stores (WORK/store-Nx), e.g. for bench/endpoint_bench.py")
    a = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = a.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        print("| scale | plans | build wall | CPU | peak RSS (tree / largest process) | store on disk (WAL) "
              "| rebuild after one change |")
        print("|---|---:|---:|---:|---:|---:|---:|", flush=True)
        for s in a.scales:
            r = run(s, work, a.jobs, a.keep)
            rows.append(r)
            print(f"| {r['scale']}x | {r['docs']} | {r['wall_s']:.1f} s | {r['cpu_s']:.0f} s | "
                  f"{r['peak_rss_mb']:.0f} / {r['largest_process_mb']:.0f} MB | {r['store_mb']:.0f} MB "
                  f"({r['wal_mb']:.0f} MB) | {r['rebuild_one']['wall_s']:.1f} s |", flush=True)
        for r in rows:
            print(f"\n{r['scale']}x build steps: {r['phases']}")
    if a.json:
        a.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
