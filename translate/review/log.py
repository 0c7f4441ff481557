"""The review log: an append-only, hash-chained journal of what reviewers did to each segment.

``reviews/<doc-id>.jsonl`` holds one JSON event per line::

    {"seq": 1, "at": "2024-05-01T09:30:00Z", "reviewer": "amal", "segment": "s3",
     "source_sha": "<sha256 of the Arabic>", "action": "approve", "text": null, "base_rev": 0,
     "note": null, "text_sha": "<sha256 of the English approved>", "override": null,
     "prev": "<sha256 of the previous line>"}

A segment's state is the fold of its events over the MT draft (:func:`fold`, in
:mod:`translate.review.events`, re-exported here with the event classes); an approval holds
only while the Arabic and the English it hashed are still the segment's.

No lost update: every write is checked, under an exclusive lock, against the
revision the writer saw (``base_rev``); a stale write raises
:class:`~translate.errors.ReviewConflictError` carrying the current state.
:meth:`ReviewLog.record_many` checks a whole batch and appends it in one write, or
writes nothing. An approval of a segment with QA errors is refused
(:class:`~translate.errors.ApprovalRefusedError`) unless it carries an override reason.

Tamper-evident: each line carries the hash of the line before it, and every read checks
the chain, the approvals' hashes and the revision references (:mod:`translate.review.chain`);
a damaged log is refused with ``file:line: problem`` (``translate review verify DOC``).

Nothing is ever rewritten in place. An append is one ``write`` of whole lines,
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
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from translate.doc.model import Document
from translate.errors import ReviewConflictError, ReviewLogError
from translate.paths import check_doc_id, reviews_dir
from translate.review.chain import Scan, line_sha, scan
from translate.review.events import (
    ACTIONS,
    REV_CHECKED,
    STATUSES,
    Event,
    SegmentState,
    Write,
    _apply,
    approval_problem,
    fold,
    is_approved,
    sha256_hex,
    source_sha,
    summary,
)
from translate.review.rules import check_reopen, check_reviewer, check_write, qa_errors, qa_refusal, reviewer_problem
from translate.textio import atomic_write_bytes

__all__ = [
    "ACTIONS", "REV_CHECKED", "STATUSES", "Event", "ReviewLog", "SegmentState", "Write",
    "approval_problem", "fold", "is_approved", "reviewer_problem", "states", "summary",
]


def now_utc() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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

    def _error(self, scan: Scan) -> ReviewLogError:
        hint = f": run 'translate review repair {self.path.stem}' to move it aside" if scan.torn else ""
        err = ReviewLogError(f"{self.path}:{scan.problem_line}: {scan.problem}{hint}")
        err.path, err.line = str(self.path), scan.problem_line  # type: ignore[attr-defined]
        return err

    def events(self) -> list[Event]:
        """Every event, oldest first; ``ReviewLogError`` (``file:line: ...``) unless the whole log is
        intact (complete lines, hash chain, approval hashes, revision references)."""
        if not self.path.exists():
            return []
        with self._locked(fcntl.LOCK_SH):
            result = scan(self._read())
        if result.problem:
            raise self._error(result)
        return result.events

    def verify(self) -> int:
        """How many events the log holds, or ``ReviewLogError`` for its first problem."""
        return len(self.events())

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
        override: str | None = None,
    ) -> tuple[Event, SegmentState]:
        """Check and append one event atomically; return it as written and the segment's new state
        (so a caller need not read the log again). See :meth:`record_many`."""
        return self.record_many(doc, reviewer, [Write(segment, action, text, base_rev, note, override)])[0]

    def record_many(self, doc: Document, reviewer: str, writes: Sequence[Write]) -> list[tuple[Event, SegmentState]]:
        """Check every write, then append them all in one write under one lock; or write nothing.

        For edit/approve/reject/reopen a ``base_rev`` other than the current one (counting the
        batch's own earlier writes) raises :class:`ReviewConflictError` whose ``current`` is the
        :class:`SegmentState`. An approval of English with QA errors (severity ``error``) and no
        override reason raises :class:`ApprovalRefusedError` listing every such segment of the batch.
        Returns each event as written with the segment's state after it.
        """
        reviewer = check_reviewer(reviewer)  # every rule: translate.review.rules
        for w in writes:
            check_write(doc, w)
        with self._locked(fcntl.LOCK_EX):
            result = scan(self._read())
            if result.problem:
                raise self._error(result)
            current = fold(doc, result.events)
            prev, seq = result.last_sha, len(result.events)
            written: list[tuple[Event, SegmentState]] = []
            lines: list[bytes] = []
            failures: list[tuple[str, list]] = []
            for w in writes:
                state = current[w.segment]
                if w.action in REV_CHECKED and w.base_rev is not None and w.base_rev != state.rev:
                    raise ReviewConflictError(_conflict_message(state, w.base_rev), state)
                if w.action == "reopen":
                    check_reopen(state)
                override = None
                if w.action == "approve":
                    errors = qa_errors(doc, state)
                    if errors and w.override is None:
                        failures.append((w.segment, errors))
                        continue
                    override = w.override.strip() if errors and w.override else None
                seq += 1
                event = Event(
                    seq=seq, at=now_utc(), reviewer=reviewer, segment=w.segment, action=w.action,
                    text=w.text if w.action == "edit" else None,
                    base_rev=state.rev if w.base_rev is None else w.base_rev, note=w.note or None,
                    source_sha=source_sha(doc.segment(w.segment)),
                    text_sha=sha256_hex(state.text) if w.action == "approve" else None,
                    override=override, prev=prev,
                )
                line = (json.dumps(event.to_dict(), ensure_ascii=False) + "\n").encode("utf-8")
                prev = line_sha(line)
                lines.append(line)
                current[w.segment] = _apply(state, event)
                written.append((event, current[w.segment]))
            if failures:
                raise qa_refusal(failures)
            if lines:
                self._write(b"".join(lines))
        return written

    def _write(self, data: bytes) -> None:
        """Append ``data`` with one ``write`` loop and ``fsync`` (called under the exclusive lock)."""
        created = not self.path.exists()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:
            _fsync_dir(self.path.parent)

    def repair(self) -> tuple[Path, int] | None:
        """Move a torn or unparsable *last* line into ``<log>.torn-<timestamp>``; never delete it.

        Returns (where the bytes went, the 1-based line number), or ``None`` when the
        log is sound. Any other problem (a bad line that is not the last, a broken hash chain,
        an approval that does not match) is refused: fix the file by hand.
        """
        if not self.path.exists():
            return None
        with self._locked(fcntl.LOCK_EX):
            data = self._read()
            result = scan(data)
            if not result.problem:
                return None
            if not result.torn:
                follows = data.find(b"\n", result.good_bytes) + 1 < len(data)
                why = "lines follow it, so it is not a torn tail" if follows else "it is not a torn write"
                raise ReviewLogError(
                    f"{self.path}:{result.problem_line}: {result.problem}; {why}: fix the file by hand"
                )
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            aside = self.path.with_name(f"{self.path.name}.torn-{stamp}")
            atomic_write_bytes(aside, data[result.good_bytes:])
            atomic_write_bytes(self.path, data[: result.good_bytes])
        return aside, result.problem_line or 0


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
