"""The ontology, concept schemes, SHACL shapes and JSON-LD context in ontology/.

(a) every class and property of the query contract is declared, labelled and commented;
(b) every vocabulary key is the skos:notation of exactly one concept, in the right scheme;
(c) owlready2 loads the RDF/XML conversion and HermiT finds it consistent and infers;
(d) the SHACL shapes accept a valid data graph and report the right violations of broken ones;
(e) pskg:partOf is transitive.
The contract's IRIs are listed literally here (not parsed from shared/docs at test time).
"""
from __future__ import annotations

import json
import shutil
from collections import Counter

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import RDF, RDFS, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS as DCT, OWL, SKOS

from graph.ontology import (ONTOLOGY_GRAPH, VOCAB_GRAPH, context_file, load_ontology_quads,
                            ontology_files, shapes_file, to_rdfxml)

PSKG = Namespace("https://w3id.org/pskg/ontology#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # open namespace: rdflib's closed XSD warns under pytest
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
CPSV = Namespace("http://purl.org/vocab/cpsv#")
CV = Namespace("http://data.europa.eu/m8g/")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")
ID = Namespace("https://w3id.org/pskg/id/")

# ------------------------------------------------------------------ the contract, literally
CONTRACT_CLASSES = ["Plan", "Commitment", "ServiceGuarantee", "Task", "Project", "PublicService",
                    "TargetPopulation", "Standard", "Indicator", "Agency", "Region", "Evidence"]
CONTRACT_OBJECT_PROPERTIES = ["issuedBy", "jurisdiction", "implements", "inPlan", "domain",
                              "aboutService", "targetPopulation", "hasStandard", "hasIndicator",
                              "leadAgency", "supportingAgency", "level", "function", "partOf",
                              "evidence", "sourceDocument"]
CONTRACT_DATA_PROPERTIES = ["documentNumber", "sourceFile", "divisionCode", "targetValue",
                            "baselineValue", "unit", "comparator", "targetYear", "baselineYear",
                            "charStart", "charEnd", "quote"]
CONTRACT_EXTERNAL_PROPERTIES = [RDFS.label, SKOS.altLabel, DCT.title, DCT.issued]
CONTRACT_SCHEMES = ["ServiceDomainScheme", "GovernmentLevelScheme", "AgencyFunctionScheme"]
CONTRACT_LEVELS = ["National", "Provincial", "Prefectural", "County", "Township"]
# class -> classes it must be a subclass of (contract "align to" column and subclassing)
CONTRACT_SUBCLASSES = {
    "Plan": [PROV.Entity],
    "ServiceGuarantee": [PSKG.Commitment, CPSV.PublicService, SCHEMA.GovernmentService],
    "Task": [PSKG.Commitment],
    "Project": [PSKG.Commitment],
    "PublicService": [CPSV.PublicService],
    "TargetPopulation": [SCHEMA.Audience],
    "Standard": [CV.Requirement],
    "Agency": [ORG.Organization, CV.PublicOrganisation],
    "Region": [DCT.Location],
    "Evidence": [PROV.Entity],
}
# property -> (domain classes, range) as stated by the contract
CONTRACT_SIGNATURES = {
    "issuedBy": ({"Plan"}, PSKG.Agency),
    "jurisdiction": ({"Plan", "Agency"}, PSKG.Region),
    "implements": ({"Plan"}, PSKG.Plan),
    "inPlan": ({"Commitment"}, PSKG.Plan),
    "aboutService": ({"Commitment"}, PSKG.PublicService),
    "targetPopulation": ({"Commitment"}, PSKG.TargetPopulation),
    "hasStandard": ({"Commitment"}, PSKG.Standard),
    "hasIndicator": ({"Plan", "Commitment"}, PSKG.Indicator),
    "leadAgency": ({"Commitment", "Plan"}, PSKG.Agency),
    "supportingAgency": ({"Commitment", "Plan"}, PSKG.Agency),
    "function": ({"Agency"}, SKOS.Concept),
    "partOf": ({"Region"}, PSKG.Region),
    "sourceDocument": ({"Evidence"}, PSKG.Plan),
    "documentNumber": ({"Plan"}, XSD.string),
    "sourceFile": ({"Plan"}, XSD.string),
    "divisionCode": ({"Region"}, XSD.string),
    "targetValue": ({"Indicator"}, XSD.decimal),
    "baselineValue": ({"Indicator"}, XSD.decimal),
    "unit": ({"Indicator"}, XSD.string),
    "comparator": ({"Indicator"}, XSD.string),
    "charStart": ({"Evidence"}, XSD.integer),
    "charEnd": ({"Evidence"}, XSD.integer),
    "quote": ({"Evidence"}, XSD.string),
}
# extension terms that the pipeline writes
EXTENSION_PROPERTIES = ["sectionPath", "leadPhrase", "damaged", "encoding", "cites", "mentions",
                        "rank", "order", "marker", "involvedAgency", "property", "validFrom",
                        "validTo", "planRegion", "planLevel", "ofPlan", "owner"]

# shared/docs/vocab-keys.md, literally
VOCAB_KEYS = {
    "ServiceDomainScheme": ["education", "employment", "social_insurance", "health",
                            "social_services", "housing", "culture_sports", "disability",
                            "environment", "public_safety", "basic_living", "other"],
    "GovernmentLevelScheme": ["national", "provincial", "prefectural", "county", "township"],
    "AgencyFunctionScheme": ["development_reform", "finance", "education",
                             "human_resources_social_security", "health", "civil_affairs",
                             "housing", "culture_tourism", "sports", "disabled_persons",
                             "poverty_alleviation", "public_security", "natural_resources",
                             "market_regulation", "food_drug", "statistics",
                             "government_general", "establishment", "industry_it",
                             "science_technology", "cultural_relics", "veterans", "emergency",
                             "other"],
}


def concept_iri(scheme: str, key: str) -> URIRef:
    if scheme == "GovernmentLevelScheme":
        return PSKG[key.capitalize()]
    prefix = "domain-" if scheme == "ServiceDomainScheme" else "function-"
    return PSKG[prefix + key.replace("_", "-")]


# ------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_files()[0], format="turtle")


@pytest.fixture(scope="module")
def vocab() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_files()[1], format="turtle")


