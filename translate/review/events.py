"""Review events and what they fold into: the values of the review log, with no file access.

``fold`` replays a segment's events over its MT draft: ``rev`` 0 is the machine
translation and each accepted edit adds one; ``approve`` and ``reject`` name the
revision they judged; an edit after an approval makes the segment ``edited``
again; ``reopen`` takes an approved or rejected segment back to ``edited`` (or
``draft`` if never edited). A note on any event (a comment, a reason for
rejecting) is kept in ``SegmentState.comments``.

Content binding: every event carries ``source_sha`` (SHA-256 of the segment's Arabic
``source``) and applies to a segment only while its id *and* that hash match; an
``approve`` also carries ``text_sha`` (SHA-256 of the English it approved). A segment
whose last approval no longer holds is ``stale`` with a ``reason``: ``source changed``
(the last verdict on that id was an approval of another Arabic source) or
``translation changed`` (the English is no longer the approved one, e.g. fresh MT
after a re-run). :func:`is_approved` is the one rule for "counts as approved".

What a writer may ask for is a :class:`Write`; the rules a write must pass live in
:mod:`translate.review.rules` (run by :meth:`translate.review.log.ReviewLog.record_many`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from translate.doc.model import Document, Segment

ACTIONS = ("edit", "approve", "reject", "comment", "reopen")
STATUSES = ("draft", "edited", "approved", "rejected", "stale")
REV_CHECKED = ("edit", "approve", "reject", "reopen")
"""Actions refused when ``base_rev`` is not the segment's current revision."""
ZERO_SHA = "0" * 64
"""The ``prev`` of the first event of a log."""

_FIELDS = ("seq", "at", "reviewer", "segment", "source_sha", "action", "text", "base_rev", "note",
           "text_sha", "override", "prev")
_REQUIRED = ("seq", "at", "reviewer", "segment", "action")


def sha256_hex(text: str) -> str:
    """SHA-256 of ``text`` encoded as UTF-8, as 64 lowercase hex digits."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def is_sha(value: object) -> bool:
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def source_sha(seg: Segment) -> str:
    return sha256_hex(seg.source)


@dataclass(frozen=True)
class Event:
    seq: int
    at: str
    reviewer: str
    segment: str
    action: str
    text: str | None = None
    base_rev: int | None = None
    note: str | None = None
    source_sha: str | None = None
    """SHA-256 of the segment's Arabic source when the event was written."""
    text_sha: str | None = None
    """An approval's SHA-256 of the English it approved."""
    override: str | None = None
    """An approval's reason for approving despite QA errors."""
    prev: str | None = None
    """SHA-256 of the previous line's bytes (newline included); 64 zeros for the first."""

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _FIELDS}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        """Strict: a wrong type or an unknown action raises ``ValueError``."""
        if not isinstance(d, dict):
            raise ValueError("not a JSON object")
        missing = [k for k in _REQUIRED if k not in d]
        if missing:
            raise ValueError(f"missing {', '.join(missing)}")
        if d["action"] not in ACTIONS:
            raise ValueError(f"unknown action {d['action']!r}")
        for key in ("at", "reviewer", "segment"):
            if not isinstance(d[key], str) or not d[key]:
                raise ValueError(f"{key} must be a non-empty string")
        for key in ("text", "note", "source_sha", "text_sha", "override", "prev"):
            if d.get(key) is not None and not isinstance(d[key], str):
                raise ValueError(f"{key} must be a string or null")
        for key in ("seq", "base_rev"):
            value = d.get(key)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise ValueError(f"{key} must be an integer")
        if d["action"] == "edit" and d.get("text") is None:
            raise ValueError("an edit needs a text")
        return cls(**{name: d.get(name) for name in _FIELDS})


