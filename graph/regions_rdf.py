"""The region gazetteer as RDF, for its own named graph <https://w3id.org/pskg/graph/gazetteer>.

Per region (IRI ``id:region/{code}``, from graph.terms.region_iri):

    a pskg:Region ;
    rdfs:label "白银市"@zh-Hans ;
    skos:altLabel "白银"@zh-Hans ;              # short name and alternative forms (恩施州)
    skos:hiddenLabel "襄樊市"@zh-Hans ;          # former names of the code (search only)
    pskg:divisionCode "620400" ;                 # 6-digit string, also "100000" for the country
    pskg:level pskg:Prefectural ;
    pskg:partOf id:region/620000 ;               # parent; 100000 for provinces
    pskg:validFrom "1985"^^xsd:gYear ;           # only when after the data's first year (1980)
    pskg:validTo "2017"^^xsd:gYear ;             # only for abolished codes
    dct:isReplacedBy id:region/420882 .          # abolished codes with a known successor

The quads are returned in a fixed order (by code, then statement), so two runs are equal.
"""
from __future__ import annotations

from typing import Iterable

import pyoxigraph as ox

from extract.gazetteer import Gazetteer

from .terms import DCT, GRAPH_BASE, LABEL, SKOS, TYPE, XSD, level_concept, pskg, region_iri

GAZETTEER_GRAPH = ox.NamedNode(GRAPH_BASE + "gazetteer")

_ALT = ox.NamedNode(SKOS + "altLabel")
_HIDDEN = ox.NamedNode(SKOS + "hiddenLabel")
_REPLACED = ox.NamedNode(DCT + "isReplacedBy")
_GYEAR = ox.NamedNode(XSD + "gYear")


def region_quads(gaz: Gazetteer, codes: Iterable[str] | None = None,
                 graph: ox.NamedNode | ox.DefaultGraph = GAZETTEER_GRAPH) -> list[ox.Quad]:
    """Quads describing the regions ``codes`` (default: every region of the gazetteer,
    current and historical). Unknown codes raise KeyError."""
    if codes is None:
        regions = list(gaz)
    else:
        regions = []
        for c in sorted(set(codes)):
            r = gaz.get(c)
            if r is None:
                raise KeyError(c)
            regions.append(r)
    first = min((r.first_year for r in gaz), default=0)
    latest = gaz.latest_year

    a_region, p_code, p_level, p_part = pskg("Region"), pskg("divisionCode"), pskg("level"), pskg("partOf")
    p_from, p_to = pskg("validFrom"), pskg("validTo")
    levels: dict[str, ox.NamedNode] = {}
    iris: dict[str, ox.NamedNode] = {}

    def iri(code: str) -> ox.NamedNode:
        node = iris.get(code)
        if node is None:
            node = iris[code] = region_iri(code)
        return node

    out: list[ox.Quad] = []
    add = out.append
    for r in regions:
        s = iri(r.code)
        add(ox.Quad(s, TYPE, a_region, graph))
        add(ox.Quad(s, LABEL, ox.Literal(r.name, language="zh-Hans"), graph))
        for form in dict.fromkeys((r.short, *r.alt)):
            if form and form != r.name:
                add(ox.Quad(s, _ALT, ox.Literal(form, language="zh-Hans"), graph))
        shown = {r.name, r.short, *r.alt}
        for name in dict.fromkeys(f.name for f in r.former):
            if name not in shown:
                add(ox.Quad(s, _HIDDEN, ox.Literal(name, language="zh-Hans"), graph))
        add(ox.Quad(s, p_code, ox.Literal(r.code), graph))
        lvl = levels.get(r.level)
        if lvl is None:
            lvl = levels[r.level] = level_concept(gaz.level_concept_key(r))
        add(ox.Quad(s, p_level, lvl, graph))
        if r.parent:
            add(ox.Quad(s, p_part, iri(r.parent), graph))
        if r.first_year > first:
            add(ox.Quad(s, p_from, ox.Literal(str(r.first_year), datatype=_GYEAR), graph))
        if r.last_year < latest:
            add(ox.Quad(s, p_to, ox.Literal(str(r.last_year), datatype=_GYEAR), graph))
        if r.successor:
            add(ox.Quad(s, _REPLACED, iri(r.successor), graph))
    return out