@pytest.fixture(scope="module")
def ont_and_vocab(onto, vocab) -> rdflib.Graph:
    g = rdflib.Graph()
    g += onto
    g += vocab
    return g


def langs(g: rdflib.Graph, s, p) -> Counter:
    return Counter(o.language for o in g.objects(s, p) if isinstance(o, Literal))


def union_members(g: rdflib.Graph, node) -> set:
    """Local names of a class: a named class or an owl:unionOf of named classes."""
    if isinstance(node, URIRef):
        return {str(node).rsplit("#", 1)[-1]}
    lst = g.value(node, OWL.unionOf)
    assert lst is not None, f"anonymous domain that is not a union: {node}"
    return {str(m).rsplit("#", 1)[-1] for m in rdflib.collection.Collection(g, lst)}


# ================================================================== (a) contract terms
def test_ontology_header(onto):
    o = URIRef("https://w3id.org/pskg/ontology")
    assert (o, RDF.type, OWL.Ontology) in onto
    assert langs(onto, o, RDFS.label).keys() >= {"zh-Hans", "en"}


@pytest.mark.parametrize("name", CONTRACT_CLASSES + ["Section"])
def test_contract_class_declared(onto, name):
    c = PSKG[name]
    assert (c, RDF.type, OWL.Class) in onto
    _assert_documented(onto, c)


@pytest.mark.parametrize("name", CONTRACT_OBJECT_PROPERTIES)
def test_contract_object_property_declared(onto, name):
    assert (PSKG[name], RDF.type, OWL.ObjectProperty) in onto
    _assert_documented(onto, PSKG[name])


@pytest.mark.parametrize("name", CONTRACT_DATA_PROPERTIES)
def test_contract_data_property_declared(onto, name):
    assert (PSKG[name], RDF.type, OWL.DatatypeProperty) in onto
    _assert_documented(onto, PSKG[name])


