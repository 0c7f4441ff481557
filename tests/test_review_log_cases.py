"""Review-log cases the broader tests leave open (translate.review.log and translate.review.events):
what a fold makes of edge sequences (an empty edit, a reject after an approval, unknown ids, comments
around an approval of another Arabic source), which fields a written event records, the state
``record`` returns, the exact conflict and repair messages, the error's ``path``, the directory
``fsync`` after creating the log, and the UTC stamp of a repaired torn tail."""

from __future__ import annotations

import json
import os
import re
import stat
import time
from datetime import UTC, datetime

import pytest
from review_helpers import ROWS, make_document

from translate.errors import ReviewConflictError, ReviewLogError
from translate.review.chain import line_sha
from translate.review.events import ZERO_SHA, Event, Write, fold, sha256_hex
from translate.review.log import ReviewLog

SOURCES = {sid: ar for sid, _, ar, _, _ in ROWS}
OLD = "نص عربي قديم"  # another Arabic source once under the same id
MT_S2 = "Zeina"


@pytest.fixture
def doc():
    return make_document()[0]


@pytest.fixture
def log(tmp_path):
    return ReviewLog(tmp_path / "reviews" / "doc-1.jsonl")


def ev(seq, action, segment="s1", reviewer="amal", text=None, base_rev=0, note=None, approves=None,
       override=None, source=None):
    """An event on ``segment``'s Arabic (or ``source``); an approval of the English ``approves``."""
    return Event(seq=seq, at=f"2024-01-01T00:00:{seq:02d}Z", reviewer=reviewer, segment=segment, action=action,
                 text=text, base_rev=base_rev, note=note, override=override,
                 source_sha=sha256_hex(SOURCES.get(segment, "") if source is None else source),
                 text_sha=None if approves is None else sha256_hex(approves))


# ---------------------------------------------------------------- fold

FOLD_CASES = [
    # (what, events, expected s1 (text, rev, status, reason, approved_by, approved_at, override, approved_sha,
    #  comments))
    ("an empty edit is an empty English", [ev(1, "edit", text="")],
     ("", 1, "edited", None, None, None, None, None, ())),
    ("a reject clears the approval it follows",
     [ev(1, "approve", approves="MT", override="names checked"), ev(2, "reject", reviewer="lina")],
     ("MT", 0, "rejected", None, None, None, None, None, ())),
    ("an unknown id does not stop the fold", [ev(1, "edit", segment="s9", text="ghost"), ev(2, "edit", text="A")],
     ("A", 1, "edited", None, None, None, None, None, ())),
    ("a comment does not lift an approval of other Arabic",
     [ev(1, "approve", source=OLD, approves="MT"), ev(2, "comment", note="still right?")],
     ("MT", 0, "stale", "source changed", None, None, None, None,
      (("amal", "2024-01-01T00:00:02Z", "still right?"),))),
    ("a comment on other Arabic does not lift its approval either",
     [ev(1, "approve", source=OLD, approves="MT"), ev(2, "comment", note="old", source=OLD)],
     ("MT", 0, "stale", "source changed", None, None, None, None, ())),
    ("an edit of this Arabic does lift it",
     [ev(1, "approve", source=OLD, approves="MT"), ev(2, "edit", text="A")],
     ("A", 1, "edited", None, None, None, None, None, ())),
]


@pytest.mark.parametrize(("what", "events", "expected"), FOLD_CASES, ids=[c[0] for c in FOLD_CASES])
def test_fold_edge_cases(doc, what, events, expected):
    st = fold(doc.with_translations({"s1": "MT"}), events)["s1"]
    assert (st.text, st.rev, st.status, st.reason, st.approved_by, st.approved_at, st.override, st.approved_sha,
            st.comments) == expected


# ---------------------------------------------------------------- what a write records

WRITTEN_CASES = [
    # (what, the write on s2 after an edit of it to "Zeina K." (rev 1), expected (text, base_rev, text_sha))
    ("a comment keeps the revision its writer saw", Write("s2", "comment", note="spelling?", base_rev=0),
     (None, 0, None)),
    ("a comment without base_rev is on the current revision", Write("s2", "comment", note="ok"), (None, 1, None)),
    ("an approval records no text, only its hash", Write("s2", "approve", text="Other", base_rev=1),
     (None, 1, sha256_hex("Zeina K."))),
    ("a reject records no text and no hash", Write("s2", "reject", text="Other", note="no"), (None, 1, None)),
    ("an edit records its text and no hash", Write("s2", "edit", text="Zeina Khalil", base_rev=1),
     ("Zeina Khalil", 1, None)),
]


