"""The pskg ontology, its concept schemes and SHACL shapes (the Turtle files in ontology/).

* ``ontology/pskg.ttl``          the OWL ontology       -> named graph ONTOLOGY_GRAPH
* ``ontology/vocabularies.ttl``  the SKOS concept schemes -> named graph VOCAB_GRAPH
* ``ontology/shapes.ttl``        SHACL shapes (used by graph.validate, not loaded in the store)
* ``ontology/context.jsonld``    JSON-LD context for exports

owlready2 (and its HermiT reasoner) cannot read Turtle: :func:`to_rdfxml` converts.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from pskg.paths import ONTOLOGY_DIR

ONTOLOGY_IRI = "https://w3id.org/pskg/ontology"
VOCAB_IRI = "https://w3id.org/pskg/vocabularies"
ONTOLOGY_GRAPH = "https://w3id.org/pskg/graph/ontology"
VOCAB_GRAPH = "https://w3id.org/pskg/graph/vocabularies"

ONTOLOGY_FILE = ONTOLOGY_DIR / "pskg.ttl"
VOCAB_FILE = ONTOLOGY_DIR / "vocabularies.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
CONTEXT_FILE = ONTOLOGY_DIR / "context.jsonld"

# which file goes into which named graph of the store
GRAPH_FILES = {ONTOLOGY_GRAPH: (ONTOLOGY_FILE,), VOCAB_GRAPH: (VOCAB_FILE,)}


def ontology_files() -> list[Path]:
    """The OWL ontology and the concept schemes, in that order."""
    return [ONTOLOGY_FILE, VOCAB_FILE]


def shapes_file() -> Path:
    return SHAPES_FILE


def context_file() -> Path:
    return CONTEXT_FILE


def _graph_name(graph_iri: str | ox.NamedNode) -> ox.NamedNode:
    return graph_iri if isinstance(graph_iri, ox.NamedNode) else ox.NamedNode(str(graph_iri))


def load_ontology_quads(graph_iri: str | ox.NamedNode,
                        files: Iterable[Path] | None = None) -> list[ox.Quad]:
    """The triples of Turtle files as quads in the named graph ``graph_iri``.

    Without ``files``: ONTOLOGY_GRAPH gets pskg.ttl, VOCAB_GRAPH gets vocabularies.ttl and any
    other graph gets both. Blank nodes (OWL class expressions, RDF lists) are renamed apart
    per file so that two files never share one by accident (exports canonicalize them).
    """
    graph = _graph_name(graph_iri)
    if files is None:
        files = GRAPH_FILES.get(graph.value, tuple(ontology_files()))
    quads: list[ox.Quad] = []
    for path in files:
        with open(path, "rb") as fh:
            for q in ox.parse(fh, format=ox.RdfFormat.TURTLE, base_iri=ONTOLOGY_IRI,
                              rename_blank_nodes=True):
                quads.append(ox.Quad(q.subject, q.predicate, q.object, graph))
    return quads


def to_rdfxml(paths: Iterable[Path], out_path: Path) -> Path:
    """Merge Turtle files into one RDF/XML document (for owlready2) and return its path.

    The merged document is one ontology: the first file's owl:Ontology header is kept, the
    headers of the others are dropped and owl:imports between the merged files removed, so
    that owlready2 does not try to fetch them from the web.
    """
    import rdflib
    from rdflib.namespace import OWL, RDF

    paths = list(paths)
    merged = rdflib.Graph()
    headers: list[rdflib.term.Node] = []
    for path in paths:
        g = rdflib.Graph().parse(path, format="turtle")
        headers.extend(h for h in g.subjects(RDF.type, OWL.Ontology) if h not in headers)
        merged += g
    for h in headers[1:]:
        merged.remove((h, None, None))
    if headers:
        for imported in list(merged.objects(headers[0], OWL.imports)):
            if imported in headers:
                merged.remove((headers[0], OWL.imports, imported))
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    merged.serialize(destination=str(out_path), format="xml")
    return out_path
