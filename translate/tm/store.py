"""The translation-memory database: SQLite with an FTS5 word index (``$TRANSLATE_TM/memory.sqlite``).

| table | what |
|---|---|
| ``units`` | one row per TM entry: Arabic ``source`` as written, English ``target``, ``kind`` (review/tmx), ``doc_id``, ``segment``, ``approved_by``, ``at``; ``exact_key`` (the match key, whitespace collapsed), ``words`` (the key's words, space-separated) and ``ntok`` (how many); ``src`` names the source it came from |
| ``units_fts`` | FTS5 index of ``words`` (external content, kept by triggers; the ``ascii`` tokenizer, so its tokens are exactly our words; ``detail=none``: rowids only, all a lookup reads) |
| ``vocab`` | in how many units each word occurs (kept with ``units``; picks the rarest words of a query) |
| ``sources`` | each indexed source (``review:<doc-id>``, ``tmx:<file>``) with the stamp it had when indexed |
| ``meta`` | ``schema`` version (a database of another version is deleted and made anew: it is only an index) |

Writes run in ``BEGIN IMMEDIATE`` transactions, so two processes refreshing the index at once
take turns; the database is in WAL mode, so lookups never wait for a writer.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from translate.errors import TranslationMemoryError
from translate.tm.match import keys_of
from translate.tm.values import Unit

DB_NAME = "memory.sqlite"
SCHEMA_VERSION = "3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (name TEXT PRIMARY KEY, stamp TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS units (
    id INTEGER PRIMARY KEY, src TEXT NOT NULL, kind TEXT NOT NULL, doc_id TEXT NOT NULL,
    segment TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL, approved_by TEXT, at TEXT,
    exact_key TEXT NOT NULL, words TEXT NOT NULL, ntok INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS units_exact ON units(exact_key);
CREATE INDEX IF NOT EXISTS units_src ON units(src);
CREATE VIRTUAL TABLE IF NOT EXISTS units_fts USING fts5(words, content='units', content_rowid='id', tokenize='ascii', detail='none');
CREATE TABLE IF NOT EXISTS vocab (word TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS units_ai AFTER INSERT ON units BEGIN
    INSERT INTO units_fts(rowid, words) VALUES (new.id, new.words); END;
CREATE TRIGGER IF NOT EXISTS units_ad AFTER DELETE ON units BEGIN
    INSERT INTO units_fts(units_fts, rowid, words) VALUES ('delete', old.id, old.words); END;
"""
_COLUMNS = "id, source, target, kind, doc_id, segment, approved_by, at, words"


@dataclass(frozen=True)
class Row:
    """A unit as read back for matching."""

    id: int
    unit: Unit
    words: tuple[str, ...]


def _row(r: tuple) -> Row:
    return Row(r[0], Unit(r[1], r[2], r[3], r[4], r[5], r[6], r[7]), tuple(r[8].split()))


