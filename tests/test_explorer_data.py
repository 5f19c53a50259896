"""The explorer's data layer, search index and evidence rendering, without Streamlit pages."""
from __future__ import annotations

import pytest

from explorer.data import Evidence, ExplorerData
from explorer.search import SearchIndex, fold
from explorer.ui import context, disambiguate, evidence_html


@pytest.fixture(scope="module")
def data(built_store):
    return ExplorerData(built_store[0])


@pytest.fixture(scope="module")
def index(data):
    return SearchIndex.build(data)


def test_fold_makes_traditional_and_simplified_one_key():
    assert fold("衛生 健康") == fold("卫生健康") == "卫生健康"
    assert fold("殘聯") == "残联"
    assert fold("Compulsory Education") == "compulsoryeducation"


def test_search_ranks_exact_then_prefix_then_substring():
    ix = SearchIndex([
        ("urn:a", "Agency", "市教育局", "市教育局"),
        ("urn:b", "Agency", "白银市教育局", "白银市教育局"),
        ("urn:c", "PublicService", "教育", "教育"),
        ("urn:d", "Agency", "教育局", "教育局"),
    ])
    hits, counts = ix.search("教育局")
    assert [h.iri for h in hits] == ["urn:d", "urn:a", "urn:b"]
    assert [h.score for h in hits] == [0, 2, 2]
    assert counts == {"Agency": 3}
    hits, _ = ix.search("教育")
    assert hits[0].iri == "urn:c" and hits[0].score == 0


def test_search_matches_inside_one_form_only():
    ix = SearchIndex([("urn:a", "Agency", "甲局", "甲局"), ("urn:b", "Agency", "乙厅", "乙厅")])
    assert ix.search("局乙")[0] == []  # no match across two forms
    assert ix.search("")[0] == []


def test_search_one_hit_per_entity_with_aliases(index):
    hits, counts = index.search("市残联")
    assert [h.label for h in hits].count("白银市残疾人联合会") == 1
    hit = next(h for h in hits if h.label == "白银市残疾人联合会")
    assert hit.matched == "市残联" and hit.cls == "Agency"
    assert counts["Agency"] >= 1


def test_search_filters_by_class(index):
    hits, counts = index.search("养老", classes={"PublicService"})
    assert hits and all(h.cls == "PublicService" for h in hits)
    assert counts["PublicService"] == len(hits) and sum(counts.values()) > len(hits)


def test_labels_prefer_requested_language(data):
    svc = "https://w3id.org/pskg/id/service/compulsory-education"
    assert data.label(svc) == "义务教育"
    assert data.label(svc, "en") == "compulsory education"
    assert data.label("https://w3id.org/pskg/id/nothing/here") == "here"


def test_kinds_pick_the_most_specific_class(data, built_store):
    store, _ = built_store
    task = store.select("SELECT ?c WHERE { ?c a pskg:Task } LIMIT 1")[0]["c"]
    kinds = data.kinds([task, "https://w3id.org/pskg/id/region/620400",
                        "https://w3id.org/pskg/ontology#domain-education"])
    assert list(kinds.values()) == ["Task", "Region", "Concept"]


def test_every_evidence_quote_is_the_stored_source_text(data, built_store):
    store, _ = built_store
    rows = store.select("""SELECT ?f ?s ?e ?q WHERE { ?ev pskg:quote ?q ; pskg:charStart ?s ; pskg:charEnd ?e ;
        pskg:sourceDocument/pskg:sourceFile ?f }""")
    assert len(rows) > 1000
    texts = {}
    for r in rows:
        text = texts.setdefault(r["f"], data.source_text(r["f"]))
        assert text[int(r["s"]):int(r["e"])] == r["q"]


def test_roles_group_leads_and_supports(data):
    roles = data.roles("https://w3id.org/pskg/id/agency/620400-education-3d5fadef")
    assert {r["role"] for r in roles} == {"lead"}
    assert len({r["item"] for r in roles}) == 4
    evs = data.evidence([r["item"] for r in roles], "leadAgency")
    assert all(e.prop == "leadAgency" and "牵头" in e.quote for v in evs.values() for e in v)


def test_ownership_filters_by_domain(data):
    everything = data.ownership()
    edu = data.ownership("https://w3id.org/pskg/ontology#domain-education")
    assert 0 < len(edu) < len(everything)
    assert {r["service"] for r in edu} <= {r["service"] for r in everything}


def test_context_reaches_the_sentence_around_a_span():
    text = "第一句。这里是牵头的句子,由某局负责。下一句"
    s = text.index("某局")
    a, b = context(text, s, s + 2)
    assert text[a:b] == "这里是牵头的句子,由某局负责。"


def test_evidence_html_escapes_markup():
    text = "前文。<script>alert(1)</script>由某局负责。"
    s = text.index("<script>")
    ev = Evidence("urn:p", "x.txt", s, s + len("<script>alert(1)</script>"), "<script>alert(1)</script>")
    out = evidence_html(ev, text)
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert out.count("<mark>") == 1


