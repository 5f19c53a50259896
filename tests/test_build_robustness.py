"""Bad input gets a clear error and loses nothing: the good documents are stored and queryable."""
from __future__ import annotations

import random
import shutil

import pyoxigraph as ox
import pytest

from conftest import CORPUS, run_cli

GOOD = ["001_a6579b1a56d4ceb4.txt", "004_a935d46978e3f922.txt"]


@pytest.fixture(scope="module")
def messy_corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("messy")
    for name in GOOD:
        shutil.copy(CORPUS / name, d / name)
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (d / "random5mb.txt").write_bytes(random.Random(7).randbytes(5 * 1024 * 1024))
    # a huge text without a single line break (real characters, ~2.3 M of them)
    (d / "oneline.txt").write_text("基本公共服务均等化" * 260_000, encoding="utf-8")
    data = (CORPUS / "002_aab9be7ad895d433.txt").read_bytes()
    cut = len(data) // 2
    while (data[cut] & 0xC0) == 0x80:  # land inside a multi-byte character
        cut += 1
    (d / "truncated.txt").write_bytes(data[:cut + 1])
    return d


def test_build_reports_bad_files_and_keeps_good_ones(messy_corpus, tmp_path):
    store = tmp_path / "store"
    r = run_cli("build", str(messy_corpus), "--store", str(store))
    assert r.returncode == 1, r.stdout + r.stderr
    # exactly one error line per bad file on stderr (the progress lines are on stdout)
    errors = r.stderr.splitlines()
    by_file = {ln.split()[1].rstrip(":"): ln for ln in errors}
    assert len(errors) == len(by_file) == 4 and all(ln.startswith("failed: ") for ln in errors), r.stderr
    assert set(by_file) == {"binary.txt", "empty.txt", "oneline.txt", "random5mb.txt"}, r.stderr
    assert sum(" ERROR " in ln for ln in r.stdout.splitlines() if ln.startswith("[")) == 4
    assert "empty file" in by_file["empty.txt"]
    assert "binary" in by_file["binary.txt"] or "decode" in by_file["binary.txt"]
    assert "too long" in by_file["oneline.txt"]
    # the truncated plan is still a plan: stored, with its title
    assert "truncated.txt" in r.stdout and "荆门市" in r.stdout
    assert "failed: binary.txt" in r.stderr
    # the good documents are queryable, and the store opens cleanly
    q = run_cli("query", "--store", str(store), "--format", "csv", "-e",
                "SELECT ?f WHERE { ?p a pskg:Plan ; pskg:sourceFile ?f } ORDER BY ?f")
    assert q.returncode == 0, q.stderr
    files = q.stdout.split()[1:]
    assert files == sorted(GOOD + ["truncated.txt"])
    st = ox.Store.read_only(str(store))
    assert len(st) > 1000


def test_rebuild_replaces_graph_atomically(tmp_path):
    from graph.build import build
    from graph.store import GraphStore
    from graph.terms import plan_iri

    d = tmp_path / "c"
    d.mkdir()
    shutil.copy(CORPUS / GOOD[0], d / GOOD[0])
    store = GraphStore(tmp_path / "s")
    build([d], store)
    g = plan_iri(GOOD[0])
    n1 = len(list(store.store.quads_for_pattern(None, None, None, g)))
    build([d], store)
    n2 = len(list(store.store.quads_for_pattern(None, None, None, g)))
    assert n1 == n2 > 0
    # a failing update (here: a syntax error after the DROP) leaves the old graph in place
    with pytest.raises(SyntaxError):
        store.store.update(f"DROP GRAPH {g} ; INSERT DATA {{ GRAPH {g} {{ <http://x/s> <http://x/p> \"unterminated }} }}")
    assert len(list(store.store.quads_for_pattern(None, None, None, g))) == n1
    bad = [ox.Quad(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.Literal("o"), g)]
    store.replace_graph(g, bad)
    assert len(list(store.store.quads_for_pattern(None, None, None, g))) == 1


def test_gbk_copy_gives_the_same_facts(tmp_path):
    """A GBK/GB18030-encoded copy of a bundled plan is detected and yields the same graph
    (offsets count characters of the decoded text, so even the evidence is equal)."""
    from graph.build import build
    from graph.store import GraphStore

    name = "004_a935d46978e3f922.txt"
    text = (CORPUS / name).read_text(encoding="utf-8")
    utf, gbk = tmp_path / "utf", tmp_path / "gbk"
    utf.mkdir()
    gbk.mkdir()
    (utf / name).write_text(text, encoding="utf-8")
    (gbk / name).write_bytes(text.encode("gb18030"))
    dumps = []
    for d in (utf, gbk):
        store = GraphStore(tmp_path / f"store-{d.name}")
        rep = build([d], store)
        assert not rep.failures
        out = tmp_path / f"{d.name}.nq"
        with open(out, "wb") as fh:
            store.export("nquads", fh)
        lines = [ln for ln in out.read_text(encoding="utf-8").splitlines() if "ontology#encoding" not in ln]
        dumps.append(lines)
    assert dumps[0] == dumps[1]


def test_big5_is_decoded(tmp_path):
    from extract.normalize import decode_bytes

    text = (CORPUS / "002_aab9be7ad895d433.txt").read_text(encoding="utf-8")
    sample = "\n".join(text.splitlines()[20:40])
    data = sample.encode("big5", errors="ignore")
    decoded, enc = decode_bytes(data)
    assert "big5" in enc.lower() or "cp950" in enc.lower()
    assert decoded == data.decode("big5")
