"""The build manifest beside the RDF store (SQLite): what each stored document was built from.

Per document: its corpus-relative path (the plan's key), the file it was read from and the
corpus folder it was found in, the sha256 of its bytes, its plan IRI and the counts the
VoID description needs. Per shared entity and document: the triples that document
contributes to the entity's description (graph.shared), so a description can be rebuilt
from the documents that remain when one changes or goes. ``fingerprint`` names the code and
data that built the store; when it changes every document is rebuilt.

Crash safety: a document is written here with ``pending`` set before its graph goes into
the store and cleared after; subjects whose description must be rebuilt are kept in
``dirty`` until it is. A build that stops halfway leaves both behind, and the next build
redoes them.

Graphs derived from the whole store (the counterparts graph) keep a hash per subject of what
they hold, in ``derived``, so the next build rewrites only the subjects whose statements
changed without reading the graph back; the hashes of a graph count only while its meta key
``derived-ok:<graph>`` is set, which is cleared before the store is touched and set again in
the transaction that records the new hashes.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS documents (
  source_file TEXT PRIMARY KEY, path TEXT, root TEXT, digest TEXT, plan TEXT,
  n_triples INTEGER, entities INTEGER, classes TEXT, title TEXT, pending INTEGER);
CREATE TABLE IF NOT EXISTS contributions (
  subject TEXT, source_file TEXT, triples TEXT, PRIMARY KEY (subject, source_file));
CREATE INDEX IF NOT EXISTS contributions_by_document ON contributions (source_file);
CREATE TABLE IF NOT EXISTS dirty (subject TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS derived (
  graph TEXT, subject TEXT, hash TEXT, PRIMARY KEY (graph, subject));
"""


@dataclass
class DocRow:
    source_file: str
    path: str
    root: str
    digest: str
    plan: str
    n_triples: int
    entities: int
    classes: dict
    title: str
    pending: bool


