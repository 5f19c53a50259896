#!/usr/bin/env python3
"""How many small distinct queries per second a Python front can serve at all, next to
`pskg serve` and the reference Oxigraph server, on the same store and machine.

    python bench/front_ceiling.py --store W/store-1x [--seconds 8] [--rounds 3]

Three servers, measured in turn (round after round, so that drift of the machine touches
each alike) with bench/endpoint_bench.py's distinct-text throughput loop (--clients
processes, a new comment line in every request):

* ``pskg serve --fronts N --quiet`` as endpoint_bench.py starts it;
* the *bare front*: N processes on one shared socket, each a uvloop protocol that takes the
  query out of a form-encoded POST, runs it with pyoxigraph on its own read-only handle
  (union default graph) and writes the JSON result with the header lines pskg serve sent
  for the same request (Date and ETag as they came). No HTTP validation, limits, content
  negotiation, caching, time limit or worker processes: a floor for any front that calls
  pyoxigraph from Python, not a server to use;
* ``oxigraph serve-read-only --union-default-graph`` on a copy of the store's quads.

It prints requests/s per round, each server's median as a share of the reference's, and the
median of the per-round shares (the steadier figure on a machine whose speed drifts).
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.endpoint_bench import (ACCEPT, SIMPLE, Client, free_port, reference_db,  # noqa: E402
                                  start_pskg, start_reference, stop_all, throughput, wait_listening)


def serve_bare(store: str, port: int, fronts: int, head: bytes) -> None:
    """The bare front (see the module's docstring); ``head`` ends with "Content-Length: "."""
    import asyncio

    import pyoxigraph as ox
    import uvloop

    from graph.serve import end_with_parent

    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(1024)
    for _ in range(fronts - 1):
        if os.fork() == 0:
            end_with_parent()
            break
    db = ox.Store.read_only(store)
    fmt = ox.QueryResultsFormat.JSON

    class Bare(asyncio.Protocol):
        def connection_made(self, transport):
            self.transport, self.buf = transport, b""

        def data_received(self, data):
            self.buf += data
            while True:
                end = self.buf.find(b"\r\n\r\n")
                if end < 0:
                    return
                length = int(self.buf[:end].lower().split(b"content-length:")[1].split(b"\r\n")[0])
                if len(self.buf) < end + 4 + length:
                    return
                body, self.buf = self.buf[end + 4:end + 4 + length], self.buf[end + 4 + length:]
                text = urllib.parse.parse_qs(body.decode("utf-8"))["query"][0]
                out = db.query(text, use_default_graph_as_union=True).serialize(format=fmt)
                self.transport.write(head + b"%d\r\n\r\n" % len(out) + out)

    loop = uvloop.new_event_loop()
    loop.run_until_complete(loop.create_server(Bare, sock=sock))
    loop.run_forever()


def pskg_head(url: str) -> bytes:
    """The status and header lines pskg serve answers the simple query with, up to "Content-Length: "."""
    c = Client(url)
    c.query(SIMPLE)
    body = urllib.parse.urlencode({"query": SIMPLE + "\n# header sample"})
    c.conn.request("POST", c.path, body, {"Content-Type": "application/x-www-form-urlencoded", "Accept": ACCEPT})
    r = c.conn.getresponse()
    r.read()
    lines = [f"HTTP/1.1 {r.status} {r.reason}"] + [f"{k}: {v}" for k, v in r.getheaders() if k.lower() != "content-length"]
    return ("\r\n".join(lines) + "\r\nContent-Length: ").encode("latin-1")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--seconds", type=float, default=8.0)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--fronts", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--serve-bare", nargs=2, metavar=("PORT", "HEADFILE"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.serve_bare:
        return serve_bare(str(a.store), int(a.serve_bare[0]), a.fronts, Path(a.serve_bare[1]).read_bytes())
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        log = open(work / "servers.log", "w")
        procs = []
        try:
            ours = start_pskg(a.store, a.workers, a.fronts, 60.0, log, procs)
            (work / "head").write_bytes(pskg_head(ours))
            port = free_port()
            procs.append(subprocess.Popen([sys.executable, __file__, "--store", str(a.store), "--fronts", str(a.fronts),
                                           "--serve-bare", str(port), str(work / "head")], stderr=log))
            wait_listening(port, procs[-1])
            bare = f"http://127.0.0.1:{port}/sparql"
            ref = start_reference(reference_db(a.store, work), None, log, procs)
            servers = {"pskg serve": ours, "bare front": bare, "oxigraph": ref}
            rates: dict[str, list[float]] = {name: [] for name in servers}
            print(f"distinct-text requests/s, {a.clients} clients x {a.seconds:g} s, {a.fronts} fronts\n")
            print("| round | " + " | ".join(servers) + " |\n|---|" + "---:|" * len(servers))
            for r in range(a.rounds):
                for name, url in servers.items():
                    rate, failed = throughput(url, a.clients, a.seconds, distinct=True)
                    if failed:
                        raise SystemExit(f"{name}: {failed} requests failed")
                    rates[name].append(rate)
                print(f"| {r + 1} | " + " | ".join(f"{rates[n][-1]:.0f}" for n in servers) + " |", flush=True)
            ref_median = statistics.median(rates["oxigraph"])
            print("| median / oxigraph's median | " + " | ".join(f"{statistics.median(rates[n]) / ref_median:.2f}"
                                                               for n in servers) + " |")
            print("| median of the rounds' shares | " + " | ".join(
                f"{statistics.median(x / y for x, y in zip(rates[n], rates['oxigraph'])):.2f}" for n in servers) + " |")
        finally:
            stop_all(procs)


if __name__ == "__main__":
    main()
