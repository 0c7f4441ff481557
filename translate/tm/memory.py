"""What ``translate tm ...`` and ``translate run`` call: the TM opened and in step with its sources.

Every function opens ``$TRANSLATE_TM/memory.sqlite`` (creating it when missing), refreshes it from
the review logs and imported TMX copies that changed (:func:`translate.tm.sources.sync`) and
returns, with its result, the :class:`~translate.tm.sources.SyncReport` (sources that could not be
read are left out and named there, so a damaged review log elsewhere never stops a lookup).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translate.errors import TranslationMemoryError
from translate.paths import tm_path
from translate.tm.match import DEFAULT_LIMIT, lookup
from translate.tm.sources import SyncReport, imported_dir, sync
from translate.tm.store import DB_NAME, Store
from translate.doc.tm_match import TMMatch


@dataclass(frozen=True)
class TMStats:
    """How much the TM holds (``translate tm stats``)."""

    path: str
    units: int
    review_units: int
    documents: int
    tmx_units: int
    tmx_files: int
    distinct_sources: int

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class ImportResult:
    """``translate tm import``: the kept copy, how many units it gave, how many it skipped."""

    copy: Path
    units: int
    skipped: int
    version: str
    already: bool


@contextlib.contextmanager
def opened(*, refresh: bool = True) -> Iterator[tuple[Store, SyncReport]]:
    """The TM store, refreshed from its sources (unless ``refresh`` is false), closed afterwards."""
    with Store(tm_path()) as store:
        try:
            report = sync(store) if refresh else SyncReport()
        except sqlite3.OperationalError as exc:  # e.g. locked by another writer for over a minute
            raise TranslationMemoryError(f"{store.path}: cannot refresh the translation memory ({exc})") from None
        yield store, report


def _stats(store: Store) -> TMStats:
    return TMStats(path=str(store.path), **store.counts())


def stats() -> tuple[TMStats, SyncReport]:
    with opened() as (store, report):
        return _stats(store), report


def search(text: str, *, threshold: int = 50, limit: int = DEFAULT_LIMIT) -> tuple[list[TMMatch], SyncReport]:
    """The best matches of Arabic ``text`` scoring at least ``threshold``."""
    with opened() as (store, report):
        return lookup(store, text, threshold=threshold, limit=limit), report


def rebuild() -> tuple[TMStats, SyncReport]:
    """Recreate the index from the review logs and the imported TMX copies. A database that cannot be
    opened (damaged, another version) is deleted first: it is only an index."""
    folder = tm_path()
    try:
        store = Store(folder)
    except TranslationMemoryError:
        for suffix in ("", "-wal", "-shm", "-journal"):
            (folder / (DB_NAME + suffix)).unlink(missing_ok=True)
        store = Store(folder)
    with store:
        report = sync(store, everything=True)
        return _stats(store), report


def import_tmx(path: str | Path) -> tuple[ImportResult, SyncReport]:
    """Check a TMX file whole (nothing is kept if it has a problem), keep a copy under
    ``$TRANSLATE_TM/imported/<name>-<sha256[:12]>.tmx`` (so ``rebuild`` reads it again) and index it.
    The same bytes imported twice are kept and counted once."""
    from translate.textio import atomic_write_bytes
    from translate.tm.tmx_io import read_tmx

    source = Path(path)
    contents = read_tmx(source)
    data = source.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:12]
    with Store(tm_path()) as store:  # a database that cannot be used is refused before anything is kept
        folder = imported_dir()
        earlier = sorted(folder.glob(f"*-{digest}.tmx")) if folder.is_dir() else []
        stem = re.sub(r"[^A-Za-z0-9._-]+", "-", source.stem).strip(".-_")[:60] or "memory"
        copy = earlier[0] if earlier else folder / f"{stem}-{digest}.tmx"
        if not earlier:
            atomic_write_bytes(copy, data)
        report = sync(store)
    return ImportResult(copy, len(contents.units), contents.skipped, contents.version, bool(earlier)), report


def export_tmx(path: str | Path) -> tuple[int, SyncReport]:
    """Write every unit of the TM as TMX 1.4b; return how many."""
    from translate.interchange.tmx import write_tmx
    from translate.tm.tmx_io import tmx_units

    with opened() as (store, report):
        return write_tmx(tmx_units(store.units()), path), report
