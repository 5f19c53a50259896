"""The grammar of government body names: the vocabulary tables and the name cores they compose.

A body's name is ``[region name | level word] [人民政府] [国家] stems suffix [sub-office]``:
市 + 教育 + 局, 省 + 人力资源社会保障 + 厅, 县 + 文 体 广 新 + 局, 国家 + 卫生健康 + 委,
自治区 + 应急 + 厅, 市 + 人民政府 + 金融工作 + 局. This module finds the *core* (stems + suffix,
or a whole form that is not a run of stems: 国务院, 残联, 民生办) and says what it means; the
prefix and the sub-office are composed around it by :mod:`extract.agencies`.

Data (extract/data): ``agency_stems.tsv`` (function stems, with one-character abbreviations that
only combine: 文体广新局, 教科局), ``agency_suffixes.tsv`` (局 厅 委 办 部 …, with the level that
alone carries a suffix, and whether it names a body anywhere or only in a list of responsible
units), ``agency_forms.tsv`` (whole forms and abbreviations), ``agency_suboffices.tsv``,
``level_prefixes.tsv``. Party organs (市委宣传部, 县委办) are recognised by the same stems after
``X委``, marked as party bodies.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path

from pskg.paths import EXTRACT_DATA

from .tables import read_table, trie_pattern

CJK = "\u4e00-\u9fff"
# what separates the items of a list of bodies
LIST_SEPARATORS = "、,，;；/\n 和及与)）。"
# inside a list of responsible units: the plan region's streets, towns and development zones
_NAME = rf"(?:(?!各)[{CJK}])"
# a street, town or zone name does not start with 含/包括 (市统计局〈含开发区〉 is a remark)
_NAME_START = r"(?!含|包括|包含|其中|以及|不含)"
SUB_UNIT = re.compile(
    rf"(?P<name>{_NAME_START}(?:{_NAME}{{0,10}}?(?P<zone>经济技术开发区|经济开发区|高新技术产业开发区|开发区|高新区|经开区|"
    rf"示范区|产业园区|工业园区|园区|新区)|{_NAME}{{2,6}}?(?P<kind>街道|镇|乡|园))"
    rf"(?:[(（][{CJK}]{{2,6}}[)）])?)(?P<sfx>办事处|人民政府|政府|管理委员会|管委会)?")
GENERIC_SUB_UNITS = {"乡镇", "镇街", "街道", "镇", "乡", "园", "园区"}


@dataclass(frozen=True)
class AgencyForm:
    """What a name core means: its written form, its full canonical form (without region) and
    its function; ``national`` when the core names a national body by itself (教育部, 国家统计局),
    ``gov`` for a people's government (which may take a sub-office), ``party`` for a Party organ,
    ``weak`` when the core names a body only in a list of responsible units (代建中心)."""

    form: str
    full: str
    function: str
    national: bool = False
    gov: bool = False
    party: bool = False
    weak: bool = False
    not_before: str = ""  # characters that may not follow it (政府网 is a website)


@dataclass(frozen=True)
class Stem:
    written: str
    full: str
    function: str
    abbr: bool
    party: bool


@dataclass(frozen=True)
class Suffix:
    written: str
    full: str
    level: str  # "any" | "national" | "provincial"
    weak: bool
    not_before: str


@dataclass(frozen=True)
class LevelPrefix:
    word: str
    levels: tuple[str, ...]  # region levels this prefix can name
    suffixes: tuple[str, ...]  # region name endings it requires ("" = any)
    own_level: str  # the level it names by itself ("" when it names several: 市)


@dataclass
class AgencyVocabulary:
    forms: dict[str, AgencyForm]
    stems: dict[str, Stem]
    suffixes: dict[str, Suffix]
    suboffices: dict[str, str]
    prefixes: dict[str, LevelPrefix]
    not_prefix_after: str  # chars that make a level word part of a word (城市, 各市, 县区)
    not_bare_after: str  # chars that make a bare name a class of bodies (各级教育局, 有关部门)
    national_prefixes: tuple[str, ...]  # 国家, 国务院: a national body's stems follow

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls, data_dir: Path = EXTRACT_DATA) -> "AgencyVocabulary":
        suffixes = {}
        for row in read_table(data_dir / "agency_suffixes.tsv"):
            row = row + [""] * (5 - len(row))
            suffixes[row[0]] = Suffix(row[0], row[1], row[2], row[3] == "weak", row[4])
        forms = {}
        for row in read_table(data_dir / "agency_forms.tsv"):
            flags = set(row[3].split(",")) if len(row) > 3 and row[3] else set()
            forms[row[0]] = AgencyForm(row[0], row[1], row[2], "national" in flags, "gov" in flags,
                                       "party" in flags, "weak" in flags, row[4] if len(row) > 4 else "")
        stems = {}
        for row in read_table(data_dir / "agency_stems.tsv"):
            flags = set(row[3].split(",")) if len(row) > 3 and row[3] else set()
            stems[row[0]] = Stem(row[0], row[1], row[2], "abbr" in flags, "party" in flags)
        for f, af in list(forms.items()):  # 民生办 is guarded like the suffix 办 (民生办实事)
            sfx = next((x for x in sorted(suffixes, key=len, reverse=True) if f.endswith(x)), None)
            if sfx and not af.not_before:
                forms[f] = replace(af, not_before=suffixes[sfx].not_before)
        subs = {r[0]: r[1] for r in read_table(data_dir / "agency_suboffices.tsv")}
        prefixes = {}
        special = {}
        for row in read_table(data_dir / "level_prefixes.tsv"):
            if row[0].startswith("!"):
                special[row[0]] = row[1]
                continue
            row = row + [""] * (4 - len(row))
            prefixes[row[0]] = LevelPrefix(row[0], tuple(row[1].split("|")),
                                           tuple(row[2].split("|")) if row[2] else ("",), row[3])
        return cls(forms, stems, suffixes, subs, prefixes, special.get("!not_after", ""),
                   special.get("!not_bare_after", ""), tuple(special.get("!national", "").split("|")))

    @cached_property
    def grammar(self) -> "NameGrammar":
        return NameGrammar(self)


@dataclass(frozen=True)
class Core:
    """A name core found in the text: [start, end) and what it means."""

    start: int
    end: int
    form: AgencyForm


class NameGrammar:
    """Regexes over clean text for name cores, compiled from the vocabulary."""

    def __init__(self, vocab: AgencyVocabulary):
        self.vocab = vocab
        full = [s for s, st in vocab.stems.items() if not st.abbr and not st.party]
        abbr = [s for s, st in vocab.stems.items() if st.abbr]
        party = [s for s, st in vocab.stems.items() if st.party]
        sfx = trie_pattern(vocab.suffixes)
        self.dept = re.compile(
            rf"(?P<nat>{trie_pattern(vocab.national_prefixes)})?"
            rf"(?P<stems>(?:{trie_pattern(full)})(?:和?(?:{trie_pattern(full)})){{0,5}}"
            rf"|(?:{trie_pattern(abbr)}){{2,6}})"
            rf"(?P<sfx>{sfx})")
        self.forms = re.compile(trie_pattern(vocab.forms))
        # a whole item of a list of responsible units: [level word] name suffix (县护城河指挥部)
        self.open = re.compile(rf"(?:中共)?(?:{trie_pattern(vocab.prefixes)})?"
                               rf"(?P<core>(?!{trie_pattern(vocab.prefixes)})[\u4e00-\u9fff]{{2,10}}?(?P<sfx>{sfx}))")
        self.full_stem = re.compile(trie_pattern(full))
        self.abbr_stem = re.compile(trie_pattern(abbr))
        # a Party committee (市委, 中共X县委) and its organs: 宣传部, 政法委, 委办 (its office)
        self.party_stem = re.compile(trie_pattern(party))
        self.party = re.compile(rf"委(?:(?P<stems>(?:{trie_pattern(party)})+)(?P<sfx>部|委员会|委|办公室|办)"
                                rf"|(?P<office>办公室|办(?![理学事法公好实成结案件]))|(?![托派屈员婉会]))")

    def cores(self, text: str, start: int = 0, end: int | None = None, weak: bool = False) -> list[Core]:
        """Non-overlapping name cores in text[start:end], leftmost-longest; weak suffixes only
        when ``weak`` (inside a list of responsible units)."""
        end = len(text) if end is None else end
        found: list[Core] = []
        for rx, make in ((self.dept, self._dept), (self.forms, self._form)):
            pos = start
            while True:
                m = rx.search(text, pos, end)
                if m is None:
                    break
                core = make(m, text, weak)
                if core is None:
                    pos = m.start() + 1
                    continue
                found.append(core)
                pos = m.end()
        # leftmost, then longest; a whole form beats a composed core of the same span
        found.sort(key=lambda c: (c.start, -(c.end - c.start), c.form.form not in self.vocab.forms))
        out: list[Core] = []
        for c in found:
            if out and c.start < out[-1].end:
                continue
            out.append(c)
        return out

    def _form(self, m: re.Match, text: str, weak: bool) -> Core | None:
        form = self.vocab.forms[m.group(0)]
        if (form.weak and not weak) or (m.end() < len(text) and text[m.end()] in form.not_before):
            return None
        return Core(m.start(), m.end(), form)

    def _dept(self, m: re.Match, text: str, weak: bool) -> Core | None:
        sfx = self.vocab.suffixes[m.group("sfx")]
        if sfx.weak and not weak:
            return None
        if m.end() < len(text) and sfx.not_before and text[m.end()] in sfx.not_before:
            return None
        stems = self.split_stems(m.group("stems"))
        if not stems:
            return None
        national = bool(m.group("nat")) or sfx.level == "national"
        full = (m.group("nat") or "") + "".join(s.full for s in stems) + sfx.full
        return Core(m.start(), m.end(), AgencyForm(m.group(0), full, stems[0].function, national,
                                                   weak=sfx.weak))

    def open_core(self, text: str, s: int, e: int) -> Core | None:
        """The core of text[s:e] when the whole of it is one body's name whose stems the
        vocabulary lacks (县代建中心, 县护城河指挥部): only for an item of a list of responsible
        units, which declares it a body. Its function is that of the first known stem inside."""
        m = self.open.fullmatch(text, s, e)
        if m is None or any(c in m.group("core") for c in "的和与及或"):
            return None
        sfx = self.vocab.suffixes[m.group("sfx")]
        core = m.group("core")
        full = core[: len(core) - len(sfx.written)] + sfx.full
        known = self.full_stem.search(core)
        function = self.vocab.stems[known.group(0)].function if known else "other"
        return Core(m.start("core"), m.end(), AgencyForm(core, full, function, sfx.level == "national",
                                                         weak=True))

    def split_stems(self, run: str) -> list[Stem]:
        """The stems of a matched run, longest first from the left (和 between stems dropped)."""
        out, i = [], 0
        rx = self.full_stem if self.full_stem.match(run) else self.abbr_stem
        while i < len(run):
            if run[i] == "和" and out:
                i += 1
                continue
            m = rx.match(run, i)
            if m is None:
                return []
            out.append(self.vocab.stems[m.group(0)])
            i = m.end()
        return out

    def party_after(self, text: str, pos: int) -> tuple[int, str, str] | None:
        """An organ of the Party committee whose 委 is at ``pos`` (市委宣传部, 县委办):
        (end, full form, function)."""
        m = self.party.match(text, pos)
        if m is None:
            return None
        if m.group("stems"):
            run, stems, i = m.group("stems"), [], 0
            while i < len(run):
                sm = self.party_stem.match(run, i)
                stems.append(self.vocab.stems[sm.group(0)])
                i = sm.end()
            sfx = {"委": "委员会", "办": "办公室"}.get(m.group("sfx"), m.group("sfx"))
            return m.end(), "委" + "".join(st.full for st in stems) + sfx, stems[0].function
        if m.group("office"):
            return m.end(), "委员会办公室", "other"
        return None  # the committee itself (市委) is not a government body
