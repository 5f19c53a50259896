"""One description per entity, and builds that are incremental, parallel and distributable.

* the union default graph holds each triple once: a SELECT about an agency named by several
  plans has no duplicate rows, and neither does its /doc/ page;
* rebuilding after a change touches only what changed and ends with exactly the store a
  fresh build of the changed corpus gives (byte-identical exports), also for a single file
  inside a corpus folder and for a deleted document;
* --jobs and a Dask cluster give the same quads as a sequential build.
"""
from __future__ import annotations

import re
import shutil
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import CORPUS, run_cli, start_server, stop_server

SMALL = ["001_a6579b1a56d4ceb4.txt", "002_aab9be7ad895d433.txt", "004_a935d46978e3f922.txt"]


@pytest.fixture(scope="module")
def twin_store(tmp_path_factory):
    """Two plans naming the same agencies: a bundled plan and a copy of it under another name."""
    from graph.build import build
    from graph.store import GraphStore

    d = tmp_path_factory.mktemp("twins")
    corpus = d / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / SMALL[0], corpus / SMALL[0])
    shutil.copy(CORPUS / SMALL[0], corpus / ("copy-" + SMALL[0]))
    store = GraphStore(d / "store")
    assert not build([corpus], store, jobs=1).failures
    return store


def shared_node(store, cls: str, link: str) -> str:
    """The node of a class that the most plans link to (at least two)."""
    rows = store.select(f"""SELECT ?a (COUNT(DISTINCT ?plan) AS ?n) WHERE {{
        ?plan pskg:sourceFile ?f . GRAPH ?plan {{ ?x {link} ?a }} ?a a pskg:{cls} }}
        GROUP BY ?a ORDER BY DESC(?n) ?a LIMIT 1""")
    assert rows and int(rows[0]["n"]) >= 2, rows
    return rows[0]["a"]


def test_each_triple_once_in_the_default_graph(built_store, twin_store):
    for store in (built_store[0], twin_store):
        n = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]
        distinct = store.select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")[0]["n"]
        assert n == distinct
    a = shared_node(twin_store, "Agency", "pskg:leadAgency")
    rows = twin_store.select(f"SELECT ?p ?o WHERE {{ <{a}> ?p ?o }}")
    assert rows and len(rows) == len({(r["p"], r["o"]) for r in rows})
    # its description lives in the agencies graph, the plans keep their links and evidence
    graphs = {r["g"] for r in twin_store.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{a}> a pskg:Agency }} }}")}
    assert graphs == {"https://w3id.org/pskg/graph/agencies"}
    plans = twin_store.select(f"""SELECT DISTINCT ?plan WHERE {{ ?plan pskg:sourceFile ?f .
        GRAPH ?plan {{ ?plan pskg:mentions <{a}> . <{a}> pskg:evidence ?ev . ?ev pskg:sourceDocument ?plan }} }}""")
    assert len(plans) == 2
    st = shared_node(built_store[0], "Standard", "pskg:hasStandard")
    rows = built_store[0].select(f"SELECT ?p ?o WHERE {{ <{st}> ?p ?o }}")
    assert len(rows) == len({(r["p"], r["o"]) for r in rows})


def test_plain_queries_over_shared_nodes_have_no_duplicate_rows(twin_store):
    store = twin_store
    rows = store.select("""SELECT ?a ?label ?level ?fn ?r WHERE { ?a a pskg:Agency ; rdfs:label ?label ;
        pskg:level ?level ; pskg:function ?fn ; pskg:jurisdiction ?r }""")
    assert len(rows) == len({tuple(sorted(r.items())) for r in rows}) >= 10
    pops = store.select("SELECT ?p ?alt WHERE { ?p a pskg:TargetPopulation ; skos:altLabel ?alt }")
    assert len(pops) == len({(r["p"], r["alt"]) for r in pops})
    plans = store.select("SELECT ?plan ?title WHERE { ?plan a pskg:Plan ; dct:title ?title }")
    assert len(plans) == len({(r["plan"], r["title"]) for r in plans})


