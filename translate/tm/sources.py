"""Where the TM's units come from, and keeping the index in step with them.

| source | name in ``sources`` | units | stamp (re-read when it changes) |
|---|---|---|---|
| a document of the corpus | ``review:<doc-id>`` | its segments that :func:`~translate.review.events.is_approved`, with the approved English | ``bilingual.json`` and ``reviews/<doc-id>.jsonl``: mtime (ns), size, inode |
| an imported TMX copy | ``tmx:<file>`` | its Arabic-English units | the copy's mtime, size, inode |

:func:`sync` compares the stamps with the ones recorded and re-reads only what changed (an
approval, an edit that made a segment stale, a re-run of ``translate run``), drops what is gone,
and leaves the rest alone; with nothing changed it costs two ``stat`` calls per document. A
document that cannot be read (a torn review log, a half-written folder) is left out with a
problem and retried at the next sync.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from translate.errors import TranslateError
from translate.paths import document_dir, reviews_dir, tm_path
from translate.tm.store import Store
from translate.tm.values import Unit

REVIEW = "review:"
TMX = "tmx:"
OPTIMIZE_AFTER = 5000
"""A sync that indexes at least this many units merges the word index afterwards (``Store.optimize``)."""
IMPORTED = "imported"


@dataclass(frozen=True)
class SyncReport:
    """What one sync did: sources re-read, sources dropped, and the ones that could not be read."""

    refreshed: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()


def imported_dir() -> Path:
    """Where ``translate tm import`` keeps its copies: ``$TRANSLATE_TM/imported``."""
    return tm_path() / IMPORTED


def _stat(path: Path) -> str:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "-"
    return f"{st.st_mtime_ns}:{st.st_size}:{st.st_ino}"


def _review_stamp(doc_id: str) -> str:
    from translate.doc.store import BILINGUAL_JSON

    return _stat(document_dir(doc_id) / BILINGUAL_JSON) + "|" + _stat(reviews_dir() / f"{doc_id}.jsonl")


def review_units(doc_id: str) -> list[Unit]:
    """The approved segments of one document (by the one approval rule), in document order."""
    from translate.review.log import states
    from translate.review.events import is_approved
    from translate.doc.store import load_document

    doc = load_document(doc_id)
    seg_states = states(doc)
    return [Unit(seg.source, st.text, "review", doc_id, seg.id, st.approved_by, st.approved_at)
            for seg in doc.segments for st in (seg_states[seg.id],) if is_approved(st)]


def tmx_copy_units(path: Path) -> list[Unit]:
    from translate.tm.tmx_io import read_tmx

    return list(read_tmx(path).units)


def wanted_sources() -> dict[str, str]:
    """Every source there is now, with its stamp."""
    from translate.doc.store import list_documents

    wanted = {REVIEW + doc_id: _review_stamp(doc_id) for doc_id in list_documents()}
    folder = imported_dir()
    if folder.is_dir():
        wanted |= {TMX + p.name: _stat(p) for p in sorted(folder.glob("*.tmx")) if p.is_file()}
    return wanted


def _units(name: str) -> list[Unit]:
    if name.startswith(REVIEW):
        return review_units(name[len(REVIEW):])
    return tmx_copy_units(imported_dir() / name[len(TMX):])


def sync(store: Store, *, everything: bool = False) -> SyncReport:
    """Bring the index in step with its sources (module docstring); one write transaction, or none
    when nothing changed. ``everything``: forget what is indexed and read every source again (in
    the same transaction, so a concurrent lookup sees the old index or the new one)."""
    wanted = wanted_sources()
    if not everything and store.stamps() == wanted:
        return SyncReport()
    refreshed, dropped, problems, added = [], [], [], 0
    store.begin()
    try:
        current = store.stamps()  # again, under the write lock: another process may have done it
        if everything:
            store.clear()
            current = {}
        for name in sorted(set(current) - set(wanted)):
            store.drop_source(name)
            dropped.append(name)
        for name, stamp in wanted.items():
            if current.get(name) == stamp:
                continue
            try:
                units = _units(name)
            except TranslateError as exc:
                store.drop_source(name)
                problems.append(f"{name.split(':', 1)[1]}: left out of the translation memory: {exc}")
                continue
            added += store.replace_source(name, stamp, units)
            refreshed.append(name)
        if added >= OPTIMIZE_AFTER:
            store.optimize()
        store.commit()
    except BaseException:
        store.rollback()
        raise
    return SyncReport(tuple(refreshed), tuple(dropped), tuple(problems))