@pytest.mark.parametrize(("what", "write", "expected"), WRITTEN_CASES, ids=[c[0] for c in WRITTEN_CASES])
def test_a_written_event_records_only_its_fields(doc, log, what, write, expected):
    first = log.record_many(doc, "omar", [Write("s2", "edit", text="Zeina K.", base_rev=0)])[0][0]
    assert (first.text, first.base_rev, first.text_sha) == ("Zeina K.", 0, None)
    event, _ = log.record_many(doc, "lina", [write])[0]
    assert (event.text, event.base_rev, event.text_sha) == expected
    assert log.events() == [first, event]  # what the log holds is what was returned
    line = json.loads(log.path.read_bytes().splitlines()[1])
    assert (line["text"], line["base_rev"], line["text_sha"]) == expected


def test_the_state_record_returns_is_the_state_of_the_log(doc, log):
    log.record(doc, reviewer="amal", segment="s2", action="approve", base_rev=0)
    rerun = doc.with_translations({"s2": "Zaina"})  # fresh MT under the approval
    stale = fold(rerun, log.events())["s2"]
    assert (stale.status, stale.reason) == ("stale", "translation changed")
    event, state = log.record(rerun, reviewer="lina", segment="s2", action="approve", base_rev=0)
    assert (state.status, state.reason, state.approved_by, state.approved_at, state.approved_sha) == (
        "approved", None, "lina", event.at, sha256_hex("Zaina"))
    assert state == fold(rerun, log.events())["s2"]
    _, rejected = log.record(doc, reviewer="omar", segment="s2", action="reject", note="wrong name")
    # the log's own MT is "Zeina" again: the approval of "Zaina" is stale, and the reject clears it
    assert (rejected.status, rejected.reason, rejected.approved_by, rejected.approved_at,
            rejected.approved_sha) == ("rejected", None, None, None, None)
    assert rejected == fold(doc, log.events())["s2"]


# ---------------------------------------------------------------- conflict messages

CONFLICT_CASES = [
    # (what, writes before as (reviewer, Write), the stale base_rev, expected message)
    ("approved, never edited", [("amal", Write("s2", "approve", base_rev=0))], 1,
     "conflict: segment s2 is at rev 0 (approved by amal), not rev 1; current text: 'Zeina'"),
    ("edited by one, approved by another",
     [("omar", Write("s2", "edit", text="Zeina Khalil", base_rev=0)), ("lina", Write("s2", "approve", base_rev=1))],
     0, ("conflict: segment s2 is at rev 1 (approved by lina; last edit by omar), not rev 0; "
         "current text: 'Zeina Khalil'")),
    ("edited, then rejected",
     [("omar", Write("s2", "edit", text="Zeina Khalil", base_rev=0)), ("lina", Write("s2", "reject"))],
     0, "conflict: segment s2 is at rev 1 (rejected; last edit by omar), not rev 0; current text: 'Zeina Khalil'"),
    ("edited", [("omar", Write("s2", "edit", text="Zeina Khalil", base_rev=0))], 0,
     "conflict: segment s2 is at rev 1 (edited by omar), not rev 0; current text: 'Zeina Khalil'"),
]


@pytest.mark.parametrize(("what", "before", "base_rev", "message"), CONFLICT_CASES, ids=[c[0] for c in CONFLICT_CASES])
def test_a_conflict_says_who_did_what(doc, log, what, before, base_rev, message):
    for reviewer, write in before:
        log.record_many(doc, reviewer, [write])
    written = log.path.read_bytes()
    with pytest.raises(ReviewConflictError) as info:
        log.record(doc, reviewer="sami", segment="s2", action="edit", text="Zeina S.", base_rev=base_rev)
    assert str(info.value) == message
    assert info.value.current == fold(doc, log.events())["s2"]
    assert log.path.read_bytes() == written


# ---------------------------------------------------------------- damaged logs and repair