def test_doc_page_shows_each_statement_once(twin_store):
    store = twin_store
    a = shared_node(store, "Agency", "pskg:leadAgency")
    proc, base = start_server(store.path)
    try:
        path = a.split("/id/", 1)[1]
        req = urllib.request.Request(base + "doc/" + path, headers={"Accept": "text/html"})
        with urllib.request.urlopen(req, timeout=60) as r:
            html = r.read().decode("utf-8")
        req = urllib.request.Request(base + "doc/" + path, headers={"Accept": "application/n-triples"})
        with urllib.request.urlopen(req, timeout=60) as r:
            nt = r.read().decode("utf-8")
    finally:
        stop_server(proc)
    statements = html.split("<h2>Statements</h2>", 1)[1].split("</table>", 1)[0]
    rows = statements.split("<tr>")[1:]
    assert rows and len(rows) == len(set(rows))
    label = store.select(f'SELECT ?l WHERE {{ <{a}> rdfs:label ?l }}')[0]["l"]
    assert statements.count(f"<td>{label} <code>@") == 1
    lines = [ln for ln in nt.splitlines() if ln.strip()]
    assert len(lines) == len(set(lines))


# ------------------------------------------------------------------ incremental builds
def export(store_dir: Path) -> bytes:
    r = run_cli("export", "--store", str(store_dir), "--format", "nquads")
    assert r.returncode == 0, r.stderr
    return r.stdout.encode("utf-8")


def plan_count(store_dir: Path) -> list[str]:
    r = run_cli("query", "--store", str(store_dir), "--format", "csv", "-e",
                "SELECT ?f WHERE { ?p pskg:sourceFile ?f } ORDER BY ?f")
    assert r.returncode == 0, r.stderr
    return r.stdout.split()[1:]


def summary(out: str) -> str:
    return next(ln for ln in out.splitlines() if ln.startswith("documents:"))


