"""What the explorer's pages show, read from the store with SPARQL.

Every method returns plain rows (dicts of lexical values) or small dataclasses; pages only
lay them out. Queries bind the page's entity first so they stay fast on large stores. The
default graph is the union of the named graphs, and every triple is stored in one graph
(shared entities are described once, graph.shared); DISTINCT remains where a query's own
joins repeat rows. Store-wide figures (triples, entities per class) are read from the VoID
description the build stores (graph.void), not counted.
"""
from __future__ import annotations

from collections import OrderedDict, defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from graph.shortcuts import SHORTCUT_LIST
from graph.store import GraphStore

# The classes that get entity pages, most specific first (a commitment's own kind before Commitment).
CLASS_ORDER = ("Plan", "Agency", "DerivedBody", "PublicService", "TargetPopulation", "Region", "ServiceGuarantee",
               "Project", "Task", "Commitment", "Indicator", "Standard", "Section", "Concept")
COMMITMENT_KINDS = ("ServiceGuarantee", "Project", "Task")
SKOS_CONCEPT = "http://www.w3.org/2004/02/skos/core#Concept"


def term(iri: str) -> str:
    """An IRI written as a SPARQL term. pyoxigraph checks it is an absolute IRI and refuses
    any character that could end the term (``>``, spaces, braces, quotes), so a value from a
    URL never becomes query text: it raises ValueError instead."""
    return str(ox.NamedNode(iri))


def iri_list(iris) -> str:
    return " ".join(term(i) for i in iris)


def label_rank(tag: str, lang: str) -> int:
    """How well a label's language tag suits the interface language (lower is better):
    English when asked for, then zh-Hans, then other Chinese, then anything else."""
    tag = tag.lower()
    if lang == "en" and (tag == "en" or tag.startswith("en-")):
        return 0
    return 1 if tag == "zh-hans" else 2 if tag.startswith("zh") else 3


