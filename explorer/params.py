"""The query parameters of the explorer's URLs, checked before a page uses them.

A URL is user input: every parameter is read through one of these functions, which return
a clean value or None (the page then says what is wrong, never runs a query with it). An
entity IRI must be an absolute IRI in the store's base or one of the known vocabularies
(graph.terms.PREFIXES); queries then write it as a checked term (explorer.data.term).
"""
from __future__ import annotations

import pyoxigraph as ox

from graph.terms import GRAPH_BASE, PREFIXES, base

MAX_LEN = 2000  # longer values are refused outright (no IRI of the store is near this)


def namespaces() -> tuple[str, ...]:
    return tuple(dict.fromkeys([base(), GRAPH_BASE, *PREFIXES.values()]))


def entity_iri(value) -> str | None:
    """``value`` if it is an absolute IRI of the store's base or a known namespace, else None."""
    if not isinstance(value, str) or not value or len(value) > MAX_LEN:
        return None
    try:
        ox.NamedNode(value)
    except ValueError:
        return None
    return value if value.startswith(namespaces()) else None


def integer(value, default: int | None = None, low: int = 0, high: int = 10**9) -> int | None:
    """A non-negative decimal integer within [low, high], else ``default``."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit() or len(value) > 12:
        return default
    n = int(value)
    return n if low <= n <= high else default


def choice(value, options, default=None):
    """``value`` if it is one of ``options``, else ``default``."""
    return value if value in options else default
