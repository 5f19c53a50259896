"""Search across the graph's entities by label and alias, in Simplified or Traditional.

The index holds every written form (rdfs:label, skos:altLabel, skos:prefLabel, dct:title) of
the entities that have explorer pages, folded to one key per form: Traditional converted to
Simplified with the pipeline's OpenCC conversion, Latin lower-cased, spaces dropped. A query
is folded the same way, so 衛生 finds 卫生 and 殘聯 finds 残联.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from extract.normalize import to_simplified

from .data import CLASS_ORDER, SKOS_CONCEPT, ExplorerData, local

# Classes searched, in the order results of equal quality are listed.
SEARCH_CLASSES = ("Agency", "DerivedBody", "PublicService", "TargetPopulation", "Plan", "Region", "ServiceGuarantee",
                  "Project", "Task", "Indicator", "Standard", "Concept")


def fold(text: str) -> str:
    return "".join(to_simplified(text).lower().split())


@dataclass(frozen=True)
class Hit:
    iri: str
    cls: str
    label: str      # the entity's display label (zh-Hans)
    matched: str    # the written form that matched
    score: int      # 0 exact, 1 prefix, 2 substring


class SearchIndex:
    def __init__(self, entries: list[tuple[str, str, str, str]]):
        """entries: (iri, class, display label, written form)."""
        self.entries = entries
        # one OpenCC pass over all forms (one per line), then each line folded; the folded keys
        # are kept as one string so a query is a few str.find calls, not a Python loop
        joined = to_simplified("\n".join(" ".join(form.split()) for _, _, _, form in entries))
        keys = ["".join(line.lower().split()) for line in joined.split("\n")] if entries else []
        self.blob = "\n" + "\n".join(keys) + "\n"
        self.starts = []
        pos = 1
        for k in keys:
            self.starts.append(pos)
            pos += len(k) + 1

    @classmethod
    def build(cls, data: ExplorerData) -> SearchIndex:
        """Read the written forms straight from the store's indexes (no SPARQL: this runs over
        every entity of the store once per explorer process)."""
        import pyoxigraph as ox

        from graph.terms import DCT, PSKG, RDF, RDFS, SKOS

        store = data.store.store
        rdf_type = ox.NamedNode(RDF + "type")
        order = {c: i for i, c in enumerate(CLASS_ORDER)}
        cls_of: dict[str, str] = {}
        for c in SEARCH_CLASSES:
            node = ox.NamedNode(SKOS_CONCEPT if c == "Concept" else PSKG + c)
            for q in store.quads_for_pattern(None, rdf_type, node, None):
                s = q.subject.value
                if s not in cls_of or order[c] < order[cls_of[s]]:
                    cls_of[s] = c
        display: dict[str, tuple] = {}
        forms: dict[str, set[str]] = {}
        for rank, prop in enumerate((RDFS + "label", SKOS + "prefLabel", DCT + "title", SKOS + "altLabel")):
            for q in store.quads_for_pattern(None, ox.NamedNode(prop), None, None):
                s = q.subject.value
                if s not in cls_of or not isinstance(q.object, ox.Literal):
                    continue
                form = " ".join(q.object.value.split())
                forms.setdefault(s, set()).add(form)
                if prop == SKOS + "altLabel":
                    continue
                zh = 0 if (q.object.language or "").lower().startswith("zh") else 1
                key = (rank, zh, form)
                if s not in display or key < display[s]:
                    display[s] = key
        entries = []
        for s in sorted(forms):
            label = display[s][2] if s in display else local(s)
            for form in sorted(forms[s]):
                entries.append((s, cls_of[s], label, form))
        return cls(entries)

    def search(self, query: str, classes=None, limit: int = 200) -> tuple[list[Hit], Counter]:
        """The best hit per entity (exact, then prefix, then substring; shorter forms first),
        and the number of matching entities per class (before ``classes`` and ``limit``)."""
        q = fold(query)
        if not q or "\n" in q:
            return [], Counter()
        best: dict[str, Hit] = {}
        blob, starts = self.blob, self.starts
        pos = blob.find(q)
        while pos >= 0:
            i = bisect_right(starts, pos) - 1
            line_start = starts[i]
            line_end = blob.index("\n", line_start)
            if pos + len(q) <= line_end:  # the match lies inside one key
                iri, cls, label, form = self.entries[i]
                score = 0 if line_end - line_start == len(q) else 1 if pos == line_start else 2
                if iri not in best or (score, len(form)) < (best[iri].score, len(best[iri].matched)):
                    best[iri] = Hit(iri, cls, label, form, score)
            pos = blob.find(q, line_end + 1)
        counts = Counter(h.cls for h in best.values())
        order = {c: i for i, c in enumerate(SEARCH_CLASSES)}
        hits = [h for h in best.values() if not classes or h.cls in classes]
        hits.sort(key=lambda h: (h.score, order.get(h.cls, 99), len(h.label), h.label, h.iri))
        return hits[:limit], counts
