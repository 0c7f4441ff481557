"""Review events as values (translate.review.events): strict parsing of a log line, the state's
dictionary, the content hashes and the one approval rule. No files: the log itself is
test_review.py and test_review_integrity.py."""

from __future__ import annotations

import hashlib
import re
import time
from datetime import datetime, timezone

import pytest

from translate.review.events import Event, SegmentState, is_approved, is_sha, sha256_hex
from translate.review.log import now_utc

GOOD = {"seq": 1, "at": "2026-11-30T10:00:00Z", "reviewer": "amal", "segment": "s1", "action": "comment"}


def event(**changes):
    d = {**GOOD, **changes}
    return {k: v for k, v in d.items() if v is not ...}


BAD_EVENTS = [
    # (what, the line as parsed JSON, the exact error)
    ("a list", ["seq", 1], "not a JSON object"),
    ("no seq and no at", event(seq=..., at=...), "missing seq, at"),
    ("an unknown action", event(action="delete"), "unknown action 'delete'"),
    ("an empty reviewer", event(reviewer=""), "reviewer must be a non-empty string"),
    ("a numeric segment", event(segment=3), "segment must be a non-empty string"),
    ("an empty at", event(at=""), "at must be a non-empty string"),
    *[(f"{key} a number", event(**{key: 7}), f"{key} must be a string or null")
      for key in ("text", "note", "source_sha", "text_sha", "override", "prev")],
    ("seq a string", event(seq="1"), "seq must be an integer"),
    ("seq a boolean", event(seq=True), "seq must be an integer"),
    ("base_rev a float", event(base_rev=1.0), "base_rev must be an integer"),
    ("base_rev a boolean", event(base_rev=False), "base_rev must be an integer"),
    ("an edit without text", event(action="edit"), "an edit needs a text"),
]


@pytest.mark.parametrize("what,data,message", BAD_EVENTS, ids=[c[0] for c in BAD_EVENTS])
def test_a_bad_event_names_its_problem(what, data, message):
    with pytest.raises(ValueError) as err:
        Event.from_dict(data)
    assert str(err.value) == message


def test_a_full_event_reads_back_every_field():
    data = {**GOOD, "action": "approve", "text": None, "base_rev": 2, "note": "ok", "source_sha": "a" * 64,
            "text_sha": "b" * 64, "override": "names checked", "prev": "0" * 64}
    ev = Event.from_dict(data)
    assert ev.to_dict() == data
    assert Event.from_dict(event(action="edit", text="")).text == ""  # an empty edit is an edit


def test_a_state_as_a_dictionary():
    state = SegmentState("s4", "Brown said.", "Gen. Brown said.", 2, "approved", edited_by="omar",
                         approved_by="lina", approved_at="2026-11-30T10:00:00Z",
                         comments=(("omar", "2026-11-30T09:00:00Z", "title"),), reason=None,
                         override="checked", approved_sha=sha256_hex("Gen. Brown said."))
    assert state.to_dict() == {
        "segment": "s4", "mt": "Brown said.", "text": "Gen. Brown said.", "rev": 2, "status": "approved",
        "reason": None, "edited_by": "omar", "approved_by": "lina", "approved_at": "2026-11-30T10:00:00Z",
        "override": "checked", "comments": [["omar", "2026-11-30T09:00:00Z", "title"]],
    }


def test_hashes_are_sha256_of_utf8_and_survive_a_lone_surrogate():
    assert sha256_hex("براون") == hashlib.sha256("براون".encode()).hexdigest()
    # a lone surrogate (a broken emoji pasted from a browser) still hashes, as its UTF-8 bytes would be
    assert sha256_hex("a\ud83d") == hashlib.sha256(b"a\xed\xa0\xbd").hexdigest()


@pytest.mark.parametrize("value,ok", [
    ("0" * 64, True), ("0123456789abcdef" * 4, True), ("A" * 64, False), ("X" * 64, False),
    ("0" * 63, False), ("0" * 65, False), (None, False), (0, False),
])
def test_is_sha(value, ok):
    assert is_sha(value) is ok


@pytest.mark.parametrize("status,text,approved_sha,approved", [
    ("approved", "Brown said.", sha256_hex("Brown said."), True),
    ("approved", "Brown said it.", sha256_hex("Brown said."), False),  # the English changed since
    ("edited", "Brown said.", sha256_hex("Brown said."), False),  # not an approval
    ("stale", "Brown said.", None, False),
])
def test_is_approved_needs_the_status_and_the_hash(status, text, approved_sha, approved):
    state = SegmentState("s4", "Brown said.", text, 1, status, approved_sha=approved_sha)
    assert is_approved(state) is approved


def test_now_is_utc_whatever_the_machines_time_zone(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Riyadh")  # UTC+3, no daylight saving
    time.tzset()
    try:
        before = datetime.now(timezone.utc).replace(microsecond=0)
        stamp = now_utc()
        after = datetime.now(timezone.utc)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp)
    assert before <= datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc) <= after