@pytest.mark.parametrize("name", EXTENSION_PROPERTIES)
def test_extension_property_declared(onto, name):
    kinds = set(onto.objects(PSKG[name], RDF.type)) & {
        OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
    assert len(kinds) == 1, (name, kinds)
    _assert_documented(onto, PSKG[name])


def _assert_documented(g: rdflib.Graph, term) -> None:
    assert langs(g, term, RDFS.label) == Counter({"zh-Hans": 1, "en": 1}), term
    assert "en" in langs(g, term, RDFS.comment), term


def test_contract_external_properties_declared(onto):
    for p in CONTRACT_EXTERNAL_PROPERTIES:
        if p == RDFS.label:
            continue  # a built-in annotation property of OWL 2
        assert (p, RDF.type, OWL.AnnotationProperty) in onto, p


@pytest.mark.parametrize("name", sorted(CONTRACT_SUBCLASSES))
def test_contract_alignments(onto, name):
    supers = set(onto.objects(PSKG[name], RDFS.subClassOf))
    for sup in CONTRACT_SUBCLASSES[name]:
        assert sup in supers, (name, sup)


@pytest.mark.parametrize("name", sorted(CONTRACT_SIGNATURES))
def test_contract_domains_and_ranges(onto, name):
    dom, rng = CONTRACT_SIGNATURES[name]
    domains = list(onto.objects(PSKG[name], RDFS.domain))
    assert len(domains) == 1, f"{name}: {len(domains)} rdfs:domain triples (use owl:unionOf)"
    assert union_members(onto, domains[0]) == dom
    assert list(onto.objects(PSKG[name], RDFS.range)) == [rng]


def test_extended_domains_include_the_contract(onto):
    """pskg:domain and pskg:level have wider domains than the contract (Section, Plan)."""
    assert union_members(onto, onto.value(PSKG.domain, RDFS.domain)) >= {"Commitment", "PublicService"}
    assert union_members(onto, onto.value(PSKG.level, RDFS.domain)) >= {"Agency", "Region"}
    assert onto.value(PSKG.domain, RDFS.range) == SKOS.Concept
    assert onto.value(PSKG.level, RDFS.range) == SKOS.Concept
    assert onto.value(PSKG.evidence, RDFS.range) == PSKG.Evidence


def test_owl_dl_declarations(ont_and_vocab):
    """Every predicate and every class used is declared, each with a single OWL kind."""
    g = ont_and_vocab
    builtin = {str(RDF), str(RDFS), str(OWL)}
    kinds = {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
    for p in set(g.predicates()):
        ns = str(p).rsplit("#", 1)[0] + "#"
        if ns in builtin:
            continue
        declared = set(g.objects(p, RDF.type)) & kinds
        assert len(declared) == 1, (p, declared)
    for prop in set(g.subjects(RDF.type, OWL.ObjectProperty)) | set(g.subjects(RDF.type, OWL.DatatypeProperty)):
        assert len(set(g.objects(prop, RDF.type)) & kinds) == 1, prop
        for axiom in (RDFS.domain, RDFS.range):
            assert len(list(g.objects(prop, axiom))) <= 1, (prop, axiom)
    used_classes = set(g.objects(None, RDFS.subClassOf)) | set(g.objects(None, RDFS.domain))
    used_classes |= {o for p in (RDFS.range,) for s, o in g.subject_objects(p)
                     if (s, RDF.type, OWL.ObjectProperty) in g}
    used_classes |= {o for s, o in g.subject_objects(RDF.type) if not str(o).startswith(str(OWL))}
    for c in used_classes:
        assert (c, RDF.type, OWL.Class) in g, c


# ================================================================== (b) vocabularies
@pytest.mark.parametrize("scheme", sorted(VOCAB_KEYS))
def test_vocab_keys(vocab, scheme):
    s = PSKG[scheme]
    assert (s, RDF.type, SKOS.ConceptScheme) in vocab
    in_scheme = set(vocab.subjects(SKOS.inScheme, s))
    notations = [str(n) for c in in_scheme for n in vocab.objects(c, SKOS.notation)]
    assert sorted(notations) == sorted(VOCAB_KEYS[scheme])  # each key exactly once
    for key in VOCAB_KEYS[scheme]:
        c = concept_iri(scheme, key)
        assert (c, RDF.type, SKOS.Concept) in vocab
        assert list(vocab.objects(c, SKOS.notation)) == [Literal(key)]  # plain string literal
        assert (c, SKOS.topConceptOf, s) in vocab and (s, SKOS.hasTopConcept, c) in vocab
        assert list(vocab.objects(c, SKOS.inScheme)) == [s]
        for p in (SKOS.prefLabel, RDFS.label):
            assert langs(vocab, c, p) == Counter({"zh-Hans": 1, "en": 1}), (c, p)


def test_notations_unique_across_concepts(vocab):
    """A key may repeat across schemes (education, health ...) but never within one."""
    for scheme in VOCAB_KEYS:
        keys = [str(vocab.value(c, SKOS.notation)) for c in vocab.subjects(SKOS.inScheme, PSKG[scheme])]
        assert len(keys) == len(set(keys))
    # every concept is in one of the three schemes
    for c in vocab.subjects(RDF.type, SKOS.Concept):
        assert vocab.value(c, SKOS.inScheme) in {PSKG[s] for s in VOCAB_KEYS}, c


def test_level_ranks(vocab):
    ranks = [vocab.value(PSKG[name], PSKG.rank) for name in CONTRACT_LEVELS]
    assert [r.toPython() for r in ranks] == [0, 1, 2, 3, 4]
    assert all(r.datatype == XSD.integer for r in ranks)


def _domain_labels(vocab) -> list[tuple[str, str]]:
    """(zh label, key) as the extractor reads them (extract/domains.py)."""
    out = []
    for c in vocab.subjects(SKOS.inScheme, PSKG.ServiceDomainScheme):
        key = str(vocab.value(c, SKOS.notation))
        for p in (SKOS.prefLabel, SKOS.altLabel):
            out += [(str(o), key) for o in vocab.objects(c, p) if (o.language or "").startswith("zh")]
    return out


def test_domain_labels_are_unambiguous(vocab):
    labels = _domain_labels(vocab)
    assert all(l and l.strip() == l for l, _ in labels)
    by_label = Counter(l for l, _ in labels)
    assert [l for l, n in by_label.items() if n > 1] == []  # no label names two domains
    # the extractor's alt labels are in Simplified Chinese: no Traditional-only characters
    traditional = set("險衛學務會勞動業創殘廣電體醫療護養際區")
    assert not [l for l, _ in labels if set(l) & traditional]


@pytest.mark.parametrize("heading,key", [
    ("（一）基本公共教育", "education"),
    ("（二）基本劳动就业创业", "employment"),
    ("四、基本就业创业", "employment"),
    ("（三）基本社会保险", "social_insurance"),
    ("五、基本社会保障", "social_insurance"),
    ("3.城乡居民基本医疗保险", "social_insurance"),
    ("（四）基本医疗卫生", "health"),
    ("（四）基本医疗和公共卫生", "health"),
    ("六、基本健康服务", "health"),
    ("七、卫生领域", "health"),
    ("（五）基本社会服务", "social_services"),
    ("1.社会救助", "social_services"),
    ("八、养老领域", "social_services"),
    ("2.医疗救助", "social_services"),
    ("（六）基本住房保障", "housing"),
    ("九、住房保障领域", "housing"),
    ("（七）基本公共文化体育服务", "culture_sports"),
    ("十一、体育领域", "culture_sports"),
    ("（八）残疾人基本公共服务", "disability"),
    ("1.残疾人社会保障补贴和专项救助", "disability"),
    ("九、基本环境保护", "environment"),
    ("十、基本公共安全", "public_safety"),
    ("七、基本生活服务", "basic_living"),
    ("（二）发展环境", None),
    ("三、重点任务和保障工程", None),
    ("（三）强化综合保障", None),
])
def test_domain_labels_tag_headings(vocab, heading, key):
    """Longest label wins, as in extract.structure.DomainTagger; no ties between domains."""
    hits = sorted(((l, k) for l, k in _domain_labels(vocab) if l in heading), key=lambda x: -len(x[0]))
    got = hits[0][1] if hits else None
    assert got == key, hits
    if hits:
        best = len(hits[0][0])
        assert {k for l, k in hits if len(l) == best} == {key}, f"tie: {hits}"


# ================================================================== store loading, RDF/XML
def test_load_ontology_quads():
    ont = load_ontology_quads(ox.NamedNode(ONTOLOGY_GRAPH))
    voc = load_ontology_quads(VOCAB_GRAPH)
    assert {q.graph_name for q in ont} == {ox.NamedNode(ONTOLOGY_GRAPH)}
    assert {q.graph_name for q in voc} == {ox.NamedNode(VOCAB_GRAPH)}
    store = ox.Store()
    store.extend(ont + voc)
    q = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
           PREFIX pskg: <https://w3id.org/pskg/ontology#>
           PREFIX owl: <http://www.w3.org/2002/07/owl#>
           SELECT ?g WHERE { GRAPH ?g { pskg:Plan a owl:Class } }"""
    assert [r["g"].value for r in store.query(q)] == [ONTOLOGY_GRAPH]
    q = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
           SELECT (COUNT(?c) AS ?n) WHERE { GRAPH ?g { ?c skos:notation ?k } }"""
    assert int(next(iter(store.query(q, use_default_graph_as_union=True)))["n"].value) == \
        sum(len(v) for v in VOCAB_KEYS.values())


def test_to_rdfxml_merges_into_one_ontology(tmp_path):
    out = to_rdfxml(ontology_files(), tmp_path / "pskg.owl")
    g = rdflib.Graph().parse(out, format="xml")
    assert list(g.subjects(RDF.type, OWL.Ontology)) == [URIRef("https://w3id.org/pskg/ontology")]
    assert not list(g.triples((None, OWL.imports, None)))
    assert (PSKG.National, SKOS.notation, Literal("national")) in g


# ================================================================== (c) + (e) OWL reasoning
needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs a Java runtime")


@pytest.fixture()
def owl_world(tmp_path):
    """A fresh owlready2 world with the ontology and vocabularies loaded (from RDF/XML)."""
    import owlready2

    path = to_rdfxml(ontology_files(), tmp_path / "pskg.owl")
    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load()
    data = world.get_ontology("http://example.org/pskg-test#")
    yield owlready2, world, onto, data
    world.close()


@needs_java
def test_hermit_consistent_and_infers(owl_world):
    owlready2, world, onto, data = owl_world
    assert onto.base_iri == str(PSKG)
    with data:
        sg = onto.ServiceGuarantee("sg1")
        plan = onto.Plan("plan1")
        sg.inPlan = plan
        anon = owlready2.Thing("c1")
        anon.inPlan = plan  # the domain of pskg:inPlan makes it a Commitment
    # raises OwlReadyInconsistentOntologyError if inconsistent
    owlready2.sync_reasoner(world, infer_property_values=True, debug=0)
    assert onto.Commitment in sg.INDIRECT_is_a
    assert world["http://purl.org/vocab/cpsv#PublicService"] in sg.INDIRECT_is_a
    assert onto.Commitment in anon.INDIRECT_is_a
    assert onto.Plan in plan.INDIRECT_is_a
    assert list(world.inconsistent_classes()) == []


@needs_java
def test_hermit_detects_disjoint_classes(owl_world):
    owlready2, world, onto, data = owl_world
    with data:
        x = onto.Agency("both")
        x.is_a.append(onto.Region)
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        owlready2.sync_reasoner(world, debug=0)


def test_part_of_is_transitive_property(onto):
    assert (PSKG.partOf, RDF.type, OWL.TransitiveProperty) in onto
    assert (PSKG.partOf, RDF.type, OWL.ObjectProperty) in onto


@needs_java
def test_part_of_transitive_inference(owl_world):
    owlready2, world, onto, data = owl_world
    assert owlready2.TransitiveProperty in onto.partOf.is_a
    with data:
        district = onto.Region("district")
        city = onto.Region("city")
        province = onto.Region("province")
        district.partOf = [city]
        city.partOf = [province]
    owlready2.sync_reasoner(world, infer_property_values=True, debug=0)
    assert set(district.partOf) == {city, province}
    assert province not in set(province.partOf)


# ================================================================== (d) SHACL
LEVEL = {k: PSKG[k.capitalize()] for k in VOCAB_KEYS["GovernmentLevelScheme"]}


def _valid_graph() -> rdflib.Graph:
    """A small graph that satisfies every shape: a city plan implementing a provincial one."""
    g = rdflib.Graph()
    plan, cited = ID["plan/001_test"], ID["plan/cited-abc"]
    gansu, baiyin = ID["region/620000"], ID["region/620400"]
    gov, edu = ID["agency/baiyin-gov"], ID["agency/baiyin-edu"]
    text = "白银市人民政府关于印发贯彻落实甘肃省基本公共服务均等化规划实施方案的通知"

    def evidence(node, start, end, prop=None):
        ev = ID[f"evidence/001_test/{start}-{end}"]
        g.add((ev, RDF.type, PSKG.Evidence))
        g.add((ev, PSKG.sourceDocument, plan))
        g.add((ev, PSKG.charStart, Literal(start, datatype=XSD.integer)))
        g.add((ev, PSKG.charEnd, Literal(end, datatype=XSD.integer)))
        g.add((ev, PSKG.quote, Literal(text[start:end])))
        if prop is not None:
            g.add((ev, PSKG.property, prop))
        g.add((node, PSKG.evidence, ev))
        return ev

    for r, code, label, level in ((gansu, "620000", "甘肃省", "provincial"),
                                  (baiyin, "620400", "白银市", "prefectural")):
        g.add((r, RDF.type, PSKG.Region))
        g.add((r, PSKG.divisionCode, Literal(code)))
        g.add((r, RDFS.label, Literal(label, lang="zh-Hans")))
        g.add((r, PSKG.level, LEVEL[level]))
    g.add((baiyin, PSKG.partOf, gansu))
    g.add((baiyin, SKOS.altLabel, Literal("白银", lang="zh-Hans")))
    g.add((baiyin, PSKG.validFrom, Literal("1985", datatype=XSD.gYear)))
    old_code = ID["region/622400"]  # an abolished code replaced by 白银市 (made up for the test)
    g.add((old_code, RDF.type, PSKG.Region))
    g.add((old_code, RDFS.label, Literal("旧白银地区", lang="zh-Hans")))
    g.add((old_code, SKOS.hiddenLabel, Literal("白银地区", lang="zh-Hans")))
    g.add((old_code, PSKG.divisionCode, Literal("622400")))
    g.add((old_code, PSKG.level, LEVEL["prefectural"]))
    g.add((old_code, PSKG.partOf, gansu))
    g.add((old_code, PSKG.validTo, Literal("1984", datatype=XSD.gYear)))
    g.add((old_code, DCT.isReplacedBy, baiyin))

    g.add((plan, RDF.type, PSKG.Plan))
    g.add((plan, PSKG.sourceFile, Literal("001_test.txt")))
    g.add((plan, PSKG.encoding, Literal("utf-8")))
    g.add((plan, DCT.title, Literal(text)))
    g.add((plan, RDFS.label, Literal(text, lang="zh-Hans")))
    g.add((plan, DCT.issued, Literal("2017-12-22", datatype=XSD.date)))
    g.add((plan, PSKG.documentNumber, Literal("市政办发〔2017〕1号")))
    g.add((plan, PSKG.jurisdiction, baiyin))
    g.add((plan, PSKG.level, LEVEL["prefectural"]))
    g.add((plan, PSKG.issuedBy, gov))
    g.add((plan, PSKG.implements, cited))
    g.add((plan, PSKG.mentions, gov))
    g.add((plan, PSKG.mentions, baiyin))
    evidence(plan, 0, len(text), DCT.title)
    evidence(baiyin, 0, 3)

    g.add((cited, RDF.type, PSKG.Plan))  # a cited plan: no source file, but evidence
    g.add((cited, DCT.title, Literal("甘肃省基本公共服务均等化规划")))
    g.add((cited, RDFS.label, Literal("甘肃省基本公共服务均等化规划", lang="zh-Hans")))
    g.add((cited, PSKG.jurisdiction, gansu))
    evidence(cited, 19, 33, DCT.title)

    for a, label, fn, start in ((gov, "白银市人民政府", "government-general", 0),
                                (edu, "白银市教育局", "education", 0)):
        g.add((a, RDF.type, PSKG.Agency))
        g.add((a, RDFS.label, Literal(label, lang="zh-Hans")))
        g.add((a, RDFS.label, Literal("Baiyin " + fn, lang="en")))
        g.add((a, SKOS.altLabel, Literal(label)))
        g.add((a, PSKG.level, LEVEL["prefectural"]))
        g.add((a, PSKG.function, PSKG["function-" + fn]))
        g.add((a, PSKG.jurisdiction, baiyin))
        evidence(a, start, start + 7)

    svc, pop, std = ID["service/compulsory-education"], ID["population/children"], ID["standard/free"]
    g.add((svc, RDF.type, PSKG.PublicService))
    g.add((svc, RDFS.label, Literal("义务教育", lang="zh-Hans")))
    g.add((svc, PSKG.domain, PSKG["domain-education"]))
    g.add((pop, RDF.type, PSKG.TargetPopulation))
    g.add((pop, RDFS.label, Literal("适龄儿童", lang="zh-Hans")))
    g.add((std, RDF.type, PSKG.Standard))
    g.add((std, RDFS.label, Literal("免费", lang="zh-Hans")))
    evidence(std, 5, 7)

    sg, ind = ID["commitment/001_test/100"], ID["indicator/001_test/200"]
    g.add((sg, RDF.type, PSKG.ServiceGuarantee))
    g.add((sg, RDFS.label, Literal("免费义务教育", lang="zh-Hans")))
    g.add((sg, PSKG.inPlan, plan))
    g.add((sg, PSKG.domain, PSKG["domain-education"]))
    g.add((sg, PSKG.aboutService, svc))
    g.add((sg, PSKG.targetPopulation, pop))
    g.add((sg, PSKG.hasStandard, std))
    g.add((sg, PSKG.hasIndicator, ind))
    g.add((sg, PSKG.leadAgency, edu))
    g.add((sg, PSKG.supportingAgency, gov))
    g.add((sg, PSKG.sectionPath, Literal("二、完善基本公共服务制度 / （一）基本公共教育")))
    g.add((sg, PSKG.leadPhrase, Literal("免费义务教育")))
    evidence(sg, 10, 20)

    g.add((ind, RDF.type, PSKG.Indicator))
    g.add((ind, RDFS.label, Literal("九年义务教育巩固率", lang="zh-Hans")))
    g.add((ind, PSKG.targetValue, Literal("95", datatype=XSD.decimal)))
    g.add((ind, PSKG.baselineValue, Literal("93.5", datatype=XSD.decimal)))
    g.add((ind, PSKG.targetYear, Literal("2020", datatype=XSD.gYear)))
    g.add((ind, PSKG.baselineYear, Literal("2015", datatype=XSD.gYear)))
    g.add((ind, PSKG.comparator, Literal(">=")))
    g.add((ind, PSKG.unit, Literal("%")))
    evidence(ind, 20, 30)

    sec, sub = ID["section/001_test/50"], ID["section/001_test/60"]
    for s, parent, rank, title in ((sec, plan, 1, "完善基本公共服务制度"), (sub, sec, 2, "基本公共教育")):
        g.add((s, RDF.type, PSKG.Section))
        g.add((s, RDFS.label, Literal(title, lang="zh-Hans")))
        g.add((s, DCT.isPartOf, parent))
        g.add((s, PSKG.rank, Literal(rank, datatype=XSD.integer)))
        g.add((s, PSKG.order, Literal(rank * 10, datatype=XSD.integer)))
        g.add((s, PSKG.marker, Literal("一、" if rank == 1 else "（一）")))
        evidence(s, 30, 32, RDFS.label)
    g.add((sub, PSKG.domain, PSKG["domain-education"]))
    return g


def _validate(data: rdflib.Graph, mode: str = "merged"):
    """pyshacl as graph.validate runs it, without inference. ``merged``: the ontology and the
    vocabularies are parsed into the data graph. ``ont_graph``: the data graph holds the
    vocabularies (as the store's union does) and the ontology is passed as ont_graph, from
    which pyshacl copies only the RDFS/OWL axioms (rdfs:subClassOf ...)."""
    from pyshacl import validate

    shapes = rdflib.Graph().parse(shapes_file(), format="turtle")
    union = rdflib.Graph()
    union += data
    ont = None
    if mode == "merged":
        for f in ontology_files():
            union.parse(f, format="turtle")
    else:
        union.parse(ontology_files()[1], format="turtle")
        ont = rdflib.Graph()
        for f in ontology_files():
            ont.parse(f, format="turtle")
    conforms, report, text = validate(union, shacl_graph=shapes, ont_graph=ont, inference="none",
                                      advanced=True, allow_warnings=True)
    results = []
    for r in report.objects(None, SH.result):
        results.append((report.value(r, SH.focusNode), report.value(r, SH.resultPath),
                        report.value(r, SH.sourceConstraintComponent), report.value(r, SH.resultSeverity)))
    violations = sorted((f, p, c) for f, p, c, sev in results if sev == SH.Violation)
    warnings = sorted((f, p, c) for f, p, c, sev in results if sev == SH.Warning)
    return conforms, violations, warnings, text


@pytest.mark.parametrize("mode", ["merged", "ont_graph"])
def test_shapes_accept_valid_graph(mode):
    conforms, violations, warnings, text = _validate(_valid_graph(), mode)
    assert conforms and violations == [] and warnings == [], text


@pytest.mark.parametrize("mode", ["merged", "ont_graph"])
def test_shapes_report_broken_graph(mode):
    """Missing quote, bad comparator, level outside the scheme, charEnd <= charStart."""
    g = _valid_graph()
    ind, edu = ID["indicator/001_test/200"], ID["agency/baiyin-edu"]
    ev_ind = g.value(ind, PSKG.evidence)
    ev_std = g.value(ID["standard/free"], PSKG.evidence)
    g.remove((ev_ind, PSKG.quote, None))
    g.set((ind, PSKG.comparator, Literal("≥")))
    g.set((edu, PSKG.level, PSKG.Municipal))
    g.set((ev_std, PSKG.charEnd, Literal(5, datatype=XSD.integer)))  # == charStart
    conforms, violations, warnings, text = _validate(g, mode)
    assert not conforms
    assert violations == sorted([
        (ev_ind, PSKG.quote, SH.MinCountConstraintComponent),
        (ind, PSKG.comparator, SH.InConstraintComponent),
        (edu, PSKG.level, SH.InConstraintComponent),
        (ev_std, PSKG.charEnd, SH.SPARQLConstraintComponent),
    ]), text


def _mutate(g: rdflib.Graph, name: str):
    """Apply one defect to a valid graph; return the (focus, path, component) it must cause
    (or the list of them)."""
    ind, edu, plan = ID["indicator/001_test/200"], ID["agency/baiyin-edu"], ID["plan/001_test"]
    sg, baiyin = ID["commitment/001_test/100"], ID["region/620400"]
    ev = g.value(sg, PSKG.evidence)
    if name == "quote-length":
        g.set((ev, PSKG.quote, Literal("太短")))
        return ev, PSKG.quote, SH.SPARQLConstraintComponent
    if name == "negative-start":
        g.set((ev, PSKG.charStart, Literal(-1, datatype=XSD.integer)))
        g.set((ev, PSKG.quote, Literal("x" * 21)))
        return ev, PSKG.charStart, SH.MinInclusiveConstraintComponent
    if name == "string-offset":  # not an integer, and not comparable with 0 either
        g.set((ev, PSKG.charStart, Literal("10")))
        return [(ev, PSKG.charStart, SH.DatatypeConstraintComponent),
                (ev, PSKG.charStart, SH.MinInclusiveConstraintComponent)]
    if name == "two-source-documents":
        g.add((ev, PSKG.sourceDocument, ID["plan/cited-abc"]))
        return ev, PSKG.sourceDocument, SH.MaxCountConstraintComponent
    if name == "no-plan":
        g.remove((sg, PSKG.inPlan, None))
        return sg, PSKG.inPlan, SH.MinCountConstraintComponent
    if name == "domain-outside-scheme":
        g.set((sg, PSKG.domain, PSKG["function-education"]))
        return sg, PSKG.domain, SH.NodeConstraintComponent
    if name == "function-outside-scheme":
        g.set((edu, PSKG.function, PSKG["domain-education"]))
        return edu, PSKG.function, SH.NodeConstraintComponent
    if name == "commitment-without-evidence":
        g.remove((sg, PSKG.evidence, None))
        return sg, PSKG.evidence, SH.MinCountConstraintComponent
    if name == "agency-without-zh-label":
        g.remove((edu, RDFS.label, Literal("白银市教育局", lang="zh-Hans")))
        return edu, RDFS.label, SH.QualifiedMinCountConstraintComponent
    if name == "agency-two-jurisdictions":
        g.add((edu, PSKG.jurisdiction, ID["region/620000"]))
        return edu, PSKG.jurisdiction, SH.MaxCountConstraintComponent
    if name == "bad-division-code":
        g.set((baiyin, PSKG.divisionCode, Literal("6204")))
        return baiyin, PSKG.divisionCode, SH.PatternConstraintComponent
    if name == "year-as-integer":
        g.set((ind, PSKG.targetYear, Literal(2020)))
        return ind, PSKG.targetYear, SH.DatatypeConstraintComponent
    if name == "value-as-string":
        g.set((ind, PSKG.targetValue, Literal("95%")))
        return ind, PSKG.targetValue, SH.DatatypeConstraintComponent
    if name == "issued-not-a-date":
        g.set((plan, DCT.issued, Literal("2017年12月22日")))
        return plan, DCT.issued, SH.DatatypeConstraintComponent
    if name == "issuer-not-agency":
        g.set((plan, PSKG.issuedBy, baiyin))
        return plan, PSKG.issuedBy, SH.ClassConstraintComponent
    if name == "two-source-files":
        g.add((plan, PSKG.sourceFile, Literal("other.txt")))
        return plan, PSKG.sourceFile, SH.MaxCountConstraintComponent
    if name == "cited-plan-without-evidence":
        cited = ID["plan/cited-abc"]
        g.remove((cited, PSKG.evidence, None))
        return cited, None, SH.OrConstraintComponent
    if name == "standard-without-label":
        g.remove((ID["standard/free"], RDFS.label, None))  # no label, so no zh-Hans label either
        return [(ID["standard/free"], RDFS.label, SH.MinCountConstraintComponent),
                (ID["standard/free"], RDFS.label, SH.QualifiedMinCountConstraintComponent)]
    raise KeyError(name)


@pytest.mark.parametrize("name", [
    "quote-length", "negative-start", "string-offset", "two-source-documents", "no-plan",
    "domain-outside-scheme", "function-outside-scheme", "commitment-without-evidence",
    "agency-without-zh-label", "agency-two-jurisdictions", "bad-division-code", "year-as-integer",
    "value-as-string", "issued-not-a-date", "issuer-not-agency", "two-source-files",
    "cited-plan-without-evidence", "standard-without-label",
])
def test_shapes_report_single_defect(name):
    g = _valid_graph()
    expected = _mutate(g, name)
    expected = sorted(expected) if isinstance(expected, list) else [expected]
    conforms, violations, _warnings, text = _validate(g)
    assert not conforms
    assert violations == expected, text


def test_shapes_warnings_do_not_break_conformance():
    g = _valid_graph()
    g.remove((ID["indicator/001_test/200"], RDFS.label, None))  # a warning only
    conforms, violations, warnings, text = _validate(g)
    assert conforms and violations == []
    assert warnings == [(ID["indicator/001_test/200"], RDFS.label, SH.MinCountConstraintComponent)]


def test_shapes_warn_about_region_hierarchy():
    """A region that is part of a region of the same level is reported as a warning."""
    g = _valid_graph()
    baiyin = ID["region/620400"]
    g.set((baiyin, PSKG.level, LEVEL["provincial"]))  # part of 甘肃省, also provincial
    conforms, violations, warnings, text = _validate(g)
    assert conforms and violations == []
    assert warnings == [(baiyin, PSKG.partOf, SH.SPARQLConstraintComponent)], text


def test_shapes_check_the_vocabularies():
    """The vocabularies themselves conform (pskg:ConceptShape targets every skos:Concept)."""
    conforms, violations, _w, text = _validate(rdflib.Graph())
    assert conforms and violations == [], text


# ================================================================== JSON-LD context
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's JSON-LD parser internals
def test_jsonld_context_expands_to_contract_iris():
    ctx = json.loads(context_file().read_text(encoding="utf-8"))
    doc = {
        "@context": ctx["@context"],
        "@id": "id:plan/001_test",
        "@type": "Plan",
        "title": "白银市…实施方案",
        "label": {"@value": "白银市…实施方案", "@language": "zh-Hans"},
        "issued": "2017-12-22",
        "jurisdiction": "id:region/620400",
        "level": "pskg:Prefectural",
        "hasIndicator": {"@id": "id:indicator/1", "@type": "Indicator", "targetValue": "95",
                         "targetYear": "2020", "comparator": ">="},
    }
    g = rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
    plan, ind = ID["plan/001_test"], ID["indicator/1"]
    assert (plan, RDF.type, PSKG.Plan) in g
    assert (plan, DCT.title, Literal("白银市…实施方案")) in g
    assert (plan, RDFS.label, Literal("白银市…实施方案", lang="zh-Hans")) in g
    assert (plan, DCT.issued, Literal("2017-12-22", datatype=XSD.date)) in g
    assert (plan, PSKG.jurisdiction, ID["region/620400"]) in g
    assert (plan, PSKG.level, PSKG.Prefectural) in g
    assert (ind, PSKG.targetValue, Literal("95", datatype=XSD.decimal)) in g
    assert (ind, PSKG.targetYear, Literal("2020", datatype=XSD.gYear)) in g


def test_jsonld_context_covers_every_pskg_term(onto):
    ctx = json.loads(context_file().read_text(encoding="utf-8"))["@context"]
    mapped = {v if isinstance(v, str) else v["@id"] for v in ctx.values()}
    for s in set(onto.subjects(RDF.type, None)):
        if isinstance(s, URIRef) and str(s).startswith(str(PSKG)) and s != URIRef(str(PSKG)):
            assert "pskg:" + str(s)[len(str(PSKG)):] in mapped, s
