"""The endpoint's lexical SPARQL checks (SERVICE/LOAD targets, update datasets) and the
worker sandbox (no network sockets, address-space limit), in-process and in child processes."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pyoxigraph as ox
import pytest

from conftest import ROOT
from graph.sparql_text import has_own_dataset, graph_iris, remote_targets, with_using


@pytest.mark.parametrize("query,want", [
    ("SELECT * WHERE { SERVICE <http://a.example/sparql> { ?s ?p ?o } }", ["http://a.example/sparql"]),
    ("select * { service silent <http://a.example/q> {} }", ["http://a.example/q"]),
    ("PREFIX e: <http://e.example/> SELECT * { SERVICE e:ep {} }", ["http://e.example/ep"]),
    ("SELECT * { BIND(<http://x.example/> AS ?u) SERVICE ?u {} }", [None]),
    ("SELECT * { SERVICE <relative> {} }", [None]),
    ("LOAD <http://data.example/x.ttl> INTO GRAPH <http://g.example/>", ["http://data.example/x.ttl"]),
    # the word inside strings, comments, IRIs and prefixed names is not the keyword
    ('SELECT * { ?s pskg:service ?o ; rdfs:comment "SERVICE <http://b.example/>" } # SERVICE <http://c.example/>',
     []),
    ("SELECT * { ?s <http://ex.example/SERVICE> ?o }", []),
    # an escaped character in an IRI does not hide what follows a '#' in it
    ("SELECT * { <http://x.example/a\\u0041#> ?p ?o . SERVICE <http://z.example/> {} }", ["http://z.example/"]),
    ("SELECT * { ?s ?p '''a ' b''' . SERVICE <http://y.example/> {} }", ["http://y.example/"]),
])
def test_remote_targets(query, want):
    assert remote_targets(query) == want


def test_unterminated_string_keeps_keywords_visible():
    assert remote_targets('SELECT * { ?s ?p "open . SERVICE <http://z.example/> {} }') == ["http://z.example/"]


UPDATE = """PREFIX dc: <http://purl.org/dc/terms/>
CLEAR ALL ;
INSERT DATA { GRAPH <http://g.example/1> { <http://s.example/a> a <http://t.example/Doc> } } ;
INSERT { GRAPH <http://g.example/out> { ?s a dc:Resource } } WHERE { ?s a <http://t.example/Doc> } ;
DELETE WHERE { ?s a <http://t.example/Gone> }"""


def test_with_using_adds_the_dataset_to_every_where_clause():
    out = with_using(UPDATE, ["http://g.example/1"], ["http://g.example/2"])
    using = "USING <http://g.example/1> USING NAMED <http://g.example/2>"
    assert f"}} {using} WHERE {{ ?s a <http://t.example/Doc> }}" in out
    assert f"DELETE {{ ?s a <http://t.example/Gone> }} {using} WHERE {{ ?s a <http://t.example/Gone> }}" in out
    assert out.count("USING <") == 2  # CLEAR and INSERT DATA are left alone
    store = ox.Store()
    store.update(out)  # pyoxigraph accepts the rewritten text
    rows = list(store.query("SELECT ?s WHERE { GRAPH <http://g.example/out> { ?s ?p ?o } }"))
    assert [r["s"].value for r in rows] == ["http://s.example/a"]  # the WHERE saw graph 1


def test_own_dataset_is_detected_and_kept():
    own = "WITH <http://g.example/w> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert has_own_dataset(own) and with_using(own, ["http://g.example/1"], []) == own
    assert has_own_dataset("INSERT { ?s ?p ?o } USING <http://g.example/u> WHERE { ?s ?p ?o }")
    assert not has_own_dataset(UPDATE)
    assert graph_iris(UPDATE) == {"http://g.example/1", "http://g.example/out"}
    assert graph_iris("COPY <http://g.example/a> TO GRAPH <http://g.example/b>") == {
        "http://g.example/a", "http://g.example/b"}


def _child(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="seccomp is Linux only")
def test_deny_network_blocks_inet_sockets_but_not_unix_ones():
    r = _child("""
        import socket, threading
        listener = socket.create_server(("127.0.0.1", 0))
        port = listener.getsockname()[1]
        from graph.sandbox import deny_network
        assert deny_network()
        a, b = socket.socketpair(); a.send(b"x"); assert b.recv(1) == b"x"
        for family in (socket.AF_INET, socket.AF_INET6):
            try:
                socket.socket(family)
                raise SystemExit("an inet socket was created")
            except PermissionError:
                pass
        import pyoxigraph as ox
        try:
            list(ox.Store().query(f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/sparql> {{}} }}"))
            raise SystemExit("SERVICE ran")
        except PermissionError:
            pass
        listener.setblocking(False)
        try:
            listener.accept()
            raise SystemExit("the listener was reached")
        except BlockingIOError:
            print("ok")
    """)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stderr


def test_memory_limit_aborts_an_oversized_query():
    r = _child("""
        import pyoxigraph as ox
        from graph.sandbox import limit_memory
        s = ox.Store()
        s.extend([ox.Quad(ox.NamedNode(f"http://s.example/{i}"), ox.NamedNode("http://p.example/"),
                          ox.Literal(str(i))) for i in range(300)])
        limit_memory(200 * 2**20)
        list(s.query("SELECT * { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z } ORDER BY ?a ?b ?c LIMIT 1"))
        print("finished")
    """)
    assert r.returncode == -6 and "finished" not in r.stdout  # SIGABRT from the failed allocation
