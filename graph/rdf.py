"""Turns one processed document (a spaCy Doc from extract.nlp) into the quads of its plan graph.

Every statement that came from text gets a pskg:Evidence node whose pskg:quote is exactly
the original text between pskg:charStart and pskg:charEnd (code points of the decoded
original file); pskg:property says which statement of its subject the evidence supports.
The quads describe everything the plan names (an agency's labels, level, function and
jurisdiction, the forms it writes a population in ...); graph.shared then moves the
statements about shared entities into their descriptions, built from every plan's
contributions, so each is stored once while each plan keeps its links and evidence.
"""
from __future__ import annotations

import hashlib
import re

import pyoxigraph as ox
from opencc import OpenCC

from extract.beneficiaries import PopulationVocabulary, find_standard, services_in
from extract.commitments import CommitmentIndex
from extract.gazetteer import Gazetteer
from extract.leads import is_plan_duty
from extract.nlp import PlanInfo
from extract.periods import plan_period

from .vocab_rdf import population_iri, service_iri
from .terms import (ALT, LABEL, TYPE, cited_plan_iri, data_iri, domain_concept, function_concept,
                    level_concept, lit, ns, plan_iri, pskg, region_iri, typed)

_t2s = OpenCC("t2s").convert


def agency_iri(agency) -> ox.NamedNode:
    return data_iri("agency", agency.slug)


