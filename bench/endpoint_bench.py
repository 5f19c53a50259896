#!/usr/bin/env python3
"""Endpoint benchmark: pskg in-process vs `pskg serve` over HTTP vs the reference Oxigraph server.

    pip install -e '.[bench]'                      # the reference server (`oxigraph` command)
    python bench/endpoint_bench.py --store store   # an existing store (e.g. the bundled corpus)
    python bench/endpoint_bench.py --scale 100     # build a 100x synthetic corpus first

For the store, the script exports an N-Quads dump (`pskg export --no-void`), loads it into a
fresh Oxigraph database (`oxigraph load`) and starts `oxigraph serve-read-only
--union-default-graph` next to `pskg serve`, both on loopback. Then:

* latency of every named query (queries/*.rq, with the project's PREFIX lines prepended so
  both servers get the same text): p50 and p95 over --repeat runs after one warm-up, results
  as SPARQL JSON; in-process means GraphStore.query plus JSON serialization (in a child
  process, given up after 2x --query-timeout + 10 s); over HTTP each request carries a
  different comment line, so neither server answers from a cache; a query slower than 1 s is
  timed 3 times;
  "time limit" marks a query that did not finish within --query-timeout;
* throughput (first, on fresh servers): --clients client processes, each sending the simple query back to back on
  its own keep-alive connection for --seconds, for each server: requests/s answered; once
  with the same text every time ("repeated": pskg answers those from its response cache)
  and once with a different comment line in every request ("distinct": every request is
  evaluated by both servers).
"""
from __future__ import annotations

import argparse
import http.client
import itertools
import json
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.build_bench import corpus_for  # noqa: E402
from graph.terms import SPARQL_PREFIXES  # noqa: E402

SIMPLE = SPARQL_PREFIXES + "SELECT ?plan ?title WHERE { ?plan a pskg:Plan ; dct:title ?title } LIMIT 10"
ACCEPT = "application/sparql-results+json"


# named queries bound to one plan's region, agency, service or function (the "about one" cases)
BOUND = [("agencies", ["region=白银市"]), ("agency-counterparts", ["function=education"]),
         ("agency-portfolio", ["agency=白银市教育局"]), ("cross-level", ["function=education"]),
         ("indicators", ["region=荆门市"]), ("owners-by-level", ["region=白银市", "service=义务教育"]),
         ("populations-by-service", ["service=义务教育", "region=白银市"]),
         ("region-comparison", ["region=白银市"]), ("services-by-population", ["population=残疾人", "region=白银市"]),
         ("who-leads", ["region=白银市"])]


def named_queries(whole: bool = False) -> dict[str, str]:
    """Every named query unbound as `pskg query NAME` runs it (page 1 of a query that declares
    pages, "NAME page 1"; with ``whole`` also its whole text, "NAME all at once"), and the
    BOUND cases (``name --bind ...``)."""
    from pskg.query_text import bind_values, paging

    out = {}
    for p in sorted((ROOT / "queries").glob("*.rq")):
        text = p.read_text(encoding="utf-8")
        pg = paging(text)
        if pg is None:
            out[p.stem] = SPARQL_PREFIXES + text
            continue
        out[f"{p.stem} page 1"] = SPARQL_PREFIXES + pg.page(text, 1)
        if whole:
            out[f"{p.stem} all at once"] = SPARQL_PREFIXES + text
    for name, binds in BOUND:
        text = (ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8")
        out[f"{name} --bind {' '.join(binds)}"] = SPARQL_PREFIXES + bind_values(text, binds)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port: int, proc: subprocess.Popen, seconds: float = 120) -> None:
    end = time.time() + seconds
    while time.time() < end:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with status {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing listening on {port}")


class Client:
    """One keep-alive connection posting form-encoded queries."""

    def __init__(self, url: str):
        u = urllib.parse.urlsplit(url)
        self.path, self.conn = u.path, http.client.HTTPConnection(u.hostname, u.port, timeout=300)

    def query(self, text: str) -> bytes:
        body = urllib.parse.urlencode({"query": text})
        self.conn.request("POST", self.path, body, {"Content-Type": "application/x-www-form-urlencoded",
                                                    "Accept": ACCEPT})
        r = self.conn.getresponse()
        data = r.read()
        if r.status != 200:
            raise RuntimeError(f"HTTP {r.status}: {data[:300]!r}")
        return data


def percentiles(samples: list[float]) -> tuple[float, float]:
    s = sorted(samples)
    return statistics.median(s), s[min(len(s) - 1, round(0.95 * (len(s) - 1)))]


SLOW_RUN = 1.0  # seconds: a query slower than this in its warm-up is timed 3 times only


def time_runs(fn, repeat: int) -> tuple[float, float, int] | None:
    """(p50 ms, p95 ms, rows) over ``repeat`` runs after a warm-up, or None when a run fails
    (a server's time limit)."""
    try:
        t = time.perf_counter()
        out = fn()  # warm-up
        if time.perf_counter() - t > SLOW_RUN:
            repeat = min(repeat, 3)
        samples = []
        for _ in range(repeat):
            t = time.perf_counter()
            out = fn()
            samples.append((time.perf_counter() - t) * 1000)
        rows = len(json.loads(out)["results"]["bindings"])
    except (RuntimeError, ValueError):  # an error status, or a body cut at the time limit (oxigraph)
        return None
    p50, p95 = percentiles(samples)
    return p50, p95, rows


def _in_process_child(conn, store_dir: Path, text: str, repeat: int) -> None:
    import pyoxigraph as ox

    from graph.store import GraphStore

    store = GraphStore(store_dir, read_only=True)
    conn.send(time_runs(lambda: store.query(text, prefixes=False).serialize(format=ox.QueryResultsFormat.JSON),
                        repeat))


def in_process(store_dir: Path, text: str, repeat: int, limit: float):
    """time_runs in a child process (pyoxigraph cannot cancel a query), None past ``limit`` s for the warm-up."""
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_in_process_child, args=(child, store_dir, text, repeat))
    proc.start()
    got = parent.poll(limit * 2 + 10)
    result = parent.recv() if got else None
    proc.kill()
    proc.join()
    return result


