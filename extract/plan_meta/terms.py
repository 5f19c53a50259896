"""The vocabulary of plan metadata (extract/data/plan_meta_terms.tsv) as compiled patterns."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pskg.paths import EXTRACT_DATA

from ..agencies import read_table

TERMS_FILE = EXTRACT_DATA / "plan_meta_terms.tsv"
# a 《title》 as written: no line break, no nested 《》 (nested titles use 〈〉 or <>)
CITED_TITLE = r"《[^《》\n]{2,100}》"
CITED_TITLE_GROUP = r"《(?P<t>[^《》\n]{2,100})》"


def _alternation(terms: list[str]) -> str:
    return "|".join(re.escape(t) for t in sorted(set(terms), key=lambda t: (-len(t), t)))


@dataclass(frozen=True)
class PlanTerms:
    title_tail: str  # regex: a title word with its optional edition / period suffix
    parent_tail: str  # the same for cited parent documents
    title_end: re.Pattern  # a string that ends like a plan's own title
    parent_end: re.Pattern  # a string that ends like a cited parent document
    release_verb: str  # regex alternation
    release_time: str
    forward_verb: str  # regex alternation
    forward: tuple[re.Pattern, ...]  # notice bodies forwarding 《title》s
    attachment: str
    title_label: str
    issue_label: re.Pattern
    publish_label: re.Pattern
    issuer_label: re.Pattern  # a metadata label naming the issuing body, colon optional
    source_label: re.Pattern  # a page's 来源 label: the issuer only on a page that is the plan
    number_label: re.Pattern  # a 文号 label, up to the number
    publication_note: re.Pattern  # 附注 after the signature date: (此件公开发布)
    adoption: re.Pattern  # a people's congress adopting the plan (after its date)
    dateline: re.Pattern  # a news dateline after a place name (北京1月4日电)
    headline_word: re.Pattern  # a word that makes a line a news headline, not a title
    news_marker: re.Pattern
    doc_kind: str  # regex alternation: the kinds of official document (通知, 意见 …)
    self_title: tuple[re.Pattern, ...]  # a preamble naming the plan it is (编制《T》)
    group_noun: str
    implement_before: re.Pattern
    implement_around: tuple[re.Pattern, ...]  # group "t": the cited title
    self_plan: re.Pattern
    own_voice: re.Pattern
    self_level: dict[str, str]
    file_ext: re.Pattern

    @classmethod
    @lru_cache(maxsize=2)
    def load(cls, path: Path = TERMS_FILE) -> "PlanTerms":
        by_kind: dict[str, list[list[str]]] = {}
        for row in read_table(path):
            by_kind.setdefault(row[0], []).append(row[1:])

        def terms(kind: str) -> list[str]:
            return [r[0] for r in by_kind.get(kind, [])]

        suffix = "|".join(f"(?:{t})" for t in terms("title_suffix"))
        own = _alternation(terms("title_end"))
        parent = _alternation(terms("title_end") + terms("parent_end"))
        title_tail = rf"(?:{own})(?:\s*(?:{suffix}))?"
        parent_tail = rf"(?:{parent})(?:\s*(?:{suffix}))?"

        def label(kind: str) -> re.Pattern:
            return re.compile(rf"(?:{_alternation(terms(kind))})\s*[:：]?\s*\[?\s*")

        return cls(
            title_tail=title_tail,
            parent_tail=parent_tail,
            title_end=re.compile(rf"(?:{title_tail})$"),
            parent_end=re.compile(rf"(?:{parent_tail})$"),
            release_verb=_alternation(terms("release_verb")),
            release_time="|".join(f"(?:{t})" for t in terms("release_time")),
            forward_verb=_alternation(terms("forward_verb")),
            forward=tuple(re.compile(t.replace("T", CITED_TITLE)) for t in terms("forward")),
            attachment=_alternation(terms("attachment")),
            title_label=_alternation(terms("title_label")),
            issue_label=label("issue_label"),
            publish_label=label("publish_label"),
            issuer_label=re.compile(rf"(?:{_alternation(terms('issuer_label'))})\s*[:：]?\s*\|?\s*"),
            source_label=re.compile(rf"(?:{_alternation(terms('source_label'))})\s*[:：]\s*"),
            number_label=re.compile("(?:" + "|".join(r"\s*".join(map(re.escape, t)) for t in sorted(
                set(terms("number_label")), key=lambda t: (-len(t), t))) + r")\s*[:：]?\s*\|?\s*"),
            publication_note=re.compile("|".join(f"(?:{t})" for t in terms("publication_note"))),
            adoption=re.compile("|".join(f"(?:{t})" for t in terms("adoption"))),
            dateline=re.compile("|".join(f"(?:{t})" for t in terms("dateline"))),
            headline_word=re.compile(_alternation(terms("headline_word"))),
            news_marker=re.compile(_alternation(terms("news_marker"))),
            doc_kind=_alternation(terms("doc_kind")),
            self_title=tuple(re.compile(t.replace("T", CITED_TITLE_GROUP)) for t in terms("self_title")),
            group_noun=_alternation(terms("group_noun")),
            implement_before=re.compile(_alternation(terms("implement_before"))),
            implement_around=tuple(re.compile(t.replace("T", CITED_TITLE_GROUP))
                                   for t in terms("implement_around")),
            self_plan=re.compile(_alternation(terms("self_plan"))),
            own_voice=re.compile(_alternation(terms("own_voice"))),
            self_level={r[0]: r[1] for r in by_kind.get("self_level", [])},
            file_ext=re.compile(rf"(?i)(?:{_alternation(terms('file_ext'))})$"),
        )
