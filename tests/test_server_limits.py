"""`pskg serve` under hostile load, as a real process: a memory bomb and a burst of slow
queries (memory stays within the bound, a simple query is answered within 1 s throughout),
idle and half-open connections, SERVICE calls (refused; nothing leaves the server), and a
build running next to the server (one consistent version, then the finished build)."""
from __future__ import annotations

import http.client
import itertools
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest

from conftest import CORPUS, ROOT, start_server, stop_server
from endpoint_support import copy_store, host_port, raw, responses, sparql, tree_rss, wait_for

MB = 2**20
WORKER_MEMORY = 256  # MB per worker in these tests
SIMPLE = "SELECT ?p WHERE {{ ?p a pskg:Plan }} ORDER BY ?p LIMIT 3 # probe {n}"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }} # {tag}"
BOMB = "SELECT ?a ?b WHERE { ?a ?p ?x . ?b ?q ?y } ORDER BY ?x ?y LIMIT 1"
COUNT_PLANS = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p pskg:sourceFile ?f }} # {n}"


@pytest.fixture(scope="module")
def store_copy(built_store, tmp_path_factory):
    store, _ = built_store
    return copy_store(store.path, tmp_path_factory.mktemp("limits") / "store")


def post_query(base: str, query: str, source: str | None = None, timeout: float = 60) -> tuple[int, bytes, float]:
    """(status, body, seconds) of one form-encoded query on a fresh connection from ``source``."""
    host, port = host_port(base)
    t = time.perf_counter()
    conn = http.client.HTTPConnection(host, port, timeout=timeout, source_address=(source, 0) if source else None)
    try:
        conn.request("POST", "/sparql", urllib.parse.urlencode({"query": query}),
                     {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
        r = conn.getresponse()
        return r.status, r.read(), time.perf_counter() - t
    finally:
        conn.close()


class Load:
    """Background senders that stop together."""

    def __init__(self):
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []

    def loop(self, fn):
        def run():
            while not self.stop.is_set():
                fn()
        t = threading.Thread(target=run, daemon=True)
        self.threads.append(t)
        t.start()

    def once(self, fn):
        t = threading.Thread(target=fn, daemon=True)
        self.threads.append(t)
        t.start()

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=60)


@pytest.mark.parametrize("distinct,probe_source", [(False, None), (True, "127.0.0.2")],
                         ids=["same-slow-query", "distinct-slow-queries-other-client"])
def test_memory_bomb_and_slow_burst_leave_room_for_a_simple_query(store_copy, distinct, probe_source):
    proc, base = start_server(store_copy, "--workers", "2", "--fast-lane", "1", "--fast-lane-limit", "0.25",
                              "--timeout", "5", "--worker-memory", str(WORKER_MEMORY), "--cache-mb", "0")
    try:
        for n in range(3):  # warm every worker
            assert post_query(base, SIMPLE.format(n=n))[0] == 200
        baseline = tree_rss(proc.pid)
        workers = 3
        bound = baseline + workers * WORKER_MEMORY * MB + 64 * MB  # + the front's buffers
        peak, probes, bombs, slow = [baseline], [], [], []
        load, counter = Load(), itertools.count()

        def monitor():
            peak.append(tree_rss(proc.pid))
            time.sleep(0.05)

        def slow_sender():
            tag = f"client {next(counter)}" if distinct else "same"
            slow.append(post_query(base, SLOW.format(tag=tag))[0])

        def bomber():
            status, body, _ = post_query(base, BOMB)
            bombs.append((status, body))

        def prober():
            status, body, took = post_query(base, SIMPLE.format(n=next(counter)), source=probe_source)
            probes.append((status, took))
            time.sleep(0.2)

        start = time.time()
        load.loop(monitor)
        for _ in range(workers):  # one bomb for each worker at once
            load.once(bomber)
        time.sleep(0.2)
        for _ in range(6):
            load.loop(slow_sender)
        load.loop(prober)
        wait_for(lambda: len(bombs) == workers, 30)
        load.once(bomber)  # and one in the middle of the slow burst
        time.sleep(max(0.0, start + 10 - time.time()))  # at least 10 s of load
        load.finish()
        assert len(bombs) == workers + 1 and all(s == 503 for s, _ in bombs), bombs
        assert sum(b"memory" in b for _, b in bombs) >= 2, bombs  # the others may be cut by the time limit
        assert slow and set(slow) <= {200, 503}
        assert len(probes) >= 10
        assert all(s == 200 for s, _ in probes), probes
        worst = max(t for _, t in probes)
        print("probes", [round(t, 2) for _, t in probes], "bombs", [b[:60] for _, b in bombs], "peak MB", max(peak) // MB, "bound MB", bound // MB)
        assert worst < 1.0, f"a simple query took {worst:.2f} s"
        assert max(peak) <= bound, f"peak {max(peak) / MB:.0f} MB > bound {bound / MB:.0f} MB"
        assert proc.poll() is None
    finally:
        stop_server(proc)


def test_idle_and_half_open_connections_do_not_lock_clients_out(store_copy):
    proc, base = start_server(store_copy, "--client-timeout", "2", "--max-connections", "400")
    host, port = host_port(base)
    held = []
    try:
        for i in range(1200):  # three times the cap: the longest idle ones are closed
            s = socket.create_connection((host, port), timeout=5)
            if i % 2:
                s.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n")  # headers never finished
            held.append(s)
        t = time.perf_counter()
        status, body, _ = post_query(base, "ASK { ?s a pskg:Plan }")
        assert status == 200 and json.loads(body)["boolean"] is True
        assert time.perf_counter() - t < 1.0
        # a half-open request is answered 408 once the header time limit has passed
        partial = socket.create_connection((host, port), timeout=10)
        partial.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        t = time.perf_counter()
        data = partial.recv(4096)
        assert data.startswith(b"HTTP/1.1 408") and 1.5 < time.perf_counter() - t < 5
        partial.close()
    finally:
        for s in held:
            s.close()
        stop_server(proc)


class Listener:
    """A local TCP listener that records every connection and answers like an empty SPARQL endpoint."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.received: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            c.settimeout(2)
            try:
                self.received.append(c.recv(65536))
                body = b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'
                c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: "
                          + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
            except OSError:
                pass
            finally:
                c.close()

    def close(self):
        self.sock.close()


def test_service_is_refused_and_nothing_leaves_the_server(store_copy):
    listener = Listener()
    url = f"http://127.0.0.1:{listener.port}/sparql"
    proc, base = start_server(store_copy)
    try:
        for query in [f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
                      f"select * {{ service silent <{url}> {{ ?s ?p ?o }} }}",
                      f"PREFIX l: <http://127.0.0.1:{listener.port}/> SELECT * {{ SERVICE l:sparql {{ ?s ?p ?o }} }}",
                      f"SELECT * {{ BIND(<{url}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
                      f"SELECT * {{ ?x ?y ?z }} # harmless\nLIMIT 1 SERVICE <{url}> {{}}"]:
            status, body, _ = post_query(base, query)
            assert status in (400, 403), (query, status, body)
            if status == 403:
                assert b"refused" in body
        status, _, _ = post_query(base, "SELECT * WHERE { ?s pskg:service ?o } LIMIT 1")  # the word alone is fine
        assert status == 200
        time.sleep(1)
        assert listener.received == []
    finally:
        stop_server(proc)
    # an allowed endpoint is called (the positive control of the check above)
    proc, base = start_server(store_copy, "--allow-service", url)
    try:
        status, body, _ = post_query(base, f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
        assert status == 200, body
        assert wait_for(lambda: listener.received, 5) and listener.received[0].startswith(b"POST /sparql")
        status, _, _ = post_query(base, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/other> { ?s ?p ?o } }")
        assert status == 403  # only the named endpoint
    finally:
        stop_server(proc)
        listener.close()


def plan_count(base: str, n: int) -> int | None:
    status, body, _ = post_query(base, COUNT_PLANS.format(n=n))
    if status != 200:
        return None
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def build(corpus, store) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pskg.cli", "build", str(corpus), "--store", str(store)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)


def test_a_running_server_serves_one_version_and_picks_up_a_finished_build(store_copy, tmp_path):
    store = copy_store(store_copy, tmp_path / "store")
    extra = tmp_path / "extra"
    extra.mkdir()
    shutil.copy(sorted(CORPUS.glob("*.txt"))[0], extra / "extra_plan.txt")
    proc, base = start_server(store, "--workers", "3", "--fast-lane", "1", "--cache-mb", "0")
    try:
        counter = itertools.count()
        assert plan_count(base, next(counter)) == 5
        writer = build(extra, store)
        during = []
        while writer.poll() is None:
            during.append(plan_count(base, next(counter)))
        assert writer.returncode == 0
        # the old version until the build has finished (the process may still print its summary
        # after that), then the new one: never a half-built state, never back
        assert len(during) > 20 and during[0] == 5 and set(during) <= {5, 6}, set(during)
        assert during == sorted(during)
        assert wait_for(lambda: plan_count(base, next(counter)) == 6, 15)
        assert {plan_count(base, next(counter)) for _ in range(30)} == {6}  # every worker on the new version
    finally:
        stop_server(proc)
    assert not list((store / "pskg-serve").iterdir())  # its snapshots are gone with it


def test_a_server_started_during_a_build_waits_for_it(tmp_path):
    store = tmp_path / "store"
    writer = build(CORPUS, store)
    assert wait_for(lambda: (store / "LOCK").exists(), 60)
    proc, base = start_server(store)
    try:
        counter, seen = itertools.count(), []
        while writer.poll() is None:
            status, body = sparql(base, COUNT_PLANS.format(n=next(counter)))[::2]
            seen.append(status if status != 200 else int(json.loads(body)["results"]["bindings"][0]["n"]["value"]))
            time.sleep(0.1)
        assert writer.returncode == 0
        # "being built" until the build has finished, then the whole store: never a partial count
        assert seen and seen[0] == 503 and set(seen) <= {503, 5}, set(seen)
        assert seen == sorted(seen, key=lambda v: v != 503)
        assert wait_for(lambda: plan_count(base, next(counter)) == 5, 20)
        assert {plan_count(base, next(counter)) for _ in range(20)} == {5}
    finally:
        stop_server(proc)


def test_a_build_killed_midway_leaves_the_served_version_in_place(store_copy, tmp_path):
    store = copy_store(store_copy, tmp_path / "store")
    proc, base = start_server(store, "--cache-mb", "0")
    try:
        writer = build(CORPUS, store)
        time.sleep(4)
        writer.kill()
        writer.wait()
        counter = itertools.count()
        assert {plan_count(base, next(counter)) for _ in range(20)} == {5}
        status, body, _ = post_query(base, "ASK { ?s ?p ?o }")
        assert status == 200
    finally:
        stop_server(proc)


def test_raw_503_when_every_connection_is_busy_is_plain_text(store_copy):
    proc, base = start_server(store_copy, "--max-connections", "2", "--timeout", "3", "--workers", "1",
                              "--fast-lane", "0")
    try:
        busy = [threading.Thread(target=post_query, args=(base, SLOW.format(tag=i)), daemon=True) for i in range(2)]
        for t in busy:
            t.start()
        time.sleep(0.5)
        got = responses(raw(base, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", timeout=3))
        assert got and got[0][0] == 503 and got[0][1]["x-content-type-options"] == "nosniff"
        for t in busy:
            t.join(10)
    finally:
        stop_server(proc)
