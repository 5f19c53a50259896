"""graph.store.BackgroundLoads: bulk loads on their own thread, errors and callbacks in the caller's."""
import threading

import pyoxigraph as ox
import pytest

from graph.store import BackgroundLoads, GraphStore

G = "https://example.org/g"


def batch(n: int, start: int = 0) -> bytes:
    return "".join(f"<https://example.org/s{i}> <https://example.org/p> \"{i}\" <{G}> .\n"
                   for i in range(start, start + n)).encode()


def test_batches_load_and_done_runs_in_the_callers_thread_in_order(tmp_path):
    store = GraphStore(tmp_path / "st")
    calls = []
    me = threading.get_ident()
    with BackgroundLoads(store) as loads:
        loads.submit(batch(1000), lambda: calls.append(("a", threading.get_ident())))
        loads.submit(batch(1000, 1000), lambda: calls.append(("b", threading.get_ident())))
        assert calls == [("a", me)]  # the first load was waited for before the second started
    assert calls == [("a", me), ("b", me)]
    assert len(list(store.store.quads_for_pattern(None, None, None, ox.NamedNode(G)))) == 2000
    assert store.bulk_quads == 2000


def test_a_failed_load_raises_at_the_next_wait_and_skips_its_done(tmp_path):
    store = GraphStore(tmp_path / "st")
    calls = []
    with pytest.raises(SyntaxError):
        with BackgroundLoads(store) as loads:
            loads.submit(b"<https://example.org/s> not n-quads .\n", lambda: calls.append("bad"))
            loads.submit(batch(10), lambda: calls.append("good"))  # waits for the bad one first: raises
    assert calls == []


def test_an_error_in_the_caller_waits_for_the_running_load(tmp_path):
    store = GraphStore(tmp_path / "st")
    calls = []
    with pytest.raises(KeyError):
        with BackgroundLoads(store) as loads:
            loads.submit(batch(5000), lambda: calls.append("done"))
            raise KeyError("the caller failed")
    assert calls == []  # not counted as stored: the next build redoes it
    # the load itself finished before the context ended: nothing is still writing the store
    assert len(list(store.store.quads_for_pattern(None, None, None, ox.NamedNode(G)))) == 5000
