"""SHACL validation in chunks: the counterparts graph a slice of subjects at a time, in parallel."""
from __future__ import annotations

import shutil

import pyoxigraph as ox

import graph.validate as v
from conftest import run_cli
from graph.store import GraphStore

PSKG = "https://w3id.org/pskg/ontology#"


def test_counterparts_in_small_chunks_conform_and_still_catch_errors(built_store, tmp_path, monkeypatch):
    store, _ = built_store
    monkeypatch.setattr(v, "SUBJECTS_PER_CHUNK", 400)
    chunks = v.chunk_list(store)
    parts = [c for c in chunks if c[1] == "counterparts"]
    assert len(parts) > 3 and all(len(c[2]) <= 400 for c in parts)
    subjects = [s for c in parts for s in c[2]]
    assert len(subjects) == len(set(subjects))  # each subject checked once
    ok, text = v.validate(store, jobs=1)
    assert ok, text[:3000]
    assert f"in {len(chunks)} chunks" in text

    # a derived body (described only in the counterparts graph) with a level outside the scheme
    broken = tmp_path / "broken"
    shutil.copytree(store.path, broken)
    st = ox.Store(str(broken))
    g = ox.NamedNode("https://w3id.org/pskg/graph/counterparts")
    body = next(q.subject for q in st.quads_for_pattern(None, ox.NamedNode(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(PSKG + "DerivedBody"), g))
    st.add(ox.Quad(body, ox.NamedNode(PSKG + "level"), ox.NamedNode(PSKG + "domain-education"), g))
    # and a counterpart link from another subject to a node of the graph that is no agency
    # (the counterpart rule): the chunk sees the type of what its subjects link to
    rule = next(q.subject for q in st.quads_for_pattern(None, ox.NamedNode(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(PSKG + "CounterpartRule"), g))
    linker = next(q.subject for q in st.quads_for_pattern(None, ox.NamedNode(PSKG + "counterpart"), None, g)
                  if q.subject != body)
    st.add(ox.Quad(linker, ox.NamedNode(PSKG + "counterpart"), rule, g))
    st.flush()
    del st
    ok, text = v.validate(GraphStore(broken, read_only=True), jobs=1)
    assert not ok
    assert body.value in text and ("ontology#level" in text or "pskg:level" in text)
    assert "pskg:counterpart links agencies" in text and linker.value in text
    # the same through the command line, chunks in two processes (a fresh interpreter: the
    # pool's spawned workers re-import the parent's main module)
    r = run_cli("validate", "--store", str(broken), "--jobs", "2")
    assert r.returncode == 1 and body.value in r.stdout


def test_evidence_links_by_lookup_equal_the_declarative_query(built_store):
    """The context a counterparts chunk gets for its text agencies (one evidence node each,
    with its source plan, and their jurisdiction) is what this CONSTRUCT states; validate.py
    gets it by pattern lookups because the engine plans the query over every evidence node."""
    store, _ = built_store
    parts = [c for c in v.chunk_list(store) if c[1] == "counterparts"]
    triples, _ = v.chunk_triples(store, "counterparts", parts[0][2])
    got = set(v._evidence_links(store, triples))
    agencies = v.text_agencies(triples)
    assert sum(t.predicate.value == PSKG + "evidence" for t in got) > 20
    values = " ".join(f"<{a}>" for a in agencies)
    want = set(store.query(f"""CONSTRUCT {{ ?a pskg:evidence ?ev ; pskg:jurisdiction ?r . ?ev ?p ?o .
            ?plan a pskg:Plan ; pskg:sourceFile ?f ; rdfs:label ?l }} WHERE {{ VALUES ?a {{ {values} }}
        OPTIONAL {{ ?a pskg:jurisdiction ?r }}
        {{ SELECT ?a (MIN(?e) AS ?ev) WHERE {{ ?a pskg:evidence ?e }} GROUP BY ?a }}
        ?ev ?p ?o ; pskg:sourceDocument ?plan . ?plan pskg:sourceFile ?f ; rdfs:label ?l }}"""))
    assert got == want


def test_shared_descriptions_by_lookup_equal_the_declarative_query(built_store):
    """A plan chunk's context from the shared graphs: pattern lookups give what this CONSTRUCT
    over the nodes of the chunk states."""
    store, _ = built_store
    plans = next(c for c in v.chunk_list(store) if c[1] == "plans")
    triples, _ = v.chunk_triples(store, "plans", plans[2])
    nodes = sorted(v._objects(triples) | {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)})
    got = v.shared_descriptions(store, nodes)
    assert len(got) == len(set(got)) > 100
    values = " ".join(f"<{n}>" for n in nodes)
    graphs = " ".join(str(g) for g in v.shared_graphs())
    want = set(store.query(f"""CONSTRUCT {{ ?n ?p ?o }} WHERE {{ VALUES ?n {{ {values} }}
        VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?n ?p ?o }} }}"""))
    assert set(got) == want


def test_plan_chunk_sees_the_regions_a_shared_description_names(built_store, tmp_path):
    """A cited plan is described once for every plan citing it, so its jurisdiction may be a
    region that none of the plans of the chunk names: the chunk's context still has that
    region's description, and a jurisdiction that is no region is still reported."""
    store, _ = built_store
    cited = ox.NamedNode("https://w3id.org/pskg/graph/cited-plans")
    juris = ox.NamedNode(PSKG + "jurisdiction")
    plans = [p for c in v.chunk_list(store) if c[1] == "plans" for p in c[2]]
    named = {q.object for p in plans for q in store.store.quads_for_pattern(None, None, None, ox.NamedNode(p))}
    unnamed = ox.NamedNode("https://w3id.org/pskg/id/region/650000")  # 新疆维吾尔自治区
    assert unnamed not in named

    def with_jurisdiction(name: str, region: ox.NamedNode) -> GraphStore:
        path = tmp_path / name
        shutil.copytree(store.path, path)
        st = ox.Store(str(path))
        q = next(q for q in st.quads_for_pattern(None, juris, None, cited)
                 if q.object.value.endswith("/620000"))  # the 甘肃 plan Baiyin's plan implements
        st.remove(q)
        st.add(ox.Quad(q.subject, juris, region, cited))
        st.flush()
        del st
        return GraphStore(path, read_only=True)

    ok, text = v.validate(with_jurisdiction("moved", unnamed), jobs=1)
    assert ok, text[:3000]
    ok, text = v.validate(with_jurisdiction("broken", ox.NamedNode(PSKG + "Provincial")), jobs=1)
    assert not ok and ("pskg:Region" in text or "ontology#Region" in text)
