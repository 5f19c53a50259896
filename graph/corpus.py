"""The files a build reads: a corpus folder walked without trusting its names or links.

``list_corpus(inputs, roots)`` gives the documents to build (path, key, root) and one
``Refusal`` per entry that is not built, each with a one-line reason, so nothing is skipped
without a word:

* a folder is a corpus root; its files are keyed by their path below it (the plan's key);
* files ending in ``.txt`` in any letter case (``.TXT`` too) are plan candidates; other
  files are *skipped* (one line each: "not a plan file"), but for ``SOURCES.tsv`` (the plans'
  web addresses, read by graph/source_urls.py);
* symbolic links are resolved inside the corpus only: a link to a file in the corpus is read
  under its own key; a dangling link, a link loop, or a link that leads out of the corpus
  (``/etc/passwd``) *fails* and is never opened; a link to a folder is skipped (not walked:
  no loops, no second copies);
* a folder that cannot be read fails (its files cannot be listed); a folder named like a plan
  (``x.txt``) is walked like any folder, with one line saying so;
* a name that is not valid UTF-8 fails (keys and IRIs are text); other names are kept as
  they are and shown escaped (``shown``), so a newline in a name cannot forge an output line;
* anything that is not a regular file (a FIFO, a socket, a device) is never opened;
* two inputs that give the same key fail the second one (one key, one plan).

A single file given on the command line is keyed by its path below the innermost known
corpus root holding it (``roots``, from earlier builds), else by its name.
"""
from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

PLAN_SUFFIX = ".txt"
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shown(text: str) -> str:
    """``text`` safe for one output line: control, format and line/paragraph separator
    characters escaped (\\n, \\x1b, \\u2028), bytes that were not UTF-8 as \\xNN."""
    import unicodedata

    out = []
    for c in text:
        o = ord(c)
        if 0xDC80 <= o <= 0xDCFF:  # os.fsdecode's escape of an undecodable byte
            out.append(f"\\x{o - 0xDC00:02x}")
        elif c in _ESCAPES:
            out.append(_ESCAPES[c])
        elif unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs"):
            out.append(f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}")
        else:
            out.append(c)
    return "".join(out)


def valid_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class MissingInput(FileNotFoundError):
    """An input named on the command line does not exist."""


@dataclass(frozen=True)
class Refusal:
    key: str      # corpus-relative path (may hold undecodable bytes: show it with ``shown``)
    reason: str
    failed: bool  # True: a plan candidate that could not be used; False: not a candidate (skipped)


@dataclass
class Listing:
    files: list[tuple[Path, str, str]]  # (path, key, root)
    refusals: list[Refusal]


def is_candidate(name: str) -> bool:
    return name.lower().endswith(PLAN_SUFFIX)


def _link_target(path: str, root: Path) -> tuple[Path | None, str]:
    """(resolved target, "") of a symbolic link that stays inside ``root``, else (None, why)."""
    try:
        target = Path(path).resolve(strict=True)
    except FileNotFoundError:
        return None, f"dangling symbolic link (to {shown(os.readlink(path))})"
    except RuntimeError:
        return None, "symbolic link loop"
    except OSError as e:
        if e.errno == errno.ELOOP:
            return None, "symbolic link loop"
        return None, f"cannot follow symbolic link: {e.strerror}"
    if not target.is_relative_to(root):
        return None, f"symbolic link to outside the corpus ({shown(str(target))}): not followed"
    return target, ""


def _walk(folder: str, rel: str, root: Path, files: list, refusals: list) -> None:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as e:
        refusals.append(Refusal(rel + "/" if rel else "./", f"cannot read folder: {e.strerror or e}", True))
        return
    for e in entries:
        key = f"{rel}/{e.name}" if rel else e.name
        utf8 = valid_utf8(e.name)
        try:
            if e.is_symlink():
                target, why = _link_target(e.path, root)
                if target is None:
                    refusals.append(Refusal(key, why, True))
                    continue
                mode = target.stat().st_mode
                path = target  # read the file the link names (inside the corpus)
            else:
                mode = e.stat(follow_symlinks=False).st_mode
                path = Path(e.path)
        except OSError as err:
            refusals.append(Refusal(key, f"cannot read: {err.strerror or err}", True))
            continue
        if stat.S_ISDIR(mode):
            if e.is_symlink():
                refusals.append(Refusal(key + "/", "symbolic link to a folder: not walked", False))
            elif not utf8:
                refusals.append(Refusal(key + "/", "folder name is not valid UTF-8: not read", True))
            else:
                if is_candidate(e.name):
                    refusals.append(Refusal(key + "/", "a folder, not a plan file: its files are listed "
                                                       "like any folder's", False))
                _walk(e.path, key, root, files, refusals)
        elif e.name == "SOURCES.tsv":
            continue  # the plans' web addresses (graph/source_urls.py), read after the build
        elif not is_candidate(e.name):
            refusals.append(Refusal(key, f"not a plan file (plans end in {PLAN_SUFFIX}, in any letter case)", False))
        elif not stat.S_ISREG(mode):
            refusals.append(Refusal(key, "not a regular file (a FIFO, socket or device): not opened", True))
        elif not utf8:
            refusals.append(Refusal(key, "file name is not valid UTF-8", True))
        else:
            files.append((path, key, str(root)))


def list_corpus(inputs: list[Path], roots: Iterable[str] = ()) -> Listing:
    known = sorted((Path(r) for r in roots), key=lambda r: len(r.parts), reverse=True)
    files: list[tuple[Path, str, str]] = []
    refusals: list[Refusal] = []
    for inp in inputs:
        if not valid_utf8(str(inp.absolute())):  # keys, paths and IRIs are text
            refusals.append(Refusal(str(inp), "path is not valid UTF-8: not read", True))
            continue
        if inp.is_dir():
            root = inp.resolve()
            _walk(str(inp), "", root, files, refusals)
        elif inp.exists():
            full = inp.resolve()
            if not full.is_file():
                refusals.append(Refusal(str(inp), "not a regular file (a FIFO, socket or device): not opened", True))
                continue
            root = next((r for r in known if full.is_relative_to(r)), None)
            if root is None:
                files.append((inp, inp.name, str(full.parent)))
            else:
                files.append((inp, full.relative_to(root).as_posix(), str(root)))
        else:
            raise MissingInput(f"{shown(str(inp))}: no such file or directory")
    # one key, one document: the same file given twice counts once, another file under a key
    # already taken fails
    by_key: dict[str, Path] = {}
    unique = []
    for path, key, root in files:
        real = path.resolve()
        if key in by_key:
            if by_key[key] != real:
                refusals.append(Refusal(key, f"same corpus-relative path as {shown(str(by_key[key]))} from "
                                             f"another input: not built (build one of them, or rename)", True))
            continue
        by_key[key] = real
        unique.append((path, key, root))
    return Listing(unique, refusals)
