"""The command line on the bundled corpus: build summary, named queries, validation."""
from __future__ import annotations

import csv
import io
import json
import shutil

import pyoxigraph as ox
import pytest

from conftest import run_cli


@pytest.fixture(scope="module")
def cli_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("cli") / "store"
    r = run_cli("build", "--store", str(store))
    assert r.returncode == 0, r.stderr
    return store, r.stdout


def test_build_prints_progress_and_summary(cli_store):
    _, out = cli_store
    lines = out.splitlines()
    assert sum(1 for ln in lines if ln.startswith("[")) == 5  # one line per document (not a terminal)
    shanghai = next(ln for ln in lines if "003_a32ecd13fd3eabd8.txt" in ln)
    assert "mojibake:" in shanghai and "left marked" in shanghai
    assert sum("mojibake:" in ln for ln in lines) == 1
    summary = next(ln for ln in lines if ln.startswith("documents:"))
    assert "5 stored, 0 unchanged, 0 removed, 0 failed" in summary
    entities = next(ln for ln in lines if ln.startswith("entities:"))
    assert "Agency" in entities and "Plan" in entities and "Region" in entities


def test_named_queries_run(cli_store):
    store, _ = cli_store
    r = run_cli("query", "plans", "--store", str(store), "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert len(rows) == 5
    assert {row["region"] for row in rows} == {"山西省", "白银市", "荆门市", "上海市", "浙江省"}
    r = run_cli("query", "agency-counterparts", "--store", str(store), "--format", "csv",
                "--bind", "function=development_reform")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert rows and all(row["function"] == "development_reform" for row in rows)
    r = run_cli("query", "agencies", "--store", str(store))
    assert "白银市教育局" in r.stdout and "rows)" in r.stdout


def test_query_errors_are_clear(cli_store):
    store, _ = cli_store
    r = run_cli("query", "--store", str(store), "-e", "SELECT ?x WHERE { ?x ")
    assert r.returncode == 1 and "malformed query" in r.stderr
    r = run_cli("query", "no-such-query", "--store", str(store))
    assert r.returncode != 0 and "available:" in r.stderr
    r = run_cli("query", "plans", "--store", str(store.parent / "missing"))
    assert r.returncode == 1 and "pskg build" in r.stderr


def test_validate_conforms_and_catches_broken_data(cli_store, tmp_path):
    store, _ = cli_store
    r = run_cli("validate", "--store", str(store), "--jobs", "1")
    assert r.returncode == 0, r.stdout[-3000:]
    assert "Conforms: True" in r.stdout
    # the chunks (the plans', the counterparts graph's) checked in two processes: the same report
    two = run_cli("validate", "--store", str(store), "--jobs", "2")
    assert two.returncode == 0 and two.stdout == r.stdout
    # break the data: an agency (described in the shared agencies graph) with a level outside
    # the scheme, evidence with no quote in a plan graph
    broken = tmp_path / "broken"
    shutil.copytree(store, broken)
    st = ox.Store(str(broken))
    plan = next(q.subject for q in st.quads_for_pattern(None, ox.NamedNode("https://w3id.org/pskg/ontology#sourceFile"), None))
    agencies = ox.NamedNode("https://w3id.org/pskg/graph/agencies")
    ag = next(q.subject for q in st.quads_for_pattern(None, None, ox.NamedNode("https://w3id.org/pskg/ontology#Agency"), agencies))
    st.add(ox.Quad(ag, ox.NamedNode("https://w3id.org/pskg/ontology#level"),
                   ox.NamedNode("https://w3id.org/pskg/ontology#domain-education"), agencies))
    ev = ox.NamedNode("https://w3id.org/pskg/id/evidence/broken/1-2")
    st.add(ox.Quad(ev, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                   ox.NamedNode("https://w3id.org/pskg/ontology#Evidence"), plan))
    st.add(ox.Quad(ev, ox.NamedNode("https://w3id.org/pskg/ontology#sourceDocument"), plan, plan))
    st.flush()
    del st
    r = run_cli("validate", "--store", str(broken))
    assert r.returncode == 1
    assert "Conforms: False" in r.stdout
    assert "pskg:level" in r.stdout or "ontology#level" in r.stdout
    assert "pskg:quote" in r.stdout or "ontology#quote" in r.stdout


def test_export_to_stdout_and_one_plan(cli_store):
    store, _ = cli_store
    r = run_cli("export", "--store", str(store), "--format", "turtle", "--plan", "001_a6579b1a56d4ceb4.txt")
    assert r.returncode == 0, r.stderr
    triples = list(ox.parse(r.stdout.encode("utf-8"), format=ox.RdfFormat.TURTLE))
    # the plan's graph: what it says, with links to the shared agency (described in its own graph)
    assert any(t.object == ox.Literal("促进义务教育均衡发展", language="zh-Hans") for t in triples)
    leads = {t.object.value for t in triples if t.predicate.value.endswith("#leadAgency")}
    assert any("/agency/620400-" in a for a in leads)
    assert not any(t.predicate.value.endswith("#function") for t in triples)
    r = run_cli("export", "--store", str(store), "--plan", "nope.txt")
    assert r.returncode == 1 and "no graph" in r.stderr


def test_app_opens_the_explorer_and_the_endpoint_and_ends_both(cli_store):
    """`make run`'s command: the explorer and, beside it, the SPARQL endpoint; terminating
    the app (or killing it) leaves neither behind."""
    import os
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    from endpoint_support import free_port, wait_for

    store, _ = cli_store
    app_port, sparql_port = free_port(), free_port()
    for sig in (signal.SIGTERM, signal.SIGKILL):
        proc = subprocess.Popen([sys.executable, "-m", "pskg.cli", "app", "--store", str(store), "--port", str(app_port),
                                 "--endpoint-port", str(sparql_port)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)

        def answers(url):
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    return r.status == 200
            except OSError:
                return False

        try:
            assert wait_for(lambda: answers(f"http://127.0.0.1:{app_port}/"), 90)
            assert wait_for(lambda: answers(f"http://127.0.0.1:{sparql_port}/sparql?query=ASK%7B%7D"), 60)
        finally:
            os.kill(proc.pid, sig)
            proc.wait(timeout=20)
        assert wait_for(lambda: not answers(f"http://127.0.0.1:{sparql_port}/sparql?query=ASK%7B%7D"), 20)
        assert wait_for(lambda: not answers(f"http://127.0.0.1:{app_port}/"), 20)
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # nothing should be left; if something is, do not leak it
        except ProcessLookupError:
            pass
        time.sleep(1)


def test_a_paged_named_query_runs_a_page_at_a_time(cli_store):
    """agency-counterparts declares pages of 200 bodies: page 1 by default (which page of how
    many on stderr), --page K another, --all every row; a bound parameter gives every row."""
    store, _ = cli_store

    def rows(*args):
        r = run_cli("query", "agency-counterparts", "--store", str(store), "--format", "csv", *args)
        assert r.returncode == 0, r.stderr
        return r.stderr, list(csv.reader(io.StringIO(r.stdout)))[1:]

    note, first = rows()
    assert note.startswith("page 1 of ") and "--all for every row" in note
    pages = int(note.split()[3])
    assert pages >= 2
    _, second = rows("--page", "2")
    note, every = rows("--all")
    assert f"{pages} pages" in note
    assert first and second and not set(map(tuple, first)) & set(map(tuple, second))
    assert sorted(first + second) == sorted(every) if pages == 2 else len(every) > len(first) + len(second)
    _, beyond = rows("--page", str(pages + 1))
    assert beyond == []
    note, bound = rows("--bind", "function=education")
    assert note == "" and bound and all(r[0] == "education" for r in bound)


def test_query_print_gives_the_text_that_would_run(cli_store):
    """--print writes the bound (or paged) text instead of running it; --portable without
    LATERAL blocks, which still runs here and gives the same rows, in the same columns."""
    store, _ = cli_store
    r = run_cli("query", "who-leads", "--store", str(store), "--bind", "region=白银市", "--print")
    assert r.returncode == 0 and 'VALUES (?regionLabel) { ("白银市"@zh-Hans) }' in r.stdout and "LATERAL {" in r.stdout
    r = run_cli("query", "who-leads", "--store", str(store), "--bind", "region=白银市", "--print", "--portable")
    code = "\n".join(line for line in r.stdout.splitlines() if not line.lstrip().startswith("#"))
    assert r.returncode == 0 and "LATERAL" not in code and "OPTIONAL { ?c pskg:domain ?dc" in code
    plain = run_cli("query", "who-leads", "--store", str(store), "--bind", "region=白银市", "--format", "csv")
    portable = run_cli("query", "who-leads", "--store", str(store), "--bind", "region=白银市", "--format", "csv",
                       "--portable")
    assert portable.stdout.splitlines()[0] == plain.stdout.splitlines()[0]  # the header: the columns in order
    assert sorted(portable.stdout.splitlines()) == sorted(plain.stdout.splitlines()) and len(plain.stdout.splitlines()) > 10
    r = run_cli("query", "indicators", "--store", str(store), "--print", "--page", "1")
    assert "LIMIT 20 OFFSET 0" in r.stdout