def chained_lines(*events: Event) -> list[bytes]:
    lines, prev = [], ZERO_SHA
    for e in events:
        lines.append((json.dumps({**e.to_dict(), "prev": prev}, ensure_ascii=False) + "\n").encode("utf-8"))
        prev = line_sha(lines[-1])
    return lines


def write_log(log: ReviewLog, lines: list[bytes]) -> None:
    log.path.parent.mkdir(parents=True, exist_ok=True)
    log.path.write_bytes(b"".join(lines))


GOOD = [ev(1, "approve", approves=ROWS[0][3]), ev(2, "approve", segment="s2", approves=MT_S2)]
INVALID = "invalid event (Expecting value: line 1 column 1 (char 0))"

REFUSED_REPAIRS = [
    # (what, the lines after the first good one, the line and problem, why it is not repaired)
    ("a bad line, then a whole line", [b"garbage\n", "second"], f"2: {INVALID}",
     "lines follow it, so it is not a torn tail"),
    ("a bad line, then one byte", [b"garbage\n", b"\n"], f"2: {INVALID}",
     "lines follow it, so it is not a torn tail"),
    ("a last line out of the chain", ["unchained"],
     ("2: 'prev' does not match the hash of line 1: the hash chain is broken here (a line before it was changed, "
      "removed or inserted, or this line was not written by translate)"), "it is not a torn write"),
]


@pytest.mark.parametrize(("what", "tail", "problem", "why"), REFUSED_REPAIRS, ids=[c[0] for c in REFUSED_REPAIRS])
def test_repair_refuses_what_is_not_a_torn_tail_and_says_why(log, what, tail, problem, why):
    first, second = chained_lines(*GOOD)
    unchained = chained_lines(GOOD[1])[0]  # its prev is 64 zeros, not line 1's hash
    lines = [first] + [{"second": second, "unchained": unchained}.get(x, x) for x in tail]
    write_log(log, lines)
    with pytest.raises(ReviewLogError) as info:
        log.repair()
    assert str(info.value) == f"{log.path}:{problem}; {why}: fix the file by hand"
    assert log.path.read_bytes() == b"".join(lines)


def test_a_damaged_log_error_names_its_file_and_line(log):
    write_log(log, [*chained_lines(*GOOD), b'{"seq": 3, "at": "2024'])
    with pytest.raises(ReviewLogError) as info:
        log.events()
    assert (info.value.path, info.value.line) == (str(log.path), 3)


def test_repair_stamps_the_torn_bytes_in_utc_whatever_the_time_zone(log, monkeypatch):
    good = chained_lines(*GOOD)
    write_log(log, [*good, b'{"seq": 3, "at": "20'])
    monkeypatch.setenv("TZ", "Asia/Riyadh")  # UTC+3, no daylight saving
    time.tzset()
    try:
        before = datetime.now(UTC)
        aside, lineno = log.repair()
        after = datetime.now(UTC)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert (aside.parent, lineno) == (log.path.parent, 3)
    match = re.fullmatch(r"doc-1\.jsonl\.torn-(\d{8}T\d{12}Z)", aside.name)
    assert match, aside.name
    stamp = datetime.strptime(match[1], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
    assert before <= stamp <= after
    assert aside.read_bytes() == b'{"seq": 3, "at": "20'
    assert log.path.read_bytes() == b"".join(good)


# ---------------------------------------------------------------- durability


def test_creating_the_log_fsyncs_its_directory_once(doc, log, monkeypatch):
    synced: list[tuple[str, int]] = []
    real_fsync = os.fsync

    def spy(fd):
        st = os.fstat(fd)
        synced.append(("dir" if stat.S_ISDIR(st.st_mode) else "file", st.st_ino))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", spy)
    log.record(doc, reviewer="amal", segment="s2", action="approve", base_rev=0)
    log_ino, dir_ino = os.stat(log.path).st_ino, os.stat(log.path.parent).st_ino
    assert synced == [("file", log_ino), ("dir", dir_ino)]  # the new directory entry is durable too
    synced.clear()
    log.record(doc, reviewer="amal", segment="s1", action="approve", base_rev=0)
    assert synced == [("file", log_ino)]  # appending to an existing log changes no directory entry
