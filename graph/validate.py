"""SHACL validation of the store against ontology/shapes.ttl (pyshacl over rdflib).

The data validated is what the extraction produced: every plan graph, plus the vocabularies
graph (canonical services and populations that plans link to), plus the gazetteer
entries of the regions those graphs point at (and their parent regions), so that class
constraints such as "pskg:jurisdiction points at a pskg:Region" can be checked. The
ontology and the concept schemes (class
hierarchy for targets; the level / function / domain concepts) are added to the data.
"""
from __future__ import annotations

import rdflib

from .ontology import VOCAB_GRAPH, ontology_files, shapes_file
from .store import GraphStore
from .terms import GRAPH_BASE

EXTRACTED = """
CONSTRUCT { ?s ?p ?o } WHERE { ?plan a pskg:Plan ; pskg:sourceFile ?file . GRAPH ?plan { ?s ?p ?o } }
"""
REGIONS = f"""
CONSTRUCT {{ ?r ?p ?o }} WHERE {{
  {{ SELECT DISTINCT ?r WHERE {{
      ?plan a pskg:Plan ; pskg:sourceFile ?file .
      GRAPH ?plan {{ ?s ?q ?r0 }}
      GRAPH <{GRAPH_BASE}gazetteer> {{ ?r0 a pskg:Region ; pskg:partOf* ?r }} }} }}
  GRAPH <{GRAPH_BASE}gazetteer> {{ ?r ?p ?o }}
}}
"""


def data_graph(store: GraphStore) -> rdflib.Graph:
    """Plan graphs, the gazetteer entries they use and the vocabularies graph (with the
    canonical services and populations), as one rdflib graph."""
    import pyoxigraph as ox

    g = rdflib.Graph()
    vocab = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{VOCAB_GRAPH}> {{ ?s ?p ?o }} }}"
    for q in (EXTRACTED, REGIONS, vocab):
        nt = store.query(q).serialize(format=ox.RdfFormat.N_TRIPLES)
        g.parse(data=nt.decode("utf-8"), format="nt")
    return g


def validate(store: GraphStore) -> tuple[bool, str]:
    """(conforms, report text)."""
    from pyshacl import validate as shacl

    shapes = rdflib.Graph().parse(shapes_file(), format="turtle")
    data = data_graph(store)
    n = len(data)
    for f in ontology_files():  # class hierarchy and concept schemes, for targets and sh:node
        data.parse(f, format="turtle")
    conforms, _report_graph, text = shacl(data, shacl_graph=shapes, inference="none",
                                          advanced=True, allow_warnings=True)
    return bool(conforms), f"validated {n:,} triples (plan graphs, vocabularies and the regions they use)\n{text}"
