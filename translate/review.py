"""The review log: an append-only journal of what reviewers did to each segment.

``reviews/<doc-id>.jsonl`` holds one JSON event per line::

    {"seq": 1, "at": "2024-05-01T09:30:00Z", "reviewer": "amal", "segment": "s3",
     "action": "edit", "text": "...", "base_rev": 0, "note": null}

A segment's state is the fold of its events over the MT draft (:func:`fold`, in
:mod:`translate.review_events`, re-exported here with the event classes).

No lost update: every write is checked, under an exclusive lock, against the
revision the writer saw (``base_rev``); a stale write raises
:class:`~translate.errors.ReviewConflictError` carrying the current state.

Nothing is ever rewritten in place. An append is one ``write`` of a whole line,
then ``fsync``; a writer killed half-way leaves a last line without its newline,
which :meth:`ReviewLog.events` reports (``file:line``) and :meth:`ReviewLog.append`
refuses to build on, until the user runs ``translate review repair DOC`` which
moves the torn bytes aside into ``<log>.torn-<timestamp>``.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .document import Document
from .errors import DocumentNotFoundError, ReviewConflictError, ReviewInputError, ReviewLogError
from .paths import check_doc_id, reviews_dir
from .review_events import (
    ACTIONS,
    REV_CHECKED,
    STATUSES,
    Event,
    SegmentState,
    _apply,
    fold,
    reviewer_problem,
    summary,
)
from .textio import atomic_write_bytes

__all__ = [
    "ACTIONS", "REV_CHECKED", "STATUSES", "Event", "ReviewLog", "SegmentState",
    "fold", "reviewer_problem", "states", "summary",
]


def now_utc() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class _Scan:
    events: list[Event]
    good_bytes: int
    """Length of the valid prefix (every complete, valid line)."""
    problem: str | None = None
    problem_line: int | None = None
    tail_only: bool = False
    """The problem is the last line (torn or invalid) and nothing follows it."""


def _scan(data: bytes) -> _Scan:
    events: list[Event] = []
    pos = 0
    lineno = 0
    while pos < len(data):
        lineno += 1
        end = data.find(b"\n", pos)
        if end == -1:
            return _Scan(events, pos, "torn last line (no newline: a write was interrupted)", lineno, True)
        raw = data[pos:end]
        try:
            ev = Event.from_dict(json.loads(raw.decode("utf-8")))
        except (UnicodeDecodeError, ValueError, TypeError) as exc:
            last = end + 1 == len(data)
            return _Scan(events, pos, f"invalid event ({exc})", lineno, last)
        if ev.seq != len(events) + 1:
            return _Scan(events, pos, f"event seq {ev.seq} out of order (expected {len(events) + 1})", lineno,
                         end + 1 == len(data))
        events.append(ev)
        pos = end + 1
    return _Scan(events, pos)


class ReviewLog:
    """One document's review log; every method opens the file anew (no cached state)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")

    @classmethod
    def for_document(cls, doc_id: str) -> ReviewLog:
        return cls(reviews_dir() / f"{check_doc_id(doc_id)}.jsonl")

    @contextlib.contextmanager
    def _locked(self, kind: int) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, kind)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _read(self) -> bytes:
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            return b""

    def _error(self, scan: _Scan) -> ReviewLogError:
        hint = f": run 'translate review repair {self.path.stem}' to move it aside" if scan.tail_only else ""
        err = ReviewLogError(f"{self.path}:{scan.problem_line}: {scan.problem}{hint}")
        err.path, err.line = str(self.path), scan.problem_line  # type: ignore[attr-defined]
        return err

    def events(self) -> list[Event]:
        """Every event, oldest first; ``ReviewLogError`` (``file:line: ...``) on a torn or invalid line."""
        if not self.path.exists():
            return []
        with self._locked(fcntl.LOCK_SH):
            scan = _scan(self._read())
        if scan.problem:
            raise self._error(scan)
        return scan.events

    def append(self, doc: Document, **event: object) -> Event:
        """:meth:`record` one event; return it as written."""
        return self.record(doc, **event)[0]

    def record(
        self,
        doc: Document,
        *,
        reviewer: str,
        segment: str,
        action: str,
        text: str | None = None,
        base_rev: int | None = None,
        note: str | None = None,
    ) -> tuple[Event, SegmentState]:
        """Check and append one event atomically; return it as written and the segment's new state
        (so a caller need not read the log again).

        ``base_rev`` is the revision the writer saw; ``None`` means "whatever is
        current" (the event records the revision it was applied to). For
        edit/approve/reject/reopen a ``base_rev`` other than the current one raises
        :class:`ReviewConflictError` whose ``current`` is the :class:`SegmentState`.
        """
        if action not in ACTIONS:
            raise ReviewInputError(f"unknown action {action!r}; expected one of {', '.join(ACTIONS)}")
        problem = reviewer_problem(reviewer)
        if problem:
            raise ReviewInputError(problem)
        if action == "edit" and text is None:
            raise ReviewInputError("an edit needs a text")
        if action == "comment" and not (note and note.strip()):
            raise ReviewInputError("a comment needs a note")
        if not any(seg.id == segment for seg in doc.segments):
            raise DocumentNotFoundError(f"document {doc.doc_id!r} has no segment {segment!r}")
        with self._locked(fcntl.LOCK_EX):
            scan = _scan(self._read())
            if scan.problem:
                raise self._error(scan)
            current = fold(doc, scan.events)[segment]
            if action in REV_CHECKED and base_rev is not None and base_rev != current.rev:
                raise ReviewConflictError(_conflict_message(current, base_rev), current)
            if action == "reopen" and current.status not in ("approved", "rejected"):
                raise ReviewConflictError(
                    f"segment {segment} is {current.status}, not approved or rejected: nothing to reopen", current
                )
            event = Event(
                seq=len(scan.events) + 1, at=now_utc(), reviewer=reviewer.strip(), segment=segment,
                action=action, text=text if action == "edit" else None,
                base_rev=current.rev if base_rev is None else base_rev, note=note or None,
            )
            line = (json.dumps(event.to_dict(), ensure_ascii=False) + "\n").encode("utf-8")
            created = not self.path.exists()
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                view = memoryview(line)
                while view:
                    view = view[os.write(fd, view):]
                os.fsync(fd)
            finally:
                os.close(fd)
            if created:
                _fsync_dir(self.path.parent)
        return event, _apply(current, event)

    def repair(self) -> tuple[Path, int] | None:
        """Move a torn or invalid *last* line into ``<log>.torn-<timestamp>``; never delete it.

        Returns (where the bytes went, the 1-based line number), or ``None`` when the
        log is sound. A bad line that is not the last is refused: fix it by hand.
        """
        if not self.path.exists():
            return None
        with self._locked(fcntl.LOCK_EX):
            data = self._read()
            scan = _scan(data)
            if not scan.problem:
                return None
            if not scan.tail_only:
                raise ReviewLogError(
                    f"{self.path}:{scan.problem_line}: {scan.problem}; lines follow it, so it is not a torn "
                    "tail: fix the file by hand"
                )
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            aside = self.path.with_name(f"{self.path.name}.torn-{stamp}")
            atomic_write_bytes(aside, data[scan.good_bytes:])
            atomic_write_bytes(self.path, data[: scan.good_bytes])
        return aside, scan.problem_line or 0


def _conflict_message(current: SegmentState, base_rev: int) -> str:
    desc = current.status
    if current.status == "approved":
        desc += f" by {current.approved_by}"
    elif current.status == "edited":
        desc += f" by {current.edited_by}"
    if current.edited_by and current.status != "edited":
        desc += f"; last edit by {current.edited_by}"
    return (
        f"conflict: segment {current.segment} is at rev {current.rev} ({desc}), "
        f"not rev {base_rev}; current text: {current.text!r}"
    )


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def states(doc: Document) -> dict[str, SegmentState]:
    return fold(doc, ReviewLog.for_document(doc.doc_id).events())
