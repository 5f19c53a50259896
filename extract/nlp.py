"""The extraction pipeline as a spaCy pipeline on ``spacy.blank("zh")``.

* tokenizer ``pskg.normalizing_tokenizer.v1``: decodes nothing (takes the decoded original
  text), normalizes it (extract.normalize: pinyin, mojibake, chrome, width, Traditional →
  Simplified) and segments the clean text into characters as spaCy's Chinese ``char``
  segmenter does (extract.char_tokens, in linear time). The Normalized object (with the offset map) rides on ``doc._.norm``.
* ``pskg_regions``: a PhraseMatcher over character tokens, loaded from the gazetteer
  (``doc.spans["regions"]``). Character tokens let every name match; a word segmenter would
  split 白银市 differently in different contexts.
* ``pskg_structure``: outline, items, paragraphs, lead phrases, domains (``doc._.blocks``).
* ``pskg_roles``: labelled fields and task tables that list responsible bodies, and the
  document's role convention (``doc._.roles``: extract.roles.RoleLayout).
* ``pskg_agencies``: agency mentions by the name grammar of extract.agency_names, with the
  lists of responsible bodies as context (``doc._.agency_mentions``).
* ``pskg_plan_meta``: title, number, issuer, date, jurisdiction, parent plans (``doc._.plan``).
* ``pskg_agency_resolver``: canonical agencies (``doc._.agencies``).
* ``pskg_leads``: who leads / supports what (``doc._.leads``: LeadStatements whose ids are
  agency-mention indices, resolved through ``doc._.agencies``).
* ``pskg_commitments``: the plan's provisions from its outline, its task tables and the
  assignments that close them (``doc._.commitments``).
* ``pskg_beneficiaries``: service guarantees with target populations and standards
  (``doc._.statements``: extract.beneficiaries.Statement).
* ``pskg_indicators``: numeric measures with baseline/target values, unit, comparator and
  year (``doc._.indicators``: extract.indicators.Indicator; damaged text left out).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from . import plan_meta as pm
from .beneficiaries import find_statements
from .char_tokens import CharTokenizer
from .agencies import Agency, Mention, find_mentions, resolve_agencies
from .agency_names import AgencyVocabulary
from .commitments import find_commitments
from .domains import domain_labels
from .gazetteer import Gazetteer, Region
from .indicators import find_indicators
from .leads import find_lead_statements
from .roles import find_roles
from .normalize import Normalized, normalize_text
from .structure import DomainTagger, parse_structure

MAX_TEXT = 4_000_000  # characters spaCy accepts (a build takes texts of up to 2 M: graph.shard.MAX_CHARS)

for _name in ("norm", "blocks", "roles", "agency_mentions", "plan", "agencies", "regions_named", "commitments",
              "leads", "statements", "indicators"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@spacy.registry.tokenizers("pskg.normalizing_tokenizer.v1")
def create_normalizing_tokenizer():
    def make(nlp: Language):
        return NormalizingTokenizer(nlp)

    return make


class NormalizingTokenizer:
    """Normalizes the original text, then segments the clean text into characters."""

    def __init__(self, nlp: Language):
        self.vocab = nlp.vocab
        self.chars = CharTokenizer(nlp.vocab)  # spaCy's Chinese char segmentation, in linear time

    def __call__(self, raw: str) -> Doc:
        norm = normalize_text(raw)
        doc = self.chars(norm.text)
        doc._.norm = norm  # components read norm.text (== doc.text, without re-joining tokens)
        return doc

    def plain(self, text: str) -> Doc:
        """Character tokens of an already clean string (for phrase patterns)."""
        return self.chars(text)

    # spaCy calls these when saving/loading a pipeline; there is no state to save
    def to_bytes(self, **kwargs):
        return b""

    def from_bytes(self, data, **kwargs):
        return self

    def to_disk(self, path, **kwargs):
        pass

    def from_disk(self, path, **kwargs):
        return self


class _PhraseRuler:
    """Adds ``doc.spans[key]`` from a PhraseMatcher built on (term, label) pairs.

    Matches that overlap damaged (unrepaired mojibake) text are dropped; overlapping
    matches keep the longest.
    """

    key = ""

    def __init__(self, nlp: Language, terms: list[tuple[str, str]]):
        self.matcher = PhraseMatcher(nlp.vocab)
        plain = nlp.tokenizer.plain if isinstance(nlp.tokenizer, NormalizingTokenizer) else nlp.make_doc
        by_label: dict[str, list[Doc]] = {}
        for term, label in sorted(set(terms)):
            by_label.setdefault(label, []).append(plain(term))
        for label, docs in by_label.items():
            self.matcher.add(label, docs)

    def __call__(self, doc: Doc) -> Doc:
        norm: Normalized | None = doc._.norm
        spans = []
        for match_id, s, e in self.matcher(doc):
            span = Span(doc, s, e, label=match_id)
            if norm is not None and norm.is_damaged(span.start_char, span.end_char):
                continue
            spans.append(span)
        doc.spans[self.key] = sorted(filter_spans(spans), key=lambda sp: sp.start)
        return doc


class RegionRuler(_PhraseRuler):
    key = "regions"


@Language.factory("pskg_regions")
def make_region_ruler(nlp: Language, name: str):
    gaz = Gazetteer.load()
    terms = [(form, form) for form, _ in gaz.names()]
    return RegionRuler(nlp, terms)


@Language.factory("pskg_structure")
def make_structure(nlp: Language, name: str):
    tagger = DomainTagger(domain_labels())

    def structure(doc: Doc) -> Doc:
        doc._.blocks = parse_structure(doc._.norm.text, tagger)
        return doc

    return structure


@Language.factory("pskg_roles")
def make_roles(nlp: Language, name: str):
    def roles(doc: Doc) -> Doc:
        regions = [(sp.start_char, sp.end_char) for sp in doc.spans["regions"]]
        doc._.roles = find_roles(doc._.norm.text, doc._.blocks, regions)
        return doc

    return roles


@Language.factory("pskg_agencies")
def make_agency_mentions(nlp: Language, name: str):
    vocab = AgencyVocabulary.load()

    def agencies(doc: Doc) -> Doc:
        regions = [(sp.start_char, sp.end_char, sp.label_) for sp in doc.spans["regions"]]
        norm = doc._.norm
        mentions = find_mentions(norm.text, norm.written, regions, vocab, doc._.roles.list_spans())
        doc._.agency_mentions = [m for m in mentions if not norm.is_damaged(m.start, m.end)]
        return doc

    return agencies


@dataclass
class PlanInfo:
    meta: pm.PlanMeta
    jurisdiction: Region | None
    jurisdiction_span: tuple[int, int] | None  # clean span of the evidence for it
    issuer_mention: int | None  # index into doc._.agency_mentions
    regions: list[tuple[int, int, Region]] = field(default_factory=list)  # regions named


@Language.factory("pskg_plan_meta")
def make_plan_meta(nlp: Language, name: str):
    def plan_meta(doc: Doc) -> Doc:
        text = doc._.norm.text
        gaz = Gazetteer.load()
        blocks = doc._.blocks
        mentions: list[Mention] = doc._.agency_mentions
        meta, issuer_idx = pm.read_plan_meta(text, blocks, [(m.start, m.end) for m in mentions])
        regions = [(sp.start_char, sp.end_char, sp.label_) for sp in doc.spans["regions"]]
        jur, jur_span = pm.find_jurisdiction(text, meta, mentions, issuer_idx, regions, gaz, meta.issuer_members)
        context = [jur.code] + [a.code for a in gaz.ancestors(jur.code)] if jur else []
        named = []
        for sp in doc.spans["regions"]:
            r = gaz.resolve(sp.label_, context=context)
            if r is not None:
                named.append((sp.start_char, sp.end_char, r))
        doc._.plan = PlanInfo(meta, jur, jur_span, issuer_idx, named)
        return doc

    return plan_meta


@Language.factory("pskg_agency_resolver")
def make_agency_resolver(nlp: Language, name: str):
    vocab = AgencyVocabulary.load()

    def resolver(doc: Doc) -> Doc:
        gaz = Gazetteer.load()
        scope = hashlib.sha1(doc._.norm.text.encode("utf-8")).hexdigest()[:10]
        agencies, of_mention = resolve_agencies(doc._.agency_mentions, doc._.plan.jurisdiction, gaz, vocab, scope)
        doc._.agencies = (agencies, of_mention)
        return doc

    return resolver


@Language.factory("pskg_commitments")
def make_commitments(nlp: Language, name: str):
    def commitments(doc: Doc) -> Doc:
        doc._.commitments = find_commitments(doc._.norm.text, doc._.blocks, doc._.leads)
        return doc

    return commitments


@Language.factory("pskg_beneficiaries")
def make_beneficiaries(nlp: Language, name: str):
    def beneficiaries(doc: Doc) -> Doc:
        norm = doc._.norm
        doc._.statements = find_statements(norm.text, doc._.blocks, is_damaged=norm.is_damaged)
        return doc

    return beneficiaries


@Language.factory("pskg_indicators")
def make_indicators(nlp: Language, name: str):
    def indicators(doc: Doc) -> Doc:
        norm = doc._.norm
        doc._.indicators = [i for i in find_indicators(norm.text, doc._.blocks)
                            if not norm.is_damaged(*i.span)]
        return doc

    return indicators


@Language.factory("pskg_leads")
def make_leads(nlp: Language, name: str):
    def leads(doc: Doc) -> Doc:
        _, of_mention = doc._.agencies
        mentions = [(m.start, m.end, i) for i, m in enumerate(doc._.agency_mentions) if i in of_mention]
        doc._.leads = find_lead_statements(doc._.norm.text, mentions, doc._.roles)
        return doc

    return leads


PIPES = ["pskg_regions", "pskg_structure", "pskg_roles", "pskg_agencies",
         "pskg_plan_meta", "pskg_agency_resolver", "pskg_leads", "pskg_commitments", "pskg_beneficiaries",
         "pskg_indicators"]


@lru_cache(maxsize=1)
def build_nlp() -> Language:
    """The pipeline (built once per process)."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "pskg.normalizing_tokenizer.v1"}}})
    # spaCy refuses texts over 1 M characters by default; plans of up to MAX_TEXT are taken
    # (the tokens are characters and no component keeps a model in memory per token)
    nlp.max_length = MAX_TEXT
    for pipe in PIPES:
        nlp.add_pipe(pipe)
    return nlp


def process(raw: str) -> Doc:
    """Run the whole pipeline on one decoded original text."""
    return build_nlp()(raw)


__all__ = ["build_nlp", "process", "PlanInfo", "Agency"]