def local(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


@dataclass(frozen=True)
class Evidence:
    plan: str
    source_file: str
    start: int
    end: int
    quote: str
    prop: str = ""  # the property this evidence supports (pskg:property), if recorded


class ExplorerData:
    """Read access for the explorer pages over one GraphStore."""

    def __init__(self, store: GraphStore, precomputed: bool = True, cache_rows: int | None = None):
        """precomputed: start from the whole-store figures kept for this store version
        (explorer.precomputed), when there are; cache_rows: result rows kept for reruns (default:
        400,000 on a store opened read-only, none on one that can change)."""
        self.store = store
        self._labels: dict[tuple[str, str], str] = {}
        self._memo: dict = {}
        self._results: OrderedDict[str, list] = OrderedDict()  # query text -> rows, least recent first
        self._cached = 0  # rows held in _results
        self._cleaned: dict = {}  # source file -> its cleaned text, the last few (cleaned_text)
        self.cache_rows = (400_000 if store.read_only else 0) if cache_rows is None else cache_rows
        self.precomputed: dict = {}
        if precomputed and store.path is not None:
            from .precomputed import load

            self.precomputed = load(store.path) or {}
            self._memo.update(self.precomputed.pop("memo", {}))

    def select(self, sparql: str) -> list[dict[str, str]]:
        """The rows of a SELECT; a result read before comes from a bounded cache (the explorer
        opens the store read-only, so a result stays true while the process lives): a rerun of
        a page, or a second visitor, asks the store nothing again."""
        hit = self._results.get(sparql)
        if hit is not None:
            self._results.move_to_end(sparql)
            return [dict(r) for r in hit]
        rows = self.store.select(sparql)
        if self.cache_rows and len(rows) <= self.cache_rows // 20:
            self._results[sparql] = rows
            self._cached += len(rows) + 1
            while self._cached > self.cache_rows:
                _, old = self._results.popitem(last=False)
                self._cached -= len(old) + 1
            return [dict(r) for r in rows]
        return rows

    def select_in(self, template: str, iris, size: int = 400) -> list[dict[str, str]]:
        """The rows of ``template`` (a SELECT with ``{values}`` where a VALUES block's IRIs go)
        for every IRI of ``iris``, asked ``size`` IRIs at a time: each query starts from bound
        IRIs, which keeps pyoxigraph from joining over the whole store."""
        iris = list(iris)
        rows: list[dict[str, str]] = []
        for chunk in range(0, len(iris), size):
            rows += self.select(template.replace("{values}", iri_list(iris[chunk:chunk + size])))
        return rows

    def memo(self, key, compute):
        """The value of ``compute()`` computed once per key: the explorer opens stores read-only,
        so whole-store results (plan list, triple count, ownership, all indicators) stay valid."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def triples(self) -> int:
        from graph.void import total_triples

        return self.memo("triples", lambda: total_triples(self.select) or len(self.store))

    # ------------------------------------------------------------------ labels and kinds
    def labels(self, iris, lang: str = "zh") -> dict[str, str]:
        """Display label of each IRI: rdfs:label/skos:prefLabel in zh-Hans (or English when
        lang is "en" and there is one), else dct:title, else any label, else the IRI's last segment."""
        iris = [i for i in dict.fromkeys(iris) if i]
        todo = [i for i in iris if (i, lang) not in self._labels]
        for chunk in range(0, len(todo), 400):
            part = todo[chunk:chunk + 400]
            rows = self.select(f"""SELECT DISTINCT ?s ?l (LANG(?l) AS ?lg) ?p WHERE {{
                VALUES ?s {{ {iri_list(part)} }}
                {{ ?s rdfs:label ?l BIND("a" AS ?p) }} UNION {{ ?s skos:prefLabel ?l BIND("b" AS ?p) }}
                UNION {{ ?s dct:title ?l BIND("c" AS ?p) }} }}""")
            best: dict[str, tuple] = {}
            for r in rows:
                rank = (label_rank(r.get("lg", ""), lang), r["p"], r["l"])
                if r["s"] not in best or rank < best[r["s"]]:
                    best[r["s"]] = rank
            for i in part:
                self._labels[(i, lang)] = " ".join(best[i][2].split()) if i in best else local(i)
        return {i: self._labels[(i, lang)] for i in iris}

    def label(self, iri: str, lang: str = "zh") -> str:
        return self.labels([iri], lang)[iri]

    def kinds(self, iris) -> dict[str, str]:
        """The most specific explorer class of each IRI ("" when it has none)."""
        iris = list(dict.fromkeys(iris))
        out = {i: "" for i in iris}
        for chunk in range(0, len(iris), 400):
            rows = self.select(f"""SELECT DISTINCT ?s ?c WHERE {{
                VALUES ?s {{ {iri_list(iris[chunk:chunk + 400])} }} ?s a ?c }}""")
            types = defaultdict(set)
            for r in rows:
                types[r["s"]].add("Concept" if r["c"] == SKOS_CONCEPT else local(r["c"]))
            for s, cs in types.items():
                out[s] = next((c for c in CLASS_ORDER if c in cs), "")
        return out

    def kind(self, iri: str) -> str:
        return self.kinds([iri])[iri]

    def exists(self, iri: str) -> bool:
        return bool(self.select(f"SELECT ?p WHERE {{ {term(iri)} ?p ?o }} LIMIT 1"))

    def context(self, iris) -> dict[str, dict[str, str]]:
        """What tells search hits apart: each IRI's region (its jurisdiction, its plan's region, or
        for a region the region it is part of), level and plan, where it has them."""
        out: dict[str, dict[str, str]] = {}
        iris = list(dict.fromkeys(iris))
        for chunk in range(0, len(iris), 200):
            rows = self.select(f"""SELECT ?s (SAMPLE(?r) AS ?region) (SAMPLE(?lv) AS ?level) (SAMPLE(?p) AS ?plan) WHERE {{
                VALUES ?s {{ {iri_list(iris[chunk:chunk + 200])} }}
                OPTIONAL {{ ?s pskg:jurisdiction ?r1 }} OPTIONAL {{ ?s pskg:planRegion ?r2 }}
                OPTIONAL {{ ?s pskg:partOf ?r3 }}
                OPTIONAL {{ ?s pskg:level ?l1 }} OPTIONAL {{ ?s pskg:planLevel ?l2 }}
                OPTIONAL {{ ?s pskg:inPlan ?p1 }} OPTIONAL {{ ?s pskg:ofPlan ?p2 }}
                BIND(COALESCE(?r1, ?r2, ?r3) AS ?r) BIND(COALESCE(?l1, ?l2) AS ?lv) BIND(COALESCE(?p1, ?p2) AS ?p)
            }} GROUP BY ?s""")
            for r in rows:
                out[r["s"]] = {k: r[k] for k in ("region", "level", "plan") if r.get(k)}
        return out

    # ------------------------------------------------------------------ evidence
    def evidence(self, subjects, prop: str | None = None) -> dict[str, list[Evidence]]:
        """Evidence nodes of each subject, in source order; with ``prop`` (a pskg local name,
        e.g. "leadAgency") only the evidence recorded for that property."""
        out: dict[str, list[Evidence]] = defaultdict(list)
        subjects = list(dict.fromkeys(subjects))
        filt = f"?ev pskg:property pskg:{prop} ." if prop else "OPTIONAL { ?ev pskg:property ?prop }"
        for chunk in range(0, len(subjects), 300):
            rows = self.select(f"""SELECT DISTINCT ?x ?ev ?s ?e ?q ?plan ?file ?prop WHERE {{
                VALUES ?x {{ {iri_list(subjects[chunk:chunk + 300])} }}
                ?x pskg:evidence ?ev . {filt}
                ?ev pskg:charStart ?s ; pskg:charEnd ?e ; pskg:quote ?q ; pskg:sourceDocument ?plan .
                ?plan pskg:sourceFile ?file }}""")
            seen = set()
            for r in rows:
                key = (r["x"], r["ev"])
                if key in seen:
                    continue
                seen.add(key)
                out[r["x"]].append(Evidence(r["plan"], r["file"], int(r["s"]), int(r["e"]), r["q"],
                                            local(r.get("prop", prop or ""))))
        for v in out.values():
            v.sort(key=lambda ev: (ev.source_file, ev.start, ev.end))
        return out

    def source_text(self, source_file: str) -> str | None:
        """A plan's decoded text, read from the store once (every quote on a page needs it)."""
        return self.memo(("source", source_file), lambda: self.store.source_text(source_file))

    def plan_url(self, plan: str) -> str | None:
        """The plan's web address as the build recorded it from SOURCES.tsv (schema:url)."""
        rows = self.select(f"SELECT ?u WHERE {{ {term(plan)} <https://schema.org/url> ?u }} ORDER BY ?u LIMIT 1")
        return rows[0]["u"] if rows else None

    def plan_encoding(self, plan: str) -> str:
        rows = self.select(f"SELECT ?e WHERE {{ {term(plan)} pskg:encoding ?e }} LIMIT 1")
        return rows[0]["e"] if rows else "utf-8"

    def cleaned_text(self, source_file: str, encoding: str = "utf-8"):
        """The plan's text as extraction read it (explorer.source_info.cleaned); the last few
        are kept (each holds an offset map as long as the text)."""
        from .source_info import cleaned

        text = self.source_text(source_file)
        if text is None:
            return None
        kept = self._cleaned
        if source_file not in kept:
            if len(kept) >= 8:
                kept.pop(next(iter(kept)))
            kept[source_file] = cleaned(text, encoding)
        return kept[source_file]

    # ------------------------------------------------------------------ overview
    def class_counts(self) -> dict[str, int]:
        return self.memo("class_counts", self._class_counts)

    def _class_counts(self) -> dict[str, int]:
        from graph.terms import PSKG
        from graph.void import class_counts, source_count

        shown = ("Plan", "Agency", "PublicService", "TargetPopulation", "Region", "ServiceGuarantee", "Task",
                 "Project", "Indicator", "Standard")
        counts = class_counts(self.select)
        out = {c: counts[PSKG + c] for c in shown if counts.get(PSKG + c)}
        out["Plan"] = source_count(self.select)  # plans read from a source text (the others are plans they cite)
        return out

    def plans(self) -> list[dict[str, str]]:
        return self.memo("plans", lambda: self.select("""SELECT ?plan ?file (SAMPLE(?t) AS ?title) (SAMPLE(?r) AS ?region)
              (SAMPLE(?lvn) AS ?level) (SAMPLE(?d) AS ?issued) (SAMPLE(?n) AS ?number) WHERE {
            ?plan a pskg:Plan ; pskg:sourceFile ?file .
            OPTIONAL { ?plan dct:title ?t } OPTIONAL { ?plan dct:issued ?d }
            OPTIONAL { ?plan pskg:documentNumber ?n } OPTIONAL { ?plan pskg:jurisdiction ?r }
            OPTIONAL { ?plan pskg:level/skos:notation ?lvn }
        } GROUP BY ?plan ?file ORDER BY ?file"""))

    def plan_cards(self) -> list[dict]:
        """The landing page's card of each plan read from a text: plan, title, region, level,
        issued, period start and end, and its commitments and indicators (the VoID figures)."""
        def compute():
            from graph.terms import PSKG
            from graph.void import plan_class_counts

            counts = plan_class_counts(self.select)
            period = {r["p"]: r for r in self.select("""SELECT ?p ?start ?end WHERE {
                ?p pskg:periodStart ?start . OPTIONAL { ?p pskg:periodEnd ?end } }""")}
            out = []
            for p in self.plans():
                c = counts.get(p["plan"], {})
                out.append({**p, "start": period.get(p["plan"], {}).get("start", ""),
                            "end": period.get(p["plan"], {}).get("end", ""),
                            "commitments": sum(c.get(PSKG + k, 0) for k in COMMITMENT_KINDS),
                            "indicators": c.get(PSKG + "Indicator", 0)})
            return out
        return self.memo("plan_cards", compute)

    def concept_scheme(self, scheme: str) -> list[dict[str, str]]:
        """Concepts of a pskg concept scheme (e.g. "ServiceDomainScheme"): concept, notation."""
        return self.select(f"""SELECT DISTINCT ?c ?key WHERE {{
            ?c skos:inScheme pskg:{scheme} ; skos:notation ?key }} ORDER BY ?key""")

    # ------------------------------------------------------------------ generic description
    def outgoing(self, iri: str) -> list[dict[str, str]]:
        return self.select(f"""SELECT DISTINCT ?p ?o (isIRI(?o) AS ?ref) WHERE {{ {term(iri)} ?p ?o
            FILTER(?p NOT IN (pskg:evidence, rdf:type, {SHORTCUT_LIST})) }} ORDER BY ?p ?o""")

    def incoming(self, iri: str, limit: int = 200) -> list[dict[str, str]]:
        return self.select(f"""SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {term(iri)}
            FILTER(?p NOT IN (pskg:sourceDocument, pskg:property, {SHORTCUT_LIST})) }} ORDER BY ?p ?s LIMIT {limit}""")

    # ------------------------------------------------------------------ agency
    def agency(self, iri: str) -> dict[str, str]:
        rows = self.select(f"""SELECT ?level ?function ?region WHERE {{
            OPTIONAL {{ {term(iri)} pskg:level ?level }} OPTIONAL {{ {term(iri)} pskg:function ?function }}
            OPTIONAL {{ {term(iri)} pskg:jurisdiction ?region }} }} LIMIT 1""")
        return rows[0] if rows else {}

    def roles(self, agency: str) -> list[dict[str, str]]:
        """What an agency leads or supports: commitment (or plan), role, plan, domain, kind."""
        return self.select(f"""SELECT DISTINCT ?item ?role ?plan ?domain ?kind WHERE {{
            VALUES (?prop ?role) {{ (pskg:leadAgency "lead") (pskg:supportingAgency "support") }}
            ?item ?prop {term(agency)} ; a ?kind .
            OPTIONAL {{ ?item pskg:inPlan ?p0 }} OPTIONAL {{ ?item pskg:domain ?domain }}
            FILTER(?kind IN (pskg:Plan, pskg:Task, pskg:Project, pskg:ServiceGuarantee))
            BIND(COALESCE(?p0, ?item) AS ?plan) }} ORDER BY ?plan ?role ?item""")

    def counterparts(self, agency: str) -> list[dict[str, str]]:
        """Bodies of the same type in the regions above and below this one's jurisdiction (the
        pskg:counterpartAbove links of graph.counterparts, lower body to upper), each "derived"
        when no text names it."""
        a = term(agency)
        return self.select(f"""SELECT DISTINCT ?other ?direction ?region ?basis WHERE {{
            {{ {a} pskg:counterpartAbove ?other BIND("up" AS ?direction) }}
            UNION {{ ?other pskg:counterpartAbove {a} BIND("down" AS ?direction) }}
            ?other pskg:jurisdiction ?region .
            BIND(IF(EXISTS {{ ?other a pskg:DerivedBody }}, "derived", "named") AS ?basis)
        }} ORDER BY DESC(?direction) ?region ?other""")

    # ------------------------------------------------------------------ service
    def service(self, iri: str) -> dict[str, str]:
        rows = self.select(f"""SELECT ?domain WHERE {{ OPTIONAL {{ {term(iri)} pskg:domain ?domain }} }} LIMIT 1""")
        return rows[0] if rows else {}

    def guarantees_of_service(self, service: str) -> list[dict[str, str]]:
        """Service guarantees about a service: guarantee, plan, population, standard."""
        return self.select(f"""SELECT DISTINCT ?g ?plan ?population ?standard WHERE {{
            ?g pskg:aboutService {term(service)} ; a pskg:ServiceGuarantee ; pskg:inPlan ?plan .
            OPTIONAL {{ ?g pskg:targetPopulation ?population }}
            OPTIONAL {{ ?g pskg:hasStandard ?standard }} }} ORDER BY ?plan ?g""")

    def service_leads(self, service: str) -> list[dict[str, str]]:
        """Who leads provisions about a service, per plan: provision, plan, agency, level, region."""
        return self.select(f"""SELECT DISTINCT ?item ?plan ?agency ?level ?region WHERE {{
            {{ ?item pskg:aboutService {term(service)} ; pskg:leadAgency ?agency }}
            UNION {{ ?g pskg:aboutService {term(service)} ; dct:isPartOf ?item . ?item pskg:leadAgency ?agency }}
            ?item pskg:inPlan ?plan .
            OPTIONAL {{ ?agency pskg:level ?level }} OPTIONAL {{ ?agency pskg:jurisdiction ?region }}
        }} ORDER BY ?plan ?agency""")

    def service_indicators(self, service: str) -> list[dict[str, str]]:
        """Indicators of the commitments about a service: a task or project about it, or one
        whose guarantees are about it. Not a plan's indicators (a plan holds guarantees of
        every service, so its indicators say nothing about this one)."""
        # step by step, each lookup bound: written as one query (a UNION feeding a type test),
        # pyoxigraph evaluates the groups over the whole store (500 s at 500 plans)
        s = term(service)
        bearers = {r["x"] for r in self.select(f"SELECT DISTINCT ?x WHERE {{ ?x pskg:aboutService {s} }}")}
        bearers |= {r["x"] for r in self.select(
            f"SELECT DISTINCT ?x WHERE {{ ?g pskg:aboutService {s} ; dct:isPartOf ?x }}")}
        # those bearing indicators first (few), then their kinds
        bearers = sorted({r["x"] for r in self.select_in(
            "SELECT DISTINCT ?x WHERE { VALUES ?x { {values} } ?x pskg:hasIndicator ?i }", sorted(bearers))})
        bearers = sorted(x for x, k in self.kinds(bearers).items() if k in COMMITMENT_KINDS)
        rows: list[dict[str, str]] = []
        for chunk in range(0, len(bearers), 400):
            rows += self.indicator_rows(f"VALUES ?x {{ {iri_list(bearers[chunk:chunk + 400])} }} ?x pskg:hasIndicator ?i")
        return sorted(rows, key=lambda r: (r.get("plan", ""), r.get("name", ""), r["i"]))

    # ------------------------------------------------------------------ population
    def population(self, iri: str) -> dict[str, list[str]]:
        rows = self.select(f"""SELECT DISTINCT ?rel ?other WHERE {{
            {{ {term(iri)} skos:broader ?other BIND("broader" AS ?rel) }}
            UNION {{ ?other skos:broader {term(iri)} BIND("narrower" AS ?rel) }} }} ORDER BY ?other""")
        out: dict[str, list[str]] = {"broader": [], "narrower": []}
        for r in rows:
            out[r["rel"]].append(r["other"])
        return out

    def guarantees_for_population(self, population: str) -> list[dict[str, str]]:
        """Guarantees covering a population or a narrower group: guarantee, plan, service, group."""
        return self.select(f"""SELECT DISTINCT ?g ?plan ?service ?group ?standard WHERE {{
            ?group skos:broader* {term(population)} .
            ?g pskg:targetPopulation ?group ; pskg:inPlan ?plan .
            OPTIONAL {{ ?g pskg:aboutService ?service }} OPTIONAL {{ ?g pskg:hasStandard ?standard }}
        }} ORDER BY ?service ?plan""")

    # ------------------------------------------------------------------ region
    def region(self, iri: str) -> dict[str, object]:
        info = self.select(f"""SELECT ?level ?code ?parent WHERE {{
            OPTIONAL {{ {term(iri)} pskg:level ?level }} OPTIONAL {{ {term(iri)} pskg:divisionCode ?code }}
            OPTIONAL {{ {term(iri)} pskg:partOf ?parent }} }} LIMIT 1""")
        chain = [r["up"] for r in self.select(f"""SELECT DISTINCT ?up ?code WHERE {{ {term(iri)} pskg:partOf+ ?up .
            OPTIONAL {{ ?up pskg:divisionCode ?code }} }} ORDER BY ?code""")]
        children = self.select(f"""SELECT DISTINCT ?child ?code WHERE {{ ?child pskg:partOf {term(iri)} .
            OPTIONAL {{ ?child pskg:divisionCode ?code }} }} ORDER BY ?code""")
        return {**(info[0] if info else {}), "ancestors": chain, "children": [c["child"] for c in children]}

    def region_plans(self, region: str) -> list[dict[str, str]]:
        """Plans of a region and of the regions under it: plan, region."""
        return self.select(f"""SELECT DISTINCT ?plan ?region WHERE {{
            {{ SELECT DISTINCT ?region WHERE {{ {{ VALUES ?region {{ {term(region)} }} }}
                                              UNION {{ ?region pskg:partOf+ {term(region)} }} }} }}
            ?plan pskg:jurisdiction ?region ; a pskg:Plan }} ORDER BY ?region ?plan""")

    def region_agencies(self, region: str) -> list[dict[str, str]]:
        return self.select(f"""SELECT DISTINCT ?agency ?function WHERE {{ ?agency pskg:jurisdiction {term(region)} ;
            a pskg:Agency . OPTIONAL {{ ?agency pskg:function ?function }} }} ORDER BY ?function ?agency""")

    def region_services(self, region: str) -> list[dict[str, str]]:
        """Services guaranteed by the region's own plans: service, number of guarantees."""
        return self.select(f"""SELECT ?service (COUNT(DISTINCT ?g) AS ?n) WHERE {{
            ?plan pskg:jurisdiction {term(region)} ; a pskg:Plan .
            ?g pskg:inPlan ?plan ; pskg:aboutService ?service }} GROUP BY ?service ORDER BY DESC(?n) ?service""")

    # ------------------------------------------------------------------ plan
    def properties(self, iri: str, props: str) -> dict[str, list[str]]:
        """Values of the given properties (a SPARQL list, e.g. "dct:title, pskg:level") by local name."""
        rows = self.select(f"SELECT DISTINCT ?p ?o WHERE {{ {term(iri)} ?p ?o FILTER(?p IN ({props})) }}")
        out: dict[str, list[str]] = defaultdict(list)
        for r in rows:
            out[local(r["p"])].append(r["o"])
        return out

    def plan(self, iri: str) -> dict[str, list[str]]:
        out = self.properties(iri, """dct:title, dct:issued, pskg:documentNumber, pskg:issuedBy,
            pskg:jurisdiction, pskg:level, pskg:sourceFile, pskg:implements, pskg:encoding""")
        out["implementedBy"] = [r["q"] for r in self.select(
            f"SELECT DISTINCT ?q WHERE {{ ?q pskg:implements {term(iri)} }} ORDER BY ?q")]
        return dict(out)

    def outline(self, plan: str) -> list[dict[str, str]]:
        """The plan's sections in reading order: section, label, rank, marker, parent."""
        graph = term(plan)
        return self.select(f"""SELECT ?section ?label ?rank ?marker ?parent ?order WHERE {{ GRAPH {graph} {{
            ?section a pskg:Section ; rdfs:label ?label .
            OPTIONAL {{ ?section pskg:rank ?rank }} OPTIONAL {{ ?section pskg:marker ?marker }}
            OPTIONAL {{ ?section pskg:order ?order }} OPTIONAL {{ ?section dct:isPartOf ?parent }} }} }}
            ORDER BY xsd:integer(?order)""")

    def plan_commitments(self, plan: str) -> list[dict[str, str]]:
        """Commitments of a plan (not sentence-level guarantees): item, kind, section, lead, domain."""
        return self.select(f"""SELECT ?item ?kind ?section ?domain
              (GROUP_CONCAT(DISTINCT STR(?lead); separator=" ") AS ?leads) WHERE {{ GRAPH {term(plan)} {{
            ?item pskg:inPlan {term(plan)} ; a ?kind .
            FILTER(?kind IN (pskg:Task, pskg:Project, pskg:ServiceGuarantee))
            FILTER NOT EXISTS {{ ?item dct:isPartOf ?c . ?c pskg:inPlan {term(plan)} }}
            OPTIONAL {{ ?item dct:isPartOf ?section }} OPTIONAL {{ ?item pskg:domain ?domain }}
            OPTIONAL {{ ?item pskg:leadAgency ?lead }} }} }}
            GROUP BY ?item ?kind ?section ?domain ORDER BY ?item""")

    def plan_indicators(self, plan: str) -> list[dict[str, str]]:
        return self.indicator_rows(f"GRAPH {term(plan)} {{ ?x pskg:hasIndicator ?i }}")

    # ------------------------------------------------------------------ commitments
    def commitment(self, iri: str) -> dict[str, list[str]]:
        out = self.properties(iri, """pskg:inPlan, dct:isPartOf, pskg:leadAgency, pskg:supportingAgency,
            pskg:aboutService, pskg:targetPopulation, pskg:hasStandard, pskg:hasIndicator, pskg:domain,
            pskg:sectionPath, pskg:leadPhrase""")
        out["parts"] = [r["g"] for r in self.select(
            f"SELECT DISTINCT ?g WHERE {{ ?g dct:isPartOf {term(iri)} ; a pskg:ServiceGuarantee }} ORDER BY ?g")]
        return dict(out)

    # ------------------------------------------------------------------ indicators
    def indicator_rows(self, pattern: str) -> list[dict[str, str]]:
        """Indicators matched by ``pattern`` (binding ?i, optionally ?x the bearer), with their values."""
        # the pattern runs first, as a subquery: joined in place, pyoxigraph may start from all indicators
        return self.select(f"""SELECT DISTINCT ?i ?x ?name ?unit ?comparator ?target ?targetYear ?baseline
              ?baselineYear ?domain ?plan WHERE {{
            {{ SELECT DISTINCT ?i ?x WHERE {{ {pattern} }} }}
            ?i a pskg:Indicator ; rdfs:label ?name .
            OPTIONAL {{ ?i pskg:unit ?unit }} OPTIONAL {{ ?i pskg:comparator ?comparator }}
            OPTIONAL {{ ?i pskg:targetValue ?target }} OPTIONAL {{ ?i pskg:targetYear ?targetYear }}
            OPTIONAL {{ ?i pskg:baselineValue ?baseline }} OPTIONAL {{ ?i pskg:baselineYear ?baselineYear }}
            OPTIONAL {{ ?i pskg:domain ?domain }}
            OPTIONAL {{ ?x pskg:inPlan ?p0 }}
            BIND(COALESCE(?p0, ?x) AS ?plan) }} ORDER BY ?plan ?name ?i""")

    def all_indicators(self, domain: str | None = None, plans=None) -> list[dict[str, str]]:
        """Indicators of the given plans (all when None), optionally of one domain."""
        whole = self._memo.get(("indicators", None, ()))
        if plans and whole is not None:  # the whole store's list is at hand: its rows of these plans
            keep = set(plans)
            rows = [r for r in whole if r.get("plan") in keep]
        elif plans:
            where = f"VALUES ?g {{ {iri_list(plans)} }} GRAPH ?g {{ ?x pskg:hasIndicator ?i }}"
            rows = self.memo(("indicators", None, tuple(plans)), lambda: self.indicator_rows(where))
        else:  # the whole store's list, read once (and kept per store version, explorer.precomputed)
            rows = self.memo(("indicators", None, ()), lambda: self.indicator_rows("?x pskg:hasIndicator ?i ."))
        return [r for r in rows if r.get("domain") == domain] if domain else rows

    # ------------------------------------------------------------------ who owns what
    def ownership(self, domain: str | None = None, level: str | None = None) -> list[dict[str, str]]:
        """(service, plan, lead agency) triples: who leads the provisions about each service in each
        plan; optionally only services of one domain and plans of one level. (The filters are
        applied here: added to the query they make pyoxigraph pick a plan that does not scale.)"""
        rows = self.memo("ownership", lambda: self.select("""SELECT DISTINCT ?service ?plan ?agency WHERE {
            ?item pskg:leadAgency ?agency ; pskg:inPlan ?plan .
            { ?item pskg:aboutService ?service } UNION { ?g dct:isPartOf ?item ; pskg:aboutService ?service }
        } ORDER BY ?service ?plan ?agency"""))
        if domain:
            keep = {r["s"] for r in self.select(f"SELECT ?s WHERE {{ ?s pskg:domain {term(domain)} ; a pskg:PublicService }}")}
            rows = [r for r in rows if r["service"] in keep]
        if level:
            keep = {r["p"] for r in self.select(f"SELECT ?p WHERE {{ ?p pskg:level {term(level)} ; a pskg:Plan }}")}
            rows = [r for r in rows if r["plan"] in keep]
        return rows

    def plan_regions(self) -> list[str]:
        """The regions plans are about and the regions above them, by division code (a filter's options)."""
        return self.memo("plan_regions", lambda: [r["r"] for r in self.select("""SELECT DISTINCT ?r ?code WHERE {
            ?p a pskg:Plan ; pskg:jurisdiction ?j . ?j pskg:partOf* ?r . OPTIONAL { ?r pskg:divisionCode ?code } }
            ORDER BY ?code ?r""")])

    def plan_guarantees(self, plans) -> list[dict[str, str]]:
        """Per plan: each commitment about a service (a guarantee, task or project), the items
        plan_services reads, so a comparison can quote them."""
        return self.select(f"""SELECT DISTINCT ?plan ?service ?g WHERE {{
            VALUES ?plan {{ {iri_list(plans)} }}
            ?g pskg:inPlan ?plan ; pskg:aboutService ?service }} ORDER BY ?plan ?service ?g""")

    def forms(self, iris) -> dict[str, list[str]]:
        """Every written form (label, preferred and alternative labels) of each IRI, longest first."""
        out: dict[str, set[str]] = defaultdict(set)
        iris = list(dict.fromkeys(iris))
        for chunk in range(0, len(iris), 400):
            for r in self.select(f"""SELECT DISTINCT ?s ?l WHERE {{ VALUES ?s {{ {iri_list(iris[chunk:chunk + 400])} }}
                    {{ ?s rdfs:label ?l }} UNION {{ ?s skos:prefLabel ?l }} UNION {{ ?s skos:altLabel ?l }} }}"""):
                out[r["s"]].add(" ".join(r["l"].split()))
        return {i: sorted(out.get(i, ()), key=lambda f: (-len(f), f)) for i in iris}

    def mention(self, source_file: str, forms, min_len: int = 3) -> tuple[int, int, str] | None:
        """Where a plan's text first names one of ``forms`` (Traditional text read as
        Simplified): (start, end, form), or None. Says a service is in the text even where no
        guarantee of it was extracted."""
        from extract.normalize import to_simplified

        def simplified():
            text = self.source_text(source_file) or ""
            simple = to_simplified(text)
            return simple if len(simple) == len(text) else None  # offsets must stay those of the text

        simple = self.memo(("simplified", source_file), simplified)
        if not simple:
            return None
        best = None
        for form in forms:
            f = to_simplified(form)
            if len(f) < min_len:
                continue
            i = simple.find(f)
            if i >= 0 and (best is None or i < best[0]):
                best = (i, i + len(f), form)
        return best

    def plan_services(self, plans) -> list[dict[str, str]]:
        """Per plan: services guaranteed, with populations and standards (for comparisons)."""
        return self.select(f"""SELECT DISTINCT ?plan ?service ?population ?standard WHERE {{
            VALUES ?plan {{ {iri_list(plans)} }}
            ?g pskg:inPlan ?plan ; pskg:aboutService ?service .
            OPTIONAL {{ ?g pskg:targetPopulation ?population }} OPTIONAL {{ ?g pskg:hasStandard ?standard }}
        }} ORDER BY ?service ?plan""")
