"""Review events and what they fold into: the values of the review log, with no file access.

``fold`` replays a segment's events over its MT draft: ``rev`` 0 is the machine
translation and each accepted edit adds one; ``approve`` and ``reject`` name the
revision they judged; an edit after an approval makes the segment ``edited``
again; ``reopen`` takes an approved or rejected segment back to ``edited`` (or
``draft`` if never edited). A note on any event (a comment, a reason for
rejecting) is kept in ``SegmentState.comments``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from .document import Document

ACTIONS = ("edit", "approve", "reject", "comment", "reopen")
STATUSES = ("draft", "edited", "approved", "rejected")
REV_CHECKED = ("edit", "approve", "reject", "reopen")
"""Actions refused when ``base_rev`` is not the segment's current revision."""

_FIELDS = ("seq", "at", "reviewer", "segment", "action", "text", "base_rev", "note")


def reviewer_problem(name: str) -> str | None:
    """Why ``name`` cannot sign a review event, or ``None`` if it can."""
    if not name or not name.strip():
        return "a reviewer name is required"
    if len(name) > 64:
        return "a reviewer name has at most 64 characters"
    if any(not ch.isprintable() for ch in name):
        return "a reviewer name cannot hold tabs, line breaks or control characters"
    return None


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

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _FIELDS}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        """Strict: a wrong type or an unknown action raises ``ValueError``."""
        if not isinstance(d, dict):
            raise ValueError("not a JSON object")
        missing = [k for k in ("seq", "at", "reviewer", "segment", "action") if k not in d]
        if missing:
            raise ValueError(f"missing {', '.join(missing)}")
        if d["action"] not in ACTIONS:
            raise ValueError(f"unknown action {d['action']!r}")
        for key in ("at", "reviewer", "segment"):
            if not isinstance(d[key], str) or not d[key]:
                raise ValueError(f"{key} must be a non-empty string")
        for key in ("text", "note"):
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "segment": self.segment,
            "mt": self.mt,
            "text": self.text,
            "rev": self.rev,
            "status": self.status,
            "edited_by": self.edited_by,
            "approved_by": self.approved_by,
            "approved_at": self.approved_at,
            "comments": [list(c) for c in self.comments],
        }


def _apply(state: SegmentState, ev: Event) -> SegmentState:
    if ev.note:
        state = replace(state, comments=state.comments + ((ev.reviewer, ev.at, ev.note),))
    if ev.action == "edit":
        return replace(
            state, text=ev.text or "", rev=state.rev + 1, status="edited",
            edited_by=ev.reviewer, approved_by=None, approved_at=None,
        )
    if ev.action == "approve":
        return replace(state, status="approved", approved_by=ev.reviewer, approved_at=ev.at)
    if ev.action == "reject":
        return replace(state, status="rejected", approved_by=None, approved_at=None)
    if ev.action == "reopen":
        status = "edited" if state.rev > 0 else "draft"
        return replace(state, status=status, approved_by=None, approved_at=None)
    return state  # comment: only the note


def fold(doc: Document, events: Iterable[Event]) -> dict[str, SegmentState]:
    """Each segment's state, in document order; events for unknown segments are ignored."""
    result = {
        seg.id: SegmentState(segment=seg.id, mt=seg.translation, text=seg.translation, rev=0, status="draft")
        for seg in doc.segments
    }
    for ev in events:
        if ev.segment in result:
            result[ev.segment] = _apply(result[ev.segment], ev)
    return result


def summary(states: dict[str, SegmentState]) -> dict[str, int]:
    """How many segments are in each status (every status present, document order irrelevant)."""
    counts = dict.fromkeys(STATUSES, 0)
    for st in states.values():
        counts[st.status] += 1
    return counts
