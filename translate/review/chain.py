"""Reading a review log and proving it intact: the hash chain and what every line claims.

A review log line is trusted only if, in order:

1. it is a complete line (ends in a newline) holding a valid event (:meth:`Event.from_dict`);
2. its ``seq`` is one more than the previous line's;
3. its ``prev`` is the SHA-256 of the previous line's exact bytes, newline included (64 zeros
   for the first line): a line without ``prev`` (an older format, or written by hand) breaks
   the chain, and so does a line changed, removed or inserted anywhere before it;
4. its ``source_sha`` is a SHA-256 hex digest, and an approval's ``text_sha`` too;
5. its revision references hold, replaying the log per (segment, ``source_sha``): the
   ``base_rev`` of an edit, approve, reject or reopen is the revision reached at that point,
   and an approval at rev > 0 has the ``text_sha`` of that revision's edit text.

:func:`scan` stops at the first line that fails and says why; the caller reports
``file:line: problem``. Only a torn or unparsable last line (or one out of sequence) is a
*torn write* that ``translate review repair`` may move aside; anything else is a damaged or
tampered log that a person must look at.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from translate.review.events import REV_CHECKED, ZERO_SHA, Event, is_sha, sha256_hex


@dataclass(frozen=True)
class Scan:
    events: list[Event]
    good_bytes: int
    """Length of the trusted prefix (every complete, valid line before the problem)."""
    last_sha: str = ZERO_SHA
    """SHA-256 of the last trusted line (the ``prev`` of the next event)."""
    problem: str | None = None
    problem_line: int | None = None
    torn: bool = False
    """The problem is a torn or unparsable last line (or one out of sequence) with nothing after
    it: what a writer killed mid-append leaves, and what ``repair`` moves aside."""


def line_sha(line: bytes) -> str:
    return hashlib.sha256(line).hexdigest()


def _claims(ev: Event, lineno: int, revs: dict[tuple[str, str], tuple[int, str | None, int]]) -> str | None:
    """What is wrong with the hashes and revision references of ``ev``, or ``None``."""
    if not is_sha(ev.source_sha):
        return "'source_sha' is missing or not a SHA-256 hex digest"
    key = (ev.segment, ev.source_sha or "")
    rev, text, edit_line = revs.get(key, (0, None, 0))
    if ev.action in REV_CHECKED:
        if ev.base_rev is None:
            return f"{ev.action} of {ev.segment} names no revision ('base_rev')"
        if ev.base_rev != rev:
            return (f"{ev.action} of {ev.segment} names rev {ev.base_rev}, but {ev.segment} is at rev {rev} "
                    "at this point of the log")
    if ev.action == "approve":
        if not is_sha(ev.text_sha):
            return "approval without a valid 'text_sha' (SHA-256 of the approved English)"
        if rev > 0 and ev.text_sha != sha256_hex(text or ""):
            return (f"approval of {ev.segment} at rev {rev}: 'text_sha' is not the hash of that revision's text "
                    f"(the edit on line {edit_line})")
    if ev.action == "edit":
        revs[key] = (rev + 1, ev.text, lineno)
    return None


def scan(data: bytes) -> Scan:
    """Every trusted event of a log's bytes, and the first problem (see the module docstring)."""
    events: list[Event] = []
    revs: dict[tuple[str, str], tuple[int, str | None, int]] = {}
    pos, lineno, prev = 0, 0, ZERO_SHA

    def stop(problem: str, torn: bool = False) -> Scan:
        return Scan(events, pos, prev, problem, lineno, torn)

    while pos < len(data):
        lineno += 1
        end = data.find(b"\n", pos)
        if end == -1:
            return stop("torn last line (no newline: a write was interrupted)", True)
        last = end + 1 == len(data)
        raw = data[pos:end + 1]
        try:
            ev = Event.from_dict(json.loads(raw[:-1].decode("utf-8")))
        except (UnicodeDecodeError, ValueError, TypeError) as exc:
            return stop(f"invalid event ({exc})", last)
        if ev.seq != len(events) + 1:
            return stop(f"event seq {ev.seq} out of order (expected {len(events) + 1})", last)
        if ev.prev is None:
            return stop("no 'prev' hash: the hash chain is broken here (a line in an older format, or written "
                        "by hand)")
        if ev.prev != prev:
            before = "the start of the log (64 zeros)" if lineno == 1 else f"line {lineno - 1}"
            return stop(f"'prev' does not match the hash of {before}: the hash chain is broken here (a line "
                        "before it was changed, removed or inserted, or this line was not written by translate)")
        problem = _claims(ev, lineno, revs)
        if problem:
            return stop(problem)
        events.append(ev)
        prev = line_sha(raw)
        pos = end + 1
    return Scan(events, pos, prev)
