"""SHACL validation of the store against ontology/shapes.ttl (pyshacl over rdflib), in chunks.

The data validated is what the extraction produced: every plan graph and every shared
entity description (graph.shared), each checked with what it points at — the descriptions
of the shared entities it links to, the vocabularies graph (canonical services and
populations, concept schemes) and the gazetteer entries of the regions it names (with their
parent regions) — so that class constraints such as "pskg:jurisdiction points at a
pskg:Region" can be checked. The ontology (class hierarchy for targets) is mixed in.

A store is validated a chunk at a time (``PLANS_PER_CHUNK`` plan graphs with the context
they point at), so memory stays flat in the number of plans; the report lists the results
of the chunks with findings. Every shared entity is checked in a chunk of a plan that
names it: its description comes as context, its evidence links with the plan. The graph of
counterparts and expected owners (graph.counterparts) is checked ``SUBJECTS_PER_CHUNK``
subjects at a time, each chunk with the types of the nodes its subjects link to and the
evidence links of the text agencies it names. Chunks can be checked in parallel
processes (``jobs``); the report lists them in order either way.
"""
from __future__ import annotations

from typing import Iterable, Iterator

import pyoxigraph as ox
import rdflib

from .counterparts import COUNTERPARTS_GRAPH
from .ontology import VOCAB_GRAPH, ontology_files, shapes_file
from .shared import shared_graphs
from .store import GraphStore
from .terms import GRAPH_BASE, LABEL, TYPE, pskg

PLANS_PER_CHUNK = 10
SUBJECTS_PER_CHUNK = 5000  # of the counterparts graph (expected ownerships, derived bodies, agencies' links)
GAZETTEER = GRAPH_BASE + "gazetteer"
PSKG_DERIVED = "https://w3id.org/pskg/ontology#DerivedBody"
PSKG_BODY_TYPE = "https://w3id.org/pskg/ontology#bodyType"
EVIDENCE, JURISDICTION, SOURCE_DOCUMENT, SOURCE_FILE = (
    pskg("evidence"), pskg("jurisdiction"), pskg("sourceDocument"), pskg("sourceFile"))
# the links of the counterparts graph to agencies (text agencies among them get their evidence)
AGENCY_LINKS = {"https://w3id.org/pskg/ontology#counterpart", "https://w3id.org/pskg/ontology#expectedOwner"}


def _values(iris: Iterable[str]) -> str:
    return " ".join(f"<{i}>" for i in iris)


def _add(g: rdflib.Graph, triples) -> None:
    nt = "".join(f"{t} .\n" for t in triples)
    if nt:
        g.parse(data=nt, format="nt")


def shared_descriptions(store: GraphStore, nodes: Iterable[str]) -> list:
    """What the shared graphs say about ``nodes``, each triple once. By pattern lookups, node
    by node and graph by graph: as one query over VALUES the engine scanned the shared graphs
    once per 500 nodes (4.6 s for a 10-plan chunk at 100x, against 0.2 s)."""
    nodes = list(nodes)
    return list(dict.fromkeys(t for g in shared_graphs() for t in _statements(store, nodes, g)))


def _context(store: GraphStore, nodes: set[str]) -> list:
    """Descriptions of the shared entities that ``nodes`` holds, of the regions (with their
    parents) that they or those descriptions name (a cited plan's jurisdictions come from every
    plan that cites it), and of the regions that replaced the abolished ones among them."""
    ordered = sorted(nodes)
    out = shared_descriptions(store, ordered)
    named = sorted(set(ordered) | _objects(out))
    for chunk in range(0, len(named), 500):
        values = _values(named[chunk:chunk + 500])
        out += list(store.query(f"""CONSTRUCT {{ ?r ?p ?o }} WHERE {{
            {{ SELECT DISTINCT ?r WHERE {{ VALUES ?n {{ {values} }}
                GRAPH <{GAZETTEER}> {{ ?n a pskg:Region ; pskg:partOf* ?r }} }} }}
            GRAPH <{GAZETTEER}> {{ ?r ?p ?o }} }}"""))
        out += list(store.query(f"""CONSTRUCT {{ ?x ?p ?o }} WHERE {{
            {{ SELECT DISTINCT ?x WHERE {{ VALUES ?n {{ {values} }}
                GRAPH <{GAZETTEER}> {{ ?n pskg:partOf* ?r . ?r dct:isReplacedBy+ ?s . ?s pskg:partOf* ?x }} }} }}
            GRAPH <{GAZETTEER}> {{ ?x ?p ?o }} }}"""))
    return out