@dataclass(frozen=True)
class SegmentState:
    segment: str
    mt: str
    text: str
    rev: int
    status: str
    edited_by: str | None = None
    approved_by: str | None = None
    approved_at: str | None = None
    comments: tuple[tuple[str, str, str], ...] = ()
    """(reviewer, at, text) for every event that carried a note, oldest first."""
    reason: str | None = None
    """Why a ``stale`` segment is stale: ``source changed`` or ``translation changed``."""
    override: str | None = None
    """The reason given for approving despite QA errors (only while approved)."""
    approved_sha: str | None = None
    """The ``text_sha`` of the approval that holds (only while approved)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "segment": self.segment,
            "mt": self.mt,
            "text": self.text,
            "rev": self.rev,
            "status": self.status,
            "reason": self.reason,
            "edited_by": self.edited_by,
            "approved_by": self.approved_by,
            "approved_at": self.approved_at,
            "override": self.override,
            "comments": [list(c) for c in self.comments],
        }


def is_approved(state: SegmentState) -> bool:
    """THE rule: a segment counts as approved only while an approval of exactly its current
    Arabic source and English holds (status, page, export, publish and TM all ask this)."""
    return state.status == "approved" and state.approved_sha == sha256_hex(state.text)


def approval_problem(state: SegmentState) -> str | None:
    """Why a segment is not approved (``edited (not approved)``, ``stale: source changed``), or ``None``."""
    if is_approved(state):
        return None
    if state.status == "stale":
        return f"stale: {state.reason}"
    return f"{state.status} (not approved)"


_CLEARED = {"approved_by": None, "approved_at": None, "approved_sha": None, "override": None, "reason": None}


def _apply(state: SegmentState, ev: Event) -> SegmentState:
    if ev.note:
        state = replace(state, comments=state.comments + ((ev.reviewer, ev.at, ev.note),))
    if ev.action == "edit":
        return replace(state, text=ev.text or "", rev=state.rev + 1, status="edited", edited_by=ev.reviewer, **_CLEARED)
    if ev.action == "approve":
        return replace(state, status="approved", approved_by=ev.reviewer, approved_at=ev.at, approved_sha=ev.text_sha,
                       override=ev.override or None, reason=None)
    if ev.action == "reject":
        return replace(state, status="rejected", **_CLEARED)
    if ev.action == "reopen":
        return replace(state, status="edited" if state.rev > 0 else "draft", **_CLEARED)
    return state  # comment: only the note


def settle(state: SegmentState) -> SegmentState:
    """An approval whose English is no longer the current text is ``stale: translation changed``."""
    if state.status == "approved" and state.approved_sha != sha256_hex(state.text):
        return replace(state, status="stale", **{**_CLEARED, "reason": "translation changed"})
    return state


def fold(doc: Document, events: Iterable[Event]) -> dict[str, SegmentState]:
    """Each segment's state, in document order. An event applies only to the segment with its
    id and ``source_sha``; the others (unknown ids, older sources) are ignored but can make an
    approval ``stale: source changed``."""
    result = {
        seg.id: SegmentState(segment=seg.id, mt=seg.translation, text=seg.translation, rev=0, status="draft")
        for seg in doc.segments
    }
    shas = {seg.id: source_sha(seg) for seg in doc.segments}
    foreign_approval: dict[str, bool] = {}  # id -> its last verdict/edit approved another source
    for ev in events:
        if ev.segment not in result:
            continue
        if ev.source_sha == shas[ev.segment]:
            result[ev.segment] = _apply(result[ev.segment], ev)
            if ev.action != "comment":
                foreign_approval[ev.segment] = False
        elif ev.action != "comment":
            foreign_approval[ev.segment] = ev.action == "approve"
    for sid, foreign in foreign_approval.items():
        if foreign:
            result[sid] = replace(result[sid], status="stale", **{**_CLEARED, "reason": "source changed"})
    return {sid: settle(st) for sid, st in result.items()}


# ---------------------------------------------------------------- writes


@dataclass(frozen=True)
class Write:
    """One event a writer asks for (see :meth:`ReviewLog.record_many`)."""

    segment: str
    action: str
    text: str | None = None
    base_rev: int | None = None
    """The revision the writer saw; ``None``: whatever is current when the batch is written."""
    note: str | None = None
    override: str | None = None
    """For ``approve``: the reason to approve despite QA errors (recorded only where there are some)."""


def summary(states: dict[str, SegmentState]) -> dict[str, int]:
    """How many segments are in each status (every status present, document order irrelevant)."""
    counts = dict.fromkeys(STATUSES, 0)
    for st in states.values():
        counts[st.status] += 1
    return counts
