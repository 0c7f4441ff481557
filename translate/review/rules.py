"""The review's write rules: each rule is one function here with one message, and every writer
(``translate review``, the review page, XLIFF and Word import, :meth:`ReviewLog.record_many`)
goes through them, so the same broken rule reads the same everywhere (an import adds the
file and line where it has them).

| rule | error | message |
|---|---|---|
| reviewer name | :class:`ReviewInputError` | ``a reviewer name is required`` (or: at most 64 characters, no control characters) |
| unknown action | :class:`ReviewInputError` | ``unknown action 'x'; expected one of ...`` |
| unknown segment | :class:`DocumentNotFoundError` | ``document 'd' has no segment 's9'`` |
| empty edit | :class:`ReviewInputError` | ``an edit needs a text`` |
| edit length | :class:`ReviewInputError` | ``segment s1: the edit is 10,001 characters long; ...`` |
| empty comment | :class:`ReviewInputError` | ``a comment cannot be empty`` |
| override reason | :class:`ReviewInputError` | ``an override needs a reason`` / ``only an approval takes an override reason`` |
| reopen | :class:`ReviewConflictError` | ``segment s1 is draft, not approved or rejected: nothing to reopen`` |
| approval and QA | :class:`ApprovalRefusedError` | ``QA errors block approval of s3 (...)`` unless an override reason is given |

:func:`review_issues` is the one "QA of a segment as the review sees it" (its current English
against its Arabic and glossary terms), used by the log, the CLI, the page, export and publish.
"""

from __future__ import annotations

from translate.doc.model import Document, Segment
from translate.errors import ApprovalRefusedError, DocumentNotFoundError, ReviewConflictError, ReviewInputError
from translate.review.events import ACTIONS, SegmentState, Write
from translate.review.qa import ERROR, Issue, check_segment

EMPTY_EDIT = "an edit needs a text"
EMPTY_COMMENT = "a comment cannot be empty"
EMPTY_OVERRIDE = "an override needs a reason"
OVERRIDE_NOT_APPROVAL = "only an approval takes an override reason"
REOPENABLE = ("approved", "rejected")
"""The statuses ``reopen`` takes back to edited (or draft)."""
MAX_EDIT_CHARS = 10_000
"""An edit may be this long, or 10 times its Arabic when that is longer."""


def reviewer_problem(name: str) -> str | None:
    """Why ``name`` cannot sign a review event, or ``None`` if it can."""
    if not name or not name.strip():
        return "a reviewer name is required"
    if len(name) > 64:
        return "a reviewer name has at most 64 characters"
    if any(not ch.isprintable() for ch in name):
        return "a reviewer name cannot hold tabs, line breaks or control characters"
    return None


def check_reviewer(name: str) -> str:
    """``name`` stripped, or :class:`ReviewInputError` saying why it cannot sign an event."""
    if problem := reviewer_problem(name):
        raise ReviewInputError(problem)
    return name.strip()


def check_override(reason: str | None) -> None:
    """An override reason, when given, says something."""
    if reason is not None and not reason.strip():
        raise ReviewInputError(EMPTY_OVERRIDE)


def segment_of(doc: Document, seg_id: str) -> Segment:
    """The segment ``seg_id`` of ``doc``, or :class:`DocumentNotFoundError`."""
    try:
        return doc.segment(seg_id)
    except KeyError:
        raise DocumentNotFoundError(unknown_segment(doc, seg_id)) from None


def unknown_segment(doc: Document, seg_id: str) -> str:
    """The message for a segment id ``doc`` does not have."""
    return f"document {doc.doc_id!r} has no segment {seg_id!r}"


def edit_length_problem(source: str, text: str) -> str | None:
    """Why ``text`` is too long to be the English of ``source`` (a paste gone wrong), or ``None``."""
    limit = max(MAX_EDIT_CHARS, 10 * len(source))
    if len(text) <= limit:
        return None
    return (f"the edit is {len(text):,} characters long; an edit may have at most {limit:,} "
            f"(10 times the Arabic, and never fewer than {MAX_EDIT_CHARS:,})")


def _has_surrogate(text: str | None) -> bool:
    return text is not None and any("\ud800" <= ch <= "\udfff" for ch in text)


def check_write(doc: Document, w: Write) -> None:
    """Refuse a write that can never be right (before taking the log's lock)."""
    if w.action not in ACTIONS:
        raise ReviewInputError(f"unknown action {w.action!r}; expected one of {', '.join(ACTIONS)}")
    if w.action == "edit" and not (w.text and w.text.strip()):
        raise ReviewInputError(EMPTY_EDIT)
    if w.action == "comment" and not (w.note and w.note.strip()):
        raise ReviewInputError(EMPTY_COMMENT)
    if w.override is not None and w.action != "approve":
        raise ReviewInputError(OVERRIDE_NOT_APPROVAL)
    check_override(w.override)
    if any(_has_surrogate(x) for x in (w.text, w.note, w.override)):
        raise ReviewInputError(f"segment {w.segment}: the text is not valid Unicode (a lone surrogate)")
    seg = segment_of(doc, w.segment)
    if w.action == "edit" and (problem := edit_length_problem(seg.source, w.text or "")):
        raise ReviewInputError(f"segment {w.segment}: {problem}")


def check_reopen(state: SegmentState) -> None:
    """Only an approved or rejected segment can be reopened (:class:`ReviewConflictError` otherwise)."""
    if state.status not in REOPENABLE:
        raise ReviewConflictError(
            f"segment {state.segment} is {state.status}, not approved or rejected: nothing to reopen", state)


def review_issues(seg: Segment, text: str) -> list[Issue]:
    """THE QA of a segment as the review sees it: ``text`` (its current English) checked against
    its Arabic and glossary terms (:func:`translate.review.qa.check_segment`)."""
    return check_segment(seg.source, text, seg.terms)


def qa_errors(doc: Document, state: SegmentState) -> list[Issue]:
    """The QA issues of severity ``error`` of the segment's current English."""
    return [i for i in review_issues(doc.segment(state.segment), state.text) if i.severity == ERROR]


def qa_refusal(failures: list[tuple[str, list]]) -> ApprovalRefusedError:
    """The one refusal of approvals blocked by QA errors (CLI, server and XLIFF import share it)."""
    ids = ", ".join(sid for sid, _ in failures)
    lines = [f"  {sid}: {issue.check}: {issue.message}" for sid, issues in failures for issue in issues]
    return ApprovalRefusedError(
        f"QA errors block approval of {ids} (nothing was written; fix the English, or give an override "
        "reason to approve anyway):\n" + "\n".join(lines),
        failures,
    )