def _objects(triples) -> set[str]:
    return {t.object.value for t in triples if isinstance(t.object, ox.NamedNode)}


def chunk_list(store: GraphStore) -> list[tuple[str, str, list[str]]]:
    """(what, kind, IRIs) of each chunk to validate, in order: ``PLANS_PER_CHUNK`` plan graphs
    ("plans"), then the counterparts graph ``SUBJECTS_PER_CHUNK`` subjects at a time
    ("counterparts")."""
    plans = [r["plan"] for r in store.select("SELECT ?plan WHERE { ?plan pskg:sourceFile ?f } ORDER BY ?plan")]
    out = [(f"plans {i + 1}-{i + len(plans[i:i + PLANS_PER_CHUNK])}", "plans", plans[i:i + PLANS_PER_CHUNK])
           for i in range(0, len(plans), PLANS_PER_CHUNK)]
    g = ox.NamedNode(COUNTERPARTS_GRAPH)
    subjects = list(dict.fromkeys(q.subject.value for q in store.store.quads_for_pattern(None, None, None, g)
                                  if isinstance(q.subject, ox.NamedNode)))
    subjects.sort()
    out += [(f"counterparts {i + 1}-{i + len(subjects[i:i + SUBJECTS_PER_CHUNK])}", "counterparts",
             subjects[i:i + SUBJECTS_PER_CHUNK]) for i in range(0, len(subjects), SUBJECTS_PER_CHUNK)]
    return out


def _triples(quads) -> list:
    return [q.triple for q in quads]


def _statements(store: GraphStore, subjects: Iterable[str], g: ox.NamedNode, predicate=None) -> list:
    quads = store.store.quads_for_pattern
    return [t for s in subjects for t in _triples(quads(ox.NamedNode(s), predicate, None, g))]


def chunk_triples(store: GraphStore, kind: str, iris: list[str]) -> tuple[list, list]:
    """(the triples to check, extra context) of one chunk: its plan graphs; or some subjects of
    the counterparts graph, with the types there of the nodes they link to (derived bodies,
    the rule and the table: what the class constraints of the subjects ask; the rest of those
    nodes' descriptions, their own counterparts above all, is checked in their own chunk) and
    the evidence links of the text agencies among them."""
    if kind == "plans":
        return [t for p in iris for t in _triples(store.store.quads_for_pattern(None, None, None, ox.NamedNode(p)))], []
    g = ox.NamedNode(COUNTERPARTS_GRAPH)
    triples = _statements(store, iris, g)
    types = _statements(store, sorted(_objects(triples) - set(iris)), g, TYPE)
    return triples, types + _evidence_links(store, triples + types)


def text_agencies(triples) -> list[str]:
    """The agencies ``triples`` links to (counterpart, expected owner) or gives a body type,
    derived bodies left out, sorted."""
    derived = {t.subject.value for t in triples if t.object.value == PSKG_DERIVED}
    return sorted(({t.object.value for t in triples if t.predicate.value in AGENCY_LINKS}
                   | {t.subject.value for t in triples if t.predicate.value == PSKG_BODY_TYPE}) - derived)


def _evidence_links(store: GraphStore, triples) -> list:
    """One pskg:evidence (from the plan graphs, with its source plan) and the jurisdiction of
    each text agency ``triples`` links to or types, so that a chunk without their plans still sees that
    they have evidence (and their regions come with the context)."""
    agencies = text_agencies(triples)
    # pattern lookups, agency by agency: a query joining them is planned over every
    # evidence node of the store (minutes at 100x)
    quads = store.store.quads_for_pattern
    out: dict = {}
    for a in map(ox.NamedNode, agencies):
        ev = min((q.object for q in quads(a, EVIDENCE, None) if isinstance(q.object, ox.NamedNode)),
                 key=lambda n: n.value, default=None)
        if ev is None:
            continue
        described = _triples(quads(ev, None, None))
        plans = [t.object for t in described if t.predicate == SOURCE_DOCUMENT and isinstance(t.object, ox.NamedNode)]
        plan_facts = [t for plan in plans for t in _triples(quads(plan, None, None))
                      if t.predicate in (TYPE, SOURCE_FILE, LABEL)]
        if not any(t.predicate == SOURCE_FILE for t in plan_facts) or not any(
                t.predicate == LABEL for t in plan_facts):
            continue  # no source plan with a file and a label: nothing to show
        out.update(dict.fromkeys([ox.Triple(a, EVIDENCE, ev)] + _triples(quads(a, JURISDICTION, None))
                                 + described + plan_facts))
    return list(out)


