"""Service guarantees, populations, standards and indicators in the graph of the bundled corpus."""


def test_population_nodes_are_shared_with_written_forms_and_hierarchy(built_store):
    store, _ = built_store
    rows = store.select("""SELECT DISTINCT ?alt WHERE { ?p skos:notation "migrant-children" ; skos:altLabel ?alt }""")
    alts = {r["alt"] for r in rows}
    assert "进城务工人员随迁子女" in alts  # written in the Baiyin plan
    broader = store.select("""SELECT DISTINCT ?b WHERE { ?p skos:notation "severely-disabled" ;
        skos:broader/skos:notation ?b }""")
    assert broader == [{"b": "disabled"}]
    plans = store.select("""SELECT (COUNT(DISTINCT ?plan) AS ?n) WHERE {
        ?g pskg:targetPopulation/skos:notation "disabled" ; pskg:inPlan ?plan }""")
    assert int(plans[0]["n"]) >= 3  # one canonical 残疾人 node shared across plans


def test_each_guarantee_population_has_its_own_evidence(built_store):
    store, _ = built_store
    missing = store.select("""SELECT ?g ?p WHERE { ?g a pskg:ServiceGuarantee ; pskg:targetPopulation ?p .
        FILTER NOT EXISTS { ?g pskg:evidence ?ev . ?ev pskg:property pskg:targetPopulation } }""")
    assert missing == []
    n = store.select("""SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { ?g pskg:targetPopulation ?p }""")
    assert int(n[0]["n"]) >= 200


def test_standards_are_linked_with_evidence(built_store):
    store, _ = built_store
    rows = store.select("""SELECT DISTINCT ?l WHERE { ?g pskg:hasStandard ?s . ?s rdfs:label ?l ; pskg:evidence ?ev }""")
    labels = {r["l"] for r in rows}
    assert "免费" in labels
    assert any("电影" in lbl for lbl in labels)  # 一行政村一月放映一场电影


def test_indicators_have_typed_values_and_years(built_store):
    store, _ = built_store
    rows = store.select("""SELECT ?i ?v ?y WHERE { ?i a pskg:Indicator ; pskg:targetValue ?v ; pskg:targetYear ?y }""")
    assert len(rows) >= 100
    shanghai = store.select("""SELECT DISTINCT ?l ?b ?by WHERE { ?x pskg:hasIndicator ?i .
        ?i rdfs:label ?l ; pskg:baselineValue ?b ; pskg:baselineYear ?by .
        { ?x pskg:inPlan ?p } UNION { BIND(?x AS ?p) } ?p pskg:sourceFile "003_a32ecd13fd3eabd8.txt" }""")
    assert shanghai and all(r["by"] <= "2016" for r in shanghai)
    untyped = store.select("""SELECT ?i WHERE { ?i pskg:targetValue ?v FILTER(DATATYPE(?v) != xsd:decimal) }""")
    assert untyped == []



def test_plan_alt_labels_name_the_very_group(built_store):
    """A plan adds to a population only its own spellings of the group's names (Traditional)
    and the names with scope words (全体, 本市 …) that do not narrow it: no fragments, no
    narrower or longer phrases (those are groups of their own)."""
    from opencc import OpenCC

    from extract.beneficiaries import canonical_population

    t2s = OpenCC("t2s").convert
    store, _ = built_store
    # what the plans contributed is in the shared populations graph (the vocabulary's own forms
    # are in the vocabularies graph)
    rows = store.select("""SELECT DISTINCT ?p ?alt WHERE {
        GRAPH <https://w3id.org/pskg/graph/populations> { ?p skos:altLabel ?alt } ?p a pskg:TargetPopulation }""")
    assert len(rows) >= 50
    for r in rows:
        node = canonical_population(t2s(r["alt"]))
        assert node is not None and r["p"].endswith("/population/" + node.key), r


def test_narrower_groups_are_nodes_of_their_own(built_store):
    from extract.beneficiaries import PopulationVocabulary

    voc = PopulationVocabulary.load()
    store, _ = built_store
    rows = store.select("""SELECT DISTINCT ?l ?b WHERE { ?g a pskg:ServiceGuarantee ; pskg:targetPopulation ?p .
        ?p rdfs:label ?l ; skos:broader/skos:notation ?b
        FILTER(STRSTARTS(STR(?p), "https://w3id.org/pskg/id/population/p-")) }""")
    assert len(rows) >= 30
    for r in rows:  # each ends with a name of the group it narrows
        assert r["l"].replace("的", "").endswith(voc.by_key[r["b"]].forms), r
