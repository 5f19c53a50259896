"""Service-domain labels, read from the domain concept scheme in ontology/vocabularies.ttl.

The scheme is the single source: its concepts' skos:notation is the key, their
skos:prefLabel / skos:altLabel @zh-Hans the heading words that name the domain
(基本公共教育, 劳动就业创业, 住房保障 …).
"""
from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox

from pskg.paths import ONTOLOGY_DIR

QUERY = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX pskg: <https://w3id.org/pskg/ontology#>
SELECT ?key ?label WHERE {
  ?c skos:inScheme pskg:ServiceDomainScheme ; skos:notation ?key ;
     skos:prefLabel|skos:altLabel ?label .
  FILTER(langMatches(lang(?label), "zh"))
}"""


@lru_cache(maxsize=1)
def domain_labels() -> list[tuple[str, str]]:
    """(Chinese label, domain key) pairs, sorted for determinism."""
    store = ox.Store()
    with open(ONTOLOGY_DIR / "vocabularies.ttl", "rb") as fh:
        store.load(fh, format=ox.RdfFormat.TURTLE)
    rows = {(sol["label"].value, sol["key"].value) for sol in store.query(QUERY)}
    return sorted(rows)