def _focus_as_set() -> None:
    """pyshacl (0.40) keeps the ``focus_nodes`` option as a list and tests each target of each
    shape for membership in it: targets x focus nodes comparisons, 70 of the 90 s of a
    5,000-subject counterparts chunk at 100x. Its executor only asks ``len`` and ``in`` of
    them, so hand it a frozenset. Applied once; a pyshacl without that hook is left as it is."""
    from pyshacl.validator import Validator

    make = getattr(Validator, "make_executor", None)
    if make is None or getattr(make, "pskg_focus_set", False):
        return

    def make_executor(self):
        executor = make(self)
        if getattr(executor, "focus_nodes", None):
            executor.focus_nodes = frozenset(executor.focus_nodes)
        return executor

    make_executor.pskg_focus_set = True
    Validator.make_executor = make_executor


class Checker:
    """The shapes, the ontology and the vocabularies, read once; checks one chunk at a time."""

    def __init__(self, store: GraphStore):
        _focus_as_set()
        self.store = store
        self.shapes = rdflib.Graph().parse(shapes_file(), format="turtle")
        self.ontology = rdflib.Graph()
        for f in ontology_files():  # class hierarchy and concept schemes, for targets and sh:node
            self.ontology.parse(f, format="turtle")
        self.vocab = list(store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{VOCAB_GRAPH}> {{ ?s ?p ?o }} }}"))

    def check(self, chunk: tuple[str, str, list[str]]) -> tuple[str, int, bool, str] | None:
        """(what, triples checked, conforms, pyshacl's report) of one chunk; None when it is empty."""
        from pyshacl import validate as shacl

        what, kind, iris = chunk
        triples, extra = chunk_triples(self.store, kind, iris)
        if not triples:
            return None
        data = rdflib.Graph()
        _add(data, triples)
        _add(data, extra)
        both = triples + extra
        _add(data, _context(self.store, _objects(both) | {t.subject.value for t in both
                                                            if isinstance(t.subject, ox.NamedNode)}))
        _add(data, self.vocab)
        # a counterparts chunk checks its own subjects; the nodes they link to come as context
        # (they are checked in their own chunk, with what they link to in turn)
        focus = iris if kind == "counterparts" else None
        ok, _graph, text = shacl(data, shacl_graph=self.shapes, ont_graph=self.ontology, inference="none",
                                 advanced=True, allow_warnings=True, focus_nodes=focus)
        return what, len(triples), ok, text


_checker: Checker | None = None


def _open_checker(store_path: str) -> None:
    global _checker
    _checker = Checker(GraphStore(store_path, read_only=True))


def _check(chunk):
    return _checker.check(chunk)


def checked_chunks(store: GraphStore, todo: list, jobs: int = 1) -> Iterator[tuple[str, int, bool, str] | None]:
    """The result of each chunk of ``todo`` (chunk_list), in order; with ``jobs`` > 1 the
    chunks are checked in that many processes, each with its own read-only handle on the store."""
    if jobs <= 1 or store.path is None or len(todo) < 2:
        checker = Checker(store)
        yield from map(checker.check, todo)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fresh interpreters (spawn), whatever a build started before in this process; a worker
    # that cannot start or dies fails the validation (BrokenProcessPool) instead of hanging it
    with ProcessPoolExecutor(min(jobs, len(todo)), mp_context=multiprocessing.get_context("spawn"),
                             initializer=_open_checker, initargs=(str(store.path),)) as pool:
        yield from pool.map(_check, todo)


def validate(store: GraphStore, jobs: int = 1, progress=None) -> tuple[bool, str]:
    """(conforms, report text). ``progress(done, total)`` is called after each chunk."""
    conforms, n, reports, parts = True, 0, [], 0
    todo = chunk_list(store)
    for i, result in enumerate(checked_chunks(store, todo, jobs), 1):
        if progress:
            progress(i, len(todo))
        if result is None:
            continue
        what, size, ok, text = result
        n += size
        parts += 1
        if not ok:
            conforms = False
        if not ok or "Results (" in text:
            reports.append(f"== {what}\n{text}")
    head = (f"validated {n:,} triples in {parts} chunks (plan graphs, with the shared descriptions, "
            f"vocabularies and regions they use)\nConforms: {conforms}\n")
    return conforms, head + "\n".join(reports)