class Store:
    """One open database; use as a context manager (closes it)."""

    def __init__(self, folder: Path):
        self.path = Path(folder) / DB_NAME
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise TranslationMemoryError(f"{self.path.parent}: cannot create the translation-memory folder "
                                         f"({exc.strerror}); set TRANSLATE_TM, or run with --no-tm") from None
        try:
            self._connect()
            if self.version() not in (None, SCHEMA_VERSION):  # an index made by another version: made anew
                self.db.close()
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                self._connect()
            if self.version() is None:
                self._create()
        except sqlite3.OperationalError as exc:
            raise TranslationMemoryError(f"{self.path}: cannot open the translation memory ({exc}); set "
                                         "TRANSLATE_TM, or run with --no-tm") from None
        except sqlite3.DatabaseError as exc:
            raise TranslationMemoryError(
                f"{self.path}: not a usable translation memory ({exc}); run 'translate tm rebuild' "
                "to recreate it from the review logs and the imported TMX files") from None

    def _connect(self) -> None:
        self.db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def version(self) -> str | None:
        has_meta = self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone()
        if not has_meta:
            return None
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        return row[0] if row else None

    def _create(self) -> None:
        """Create the schema in one transaction (idempotent: a second process creating it waits, then skips)."""
        self.db.executescript(
            "BEGIN IMMEDIATE;" + _SCHEMA + f"INSERT OR IGNORE INTO meta VALUES ('schema', '{SCHEMA_VERSION}'); COMMIT;")

    # ------------------------------------------------------------------ writing

    def begin(self) -> None:
        """Start a write transaction (waits for another writer)."""
        self.db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.db.execute("COMMIT")

    def rollback(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    def stamps(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT name, stamp FROM sources"))

    def replace_source(self, name: str, stamp: str, units: Iterable[Unit]) -> int:
        """Inside a transaction: the units of source ``name`` become ``units``; return how many."""
        self._drop_units(name)
        rows, df = [], Counter()
        for u in units:
            exact, words = keys_of(u.source)
            if words:
                rows.append((name, u.kind, u.doc_id, u.segment, u.source, u.target, u.approved_by, u.at,
                             exact, " ".join(words), len(words)))
                df.update(set(words))
        self.db.executemany(
            "INSERT INTO units (src, kind, doc_id, segment, source, target, approved_by, at, exact_key, words, ntok)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        self.db.executemany("INSERT INTO vocab VALUES (?, ?) ON CONFLICT(word) DO UPDATE SET df = df + excluded.df",
                            df.items())
        self.db.execute("INSERT OR REPLACE INTO sources VALUES (?, ?)", (name, stamp))
        return len(rows)

    def _drop_units(self, name: str) -> None:
        df = Counter()
        for (words,) in self.db.execute("SELECT words FROM units WHERE src = ?", (name,)):
            df.update(set(words.split()))
        if not df:
            return
        self.db.executemany("UPDATE vocab SET df = df - ? WHERE word = ?", ((n, w) for w, n in df.items()))
        self.db.execute("DELETE FROM vocab WHERE df <= 0")
        self.db.execute("DELETE FROM units WHERE src = ?", (name,))

    def clear(self) -> None:
        """Inside a transaction: forget every unit and source."""
        self.db.execute("DELETE FROM units")
        self.db.execute("DELETE FROM vocab")
        self.db.execute("DELETE FROM sources")

    def drop_source(self, name: str) -> None:
        self._drop_units(name)
        self.db.execute("DELETE FROM sources WHERE name = ?", (name,))

    # ------------------------------------------------------------------ reading

    def exact(self, exact_key: str) -> list[Row]:
        rows = self.db.execute(f"SELECT {_COLUMNS} FROM units WHERE exact_key = ?", (exact_key,))
        return [_row(r) for r in rows]

    def doc_freq(self, words: Iterable[str]) -> dict[str, int]:
        """In how many units each word occurs (0 for an unknown word)."""
        distinct = sorted(set(words))
        out = dict.fromkeys(distinct, 0)
        marks = ",".join("?" * len(distinct))
        out.update(self.db.execute(f"SELECT word, df FROM vocab WHERE word IN ({marks})", distinct))
        return out

    def candidates(self, probe: Iterable[str], min_hits: int, min_tokens: int, max_tokens: int,
                   limit: int) -> list[tuple[int, tuple[str, ...]]]:
        """``(id, words)`` of the units holding at least ``min_hits`` of the ``probe`` words and
        ``min_tokens..max_tokens`` words: those holding the most of them first (then the oldest), at
        most ``limit``. The postings are counted inside SQLite, in one statement."""
        words = sorted(set(probe))
        if not words:
            return []
        postings = " UNION ALL ".join(["SELECT rowid AS id FROM units_fts WHERE units_fts MATCH ?"] * len(words))
        rows = self.db.execute(
            f"SELECT u.id, u.words FROM (SELECT id, count(*) AS hits FROM ({postings}) GROUP BY id HAVING hits >= ?) h"
            " JOIN units u ON u.id = h.id WHERE u.ntok BETWEEN ? AND ? ORDER BY h.hits DESC, h.id LIMIT ?",
            (*(f'"{w}"' for w in words), min_hits, min_tokens, max_tokens, limit))
        return [(r, tuple(text.split())) for r, text in rows]

    def optimize(self) -> None:
        """Merge the word index into one b-tree (after a large import or a rebuild: faster lookups)."""
        self.db.execute("INSERT INTO units_fts(units_fts) VALUES ('optimize')")

    def rows(self, ids: Iterable[int]) -> list[Row]:
        """Whole units by id."""
        ids = list(ids)
        if not ids:
            return []
        return [_row(r) for r in self.db.execute(
            f"SELECT {_COLUMNS} FROM units WHERE id IN ({','.join('?' * len(ids))})", ids)]

    def units(self) -> Iterator[Unit]:
        """Every unit: review units by document and segment order of indexing, then TMX units."""
        for r in self.db.execute(f"SELECT {_COLUMNS} FROM units ORDER BY kind, src, id"):
            yield _row(r).unit

    def counts(self) -> dict[str, int]:
        one = self.db.execute
        return {
            "units": one("SELECT count(*) FROM units").fetchone()[0],
            "review_units": one("SELECT count(*) FROM units WHERE kind = 'review'").fetchone()[0],
            "tmx_units": one("SELECT count(*) FROM units WHERE kind = 'tmx'").fetchone()[0],
            "documents": one("SELECT count(DISTINCT src) FROM units WHERE kind = 'review'").fetchone()[0],
            "tmx_files": one("SELECT count(*) FROM sources WHERE name LIKE 'tmx:%'").fetchone()[0],
            "distinct_sources": one("SELECT count(DISTINCT exact_key) FROM units").fetchone()[0],
        }
