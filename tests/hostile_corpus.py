"""A corpus of hostile files beside the five bundled plans, written into a folder.

``write_hostile_corpus(folder)`` writes the files and returns what a build must do with each
entry: ``Expect(key, outcome, reason)`` where outcome is "failed" (one ``failed:`` line
whose reason contains ``reason``), "skipped" (one ``skipped:`` line), "stored" (a plan in the
store, no error line) or "bounded" (a pathological text: stored, or failed with ``reason``
= the time budget, either way within the budget).

The kinds: names (not UTF-8, a newline or an escape sequence in the name, ``.TXT``, folders
named ``x.txt``), links (dangling, loops, out of the corpus to /etc, to a folder, inside the
corpus), special files (a FIFO), other formats with a .txt name and with their own extension
(PDF, office, archives, images, executables, JSON, CSV/TSV), texts that are no plans (empty,
English, numbers, random bytes, too long, too large), two ``plan.txt`` in different folders
and a crafted plan-IRI collision, and pathological plan texts (agency names, lead and
indicator statements by the hundred thousand, unclosed parentheses, runs of commas, periods
and enumeration commas, a 1.9 M-character plan). The small plan-like texts are written here.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from conftest import CORPUS

GOOD = sorted(p.name for p in CORPUS.glob("*.txt"))


@dataclass(frozen=True)
class Expect:
    key: str            # corpus-relative path as built (str; undecodable bytes as surrogates)
    outcome: str        # failed | skipped | stored | bounded
    reason: str = ""


def small_plan(place: str) -> str:
    """A short plan-like text of our own (enough Chinese to be a plan text)."""
    return (f"{place}基本公共服务实施方案\n"
            "一、总体要求\n"
            f"到2025年，{place}基本公共服务均等化水平明显提高，城乡居民享有更加公平的公共服务。\n"
            "二、重点任务\n"
            f"（一）完善义务教育服务。由{place}教育局牵头，{place}财政局配合，落实义务教育经费保障机制。\n"
            f"（二）加强基本医疗卫生服务。{place}卫生健康委员会负责推进家庭医生签约服务。\n")


AGENCIES = ["市教育局", "市卫生健康委员会", "市民政局", "市人力资源社会保障局", "市财政局",
            "县发展改革委", "省住房城乡建设厅", "市文化旅游局"]
SHORT = ["市教育局", "市民政局", "市财政局"]


def _pathological(head: str, plan: str) -> dict[str, str]:
    """Name -> text of the pathological plans (each after a real plan's opening lines)."""
    big = plan
    while len(big) < 1_900_000:
        big += "\n" + plan
    return {
        "agencies_in_a_row.txt": head + "".join(AGENCIES[i % 8] for i in range(100_000)),
        "agency_list.txt": head + "、".join(AGENCIES[i % 8] for i in range(100_000)),
        "lead_statements.txt": head + "".join(f"由{SHORT[i % 3]}牵头。" for i in range(200_000)),
        "paren_leads.txt": head + "".join(f"({AGENCIES[i % 8][1:]}牵头)" for i in range(200_000)),
        "indicator_sentences.txt": head + "".join(f"入学率达到9{i % 10}%。" for i in range(200_000)),
        "unclosed_parens.txt": head + "（教育" * 300_000,
        "unclosed_ascii_parens.txt": head + "(一" * 500_000,
        "commas.txt": head + "教，" * 900_000,
        "periods.txt": head + "服务。" * 600_000,
        "enumeration_commas.txt": head + "教、" * 900_000,
        "plan_1.9M_chars.txt": big[:1_900_000],
    }


def write_hostile_corpus(folder: Path, pathological: bool = True) -> list[Expect]:
    folder.mkdir(parents=True, exist_ok=True)
    out: list[Expect] = []

    def put(name: str, data: bytes | str, outcome: str, reason: str = "") -> None:
        p = folder / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        out.append(Expect(name, outcome, reason))

    for name in GOOD:
        shutil.copy(CORPUS / name, folder / name)
        out.append(Expect(name, "stored"))
    plan = (CORPUS / GOOD[0]).read_text(encoding="utf-8")
    head = "\n".join(plan.splitlines()[:15]) + "\n"
    rnd = random.Random(14)

    # ---- other formats, with a .txt name (failed) and with their own extension (skipped)
    pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + rnd.randbytes(3000) + b"\n%%EOF\n"
    formats = {
        "pdf": (pdf, "PDF"),
        "docx": (b"PK\x03\x04" + rnd.randbytes(2000), "ZIP"),
        "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + rnd.randbytes(2000), "OLE"),
        "rtf": ("{\\rtf1\\ansi " + small_plan("甲市") + "}", "RTF"),
        "png": (b"\x89PNG\r\n\x1a\n" + rnd.randbytes(2000), "PNG"),
        "jpg": (b"\xff\xd8\xff\xe0" + rnd.randbytes(2000), "JPEG"),
        "gif": (b"GIF89a" + rnd.randbytes(500), "GIF"),
        "gz": (b"\x1f\x8b\x08\x00" + rnd.randbytes(2000), "gzip"),
        "xz": (b"\xfd7zXZ\x00" + rnd.randbytes(500), "xz"),
        "7z": (b"7z\xbc\xaf\x27\x1c" + rnd.randbytes(500), "7z"),
        "elf": (b"\x7fELF\x02\x01\x01" + rnd.randbytes(2000), "ELF"),
        "sqlite": (b"SQLite format 3\x00" + rnd.randbytes(2000), "SQLite"),
    }
    for ext, (data, what) in formats.items():
        put(f"formats/{ext}_named.txt", data, "failed", what)
        put(f"formats/real.{ext}", data, "skipped", "plans end in .txt")
    records = [{"标题": small_plan(f"第{i}市"), "编号": i} for i in range(5)]
    jsons = {"object": {"plan": small_plan("乙市"), "year": 2023}, "array": records,
             "strings": [small_plan("丙市")] * 3, "nested": {"a": {"b": records}}, "numbers": list(range(500))}
    for name, value in jsons.items():
        put(f"data/json_{name}.txt", json.dumps(value, ensure_ascii=False, indent=1), "failed",
            "" if name == "numbers" else "JSON")
    put("data/plan.json", json.dumps(jsons["object"], ensure_ascii=False), "skipped", "plans end in .txt")
    rows = [f"{i},第{i}项基本公共服务,{AGENCIES[i % 8]},2025年" for i in range(60)]
    put("data/csv_comma.txt", "序号,服务项目,牵头单位,完成时限\n" + "\n".join(rows), "failed", "CSV")
    put("data/csv_tab.txt", "\n".join(r.replace(",", "\t") for r in rows), "failed", "TSV")
    put("data/csv_semicolon.txt", "\n".join(r.replace(",", ";") for r in rows), "failed", "semicolon")
    put("data/table.csv", "\n".join(rows), "skipped", "plans end in .txt")
    put("data/table.tsv", "\n".join(r.replace(",", "\t") for r in rows), "skipped", "plans end in .txt")
    for ext in ("md", "html", "xml", "log", "bak", "txt~", "txt.orig"):
        put(f"other/notes.{ext}", small_plan("丁市"), "skipped", "plans end in .txt")
    put("other/README", small_plan("戊市"), "skipped", "plans end in .txt")
    put("other/.hidden", b"x", "skipped", "plans end in .txt")

    # ---- texts that are no plans
    put("texts/empty.txt", b"", "failed", "empty")
    put("texts/whitespace.txt", " \n\t\n" * 100, "failed", "Chinese")
    put("texts/english.txt", "The basic public service plan of a city, in English only.\n" * 200, "failed", "Chinese")
    put("texts/numbers.txt", "\n".join(str(rnd.random()) for _ in range(2000)), "failed", "Chinese")
    put("texts/few_chinese.txt", "服务" + "x" * 5000, "failed", "Chinese")
    put("texts/punctuation_only.txt", "，" * 300_000, "failed", "Chinese")
    put("texts/periods_only.txt", "。" * 1_000_000, "failed", "Chinese")
    put("texts/enumeration_commas_only.txt", "、" * 1_000_000, "failed", "Chinese")
    put("texts/unclosed_parens_only.txt", "（" * 500_000, "failed", "Chinese")
    for i in range(6):
        put(f"texts/random_{i}.txt", rnd.randbytes(4000 * (i + 1)), "failed", "")
    put("texts/nul_bytes.txt", b"\x00" * 10_000, "failed", "")
    put("texts/too_long.txt", "基本公共服务均等化" * 240_000, "failed", "too long")
    put("texts/too_large.txt", b"\xe6\x9c\x8d" * 7_000_000, "failed", "too large")
    put("texts/utf8_then_garbage.txt", small_plan("己市").encode("utf-8") + rnd.randbytes(20000), "failed", "")

    # ---- names
    for i in range(3):
        name = os.fsdecode(b"names/not_utf8_\xff\xfe%d.txt" % i)
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(small_plan("庚市"), encoding="utf-8")
        out.append(Expect(name, "failed", "not valid UTF-8"))
    bad_dir = os.fsdecode(b"names/folder_\xe9")
    (folder / bad_dir).mkdir(parents=True)
    (folder / bad_dir / "inside.txt").write_text(small_plan("辛市"), encoding="utf-8")
    out.append(Expect(bad_dir + "/", "failed", "not valid UTF-8"))
    put("names/evil\n[1/1] forged.txt: 99999 triples, 0.01s  FORGED.txt", small_plan("壬市"), "stored")
    put("names/escape_\x1b[2J\x1b[31mred.txt", small_plan("癸市"), "stored")
    put("names/UPPER.TXT", small_plan("子市"), "stored")
    put("names/Mixed.Txt", small_plan("丑市"), "stored")
    (folder / "names/folder.txt").mkdir()
    out.append(Expect("names/folder.txt/", "skipped", "a folder"))
    put("names/plans.txt/inner.txt", small_plan("寅市"), "stored")
    out.append(Expect("names/plans.txt/", "skipped", "a folder"))

    # ---- two plan.txt, and a plan IRI collision crafted from the slug rule
    put("a/plan.txt", small_plan("卯市"), "stored")
    put("b/plan.txt", small_plan("辰市"), "stored")
    h = hashlib.sha1(b"slug/x").hexdigest()[:10]
    put(f"slug-x-{h}.txt", small_plan("巳市"), "stored")      # key slug-x-<h>: its IRI .../plan/slug-x-<h>
    put("slug/x.txt", small_plan("午市"), "failed", "plan IRI")  # key slug/x: the same IRI

    # ---- links and special files
    links = folder / "links"
    links.mkdir()
    (links / "dangling.txt").symlink_to("no-such-file.txt")
    out.append(Expect("links/dangling.txt", "failed", "dangling"))
    (links / "dangling_abs.txt").symlink_to("/nonexistent/plan.txt")
    out.append(Expect("links/dangling_abs.txt", "failed", "dangling"))
    (links / "loop_a.txt").symlink_to("loop_b.txt")
    (links / "loop_b.txt").symlink_to("loop_a.txt")
    (links / "self.txt").symlink_to("self.txt")
    out += [Expect(f"links/{n}", "failed", "loop") for n in ("loop_a.txt", "loop_b.txt", "self.txt")]
    for name, target in (("passwd.txt", "/etc/passwd"), ("hostname.txt", "/etc/hostname"),
                         ("etc_folder.txt", "/etc"), ("up.txt", "../../../../../../../../etc/passwd")):
        (links / name).symlink_to(target)
        out.append(Expect(f"links/{name}", "failed", "outside the corpus"))
    (links / "parent_folder").symlink_to("..")
    out.append(Expect("links/parent_folder/", "skipped", "symbolic link to a folder"))
    (links / "alias.txt").symlink_to(f"../{GOOD[1]}")
    out.append(Expect("links/alias.txt", "stored"))
    os.mkfifo(links / "fifo.txt")
    out.append(Expect("links/fifo.txt", "failed", "not a regular file"))

    # ---- pathological plan texts: finished or stopped within the budget
    if pathological:
        for name, text in _pathological(head, plan).items():
            put(f"slow/{name}", text, "bounded")
    return out
