"""SHACL validation of the store against ontology/shapes.ttl (pyshacl over rdflib)."""
from __future__ import annotations

import io

import rdflib

from .ontology import ontology_files, shapes_file
from .store import GraphStore


def data_graph(store: GraphStore) -> rdflib.Graph:
    """The union of all graphs in the store as one rdflib graph."""
    buf = io.BytesIO()
    store.export("ntriples", buf)
    g = rdflib.Graph()
    g.parse(data=buf.getvalue().decode("utf-8"), format="nt")
    return g


def validate(store: GraphStore) -> tuple[bool, str]:
    """(conforms, report text)."""
    from pyshacl import validate as shacl

    shapes = rdflib.Graph().parse(shapes_file(), format="turtle")
    ont = rdflib.Graph()
    for f in ontology_files():
        ont.parse(f, format="turtle")
    conforms, _report_graph, text = shacl(data_graph(store), shacl_graph=shapes, ont_graph=ont,
                                          inference="none", advanced=True, allow_warnings=True)
    return bool(conforms), text
