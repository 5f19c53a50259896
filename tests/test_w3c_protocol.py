"""The W3C SPARQL 1.1 Protocol tests, run by tests/w3c_protocol.py against real `pskg serve`
processes: the 20 query tests on a read-only server whose store holds the manifest's
graphs, the 14 update tests on a server started with --allow-update."""
from __future__ import annotations

import pytest

from conftest import start_server, stop_server
from w3c_protocol import MANIFEST, load_graph_data, load_manifest, run_test

pytestmark = pytest.mark.skipif(not MANIFEST.exists(), reason="../shared/w3c/protocol is not beside the repository")
TESTS = load_manifest() if MANIFEST.exists() else []
QUERY_TESTS = [t for t in TESTS if t.is_query]
UPDATE_TESTS = [t for t in TESTS if not t.is_query]


@pytest.fixture(scope="module")
def read_only(tmp_path_factory):
    store = tmp_path_factory.mktemp("w3c") / "store"
    load_graph_data(store, QUERY_TESTS)
    proc, base = start_server(store)
    yield base
    stop_server(proc)


@pytest.fixture(scope="module")
def writable(tmp_path_factory):
    store = tmp_path_factory.mktemp("w3c-rw") / "store"
    load_graph_data(store, [])
    proc, base = start_server(store, "--allow-update")
    yield base
    stop_server(proc)


def test_the_manifest_has_20_query_and_14_update_tests():
    assert len(QUERY_TESTS) == 20 and len(UPDATE_TESTS) == 14


@pytest.mark.parametrize("path", ["/sparql/", "/sparql"])
@pytest.mark.parametrize("test", QUERY_TESTS, ids=lambda t: t.name)
def test_query(read_only, test, path):
    ok, why = run_test(read_only, test, path)
    assert ok, why


@pytest.mark.parametrize("test", UPDATE_TESTS, ids=lambda t: t.name)
def test_update(writable, test):
    ok, why = run_test(writable, test)
    assert ok, why
