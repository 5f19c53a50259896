"""The service and population vocabularies (extract/data/services.tsv, populations.tsv) as RDF.

Canonical pskg:PublicService and pskg:TargetPopulation nodes are shared by every plan; they
live in the vocabularies graph with their labels (zh-Hans, en), the written forms of the
vocabulary as skos:altLabel, the service's domain and the population hierarchy
(skos:broader); the two concept schemes are declared in ontology/vocabularies.ttl. Plans add the forms they actually wrote, in their own graphs.
"""
from __future__ import annotations

import pyoxigraph as ox

from extract.beneficiaries import PopulationVocabulary, ServiceVocabulary

from .terms import ALT, LABEL, TYPE, data_iri, domain_concept, lit, ns, pskg

SKOS_CONCEPT = ns("skos", "Concept")


def service_iri(key: str) -> ox.NamedNode:
    return data_iri("service", key)


def population_iri(key: str) -> ox.NamedNode:
    return data_iri("population", key)


def vocabulary_quads(graph: ox.NamedNode) -> list[ox.Quad]:
    quads = []

    def add(s, p, o):
        quads.append(ox.Quad(s, p, o, graph))

    def concept(node, cls, scheme, e):
        add(node, TYPE, pskg(cls))
        add(node, TYPE, SKOS_CONCEPT)
        add(node, ns("skos", "inScheme"), pskg(scheme))
        add(node, ns("skos", "notation"), lit(e.key))
        add(node, LABEL, lit(e.label, "zh-Hans"))
        add(node, LABEL, lit(e.label_en, "en"))
        add(node, ns("skos", "prefLabel"), lit(e.label, "zh-Hans"))
        for alt in e.alt_labels:
            add(node, ALT, lit(alt))

    for e in ServiceVocabulary.load().entries:
        concept(service_iri(e.key), "PublicService", "PublicServiceScheme", e)
        add(service_iri(e.key), pskg("domain"), domain_concept(e.domain))
    for e in PopulationVocabulary.load().entries:
        concept(population_iri(e.key), "TargetPopulation", "TargetPopulationScheme", e)
        if e.broader:
            add(population_iri(e.key), ns("skos", "broader"), population_iri(e.broader))
    return quads
