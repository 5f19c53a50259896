"""The indicator vocabularies (extract/data/indicator_*.tsv), loaded once."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pskg.paths import EXTRACT_DATA

from ..agencies import read_table


def _rows(name: str) -> list[list[str]]:
    return read_table(EXTRACT_DATA / name)


@dataclass(frozen=True)
class Tables:
    units: dict[str, tuple[str, bool]]  # unit -> (class, multipliers allowed)
    unit_re: str
    prefix_cmp: dict[str, str]
    suffix_cmp: dict[str, str]
    triggers: tuple[str, ...]  # longest first (includes prefix comparators)
    heads: tuple[str, ...]
    tails: tuple[str, ...]
    stops: tuple[str, ...]
    retro: re.Pattern
    achieved: re.Pattern  # words before a figure in its sentence that say it is achieved (截至, 目前 …)
    achieved_clause: re.Pattern  # the same in the figure's own clause (已, 实现了, 取得 …)
    strip_lead: re.Pattern
    skip_par: tuple[re.Pattern, ...]
    unit_words: tuple[str, ...]  # words that begin with a unit character (支持, 人口 …)
    plan_word: re.Pattern  # a document with one of these plans (it is not a report of results)
    result_word: re.Pattern  # words of achievement that make a document without plan words a report
    report_word: re.Pattern  # a word that alone makes a document without plan words a report (以来)
    forward_section: re.Pattern  # a heading that ends a review of the past (主要目标, 主要任务 …)
    present_section: re.Pattern  # a heading on the situation the plan starts from (面临形势 …)
    goal: re.Pattern  # words before a figure that make it a goal (力争, 计划, 将 …)
    goal_object: re.Pattern  # words after a figure that make it the goal itself (…的目标任务)
    report_title: re.Pattern  # a title that declares a report of results (统计公报, 完成情况 …)
    plan_title: re.Pattern  # a title that declares a plan (规划, 实施方案, 民生实事 …)
    report_lead: re.Pattern  # a news lead that reports results (取得…成效, 超额完成 …)
    plan_lead: re.Pattern  # a news lead that reports a plan (印发, 出炉, 计划 …)
    review_before: re.Pattern  # words before a period named to be reviewed (总结“十二五”…)
    review_after: re.Pattern  # words after a period named to be reviewed (“十二五”期间…取得的成绩)
    subject_year: re.Pattern  # a year tied to the document's subject (2021年…民生实事项目)
    achieved_column: re.Pattern  # a | table column of what was achieved (年度完成情况, 当前进度)
    goal_column: re.Pattern  # a | table column of goals (项目内容, 目标任务)


@lru_cache(maxsize=1)
def tables() -> Tables:
    units = {r[0]: (r[1], len(r) > 2 and r[2] == "Y") for r in _rows("indicator_units.tsv")}
    alts = []
    # longest possible match first: a unit that takes a multiplier (万人) before 万 alone
    for u, (_cls, mult) in sorted(units.items(), key=lambda x: (-len(x[0]) - x[1][1], x[0])):
        alts.append(("(?:万亿|[万亿千百])?" if mult else "") + re.escape(u))  # 1.8万亿元
    # composite units: 张/千人, 元/人·月, 平方米/人
    per = r"(?:/(?:每)?(?:千人|万人|百人|千名老人|百户|人·月|人·年|人月|人|户|月|年|天))?"
    unit_re = "(?:" + "|".join(alts) + ")" + per
    prefix_cmp, suffix_cmp = {}, {}
    for w, c, pos in _rows("indicator_comparators.tsv"):
        (prefix_cmp if pos == "prefix" else suffix_cmp)[w] = c
    trig = {r[0] for r in _rows("indicator_triggers.tsv")} | set(prefix_cmp)
    heads = [r[1] for r in _rows("indicator_heads.tsv") if r[0] == "head"]
    tails = [r[1] for r in _rows("indicator_heads.tsv") if r[0] == "tail"]
    stops = [r[1] for r in _rows("indicator_heads.tsv") if r[0] == "stop"]
    cues: dict[str, list[str]] = {}
    for k, p in _rows("indicator_cues.tsv"):
        cues.setdefault(k, []).append(p)
    return Tables(
        units=units,
        unit_re=unit_re,
        prefix_cmp=prefix_cmp,
        suffix_cmp=suffix_cmp,
        triggers=tuple(sorted(trig, key=lambda w: (-len(w), w))),
        heads=tuple(sorted(heads, key=lambda w: (-len(w), w))),
        tails=tuple(tails),
        stops=tuple(sorted(stops, key=lambda w: (-len(w), w))),
        retro=re.compile("|".join(cues.get("retro_section", ["发展基础"]))),
        achieved=_alternatives(cues.get("achieved")),
        achieved_clause=_alternatives(cues.get("achieved_clause")),
        strip_lead=re.compile("^(?:" + "|".join(sorted(cues.get("strip_lead", ["其中"]), key=lambda w: -len(w)))
                              + ")"),
        skip_par=tuple(re.compile(p) for p in cues.get("skip_paragraph", [])),
        unit_words=tuple(r[0] for r in _rows("indicator_unit_words.tsv")),
        plan_word=_alternatives(cues.get("plan_word")),
        result_word=_alternatives(cues.get("result_word")),
        report_word=_alternatives(cues.get("report_word")),
        forward_section=_alternatives(cues.get("forward_section")),
        present_section=_alternatives(cues.get("present_section")),
        goal=_alternatives(cues.get("goal")),
        goal_object=_alternatives(cues.get("goal_object")),
        report_title=_alternatives(cues.get("report_title")),
        plan_title=_alternatives(cues.get("plan_title")),
        report_lead=_alternatives(cues.get("report_lead")),
        plan_lead=_alternatives(cues.get("plan_lead")),
        review_before=_alternatives(cues.get("review_before")),
        review_after=_alternatives(cues.get("review_after")),
        subject_year=_alternatives(cues.get("subject_year")),
        achieved_column=_alternatives(cues.get("achieved_column")),
        goal_column=_alternatives(cues.get("goal_column")),
    )


def _alternatives(patterns: list[str] | None) -> re.Pattern:
    """One pattern for a list of alternatives; an empty list matches nothing."""
    return re.compile("|".join(f"(?:{p})" for p in patterns) if patterns else r"(?!x)x")