def test_evidence_html_without_source_text_shows_the_quote():
    ev = Evidence("urn:p", "x.txt", 5, 8, "某局")
    assert evidence_html(ev, None) == '<span class="pskg-evidence"><mark>某局</mark></span>'


def test_disambiguate_plan_names_that_read_the_same():
    names = {"urn:a": "湖北省", "urn:b": "湖北省", "urn:c": "白银市"}
    out = disambiguate(names, {"urn:a": "001", "urn:b": "002", "urn:c": "003"})
    assert out == {"urn:a": "湖北省 (001)", "urn:b": "湖北省 (002)", "urn:c": "白银市"}
    assert len(set(out.values())) == 3


# ---------------------------------------------------------------------------------- safety (issue 14)
PLANTED = "市教育局牵头![x](http://evil.example/x.png) [点我](http://evil.example) <img src=x onerror=alert(1)> www.evil.example :red[z] $x$"


def rendered(markdown: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).render(markdown)


def test_quotes_escape_markdown_and_html():
    ev = Evidence("urn:p", "f.txt", 0, len(PLANTED), PLANTED)
    out = rendered(f"> {evidence_html(ev, PLANTED)}")
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "<img" not in out and "<a " not in out
    assert "![x](http://evil.example/x.png)" in out  # shown as the characters it is


def test_labels_escape_markdown():
    from explorer.ui import md

    out = rendered(md("![x](http://evil.example/x.png) **b** [a](http://e)"))
    assert "<img" not in out and "<a " not in out and "<strong>" not in out
    assert "![x](http://evil.example/x.png) **b** [a](http://e)" in out


def test_console_runs_every_query_form_in_a_child_with_limits(built_store):
    from explorer import console

    path = built_store[0].path
    assert console.run(path, "ASK { ?p a pskg:Plan }").boolean is True
    sel = console.run(path, "SELECT ?p WHERE { ?p a pskg:Plan } ORDER BY ?p")
    assert sel.form == "select" and sel.columns == ["p"] and len(sel.rows) >= 5
    graph = console.run(path, "CONSTRUCT { ?p a pskg:Plan } WHERE { ?p a pskg:Plan }")
    assert graph.form == "graph" and len(graph.rows) == len(sel.rows)
    slow = console.run(path, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", timeout=1.5)
    assert slow.form == "error" and slow.error.startswith("time limit")
    big = console.run(path, "SELECT * WHERE { ?s ?p ?o }", max_bytes=20_000)
    assert big.form == "error" and "cap of 20,000 bytes" in big.error
    bad = console.run(path, "SELECT ?s\nWHERE {\n  ?s ?p }")
    assert bad.form == "error" and bad.position and bad.position[0] == 3
    remote = console.run(path, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert remote.form == "error"


# ---------------------------------------------------------------------------------- launching the explorer
def test_app_is_built_only_when_the_store_is_missing_or_older_than_the_corpus(tmp_path):
    import os

    from graph.store_version import mark_built
    from pskg.cli import store_is_stale

    corpus, store = tmp_path / "corpus", tmp_path / "store"
    corpus.mkdir()
    (corpus / "a.txt").write_text("规划", encoding="utf-8")
    assert store_is_stale(store, corpus)  # no store
    store.mkdir()
    mark_built(store)
    os.utime(corpus / "a.txt", (1, 1))
    assert not store_is_stale(store, corpus)
    os.utime(corpus / "a.txt", None)  # a plan changed after the build
    (corpus / "a.txt").touch()
    os.utime(store / "pskg-version", (2, 2))
    assert store_is_stale(store, corpus)


def test_users_see_no_streamlit_developer_chrome():
    import subprocess

    from conftest import ROOT
    from pskg.cli import APP_FLAGS

    flags = dict(zip(APP_FLAGS[::2], APP_FLAGS[1::2]))
    assert flags["--client.toolbarMode"] == "viewer" and flags["--client.showErrorDetails"] == "none"
    assert 'toolbarMode = "viewer"' in (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    dry = subprocess.run(["make", "-n", "run", "PORT=8600"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "--port 8600" in dry and "--rebuild" not in dry


def test_every_interface_string_has_both_languages():
    import re

    from conftest import ROOT
    from explorer.i18n import strings

    table = strings()
    code = "\n".join(p.read_text(encoding="utf-8") for p in [ROOT / "app.py", *(ROOT / "explorer").rglob("*.py")])
    used = set(re.findall(r'\bt\("([a-z_]+\.[a-z_.]+)"', code))
    assert used, "no interface strings found"
    missing = sorted(k for k in used if k not in table)
    assert not missing, missing
    assert all(zh.strip() and en.strip() for zh, en in table.values())



def test_a_span_quoted_for_several_triples_is_shown_once():
    from explorer.ui import unique_evidence

    a = Evidence("urn:p", "f.txt", 3, 9, "市教育局牵头", "leadAgency")
    b = Evidence("urn:p", "f.txt", 3, 9, "市教育局牵头", "aboutService")
    c = Evidence("urn:p", "f.txt", 12, 15, "义务教")
    assert unique_evidence([a, b, c, a]) == [a, c]