class Manifest:
    FILE = "pskg-manifest.sqlite"

    def __init__(self, store_dir: Path | None):
        target = ":memory:" if store_dir is None else str(Path(store_dir) / self.FILE)
        self.db = sqlite3.connect(target, isolation_level=None)  # explicit transactions
        self.db.execute("PRAGMA journal_mode=WAL" if store_dir is not None else "PRAGMA journal_mode=MEMORY")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.close()

    # ------------------------------------------------------------------ meta
    def get(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # ------------------------------------------------------------------ documents
    def documents(self) -> dict[str, DocRow]:
        rows = self.db.execute("SELECT source_file, path, root, digest, plan, n_triples, entities, classes, "
                               "title, pending FROM documents ORDER BY source_file")
        return {r[0]: DocRow(*r[:7], json.loads(r[7] or "{}"), r[8], bool(r[9])) for r in rows}

    def put_document(self, row: DocRow, contributions: dict[str, str]) -> set[str]:
        """Record a document (pending) and its contributions; returns the subjects whose
        descriptions change (the old contributions' and the new ones'), marked dirty."""
        with self.transaction():
            touched = self._forget(row.source_file)
            self.db.execute("INSERT OR REPLACE INTO documents VALUES (?,?,?,?,?,?,?,?,?,1)",
                            (row.source_file, row.path, row.root, row.digest, row.plan, row.n_triples,
                             row.entities, json.dumps(row.classes, sort_keys=True), row.title))
            self.db.executemany("INSERT INTO contributions VALUES (?, ?, ?)",
                                [(s, row.source_file, t) for s, t in contributions.items()])
            touched |= set(contributions)
            self.db.executemany("INSERT OR IGNORE INTO dirty VALUES (?)", [(s,) for s in touched])
        return touched

    def remove_document(self, source_file: str) -> set[str]:
        with self.transaction():
            touched = self._forget(source_file)
            self.db.execute("DELETE FROM documents WHERE source_file = ?", (source_file,))
            self.db.executemany("INSERT OR IGNORE INTO dirty VALUES (?)", [(s,) for s in touched])
        return touched

    def _forget(self, source_file: str) -> set[str]:
        touched = {r[0] for r in self.db.execute("SELECT subject FROM contributions WHERE source_file = ?",
                                                 (source_file,))}
        self.db.execute("DELETE FROM contributions WHERE source_file = ?", (source_file,))
        return touched

    def stored(self, source_files: Iterable[str]) -> None:
        """The documents' graphs are in the store: no longer pending."""
        with self.transaction():
            self.db.executemany("UPDATE documents SET pending = 0 WHERE source_file = ?",
                                [(f,) for f in source_files])

    def clear(self) -> None:
        with self.transaction():
            for table in ("documents", "contributions", "dirty", "derived"):
                self.db.execute(f"DELETE FROM {table}")
            self.db.execute("DELETE FROM meta WHERE key LIKE 'figures:%' OR key LIKE 'derived-%'")

    # ------------------------------------------------------------------ shared descriptions
    def dirty(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT subject FROM dirty ORDER BY subject")]

    def clean(self, subjects: Iterable[str]) -> None:
        with self.transaction():
            self.db.executemany("DELETE FROM dirty WHERE subject = ?", [(s,) for s in subjects])

    def description(self, subject: str) -> set[str]:
        """The union of every document's contribution to ``subject`` (N-Triples lines)."""
        lines: set[str] = set()
        for (t,) in self.db.execute("SELECT triples FROM contributions WHERE subject = ?", (subject,)):
            lines.update(t.splitlines(keepends=True))
        return lines

    def descriptions(self) -> Iterator[tuple[str, set[str]]]:
        """(subject, union of its contributions) for every shared entity, by subject."""
        cur, lines = None, set()
        for s, t in self.db.execute("SELECT subject, triples FROM contributions ORDER BY subject"):
            if s != cur:
                if cur is not None:
                    yield cur, lines
                cur, lines = s, set()
            lines.update(t.splitlines(keepends=True))
        if cur is not None:
            yield cur, lines

    # ------------------------------------------------------------------ derived graphs
    def derived_hashes(self, graph: str) -> dict[str, str] | None:
        """Subject -> hash of its statements in ``graph`` as last written, or None when they
        cannot be trusted (never recorded, or a write of the graph did not finish)."""
        if self.get("derived-ok:" + graph) != "1":
            return None
        return dict(self.db.execute("SELECT subject, hash FROM derived WHERE graph = ?", (graph,)))

    def derived_writing(self, graph: str) -> None:
        """``graph`` is about to change in the store: its hashes no longer count."""
        self.db.execute("DELETE FROM meta WHERE key IN (?, ?)", ("derived-ok:" + graph, "derived-input:" + graph))

    def derived_written(self, graph: str, changed: dict[str, str], removed: Iterable[str],
                        everything: bool = False, meta: dict[str, str] | None = None) -> None:
        """Record the hashes of the subjects that changed and forget those removed (with
        ``everything``, ``changed`` is the whole graph), and trust them again; ``meta``: keys
        to set in the same transaction (what the graph was computed from, its figures)."""
        with self.transaction():
            for k, v in (meta or {}).items():
                self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (k, v))
            if everything:
                self.db.execute("DELETE FROM derived WHERE graph = ?", (graph,))
            self.db.executemany("DELETE FROM derived WHERE graph = ? AND subject = ?",
                                [(graph, s) for s in removed])
            self.db.executemany("INSERT OR REPLACE INTO derived VALUES (?, ?, ?)",
                                [(graph, s, h) for s, h in changed.items()])
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, '1')", ("derived-ok:" + graph,))

    # ------------------------------------------------------------------ helpers
    def transaction(self):
        return _Transaction(self.db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN")
        return self.db

    def __exit__(self, exc_type, exc, tb):
        self.db.execute("COMMIT" if exc_type is None else "ROLLBACK")
        return False
