"""Counterparts and expected owners across levels of government: the graph
<https://w3id.org/pskg/graph/counterparts>, rewritten after every build from the store's
agencies and plans and the government body table (extract.bodies).

* **Counterparts.** Every agency a text names whose type the table knows (白银市教育局:
  education) is linked by pskg:counterpart (both ways) to the body of that type in each
  parent region up to the nation (甘肃省教育厅, 教育部) and in each child region (白银区教育局,
  会宁县教育局 …), and the lower body of each pair to the upper by pskg:counterpartAbove;
  the body is named as the table names it in the year the plan's period starts (a plan of
  十三五: 2016, so 国家卫生和计划生育委员会, not 国家卫生健康委员会). When a text of the corpus names
  that body, the link goes to the text's agency, which keeps its evidence; otherwise to a
  pskg:DerivedBody: label, level, function, type, jurisdiction, the years of its name,
  prov:wasDerivedFrom the counterpart rule and the table, and no evidence.
* **Expected owners.** For each service a plan is about, in the plan's region, every region
  above it and every child region: a pskg:ExpectedOwnership naming the body of the type the
  national basic public service standard gives as the service's lead unit (services.tsv),
  for the plan's start year. A stated owner (pskg:owner, with evidence) wins; queries say which.
* **Regions with expected owners.** Each region an expected ownership holds in gets
  pskg:expectedOwnerships, how many hold there: the regions owners-by-level pages through,
  found by one lookup instead of a pass over every expected ownership.
* **Functions that lead a service.** pskg:functionLeads from an agency function to each
  service some agency of that function leads a commitment about (its pskg:owner) in a plan
  of the store: what cross-level lists a service's owners by, read by a lookup instead of a
  pass over every commitment.
* **Body types.** The concepts of pskg:GovernmentBodyScheme (one per type of the table, each
  skos:broader its agency function), and pskg:bodyType on every agency and derived body.

IRIs are deterministic: a derived body is ``id:body/<region code>-<type>-<hash of name>``, an
expected ownership ``id:expected-owner/<service>-<region code>-<year>``. Only this graph holds
derived bodies: plan graphs (which the evaluation reads agencies from) never do.
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator

import pyoxigraph as ox

from extract.bodies import Body, GovernmentBodies
from extract.gazetteer import DEFAULT_YEAR, Gazetteer, Region
from extract.guarantee_vocab import ServiceVocabulary

from .store import BackgroundLoads
from .terms import (GRAPH_BASE, LABEL, PROV, TYPE, base, data_iri, function_concept, level_concept, lit, ns, pskg,
                    region_iri, typed)
from .vocab_rdf import service_iri

COUNTERPARTS_GRAPH = GRAPH_BASE + "counterparts"
DERIVED_FROM = ox.NamedNode(PROV + "wasDerivedFrom")
COUNTERPART, COUNTERPART_ABOVE, BODY_TYPE = pskg("counterpart"), pskg("counterpartAbove"), pskg("bodyType")
DERIVED_BODY, EXPECTED_OWNERSHIP = pskg("DerivedBody"), pskg("ExpectedOwnership")
LEVEL, FUNCTION, JURISDICTION = pskg("level"), pskg("function"), pskg("jurisdiction")
VALID_FROM, VALID_TO = pskg("validFrom"), pskg("validTo")
OF_SERVICE, IN_REGION, FOR_YEAR, EXPECTED_OWNER = (pskg("ofService"), pskg("inRegion"), pskg("forYear"),
                                                   pskg("expectedOwner"))
EXPECTED_COUNT = pskg("expectedOwnerships")
FUNCTION_LEADS = pskg("functionLeads")
SOURCE = ns("dct", "source")
TABLE_PATH = "extract/data/government_bodies.tsv"
BATCH = 50_000  # triples per bulk load


def rule_iri() -> ox.NamedNode:
    return data_iri("rule", "counterpart")


def table_iri() -> ox.NamedNode:
    return data_iri("reference", "government-bodies")


def body_type_concept(key: str) -> ox.NamedNode:
    return pskg("body-" + key.replace("_", "-"))


def derived_iri(body: Body) -> ox.NamedNode:
    h = hashlib.sha1(body.name.encode("utf-8")).hexdigest()[:8]
    return data_iri("body", f"{body.region.code}-{body.key.replace('_', '-')}-{h}")


def expected_iri(service: str, region: str, year: int) -> ox.NamedNode:
    return data_iri("expected-owner", f"{service}-{region}-{year}")


AGENCIES = f"""SELECT ?a ?label ?code ?fn WHERE {{
  GRAPH <{GRAPH_BASE}agencies> {{ ?a a pskg:Agency ; rdfs:label ?label ; pskg:jurisdiction ?r ;
                                   pskg:function ?f }}
  FILTER NOT EXISTS {{ ?a a pskg:PartyBody }}
  ?r pskg:divisionCode ?code . ?f skos:notation ?fn }}"""
MENTIONS = """SELECT ?plan ?a WHERE { ?plan pskg:sourceFile ?file ; pskg:mentions ?a }"""
PLANS = """SELECT ?plan ?code ?start ?issued WHERE { ?plan pskg:sourceFile ?file ; pskg:jurisdiction ?r .
  ?r pskg:divisionCode ?code
  OPTIONAL { ?plan pskg:periodStart ?start } OPTIONAL { ?plan dct:issued ?issued } }"""
# a commitment's aboutService sits in its plan's graph: read with the graph, no join with inPlan
# (0.26 s against 2.9 s at 500 plans, the same pairs); graphs that are not plans are ignored
PLAN_SERVICES = """SELECT DISTINCT ?plan ?s WHERE { GRAPH ?plan { ?c pskg:aboutService ?s } }"""
# the functions whose agencies lead commitments about each service (the owner shortcut)
FUNCTION_SERVICES = """SELECT DISTINCT ?fn ?s WHERE { ?c pskg:owner ?a ; pskg:aboutService ?s . ?a pskg:function ?fn }"""


def plan_year(row: dict[str, str]) -> int:
    """The year a plan's bodies are named for: its period's start, else its issue year."""
    if row.get("start"):
        return int(row["start"][:4])
    if row.get("issued"):
        return int(row["issued"][:4])
    return DEFAULT_YEAR


class _Writer:
    def __init__(self, bodies: GovernmentBodies, gaz: Gazetteer):
        self.bodies, self.gaz = bodies, gaz
        # subject IRI -> its statements as (predicate, object) in N-Triples; the terms are shared
        # strings, so a statement costs a pair, not a line of its own (2 M statements at 3,000 plans)
        self.statements: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self.classes: dict[str, int] = defaultdict(int)  # instances per class
        self._nt: dict = {}  # term -> its N-Triples form (a few thousand terms make a million lines)
        self.text: dict[tuple[str, str], list[ox.NamedNode]] = defaultdict(list)  # (region, type) -> agencies
        self._holders: dict[tuple, list[ox.NamedNode]] = {}  # a body -> what holder() gave for it
        self.rule, self.table = rule_iri(), table_iri()

    def add(self, s: ox.NamedNode, p, o) -> None:
        nt = self._nt
        pair = (nt.get(p) or nt.setdefault(p, str(p)), nt.get(o) or nt.setdefault(o, str(o)))
        pairs = self.statements[s.value]
        if pair not in pairs:
            pairs.add(pair)
            if p == TYPE and isinstance(o, ox.NamedNode):
                self.classes[o.value] += 1

    def take(self, s: str) -> set[str]:
        """The statements of subject ``s`` as N-Triples lines (no final dot), forgotten here."""
        return {f"<{s}> {p} {o}" for p, o in self.statements.pop(s)}

    def take_all(self) -> Iterator[tuple[str, set[str]]]:
        for s in list(self.statements):
            yield s, self.take(s)

    def holder(self, body: Body) -> list[ox.NamedNode]:
        """The agencies a text names for ``body`` (its type in its region), else its derived
        node (described once: a body is asked for by every plan around its region)."""
        key = (body.region.code, body.key, body.name, body.row.first_year, body.row.last_year)
        known = self._holders.get(key)
        if known is not None:
            return known
        named = self.text.get((body.region.code, body.key))
        if named:
            self._holders[key] = named
            return named
        node = derived_iri(body)
        self.add(node, TYPE, DERIVED_BODY)
        self.add(node, LABEL, lit(body.name, "zh-Hans"))
        self.add(node, LEVEL, level_concept(body.level))
        self.add(node, FUNCTION, function_concept(body.function))
        self.add(node, BODY_TYPE, body_type_concept(body.key))
        self.add(node, JURISDICTION, region_iri(body.region.code))
        self.add(node, VALID_FROM, typed(body.row.first_year, "gYear"))
        if body.row.last_year is not None:
            self.add(node, VALID_TO, typed(body.row.last_year - 1, "gYear"))
        self.add(node, DERIVED_FROM, self.rule)
        self.add(node, DERIVED_FROM, self.table)
        self._holders[key] = [node]
        return self._holders[key]

    def related_regions(self, region: Region, year: int) -> list[Region]:
        """The regions above ``region`` (up to the nation) and its child regions in ``year``."""
        return self.gaz.ancestors(region.code) + self.gaz.children(region.code, year)

    def link(self, node: ox.NamedNode, region: Region, key: str, year: int) -> None:
        """pskg:counterpart (both ways) from ``node``, of body type ``key`` in ``region``, to
        the holders of that type in the regions above and below; pskg:counterpartAbove from
        the lower body of each pair to the upper."""
        above = self.gaz.ancestors(region.code)
        up_codes = {r.code for r in above}
        for other in above + self.gaz.children(region.code, year):
            body = self.bodies.body(key, other, year)
            if body is None:
                continue
            up = other.code in up_codes
            for b in self.holder(body):
                if b != node:
                    self.add(node, COUNTERPART, b)
                    self.add(b, COUNTERPART, node)
                    lower, upper = (node, b) if up else (b, node)
                    self.add(lower, COUNTERPART_ABOVE, upper)

    def describe_reference(self) -> None:
        rule, table = rule_iri(), table_iri()
        self.add(rule, TYPE, pskg("CounterpartRule"))
        self.add(rule, LABEL, lit("对口机构与推定责任单位规则", "zh-Hans"))
        self.add(rule, LABEL, lit("Counterpart and expected-owner rule", "en"))
        self.add(table, TYPE, pskg("GovernmentBodyTable"))
        self.add(table, LABEL, lit("政府机构参考表", "zh-Hans"))
        self.add(table, LABEL, lit("Government body table", "en"))
        self.add(table, ns("dct", "identifier"), lit(TABLE_PATH))
        scheme = pskg("GovernmentBodyScheme")
        seen: set[str] = set()
        for row in self.bodies.rows:
            self.add(table, SOURCE, ox.NamedNode(row.source_url))
            if row.key in seen:
                continue
            seen.add(row.key)
            c = body_type_concept(row.key)
            self.add(c, TYPE, ns("skos", "Concept"))
            self.add(c, ns("skos", "inScheme"), scheme)
            self.add(c, ns("skos", "notation"), lit(row.key))
            label = row.national or row.stems[0]
            self.add(c, ns("skos", "prefLabel"), lit(label, "zh-Hans"))
            self.add(c, LABEL, lit(label, "zh-Hans"))
            self.add(c, ns("skos", "broader"), function_concept(row.function))


def counterpart_groups(select, classes: dict[str, int]) -> Iterator[tuple[str, set[str]]]:
    """(subject IRI, its statements as N-Triples lines without the final dot) for every subject
    of the counterparts graph, each once. An expected ownership is given as soon as it is made
    and not kept (most of the graph: 0.8 M of its 1 M statements at 500 plans), so the graph is
    never held whole; the agencies, derived bodies and reference terms come at the end.
    ``classes`` is filled with the instances per class once the groups are exhausted."""
    bodies, gaz, services = GovernmentBodies.load(), Gazetteer.load(), ServiceVocabulary.load()
    w = _Writer(bodies, gaz)
    w.describe_reference()
    agencies: dict[str, tuple[str, Region]] = {}  # agency IRI -> (body type, region)
    for r in select(AGENCIES):
        region = gaz.get(r["code"])
        key = bodies.body_type(r["label"], region, r["fn"]) if region is not None else None
        if key is None:
            continue
        agencies[r["a"]] = (key, region)
        w.text[(region.code, key)].append(ox.NamedNode(r["a"]))
        w.add(ox.NamedNode(r["a"]), BODY_TYPE, body_type_concept(key))
    for v in w.text.values():
        v.sort(key=lambda n: n.value)
    plans = {r["plan"]: r for r in select(PLANS)}
    years: dict[str, set[int]] = defaultdict(set)
    for r in select(MENTIONS):
        if r["a"] in agencies:
            years[r["a"]].add(plan_year(plans[r["plan"]]) if r["plan"] in plans else DEFAULT_YEAR)

    for a, (key, region) in sorted(agencies.items()):
        node = ox.NamedNode(a)
        for year in sorted(years.get(a) or {DEFAULT_YEAR}):
            w.link(node, region, key, year)

    by_plan: dict[str, set[str]] = defaultdict(set)
    for r in select(PLAN_SERVICES):
        by_plan[r["plan"]].add(r["s"])
    keys_of = {service_iri(e.key).value: e for e in services.entries}
    done: set[tuple[str, str, int]] = set()  # (service, region, year): the same for every plan that asks
    per_region: dict[str, int] = defaultdict(int)  # region code -> expected ownerships in it
    for plan, row in sorted(plans.items()):
        region = gaz.get(row["code"])
        if region is None:
            continue
        year = plan_year(row)
        around = [region, *w.related_regions(region, year)]
        for s in sorted(by_plan.get(plan, ())):
            entry = keys_of.get(s)
            if entry is None or not entry.owners:
                continue
            for where in around:
                if (entry.key, where.code, year) in done:
                    continue
                done.add((entry.key, where.code, year))
                owners = [b for k in entry.owners if (b := bodies.body(k, where, year)) is not None]
                if not owners:
                    continue
                eo = expected_iri(entry.key, where.code, year)
                w.add(eo, TYPE, EXPECTED_OWNERSHIP)
                w.add(eo, OF_SERVICE, ox.NamedNode(s))
                w.add(eo, IN_REGION, region_iri(where.code))
                w.add(eo, FOR_YEAR, typed(year, "gYear"))
                w.add(eo, DERIVED_FROM, w.rule)
                w.add(eo, DERIVED_FROM, w.table)
                for body in owners:
                    for b in w.holder(body):
                        w.add(eo, EXPECTED_OWNER, b)
                per_region[where.code] += 1
                yield eo.value, w.take(eo.value)
    for code, n in sorted(per_region.items()):
        w.add(region_iri(code), EXPECTED_COUNT, typed(n, "integer"))
    for r in select(FUNCTION_SERVICES):
        w.add(ox.NamedNode(r["fn"]), FUNCTION_LEADS, ox.NamedNode(r["s"]))
    yield from w.take_all()
    classes.update(w.classes)


def _drop_subject(store, subject: str, g: ox.NamedNode) -> None:
    for q in list(store.store.quads_for_pattern(ox.NamedNode(subject), None, None, g)):
        store.store.remove(q)


def write_counterparts(store, manifest=None) -> tuple[int, dict[str, int], set[str]]:
    """Bring the counterparts graph of ``store`` to what its plans and agencies give now.
    Only the subjects whose statements changed are rewritten (after a one-document rebuild, a
    few), found by the hash per subject the ``manifest`` (graph.manifest) keeps of the last
    write; without trusted hashes the graph is written anew. The statements are made and
    written a subject at a time (counterpart_groups), never held whole. New
    statements go through the bulk loader in batches like the plan graphs: one SPARQL replace
    of the graph took 2 GB and 49 s at 100 plans (readers see a build's result once it has
    finished, graph.store_version). Returns the graph's figures as graph.void counts them
    (triples, instances per class, subjects under the data base), so the VoID description
    need not read the graph again. When what it is computed from (the rows of its five input
    queries) is what it was at the last write, nothing is computed or written: the figures
    come from the manifest."""
    g = ox.NamedNode(COUNTERPARTS_GRAPH)
    inputs = {q: store.select(q) for q in (AGENCIES, PLANS, MENTIONS, PLAN_SERVICES, FUNCTION_SERVICES)}
    digest = hashlib.sha1(json.dumps([sorted(tuple(sorted(r.items())) for r in rows) for rows in inputs.values()],
                                     ensure_ascii=False).encode("utf-8")).hexdigest()
    old = manifest.derived_hashes(COUNTERPARTS_GRAPH) if manifest is not None else None
    if old is not None and manifest.get("derived-input:" + COUNTERPARTS_GRAPH) == digest:
        figures = manifest.get("derived-figures:" + COUNTERPARTS_GRAPH)
        if figures is not None:
            n, classes = json.loads(figures)
            return n, classes, {s for s in old if s.startswith(base())}
    if manifest is not None:
        manifest.derived_writing(COUNTERPARTS_GRAPH)
    if old is None:  # nothing to compare with: the graph is written anew
        store.store.remove_graph(g)
    n, classes, seen, changed = 0, {}, set(), {}
    batch: list[str] = []
    end = f" {g} .\n"
    with BackgroundLoads(store) as loads:  # a batch loads while the next is made
        for s, lines in counterpart_groups(inputs.__getitem__, classes):
            n += len(lines)
            seen.add(s)
            h = hashlib.sha1("\n".join(sorted(lines)).encode("utf-8")).hexdigest()
            if old is not None:
                if old.get(s) == h:
                    continue
                if s in old:
                    loads.wait()
                    _drop_subject(store, s, g)
            changed[s] = h
            batch += [line + end for line in lines]
            if len(batch) >= BATCH:
                loads.submit("".join(batch).encode("utf-8"))
                batch = []
        if batch:
            loads.submit("".join(batch).encode("utf-8"))
    removed = [s for s in old if s not in seen] if old is not None else []
    for s in removed:
        _drop_subject(store, s, g)
    if manifest is not None:
        manifest.derived_written(COUNTERPARTS_GRAPH, changed, removed, everything=old is None,
                                 meta={"derived-input:" + COUNTERPARTS_GRAPH: digest,
                                       "derived-figures:" + COUNTERPARTS_GRAPH: json.dumps([n, classes])})
    b = base()
    return n, classes, {s for s in seen if s.startswith(b)}
