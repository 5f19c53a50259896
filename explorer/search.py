"""Search across the graph's entities by label and alias, in Simplified or Traditional.

The index holds every written form (rdfs:label, skos:altLabel, skos:prefLabel, dct:title) of
the entities that have explorer pages, folded to one key per form: Traditional converted to
Simplified with the pipeline's OpenCC conversion, Latin lower-cased, spaces dropped. A query
is folded the same way, so 衛生 finds 卫生 and 殘聯 finds 残联. Regions, agencies and plans are
also indexed by the pinyin and English forms of their names (explorer.latin_names), so
"Baiyin" finds 白银市 and "Gansu" 甘肃省. Each entity is one hit, its other matching forms
listed with it.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, replace

from extract.normalize import to_simplified

from .data import CLASS_ORDER, SKOS_CONCEPT, ExplorerData, local
from .latin_names import latin_forms

# Classes searched, in the order results of equal quality are listed.
SEARCH_CLASSES = ("Agency", "DerivedBody", "PublicService", "TargetPopulation", "Plan", "Region", "ServiceGuarantee",
                  "Project", "Task", "Indicator", "Standard", "Concept")
LATIN_CLASSES = ("Region", "Agency", "Plan")  # also indexed by pinyin and English forms of their names


def fold(text: str) -> str:
    return "".join(to_simplified(text).lower().split())


@dataclass(frozen=True)
class Hit:
    iri: str
    cls: str
    label: str      # the entity's display label (zh-Hans)
    matched: str    # the written form that matched best
    score: int      # 0 exact, 1 prefix, 2 substring
    others: tuple = ()  # the entity's other written forms that matched (one hit per entity)


LEVEL_WEIGHT = {"National": 1, "Provincial": 2, "Prefectural": 3, "County": 4}


def region_weights(store, cls_of: dict[str, str]) -> dict[str, int]:
    """0 for a region a plan or agency is in, else by level (province before prefecture before
    county): 白银市 before the district 白银区 when "Baiyin" matches both."""
    import pyoxigraph as ox

    from graph.terms import PSKG

    out = {}
    for q in store.quads_for_pattern(None, ox.NamedNode(PSKG + "level"), None, None):
        s = q.subject.value
        if cls_of.get(s) == "Region":
            out[s] = LEVEL_WEIGHT.get(local(q.object.value), 5)
    for q in store.quads_for_pattern(None, ox.NamedNode(PSKG + "jurisdiction"), None, None):
        if cls_of.get(q.subject.value) in ("Plan", "Agency"):  # not a derived body's region
            out[q.object.value] = 0
    return out


class SearchIndex:
    def __init__(self, entries: list[tuple[str, str, str, str]], weights: dict[str, int] | None = None,
                 borrowed: set[tuple[str, str]] | None = None):
        """entries: (iri, class, display label, written form); weights: a tie-break among hits
        of one quality and class, lower first (regions the plans are about, then by level);
        borrowed: (iri, form) pairs of forms an entity has from another (a plan's region's
        names), which match no better than a prefix, so the region itself comes first."""
        self.entries = entries
        self.weights = weights or {}
        self.borrowed = borrowed or set()
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

    def to_parts(self) -> dict:
        """What the index is made of, as JSON values (kept per store version, explorer.precomputed)."""
        return {"entries": [list(e) for e in self.entries], "weights": self.weights,
                "borrowed": sorted(map(list, self.borrowed)), "blob": self.blob, "starts": self.starts}

    @classmethod
    def from_parts(cls, parts: dict) -> SearchIndex:
        ix = cls.__new__(cls)
        ix.entries = [tuple(e) for e in parts["entries"]]
        ix.weights = dict(parts["weights"])
        ix.borrowed = {tuple(b) for b in parts["borrowed"]}
        ix.blob, ix.starts = parts["blob"], list(parts["starts"])
        if len(ix.starts) != len(ix.entries):
            raise ValueError("search index parts do not match")
        return ix

    @classmethod
    def build(cls, data: ExplorerData) -> SearchIndex:
        """Read the written forms straight from the store's indexes (no SPARQL: this runs over
        every entity of the store once per explorer process)."""
        if data.precomputed:  # the store's version has its figures kept: the index is among them
            from .precomputed import load_search

            parts = load_search(data.store.path)
            if parts is not None:
                return cls.from_parts(parts)
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
        # regions, agencies and plans are also found by pinyin and English (白银市: Baiyin, Baiyin City)
        for s, written in forms.items():
            if cls_of[s] in LATIN_CLASSES:
                place = cls_of[s] == "Region"
                written.update({f for form in list(written) for f in latin_forms(form, place)})
        # a plan is also found by the names of its region (白银市's plan by 白银市, Baiyin, Baiyin City)
        borrowed = set()
        for q in store.quads_for_pattern(None, ox.NamedNode(PSKG + "jurisdiction"), None, None):
            s, r = q.subject.value, q.object.value
            if cls_of.get(s) == "Plan" and r in forms and s in forms:
                borrowed.update((s, f) for f in forms[r] - forms[s])
                forms[s].update(forms[r])
        entries = []
        for s in sorted(forms):
            label = display[s][2] if s in display else local(s)
            for form in sorted(forms[s]):
                entries.append((s, cls_of[s], label, form))
        return cls(entries, region_weights(store, cls_of), borrowed)

    def search(self, query: str, classes=None, limit: int = 200) -> tuple[list[Hit], Counter]:
        """The best hit per entity (exact, then prefix, then substring; shorter forms first),
        and the number of matching entities per class (before ``classes`` and ``limit``)."""
        q = fold(query)
        if not q or "\n" in q:
            return [], Counter()
        best: dict[str, Hit] = {}
        matched: dict[str, set[str]] = {}
        blob, starts = self.blob, self.starts
        pos = blob.find(q)
        while pos >= 0:
            i = bisect_right(starts, pos) - 1
            line_start = starts[i]
            line_end = blob.index("\n", line_start)
            if pos + len(q) <= line_end:  # the match lies inside one key
                iri, cls, label, form = self.entries[i]
                score = 0 if line_end - line_start == len(q) else 1 if pos == line_start else 2
                if score == 0 and (iri, form) in self.borrowed:
                    score = 1
                matched.setdefault(iri, set()).add(form)
                if iri not in best or (score, len(form)) < (best[iri].score, len(best[iri].matched)):
                    best[iri] = Hit(iri, cls, label, form, score)
            pos = blob.find(q, line_end + 1)
        best = {i: replace(h, others=tuple(sorted(matched[i] - {h.matched, h.label}))) for i, h in best.items()}
        counts = Counter(h.cls for h in best.values())
        order = {c: i for i, c in enumerate(SEARCH_CLASSES)}
        hits = [h for h in best.values() if not classes or h.cls in classes]
        w = self.weights
        hits.sort(key=lambda h: (h.score, order.get(h.cls, 99), w.get(h.iri, 9), len(h.label), h.label, h.iri))
        return hits[:limit], counts