def test_incremental_rebuild_equals_a_fresh_build(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    shutil.copy(CORPUS / SMALL[0], corpus / SMALL[0])
    shutil.copy(CORPUS / SMALL[1], corpus / "sub" / SMALL[1])
    shutil.copy(CORPUS / SMALL[2], corpus / SMALL[2])
    store = tmp_path / "store"
    r = run_cli("build", str(corpus), "--store", str(store), "--jobs", "1")
    assert r.returncode == 0, r.stderr
    assert "3 stored" in summary(r.stdout) and "(full rebuild)" in summary(r.stdout)
    assert "store compacted" in summary(r.stdout)  # a full build ends compacted
    steps = next(ln for ln in r.stdout.splitlines() if ln.startswith("time: "))  # the wall time of each step
    assert re.fullmatch(r"time: listing [\d.]+s, documents [\d.]+s, shared descriptions [\d.]+s, "
                        r"counterparts [\d.]+s, VoID [\d.]+s, compaction [\d.]+s", steps), steps
    assert plan_count(store) == [SMALL[0], SMALL[2], "sub/" + SMALL[1]]

    # nothing changed: nothing rebuilt
    r = run_cli("build", str(corpus), "--store", str(store))
    assert "0 stored, 3 unchanged" in summary(r.stdout), r.stdout

    # one file of a subfolder given alone keeps its corpus-relative key: replaced, not copied
    one = corpus / "sub" / SMALL[1]
    one.write_text(one.read_text(encoding="utf-8") + "\n（市教育局牵头，市民政局配合）\n", encoding="utf-8")
    r = run_cli("build", str(one), "--store", str(store))
    assert r.returncode == 0, r.stderr
    assert "1 stored" in summary(r.stdout) and "full rebuild" not in summary(r.stdout)
    assert "compacted" not in summary(r.stdout)  # a one-document change is left to RocksDB
    assert re.search(r"^time: listing .*, VoID [\d.]+s, flush [\d.]+s$", r.stdout, re.M), r.stdout  # no compaction step
    assert plan_count(store) == [SMALL[0], SMALL[2], "sub/" + SMALL[1]]

    # a deleted document's graph, source text and contributions go
    (corpus / SMALL[2]).unlink()
    r = run_cli("build", str(corpus), "--store", str(store))
    assert "1 removed" in summary(r.stdout), r.stdout
    assert plan_count(store) == [SMALL[0], "sub/" + SMALL[1]]

    fresh = tmp_path / "fresh"
    assert run_cli("build", str(corpus), "--store", str(fresh), "--jobs", "1").returncode == 0
    assert export(store) == export(fresh)
    # no write-ahead log left behind
    assert sum(p.stat().st_size for p in store.glob("*.log")) == 0


def test_parallel_build_gives_the_sequential_quads(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    for name in SMALL:
        shutil.copy(CORPUS / name, corpus / name)
    outs = []
    for jobs in ("1", "2"):
        store = tmp_path / f"s{jobs}"
        r = run_cli("build", str(corpus), "--store", str(store), "--jobs", jobs)
        assert r.returncode == 0, r.stderr
        outs.append(export(store))
    assert outs[0] == outs[1] and len(outs[0]) > 100_000


DASK_BUILD = """
import sys
from pathlib import Path
from dask.distributed import LocalCluster
from graph.build import build
from graph.store import GraphStore

if __name__ == "__main__":
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        assert len(cluster.workers) == 2
        report = build([Path(sys.argv[1])], GraphStore(Path(sys.argv[2])), dask=cluster.scheduler_address)
    print("stored", report.count("stored"), "failed", len(report.failures))
"""


def test_build_on_a_local_dask_cluster(tmp_path):
    """The per-document map on a local Dask cluster of two worker processes (started in a
    child process of its own) gives the quads of a sequential build."""
    pytest.importorskip("dask.distributed")
    import subprocess
    import sys

    from conftest import ROOT

    corpus = tmp_path / "c"
    corpus.mkdir()
    for name in SMALL[:2]:
        shutil.copy(CORPUS / name, corpus / name)
    seq = tmp_path / "seq"
    assert run_cli("build", str(corpus), "--store", str(seq), "--jobs", "1").returncode == 0
    script = tmp_path / "dask_build.py"
    script.write_text(DASK_BUILD, encoding="utf-8")
    r = subprocess.run([sys.executable, str(script), str(corpus), str(tmp_path / "dask")], capture_output=True,
                       text=True, cwd=ROOT, timeout=600, env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr[-3000:]
    assert "stored 2 failed 0" in r.stdout
    assert export(tmp_path / "dask") == export(seq)


def test_void_figures_match_the_store(built_store):
    """The stored VoID counts itself: its totals are the store's, per class and per graph."""
    store, _ = built_store
    from graph.void import VOID, VOID_GRAPH, class_counts, dataset_iri, total_triples

    assert total_triples(store.select) == len(store)
    counted = {r["c"]: int(r["n"]) for r in store.select(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c")}
    assert class_counts(store.select) == counted
    per_graph = {r["g"]: int(r["n"]) for r in store.select(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")}
    stored = {r["g"]: int(r["n"]) for r in store.select(f"""SELECT ?g ?n WHERE {{ GRAPH <{VOID_GRAPH}> {{
        <{dataset_iri().value}> <{VOID}subset> ?x . ?x <http://www.w3.org/ns/sparql-service-description#name> ?g ;
        <{VOID}triples> ?n }} }}""")}
    assert stored == per_graph
    entities = store.select("""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o .
        FILTER(isIRI(?s) && STRSTARTS(STR(?s), "https://w3id.org/pskg/id/")) }""")[0]["n"]
    assert store.select(f"SELECT ?n WHERE {{ <{dataset_iri().value}> <{VOID}entities> ?n }}")[0]["n"] == entities
    # figures per plan
    plan = ox.NamedNode("https://w3id.org/pskg/id/plan/001_a6579b1a56d4ceb4")
    rows = store.select(f"""SELECT ?n WHERE {{ GRAPH <{VOID_GRAPH}> {{ ?x <http://www.w3.org/ns/sparql-service-description#name> <{plan.value}> ;
        <{VOID}classPartition> ?part . ?part <{VOID}class> pskg:Indicator ; <{VOID}entities> ?n }} }}""")
    n = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{plan.value}> {{ ?i a pskg:Indicator }} }}")[0]["n"]
    assert rows == [{"n": n}]


def test_counterparts_graph_rewritten_by_subject_hashes(tmp_path):
    """The counterparts graph is brought up to date from the hashes the manifest keeps per
    subject; when they cannot be trusted (a write that did not finish), from the graph itself."""
    from graph.build import build
    from graph.counterparts import COUNTERPARTS_GRAPH, write_counterparts
    from graph.manifest import Manifest
    from graph.store import GraphStore

    corpus = tmp_path / "c"
    corpus.mkdir()
    shutil.copy(CORPUS / SMALL[0], corpus / SMALL[0])
    store = GraphStore(tmp_path / "store")
    assert not build([corpus], store, jobs=1).failures
    g = ox.NamedNode(COUNTERPARTS_GRAPH)
    before = set(store.store.quads_for_pattern(None, None, None, g))
    manifest = Manifest(store.path)
    hashes = manifest.derived_hashes(COUNTERPARTS_GRAPH)
    assert hashes and set(hashes) == {q.subject.value for q in before}

    # trusted hashes, nothing changed: the graph stays as it is, and so do its figures
    n, classes, subjects = write_counterparts(store, manifest)
    assert set(store.store.quads_for_pattern(None, None, None, g)) == before and n == len(before)
    assert classes["https://w3id.org/pskg/ontology#ExpectedOwnership"] > 0 and subjects

    # a write that stopped halfway: hashes not trusted, the graph is compared and mended
    lost = sorted(before, key=str)[:25]
    for q in lost:
        store.store.remove(q)
    stray = ox.Quad(ox.NamedNode("https://w3id.org/pskg/id/body/stray"), ox.NamedNode(ox.NamedNode(
        "http://www.w3.org/2000/01/rdf-schema#label").value), ox.Literal("x"), g)
    store.store.add(stray)
    manifest.derived_writing(COUNTERPARTS_GRAPH)
    assert manifest.derived_hashes(COUNTERPARTS_GRAPH) is None
    write_counterparts(store, manifest)
    assert set(store.store.quads_for_pattern(None, None, None, g)) == before
    assert manifest.derived_hashes(COUNTERPARTS_GRAPH) == hashes
    manifest.close()


def test_reopen_compacts_after_large_bulk_loads(tmp_path, monkeypatch):
    """Bulk loads past the threshold end in a compaction; the data stays as it was."""
    import graph.store as gs

    monkeypatch.setattr(gs, "COMPACT_AFTER_QUADS", 3000)
    store = gs.GraphStore(tmp_path / "s")
    for b in range(3):
        store.bulk_nquads("".join(f"<http://e/s{b}-{i}> <http://e/p> \"{i}\" <http://e/g{b}> .\n"
                                  for i in range(900)).encode())
    assert store.bulk_quads == 2700
    assert store.reopen() is False  # under the threshold: no compaction
    store.bulk_nquads("".join(f"<http://e/t{i}> <http://e/p> \"{i}\" <http://e/g9> .\n" for i in range(400)).encode())
    assert store.bulk_quads == 400  # counted since the last reopen
    assert store.reopen(compact=True) is True
    assert store.bulk_quads == 0
    store.bulk_nquads("".join(f"<http://e/u{i}> <http://e/p> \"{i}\" <http://e/g8> .\n" for i in range(3000)).encode())
    assert store.reopen() is True  # past the threshold
    assert len(store.store) == 2700 + 400 + 3000
