"""The explorer's whole-store figures kept per store version (explorer/precomputed.py): the
same answers as computed live, ignored when stale or damaged."""
from __future__ import annotations

import shutil

import pytest

from explorer import precomputed
from explorer.data import ExplorerData
from explorer.search import SearchIndex
from graph.store import GraphStore
from graph.store_version import mark_built


@pytest.fixture(scope="module")
def store_dir(built_store, tmp_path_factory):
    """A copy of the bundled store (this test writes into the store directory)."""
    store, _ = built_store
    store.flush()
    dst = tmp_path_factory.mktemp("pre") / "store"
    shutil.copytree(store.path, dst, ignore=shutil.ignore_patterns("LOCK", "pskg-serve"))
    return dst


def live(path) -> ExplorerData:
    return ExplorerData(GraphStore(path, read_only=True), precomputed=False)


def test_written_once_per_version_and_same_answers(store_dir):
    written, _ = precomputed.ensure(store_dir)
    assert written and (store_dir / precomputed.FILE).is_file()
    assert precomputed.ensure(store_dir) == (False, 0.0)  # kept for this version
    kept, fresh = ExplorerData(GraphStore(store_dir, read_only=True)), live(store_dir)
    assert kept.precomputed, "the kept figures were not loaded"
    assert "plans" in kept._memo and ("indicators", None, ()) in kept._memo
    assert kept.plans() == fresh.plans() and len(kept.plans()) == 5
    assert "plan_cards" in kept._memo and kept.plan_cards() == fresh.plan_cards()
    assert kept.ownership() == fresh.ownership() and kept.ownership()
    assert kept.class_counts() == fresh.class_counts()
    assert kept.plan_regions() == fresh.plan_regions()
    edu = "https://w3id.org/pskg/id/domain/education"
    assert kept.all_indicators() == fresh.all_indicators() and len(kept.all_indicators()) > 100
    assert kept.all_indicators(edu) == [r for r in fresh.all_indicators() if r.get("domain") == edu]
    two = [p["plan"] for p in fresh.plans()[:2]]
    assert kept.all_indicators(plans=two) == fresh.all_indicators(plans=two) and kept.all_indicators(plans=two)
    a, b = SearchIndex.build(kept), SearchIndex.build(fresh)
    for q in ("Baiyin", "教育局", "衛生", "義務教育"):
        assert a.search(q) == b.search(q) and a.search(q)[0], q
    assert kept.precomputed["geometry"], "no boundaries kept for the map"
    assert precomputed.load_search(store_dir)["entries"] == [list(e) for e in b.entries]


def test_stale_or_damaged_file_is_ignored(store_dir, capsys):
    precomputed.ensure(store_dir)
    assert precomputed.load(store_dir) is not None
    mark_built(store_dir)  # a new build: the kept figures are for the previous version
    assert precomputed.load(store_dir) is None
    assert ExplorerData(GraphStore(store_dir, read_only=True)).precomputed == {}
    assert precomputed.ensure(store_dir)[0]  # written again for the new version
    (store_dir / precomputed.FILE).write_text('{"format": 1, "version": tru', encoding="utf-8")
    assert precomputed.load(store_dir) is None
    assert "not readable" in capsys.readouterr().err
    d = ExplorerData(GraphStore(store_dir, read_only=True))
    assert d.precomputed == {} and len(d.plans()) == 5  # computed live instead


def test_a_write_failure_gives_a_warning_and_loses_nothing(store_dir, capsys):
    mark_built(store_dir)
    target = store_dir / precomputed.FILE
    target.unlink(missing_ok=True)
    target.mkdir()  # the file cannot replace a folder (as on a read-only or full disk: an OSError)
    try:
        assert precomputed.ensure(store_dir)[0] is False
        assert "could not write" in capsys.readouterr().err
        assert not list(store_dir.glob(precomputed.FILE + ".*.tmp"))  # no half-written file left
        assert len(ExplorerData(GraphStore(store_dir, read_only=True)).plans()) == 5
    finally:
        target.rmdir()


def test_results_are_cached_only_for_a_read_only_store(store_dir, built_store):
    d = ExplorerData(GraphStore(store_dir, read_only=True))
    q = "SELECT ?p WHERE { ?p a pskg:Plan ; pskg:sourceFile ?f } ORDER BY ?p"
    first = d.select(q)
    first[0]["p"] = "changed by a caller"  # a caller's change never reaches the cache
    assert d.select(q)[0]["p"] != "changed by a caller" and len(d.select(q)) == 5
    assert d._results and d._cached == 6
    small = ExplorerData(GraphStore(store_dir, read_only=True), cache_rows=40)
    for i in range(30):  # least recently used results go first; the total stays bounded
        small.select(f"SELECT ?p WHERE {{ ?p a pskg:Plan }} LIMIT {i % 3 + 1}")
        small.select(f"SELECT ?x WHERE {{ ?x a pskg:Region }} LIMIT {i + 1}")
    assert small._cached <= 40
    writable = ExplorerData(built_store[0])
    writable.select(q)
    assert not writable._results