class PlanGraph:
    """Collects the quads of one plan's named graph."""

    def __init__(self, doc, source_file: str):
        self.doc = doc
        self.norm = doc._.norm
        self.source_file = source_file
        self.plan = plan_iri(source_file)
        self.graph = self.plan
        self.quads: set[ox.Quad] = set()
        self.stem = self.plan.value.rsplit("/", 1)[-1]
        self.section_iri: dict[int, ox.NamedNode] = {}  # block index -> its Section node
        self.commitment_index = CommitmentIndex(doc._.commitments)  # provision around an offset

    # ------------------------------------------------------------------ helpers
    def add(self, s, p, o) -> None:
        self.quads.add(ox.Quad(s, p, o, self.graph))

    def evidence(self, subject, clean_span: tuple[int, int], prop: ox.NamedNode | None = None):
        """Evidence for a statement about ``subject`` found at a clean-text span."""
        s, e = self.norm.raw_span(*clean_span)
        ev = data_iri("evidence", self.stem, f"{s}-{e}")
        self.add(ev, TYPE, pskg("Evidence"))
        self.add(ev, pskg("sourceDocument"), self.plan)
        self.add(ev, pskg("charStart"), typed(s, "integer"))
        self.add(ev, pskg("charEnd"), typed(e, "integer"))
        self.add(ev, pskg("quote"), lit(self.norm.raw[s:e]))
        self.add(subject, pskg("evidence"), ev)
        if prop is not None:
            self.add(ev, pskg("property"), prop)
        return ev

    def written(self, span: tuple[int, int]) -> str:
        return self.norm.written[span[0]:span[1]]

    # ------------------------------------------------------------------ content
    def build(self) -> list[ox.Quad]:
        info: PlanInfo = self.doc._.plan
        agencies, of_mention = self.doc._.agencies
        self.plan_node(info)
        self.agency_nodes(agencies)
        meta = info.meta
        if meta.issuer_span and info.issuer_mention is not None and info.issuer_mention in of_mention:
            ag = of_mention[info.issuer_mention]
            self.add(self.plan, pskg("issuedBy"), agency_iri(ag))
            self.evidence(self.plan, meta.issuer_span, pskg("issuedBy"))
        self.region_mentions(info)
        self.sections()
        commitment_iri = self.commitments()
        self.leads(commitment_iri, of_mention)
        self.guarantees(commitment_iri)
        self.indicators(commitment_iri)
        return list(self.quads)  # unordered: the shard sorts the N-Triples lines it keeps

    def plan_node(self, info: PlanInfo) -> None:
        p, meta, norm = self.plan, info.meta, self.norm
        gaz = Gazetteer.load()
        self.add(p, TYPE, pskg("Plan"))
        self.add(p, pskg("sourceFile"), lit(self.source_file))
        self.add(p, pskg("encoding"), lit(norm.encoding))
        if meta.title:
            self.add(p, ns("dct", "title"), lit(self.written(meta.title.span)))
            self.add(p, LABEL, lit(meta.title.value, "zh-Hans"))
            self.evidence(p, meta.title.span, ns("dct", "title"))
            period = plan_period(norm.text[meta.title.span[0]:meta.title.span[1]])
            if period is not None:  # the years the plan covers, as its title says (十三五: 2016-2020)
                start, end, s, e = period
                words = (meta.title.span[0] + s, meta.title.span[0] + e)
                self.add(p, pskg("periodStart"), typed(start, "gYear"))
                self.add(p, pskg("periodEnd"), typed(end, "gYear"))
                self.evidence(p, words, pskg("periodStart"))
                self.evidence(p, words, pskg("periodEnd"))
        else:
            self.add(p, LABEL, lit(self.source_file, "zh-Hans"))
        if meta.issuer_members:  # a co-issuer group ("省发展改革委等21部门") issued it
            _, of_mention = self.doc._.agencies
            group = data_iri("coissuers", self.stem)
            self.add(group, TYPE, pskg("CoIssuerGroup"))
            self.add(group, LABEL, lit(norm.text[meta.issuer_span[0]:meta.issuer_span[1]], "zh-Hans"))
            self.add(group, ALT, lit(self.written(meta.issuer_span)))
            for i in meta.issuer_members:
                if i in of_mention:
                    self.add(group, ns("org", "hasMember"), agency_iri(of_mention[i]))
            self.evidence(group, meta.issuer_span)
            self.add(p, pskg("issuedBy"), group)
            self.evidence(p, meta.issuer_span, pskg("issuedBy"))
        if meta.document_number:
            self.add(p, pskg("documentNumber"), lit(self.written(meta.document_number.span).replace(" ", "")))
            self.evidence(p, meta.document_number.span, pskg("documentNumber"))
        if meta.issued:
            self.add(p, ns("dct", "issued"), typed(meta.issued.value, "date"))
            self.evidence(p, meta.issued.span, ns("dct", "issued"))
        if info.jurisdiction:
            self.add(p, pskg("jurisdiction"), region_iri(info.jurisdiction.code))
            self.add(p, pskg("level"), level_concept(gaz.level_concept_key(info.jurisdiction)))
            if info.jurisdiction_span:
                self.evidence(p, info.jurisdiction_span, pskg("jurisdiction"))
        for cited in meta.implements:
            title = cited.title
            c = cited_plan_iri(_t2s(title))
            self.add(p, pskg("implements"), c)
            self.evidence(p, cited.span, pskg("implements"))
            self.add(c, TYPE, pskg("Plan"))
            self.add(c, ns("dct", "title"), lit(self.written(cited.span)))
            self.add(c, LABEL, lit(title, "zh-Hans"))
            self.evidence(c, cited.span, ns("dct", "title"))
            region = None
            for s, e, r in info.regions:
                if cited.span[0] <= s and e <= cited.span[1]:
                    region = r
                    break
            if region is not None:
                self.add(c, pskg("jurisdiction"), region_iri(region.code))
                self.add(c, pskg("level"), level_concept(gaz.level_concept_key(region)))
            elif cited.national:
                self.add(c, pskg("jurisdiction"), region_iri("100000"))
                self.add(c, pskg("level"), level_concept("national"))

    def agency_nodes(self, agencies) -> None:
        for ag in agencies:
            a = agency_iri(ag)
            self.add(a, TYPE, pskg("Agency"))
            if ag.party:
                self.add(a, TYPE, pskg("PartyBody"))
            self.add(a, LABEL, lit(ag.label, "zh-Hans"))
            for alt in sorted(ag.alt_labels):
                self.add(a, ALT, lit(alt))
            self.add(a, pskg("level"), level_concept(ag.level))
            self.add(a, pskg("function"), function_concept(ag.function))
            if ag.region is not None:  # None: a body of a region the document never names
                self.add(a, pskg("jurisdiction"), region_iri(ag.region.code))
            self.add(self.plan, pskg("mentions"), a)
            for m in ag.mentions:
                self.evidence(a, (m.start, m.end))

    def region_mentions(self, info: PlanInfo) -> None:
        for s, e, r in info.regions:
            node = region_iri(r.code)
            self.add(self.plan, pskg("mentions"), node)
            self.evidence(node, (s, e))

    def sections(self) -> None:
        """The outline: headings and numbered items, with their domain and parent."""
        blocks = self.doc._.blocks
        iri = self.section_iri
        depth: dict[int, int] = {}
        for b in blocks:
            if not b.is_section or not b.title_span:
                continue
            rs, _ = self.norm.raw_span(b.start, b.end)
            node = data_iri("section", self.stem, str(rs))
            iri[b.index] = node
            self.add(node, TYPE, pskg("Section"))
            self.add(node, LABEL, lit(b.title, "zh-Hans"))
            depth[b.index] = depth.get(b.parent, 0) + 1 if b.parent is not None else 1
            self.add(node, pskg("rank"), typed(depth[b.index], "integer"))  # depth in the outline
            self.add(node, pskg("order"), typed(b.index, "integer"))
            self.add(node, pskg("marker"), lit(b.marker))
            parent = iri.get(b.parent) if b.parent is not None else None
            self.add(node, ns("dct", "isPartOf"), parent or self.plan)
            if b.domain:
                self.add(node, pskg("domain"), domain_concept(b.domain))
            self.evidence(node, b.title_span, LABEL)


    def commitments(self) -> dict[int, ox.NamedNode]:
        """The plan's provisions (tasks, projects, service items); returns their span -> node."""
        blocks = self.doc._.blocks
        out = {}
        for c in self.doc._.commitments:
            rs, _ = self.norm.raw_span(*c.span)
            node = data_iri("commitment", self.stem, str(rs))
            out[c.span] = node
            self.add(node, TYPE, pskg(c.kind))
            self.add(node, pskg("inPlan"), self.plan)
            self.add(node, LABEL, lit(c.label, "zh-Hans"))
            self.add(node, pskg("leadPhrase"), lit(self.written(c.label_span)))
            self.evidence(node, c.label_span, LABEL)
            self.evidence(node, c.span)  # the provision's whole text
            path = blocks[c.block].path
            if path:
                self.add(node, pskg("sectionPath"), lit(" / ".join(path)))
            self.add(node, ns("dct", "isPartOf"), self.section_iri.get(c.section, self.plan))
            if c.domain:
                self.add(node, pskg("domain"), domain_concept(c.domain))
            self.commitment_standards(node, c.span)
            found = services_in(c.label)
            if found:  # the service its title names ("基本养老保险", "促进义务教育均衡发展")
                s, e, key = max(found, key=lambda f: (f[1] - f[0], -f[0]))
                self.add(node, pskg("aboutService"), service_iri(key))
                off = c.label_span[0]
                self.evidence(node, (off + s, off + e), pskg("aboutService"))
        return out

    def guarantees(self, commitment_iri: dict[int, ox.NamedNode]) -> None:
        """Service guarantees stated in sentences (为X提供Y, 对X给予Y, 保障X享有Y …): who is
        entitled to what, at which standard; each is part of the provision it sits in."""
        index = self.commitment_index
        for st in self.doc._.statements:
            rs, re_ = self.norm.raw_span(*st.span)
            ss, _ = self.norm.raw_span(*st.service_span)  # one clause can state several guarantees
            node = data_iri("guarantee", self.stem, f"{rs}-{re_}-{ss}")
            self.add(node, TYPE, pskg("ServiceGuarantee"))
            self.add(node, pskg("inPlan"), self.plan)
            self.add(node, LABEL, lit(st.service, "zh-Hans"))
            self.evidence(node, st.span)
            self.evidence(node, st.service_span, pskg("aboutService") if st.service_key else LABEL)
            c = index.at(st.span[0])
            self.add(node, ns("dct", "isPartOf"), commitment_iri[c.span] if c else self.plan)
            if st.domain:
                self.add(node, pskg("domain"), domain_concept(st.domain))
            if st.service_key:
                self.add(node, pskg("aboutService"), service_iri(st.service_key))
            for pm in st.populations:
                pop = population_iri(pm.key)
                self.add(node, pskg("targetPopulation"), pop)
                self.evidence(node, pm.span, pskg("targetPopulation"))
                self.population_node(pop, pm)
            if st.standard and st.standard_span:
                self.standard(node, st.standard_span)

    def standard(self, holder: ox.NamedNode, span: tuple[int, int]) -> None:
        """A pskg:Standard (shared by its Simplified wording) that ``holder`` is guaranteed at."""
        label = self.norm.text[span[0]:span[1]]
        std = data_iri("standard", hashlib.sha1(label.encode("utf-8")).hexdigest()[:12])
        self.add(holder, pskg("hasStandard"), std)
        self.evidence(holder, span, pskg("hasStandard"))
        self.add(std, TYPE, pskg("Standard"))
        self.add(std, LABEL, lit(label, "zh-Hans"))
        self.add(std, ALT, lit(self.written(span)))
        self.evidence(std, span)

    def commitment_standards(self, node: ox.NamedNode, span: tuple[int, int]) -> None:
        """Standards a provision states in its own sentences that are levels by themselves
        (一行政村一月放映一场电影, 至少有一人就业); 免费, 全覆盖 … are standards of the guarantees
        that state them with a population."""
        text = self.norm.text
        start = span[0]
        for sentence in re.split(r"(?<=[。;；])", text[span[0]:span[1]]):
            found = find_standard(sentence, alone=True)
            if found:
                self.standard(node, (start + found[0], start + found[1]))
            start += len(sentence)

    def indicators(self, commitment_iri: dict[int, ox.NamedNode]) -> None:
        """Numeric measures, on the provision they are stated in, else on the plan (goal
        tables, the plan's targets and its review of the past period)."""
        index = self.commitment_index
        for ind in self.doc._.indicators:
            rs, re_ = self.norm.raw_span(*ind.span)
            key = f"{ind.name_span}|{ind.comparator}|{ind.target}|{ind.baseline}"
            node = data_iri("indicator", self.stem, f"{rs}-{re_}-{hashlib.sha1(key.encode()).hexdigest()[:8]}")
            c = index.at(ind.span[0])
            self.add(commitment_iri[c.span] if c else self.plan, pskg("hasIndicator"), node)
            self.add(node, TYPE, pskg("Indicator"))
            self.add(node, LABEL, lit(ind.name, "zh-Hans"))
            self.add(node, pskg("unit"), lit(ind.unit))
            self.add(node, pskg("comparator"), lit(ind.comparator))
            for value, year, vprop, yprop in ((ind.target, ind.target_year, "targetValue", "targetYear"),
                                              (ind.baseline, ind.baseline_year, "baselineValue", "baselineYear")):
                if value is not None:
                    self.add(node, pskg(vprop), typed(format(value, "f"), "decimal"))
                    if year is not None:
                        self.add(node, pskg(yprop), typed(str(year), "gYear"))
            if ind.domain:
                self.add(node, pskg("domain"), domain_concept(ind.domain))
            self.evidence(node, ind.span)
            self.evidence(node, ind.name_span, LABEL)

    def population_node(self, pop: ox.NamedNode, pm) -> None:
        """A population the vocabulary lacks (a minted ``p-`` key: a narrower group such as
        经济困难的老年人) is described here: type, label, the vocabulary group it narrows. A plan
        adds as alternative labels only forms it writes for exactly that group: its own
        spelling (Traditional) and the group with scope words that do not narrow it (全体职工,
        本市居民); :func:`extract.populations.canonical_population` gives every other phrase a
        node of its own."""
        known = PopulationVocabulary.load().by_key.get(pm.key)
        forms = set(known.forms) if known else {pm.label}
        for form in sorted({pm.written, self.written(pm.span)} - forms):
            self.add(pop, ALT, lit(form))
        if known is None:
            self.add(pop, TYPE, pskg("TargetPopulation"))
            self.add(pop, LABEL, lit(pm.label, "zh-Hans"))
            if pm.broader:
                self.add(pop, ns("skos", "broader"), population_iri(pm.broader))

    def leads(self, commitment_iri: dict[int, ox.NamedNode], of_mention) -> None:
        """pskg:leadAgency / pskg:supportingAgency from explicit assignment statements, on the
        provision the statement sits in and, for duties about the plan itself (or statements
        outside any provision), on the plan."""
        index = self.commitment_index
        text = self.norm.text
        for st in self.doc._.leads:
            holders = []
            c = index.at(st.match[0])
            if c is not None:
                holders.append(commitment_iri[c.span])
            if c is None or is_plan_duty(text[st.span[0]:st.span[1]]):
                holders.append(self.plan)
            for holder in holders:
                for prop, ids in ((pskg("leadAgency"), st.leads), (pskg("supportingAgency"), st.supports)):
                    for a in sorted({agency_iri(of_mention[i]).value for i in ids}):
                        self.add(holder, prop, ox.NamedNode(a))
                    if ids:
                        self.evidence(holder, st.span, prop)


def plan_quads(doc, source_file: str) -> list[ox.Quad]:
    return PlanGraph(doc, source_file).build()