def cell(r) -> str:
    return f"{r[0]:.1f} / {r[1]:.1f}" if r else "time limit"


def _client_loop(args) -> tuple[int, int]:
    url, seconds, distinct, client, run = args
    c, ok, failed = Client(url), 0, 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        try:
            c.query(f"{SIMPLE}\n# run {run} client {client} request {ok + failed}" if distinct else SIMPLE)
            ok += 1
        except (RuntimeError, OSError, http.client.HTTPException):
            failed += 1
            c = Client(url)
    return ok, failed


def throughput(url: str, clients: int, seconds: float, distinct: bool = False) -> tuple[float, int]:
    """(answered requests/s, failed requests) of ``clients`` closed-loop clients; distinct texts
    carry a token new to every call, so that no server has seen them before."""
    Client(url).query(SIMPLE)
    run = os.urandom(6).hex()
    with multiprocessing.get_context("spawn").Pool(clients) as pool:
        t = time.perf_counter()
        counts = pool.map(_client_loop, [(url, seconds, distinct, i, run) for i in range(clients)])
        wall = time.perf_counter() - t
    return sum(ok for ok, _ in counts) / wall, sum(f for _, f in counts)


def prepare(scale: int, store: Path | None, work: Path) -> Path:
    if store:
        return store
    corpus = corpus_for(scale, work)
    store = work / f"store-{scale}x"
    subprocess.run([sys.executable, "-m", "pskg.cli", "build", str(corpus), "--store", str(store)],
                   check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return store


def reference_db(store: Path, work: Path) -> Path:
    """A fresh Oxigraph database in ``work`` holding the store's quads (`pskg export --no-void`)."""
    dump, db = work / "dump.nq", work / "oxigraph-db"
    subprocess.run([sys.executable, "-m", "pskg.cli", "export", "--store", str(store), "--no-void",
                    "--format", "nquads", "-o", str(dump)], check=True, cwd=ROOT)
    subprocess.run([oxigraph_command(), "load", "--location", str(db), "--file", str(dump)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return db


def oxigraph_command() -> str:
    cmd = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(cmd).exists():
        raise SystemExit("the reference server is missing: pip install -e '.[bench]'")
    return cmd


def start_reference(db: Path, timeout: float | None, log, procs: list) -> str:
    """Start `oxigraph serve-read-only --union-default-graph` on ``db`` (added to ``procs``); its query URL."""
    # oxigraph's --timeout-s keeps a timer thread per query for the whole limit: under
    # thousands of requests/s they pile up until thread creation fails, so throughput runs
    # use a reference server without it (the simple query is fast)
    port = free_port()
    extra = ["--timeout-s", str(int(timeout))] if timeout else []
    proc = subprocess.Popen([oxigraph_command(), "serve-read-only", "--location", str(db), "--bind",
                             f"127.0.0.1:{port}", "--union-default-graph", *extra], stdout=subprocess.DEVNULL, stderr=log)
    procs.append(proc)
    wait_listening(port, proc)
    return f"http://127.0.0.1:{port}/query"


def start_pskg(store: Path, workers: int, fronts: int, timeout: float, log, procs: list) -> str:
    """Start `pskg serve --quiet` on ``store`` (added to ``procs``); its endpoint URL."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "pskg.cli", "serve", "--store", str(store), "--port", str(port),
                             "--quiet", "--workers", str(workers), "--fronts", str(fronts), "--timeout", str(timeout)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
    procs.append(proc)
    wait_listening(port, proc)
    return f"http://127.0.0.1:{port}/sparql"


def stop_all(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        if p.poll() is None:
            p.terminate()
            p.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, help="an existing store (else one is built at --scale)")
    ap.add_argument("--scale", type=int, default=1, help="corpus size in multiples of the bundled 5 plans")
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--workers", type=int, default=4, help="pskg serve worker processes")
    ap.add_argument("--fronts", type=int, default=os.cpu_count() or 1,
                    help="pskg serve front processes (default: one per core, as the reference server has a thread per core)")
    ap.add_argument("--query-timeout", type=float, default=60.0,
                    help="time limit of both servers (their --timeout / --timeout-s), in seconds")
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    ap.add_argument("--only", help="comma-separated named queries to time (default: all)")
    ap.add_argument("--whole", action="store_true",
                    help="also time each paged named query's whole text at once (slow at scale)")
    ap.add_argument("--throughput-only", action="store_true", help="measure requests/s only (no latency table)")
    a = ap.parse_args()
    oxigraph_command()  # before any work: the reference server must be installed

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        store = prepare(a.scale, a.store, work)
        ref_db = reference_db(store, work)
        log = open(work / "servers.log", "w")  # a pipe nobody reads would fill and stall a server
        procs: list[subprocess.Popen] = []
        try:
            ours = start_pskg(store, a.workers, a.fronts, a.query_timeout, log, procs)
            report = {"scale": a.scale, "store": str(store), "queries": {}, "throughput": {}}
            ref = start_reference(ref_db, None, log, procs)
            untimed = procs[-1]
            print(f"## {a.scale}x: throughput, {a.clients} clients x {a.seconds:g} s of the simple query\n", flush=True)
            for mode, distinct in (("repeated", False), ("distinct", True)):
                rps_ours, fail_ours = throughput(ours, a.clients, a.seconds, distinct)
                rps_ref, fail_ref = throughput(ref, a.clients, a.seconds, distinct)
                report["throughput"][mode] = {"clients": a.clients, "seconds": a.seconds, "pskg": rps_ours,
                                              "oxigraph": rps_ref, "pskg_failed": fail_ours, "oxigraph_failed": fail_ref}
                print(f"{mode} text: pskg serve {rps_ours:.0f} req/s ({fail_ours} failed), oxigraph {rps_ref:.0f} req/s "
                      f"({fail_ref} failed), ratio {rps_ours / rps_ref:.2f}", flush=True)
            print()
            untimed.terminate()
            untimed.wait(timeout=30)
            ref = start_reference(ref_db, a.query_timeout, log, procs)
            if a.throughput_only:
                if a.json:
                    a.json.write_text(json.dumps(report, indent=1))
                return
            print(f"## {a.scale}x: latency in ms, p50 / p95 over {a.repeat} runs\n")
            print("| query | rows | in-process | pskg serve (HTTP) | oxigraph server (HTTP) | pskg/oxigraph p50 |")
            print("|---|---:|---:|---:|---:|---:|")
            for name, text in named_queries(a.whole).items():
                if a.only and name.split()[0] not in a.only.split(","):
                    continue
                ip = in_process(store, text, a.repeat, a.query_timeout)
                oc, rc = Client(ours), Client(ref)
                # a different comment in every request: each one is evaluated (pskg serve
                # answers a text it has answered before from its response cache)
                runs = itertools.count()
                hp = time_runs(lambda: oc.query(f"{text}\n# run {next(runs)}"), a.repeat)
                rp = time_runs(lambda: rc.query(f"{text}\n# run {next(runs)}"), a.repeat)
                rows = {r[2] for r in (ip, hp, rp) if r}
                assert len(rows) <= 1, (name, ip, hp, rp)
                report["queries"][name] = {"rows": next(iter(rows), None), "in_process": ip and ip[:2],
                                           "pskg_http": hp and hp[:2], "oxigraph_http": rp and rp[:2]}
                ratio = f"{hp[0] / rp[0]:.2f}" if hp and rp else "-"
                print(f"| {name} | {next(iter(rows), '-')} | {cell(ip)} | {cell(hp)} | {cell(rp)} | {ratio} |",
                      flush=True)
            if a.json:
                a.json.write_text(json.dumps(report, indent=1))
        finally:
            stop_all(procs)


if __name__ == "__main__":
    main()
