"""The exported graph in Virtuoso: `pskg export --format nquads` loaded with Virtuoso's bulk
loader (ld_dir + rdf_loader_run, as in the README), the scorer run through Virtuoso's SPARQL
endpoint gives the numbers of the file-based run, and the named queries' portable texts
(`pskg query NAME --portable --print`) give the rows pyoxigraph gives. Skipped where
Virtuoso is not installed (.ci/run installs Debian's virtuoso-opensource)."""
from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request

import pytest

from conftest import ROOT
from endpoint_support import scorer_runs
from graph.terms import SPARQL_PREFIXES
from pskg.paths import QUERIES_DIR
from pskg.portable import portable
from pskg.query_text import bind_values

SHARED = ROOT.parent / "shared"
VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt") or shutil.which("isql")

pytestmark = [pytest.mark.skipif(not (VIRTUOSO and ISQL), reason="Virtuoso (virtuoso-t, isql-vt) not installed"),
              pytest.mark.skipif(not (SHARED / "eval" / "score.py").exists(), reason="shared/eval not beside the repository")]

INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = {sql}
DisableUnixSocket = 1
CheckpointInterval = 0
DirsAllowed = ., {load}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
MaxQueryMem = 1G
[HTTPServer]
ServerPort = {http}
ServerRoot = {d}
EnabledDavVSP = 0
ServerThreads = 4
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 5000000
MaxQueryExecutionTime = 0
MaxQueryCostEstimationTime = 0
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def isql(port: int, sql: str) -> str:
    r = subprocess.run([ISQL, f"127.0.0.1:{port}", "dba", "dba", f"exec={sql}"], capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0 and "*** Error" not in r.stdout, r.stdout + r.stderr
    return r.stdout


@pytest.fixture(scope="module")
def virtuoso(built_store, tmp_path_factory):
    """A Virtuoso server of its own, with the bundled corpus's store bulk-loaded; its SPARQL URL."""
    store, _ = built_store
    d = tmp_path_factory.mktemp("virtuoso")
    load = d / "load"
    load.mkdir()
    with open(load / "graph.nq", "wb") as fh:  # what `pskg export --format nquads -o graph.nq` writes
        store.export("nquads", fh)
    sql, http = free_port(), free_port()
    (d / "virtuoso.ini").write_text(INI.format(d=d, sql=sql, http=http, load=load), encoding="utf-8")
    proc = subprocess.Popen([VIRTUOSO, "-f", "-c", str(d / "virtuoso.ini")], cwd=d,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        end = time.time() + 120
        while True:
            try:
                with socket.create_connection(("127.0.0.1", sql), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None or time.time() > end:
                    raise RuntimeError(f"Virtuoso did not start: {(d / 'virtuoso.log').read_text(errors='replace')[-2000:]}")
                time.sleep(0.5)
        time.sleep(1)
        isql(sql, f"ld_dir('{load}', 'graph.nq', 'https://w3id.org/pskg/graph/default');")
        isql(sql, "rdf_loader_run();")
        isql(sql, "checkpoint;")
        status = isql(sql, "SELECT ll_file, ll_state, ll_error FROM DB.DBA.load_list;")
        assert "graph.nq" in status and "NULL" in status, status
        yield f"http://127.0.0.1:{http}/sparql"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_virtuoso_holds_every_quad(virtuoso, built_store):
    store, _ = built_store
    url = virtuoso + "?" + urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                                                   "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/pskg/')) }"})
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        n = int(json.load(r)["results"]["bindings"][0]["n"]["value"])
    assert n == len(store)


def test_scorer_through_virtuoso_matches_the_file_run(virtuoso, built_store, tmp_path):
    by_file, by_virtuoso = scorer_runs(built_store[0], tmp_path, virtuoso, SHARED)
    assert by_file.returncode == by_virtuoso.returncode == 0, by_virtuoso.stderr[-3000:]
    assert "documents:" in by_file.stdout
    assert by_virtuoso.stdout == by_file.stdout


# the named queries run whole (unpaged: a page's members depend on each engine's order),
# unbound and with a parameter bound
NAMED = [("agencies", []), ("agencies", ["region=白银市"]), ("agency-counterparts", []),
         ("agency-counterparts", ["function=education"]), ("agency-portfolio", []),
         ("agency-portfolio", ["agency=白银市教育局"]), ("cross-level", []), ("cross-level", ["function=education"]),
         ("indicators", []), ("indicators", ["region=荆门市"]), ("owners-by-level", []),
         ("owners-by-level", ["region=白银市"]), ("owners-by-level", ["service=义务教育"]), ("plans", []),
         ("populations-by-service", []), ("populations-by-service", ["service=义务教育"]),
         ("region-comparison", []), ("region-comparison", ["region=白银市"]), ("regions", []),
         ("services-by-population", []), ("services-by-population", ["population=残疾人"]),
         ("who-leads", []), ("who-leads", ["region=白银市"])]


def virtuoso_rows(url: str, query: str) -> list[dict[str, str]]:
    data = urllib.parse.urlencode({"query": query}).encode("utf-8")
    req = urllib.request.Request(url, data=data, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=300) as r:
        res = json.load(r)
    names = res["head"]["vars"]
    return [{n: b[n]["value"] for n in names if n in b} for b in res["results"]["bindings"]]


def as_set(rows: list[dict[str, str]]) -> list[tuple]:
    """Rows as a sorted multiset; an empty aggregate ("" in Virtuoso, unbound in Oxigraph)
    left out and each list's items sorted (their order follows evaluation order)."""
    return sorted(tuple(sorted((k, "、".join(sorted(re.split("、| / ", v)))) for k, v in r.items() if v != ""))
                  for r in rows)


def test_every_named_query_is_run_on_virtuoso():
    assert {name for name, _ in NAMED} == {p.stem for p in QUERIES_DIR.glob("*.rq")}


@pytest.mark.parametrize("name,binds", NAMED, ids=lambda x: x if isinstance(x, str) else ",".join(x) or "unbound")
def test_named_query_portable_text_gives_pyoxigraphs_rows_on_virtuoso(virtuoso, built_store, name, binds):
    store = built_store[0]
    text = bind_values((QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8"), binds)
    ours = store.select(text)
    assert ours, "the comparison needs rows"
    assert as_set(virtuoso_rows(virtuoso, SPARQL_PREFIXES + portable(text))) == as_set(ours)
