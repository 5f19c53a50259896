"""Quick queries run in the server process (graph/sparql_pool.py, "Quick queries"): a shape
(text without comments, dataset) a worker answered quickly is answered next time without a
worker, with the same bytes; any other query still waits for a worker; a shape whose run in
the server process is slow goes back to the workers."""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT, start_server, stop_server
from endpoint_support import children, copy_store, descendants, sparql
from graph.sparql_text import without_comments

PLANS = "SELECT ?p WHERE {{ ?p a pskg:Plan }} ORDER BY ?p LIMIT 2 # {tag}"


def test_comments_are_blanked_but_hashes_in_strings_and_iris_stay():
    text = 'SELECT * WHERE { ?s <http://example.org/a#b> "x # y" } # note\n# another\nLIMIT 1'
    out = without_comments(text)
    assert "<http://example.org/a#b>" in out and '"x # y"' in out
    assert "note" not in out and "another" not in out and out.endswith("LIMIT 1")
    assert without_comments("SELECT ?x { ?x ?p '''a # b\nc''' } # z") == "SELECT ?x { ?x ?p '''a # b\nc''' }"
    assert without_comments("ASK {}") == without_comments("# a comment first\nASK {}\n") == "ASK {}"
    assert without_comments(PLANS.format(tag="a")) == without_comments(PLANS.format(tag="b"))


@pytest.fixture(scope="module")
def server(built_store, tmp_path_factory):
    store, _ = built_store
    proc, base = start_server(copy_store(store.path, tmp_path_factory.mktemp("quick") / "store"),
                              "--workers", "1", "--fast-lane", "1", "--timeout", "2")
    yield proc, base
    stop_server(proc)


def ask(base: str, query: str) -> tuple[int, str | None, bytes]:
    status, headers, body = sparql(base, query)
    return status, headers.get("Content-Type"), body


def workers_of(proc) -> list[int]:
    """The query workers: every process under the server's forkserver."""
    direct = set(children(proc.pid))
    return [p for p in descendants(proc.pid) if p not in direct]


def test_a_quick_shape_is_answered_without_a_worker(server):
    proc, base = server
    first = ask(base, PLANS.format(tag="first"))
    assert first[0] == 200 and first[1].startswith("application/sparql-results+json")
    for n in range(3):  # a worker's first run may be slow (cold caches): those are not learnt
        assert ask(base, PLANS.format(tag=f"again {n}")) == first
    time.sleep(1.0)  # the server opens its own handle of the store in the background
    workers = workers_of(proc)
    assert workers
    for pid in workers:
        os.kill(pid, signal.SIGSTOP)
    try:
        t = time.perf_counter()
        assert ask(base, PLANS.format(tag="while the workers are stopped")) == first
        assert time.perf_counter() - t < 1.5
        # another shape waits for a worker, up to the time limit
        assert sparql(base, "ASK { ?s a pskg:Plan }")[0] == 503
        # a query naming SERVICE or LOAD anywhere (here in a string) never runs in the server process
        status = sparql(base, 'SELECT ("download" AS ?x) WHERE { ?p a pskg:Plan } LIMIT 1 # a')[0]
        assert status == 503
    finally:
        for pid in workers:  # those still there (the pool kills a worker past the time limit)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
    assert sparql(base, 'SELECT ("download" AS ?x) WHERE { ?p a pskg:Plan } LIMIT 1 # b')[0] == 200


SCENARIO = """
import asyncio, sys
from graph import sparql_pool
from graph.sparql_pool import WorkerPool
from graph.sparql_worker import Job

PLANS = {plans!r}


async def scenario(path):
    pool = WorkerPool(path, workers=1, fast=0, timeout=20)
    await pool.start()
    try:
        gen = pool.current
        job = Job(PLANS.format(tag="a"), accept="application/sparql-results+json")
        for _ in range(5):  # a worker's first run may be slow (cold caches)
            worker_reply = await pool.run(job)
            if job.shape() in gen.quick:
                break
        assert worker_reply.status == 200 and job.shape() in gen.quick, "learnt"
        for _ in range(100):
            if gen.inline_store is not None:
                break
            await asyncio.sleep(0.05)
        again = Job(PLANS.format(tag="b"), accept="application/sparql-results+json")
        for _ in range(5):  # the handle's first runs may be cold, too: a slow one is forgotten, then learnt again
            inline_reply = pool.inline(gen, again)
            if inline_reply is not None and job.shape() in gen.quick:
                break
            await pool.run(job)
        assert inline_reply is not None and inline_reply.body == worker_reply.body, "same bytes"
        assert job.shape() in gen.quick
        sparql_pool.INLINE_LIMIT = -1.0  # every run in this process now counts as slow
        assert pool.inline(gen, again) is not None, "answered once more"
        assert job.shape() not in gen.quick and pool.inline(gen, again) is None, "then forgotten"
        update = Job("INSERT DATA {{ <urn:a> <urn:b> <urn:c> }}", update=True)
        assert pool.inline(gen, update) is None, "updates never"
    finally:
        await pool.close()


if __name__ == "__main__":
    asyncio.run(scenario(sys.argv[1]))
    print("ok")
"""


def test_a_shape_slow_in_the_server_process_goes_back_to_the_workers(built_store, tmp_path):
    # in a process of its own: a pool's forkserver must not come from the test process
    store, _ = built_store
    path = copy_store(store.path, tmp_path / "store")
    script = tmp_path / "scenario.py"
    script.write_text(SCENARIO.format(plans=PLANS))
    r = subprocess.run([sys.executable, str(script), str(path)], capture_output=True, text=True, cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert r.returncode == 0 and r.stdout.strip().endswith("ok"), r.stderr[-3000:]
