"""The review log: events, fold, conflicts, torn lines, repair, and a writer killed with SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from review_helpers import ROWS, make_document, save_document

from translate.errors import DocumentNotFoundError, ReviewConflictError, ReviewLogError
from translate.review.log import Event, ReviewLog, SegmentState, fold, states, summary
from translate.review.chain import line_sha
from translate.review.events import ZERO_SHA, sha256_hex

SOURCES = {sid: ar for sid, _, ar, _, _ in ROWS}


@pytest.fixture
def doc():
    return save_document()


@pytest.fixture
def log(doc):
    return ReviewLog.for_document(doc.doc_id)


def ev(seq, segment, action, reviewer="amal", text=None, base_rev=None, note=None, approves=None):
    """An event bound to the segment's Arabic; an approval of the English ``approves``."""
    return Event(seq=seq, at=f"2024-01-01T00:00:{seq:02d}Z", reviewer=reviewer, segment=segment, action=action,
                 text=text, base_rev=base_rev, note=note, source_sha=sha256_hex(SOURCES.get(segment, "")),
                 text_sha=None if approves is None else sha256_hex(approves))


FOLD_CASES = [
    # (events on s1, expected (text, rev, status, edited_by, approved_by))
    ([], ("MT", 0, "draft", None, None)),
    ([ev(1, "s1", "approve", base_rev=0, approves="MT")], ("MT", 0, "approved", None, "amal")),
    ([ev(1, "s1", "edit", text="A", base_rev=0)], ("A", 1, "edited", "amal", None)),
    ([ev(1, "s1", "edit", text="A", base_rev=0), ev(2, "s1", "edit", "bob", text="B", base_rev=1)],
     ("B", 2, "edited", "bob", None)),
    ([ev(1, "s1", "edit", text="A", base_rev=0), ev(2, "s1", "approve", "bob", base_rev=1, approves="A")],
     ("A", 1, "approved", "amal", "bob")),
    ([ev(1, "s1", "approve", base_rev=0, approves="MT"), ev(2, "s1", "edit", "bob", text="B", base_rev=0)],
     ("B", 1, "edited", "bob", None)),
    ([ev(1, "s1", "reject", base_rev=0)], ("MT", 0, "rejected", None, None)),
    ([ev(1, "s1", "approve", base_rev=0, approves="MT"), ev(2, "s1", "reopen", base_rev=0)],
     ("MT", 0, "draft", None, None)),
    ([ev(1, "s1", "edit", text="A", base_rev=0), ev(2, "s1", "reject", base_rev=1), ev(3, "s1", "reopen", base_rev=1)],
     ("A", 1, "edited", "amal", None)),
    ([ev(1, "s1", "comment", note="hm")], ("MT", 0, "draft", None, None)),
    ([ev(1, "s9", "edit", text="ghost", base_rev=0)], ("MT", 0, "draft", None, None)),
]


@pytest.mark.parametrize(("events", "expected"), FOLD_CASES)
def test_fold(events, expected):
    doc, _ = make_document()
    doc = doc.with_translations({"s1": "MT"})
    st = fold(doc, events)["s1"]
    assert (st.text, st.rev, st.status, st.edited_by, st.approved_by) == expected
    assert st.mt == "MT"


def test_fold_keeps_document_order_and_notes_as_comments():
    doc, _ = make_document()
    events = [ev(1, "s3", "comment", "bob", note="check"), ev(2, "s3", "reject", base_rev=0, note="bad figure")]
    result = fold(doc, events)
    assert list(result) == ["s1", "s2", "s3", "s4", "s5"]
    assert result["s3"].comments == (
        ("bob", "2024-01-01T00:00:01Z", "check"), ("amal", "2024-01-01T00:00:02Z", "bad figure"))
    assert summary(result) == {"draft": 4, "edited": 0, "approved": 0, "rejected": 1, "stale": 0}
    assert result["s3"].to_dict()["comments"] == [["bob", "2024-01-01T00:00:01Z", "check"],
                                                  ["amal", "2024-01-01T00:00:02Z", "bad figure"]]


def test_event_round_trip_and_strict_parsing():
    e = ev(1, "s1", "edit", text="A", base_rev=0, note="n")
    assert Event.from_dict(e.to_dict()) == e
    assert list(e.to_dict()) == ["seq", "at", "reviewer", "segment", "source_sha", "action", "text", "base_rev",
                                 "note", "text_sha", "override", "prev"]
    for bad, why in [
        ({**e.to_dict(), "action": "delete"}, "unknown action 'delete'"),
        ({k: v for k, v in e.to_dict().items() if k != "reviewer"}, "missing reviewer"),
        ({**e.to_dict(), "seq": "1"}, "seq must be an integer"),
        ({**e.to_dict(), "text": None}, "an edit needs a text"),
        ([1], "not a JSON object"),
    ]:
        with pytest.raises(ValueError, match=why):
            Event.from_dict(bad)


def test_append_writes_one_line_per_event_and_states_fold_them(doc, log):
    new = "The US military said the aid was $725 million."
    first = log.append(doc, reviewer=" amal ", segment="s3", action="edit", text=new, base_rev=0)
    second = log.append(doc, reviewer="bob", segment="s3", action="approve", base_rev=1)
    third = log.append(doc, reviewer="bob", segment="s1", action="comment", note="nice")
    assert (first.seq, second.seq, third.seq) == (1, 2, 3)
    assert first.reviewer == "amal" and third.base_rev == 0
    lines = log.path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [first.to_dict(), second.to_dict(), third.to_dict()]
    assert log.events() == [first, second, third]
    st = states(doc)["s3"]
    assert (st.text, st.rev, st.status, st.edited_by, st.approved_by, st.approved_at) == (
        new, 1, "approved", "amal", "bob", second.at)


def test_base_rev_none_means_current_and_is_recorded(doc, log):
    log.append(doc, reviewer="amal", segment="s2", action="edit", text="A")
    e = log.append(doc, reviewer="amal", segment="s2", action="approve")
    assert e.base_rev == 1


def test_stale_write_is_a_conflict_showing_the_current_text(doc, log):
    log.append(doc, reviewer="amal", segment="s3", action="edit", text="Amal's text", base_rev=0)
    for action in ("edit", "approve", "reject"):
        with pytest.raises(ReviewConflictError) as info:
            log.append(doc, reviewer="bob", segment="s3", action=action, text="Bob's text", base_rev=0)
        assert str(info.value) == ("conflict: segment s3 is at rev 1 (edited by amal), not rev 0; "
                                   "current text: \"Amal's text\"")
        assert isinstance(info.value.current, SegmentState) and info.value.current.text == "Amal's text"
    assert len(log.events()) == 1
    log.append(doc, reviewer="bob", segment="s3", action="comment", note="stale comments are fine", base_rev=0)


def test_reopen_needs_an_approved_or_rejected_segment(doc, log):
    with pytest.raises(ReviewConflictError, match="segment s1 is draft, not approved or rejected: nothing to reopen"):
        log.append(doc, reviewer="amal", segment="s1", action="reopen")


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"segment": "s9", "action": "approve"}, DocumentNotFoundError, "document 'doc-1' has no segment 's9'"),
        ({"segment": "s1", "action": "delete"}, ValueError, "unknown action 'delete'"),
        ({"segment": "s1", "action": "edit"}, ValueError, "an edit needs a text"),
        ({"segment": "s1", "action": "edit", "text": " \n"}, ValueError, "an edit needs a text"),
        ({"segment": "s1", "action": "comment", "note": " "}, ValueError, "a comment cannot be empty"),
        ({"segment": "s1", "action": "approve", "reviewer": " "}, ValueError, "a reviewer name is required"),
        ({"segment": "s1", "action": "approve", "reviewer": "a\tb"}, ValueError, "tabs, line breaks"),
    ],
)
def test_append_refuses_bad_requests(doc, log, kwargs, error, message):
    with pytest.raises(error, match=message):
        log.append(doc, **{"reviewer": "amal", **kwargs})
    assert not log.path.exists()


def test_concurrent_appends_lose_nothing(doc, log):
    barrier = threading.Barrier(8)
    results: list[str] = []

    def worker(n: int) -> None:
        barrier.wait()
        for k in range(5):
            log.append(doc, reviewer=f"r{n}", segment="s1", action="comment", note=f"{n}-{k}")
        try:
            log.append(doc, reviewer=f"r{n}", segment="s2", action="edit", text=f"by {n}", base_rev=0)
            results.append("won")
        except ReviewConflictError:
            results.append("conflict")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    events = log.events()
    assert [e.seq for e in events] == list(range(1, 42))
    assert sorted(e.note for e in events if e.action == "comment") == sorted(f"{n}-{k}" for n in range(8) for k in range(5))
    assert sorted(results) == ["conflict"] * 7 + ["won"]
    assert [e.action for e in events].count("edit") == 1


def test_missing_log_has_no_events_and_creates_nothing(doc, log):
    assert log.events() == []
    assert not log.path.parent.exists()


def write_lines(log, lines: list[bytes]) -> None:
    log.path.parent.mkdir(parents=True, exist_ok=True)
    log.path.write_bytes(b"".join(lines))


def line(e: Event, prev: str | None = None) -> bytes:
    d = {**e.to_dict(), "prev": prev}
    return (json.dumps(d, ensure_ascii=False) + "\n").encode()


def chained(*events: Event) -> list[bytes]:
    """The log lines of ``events``, each carrying the hash of the line before it."""
    lines, prev = [], ZERO_SHA
    for e in events:
        lines.append(line(e, prev))
        prev = line_sha(lines[-1])
    return lines


@pytest.mark.parametrize(
    ("tail", "lineno", "message"),
    [
        (b'{"seq": 3, "at": "2024', 3, "torn last line (no newline: a write was interrupted): run "
                                       "'translate review repair doc-1' to move it aside"),
        (b"not json\n", 3, "invalid event (Expecting value: line 1 column 1 (char 0)): run "
                           "'translate review repair doc-1' to move it aside"),
        (b"\xff\xfe\n", 3, "invalid event ('utf-8' codec can't decode byte 0xff in position 0: invalid start byte): "
                           "run 'translate review repair doc-1' to move it aside"),
        (line(ev(7, "s1", "comment", note="x")), 3, "event seq 7 out of order (expected 3): run "
                                                    "'translate review repair doc-1' to move it aside"),
    ],
)
def test_damaged_last_line_is_reported_with_file_and_line(doc, log, tail, lineno, message):
    write_lines(log, [*chained(ev(1, "s1", "approve", base_rev=0, approves=ROWS[0][3]),
                               ev(2, "s2", "approve", base_rev=0, approves="Zeina")), tail])
    before = log.path.read_bytes()
    with pytest.raises(ReviewLogError) as info:
        log.events()
    assert str(info.value) == f"{log.path}:{lineno}: {message}"
    with pytest.raises(ReviewLogError):
        log.append(doc, reviewer="amal", segment="s3", action="approve")
    assert log.path.read_bytes() == before  # nothing dropped, nothing rewritten


T = "The US military said the aid came to $725 million."


def test_repair_moves_the_torn_tail_aside_and_keeps_every_complete_event(doc, log):
    good = chained(ev(1, "s1", "approve", base_rev=0, approves=ROWS[0][3]), ev(2, "s3", "edit", text=T, base_rev=0))
    write_lines(log, [*good, b'{"seq": 3, "at": "20'])
    aside, lineno = log.repair()
    assert lineno == 3 and aside.name.startswith("doc-1.jsonl.torn-")
    assert aside.read_bytes() == b'{"seq": 3, "at": "20'
    assert log.path.read_bytes() == b"".join(good)
    assert [e.seq for e in log.events()] == [1, 2]
    assert log.append(doc, reviewer="amal", segment="s3", action="approve").seq == 3
    assert log.repair() is None


def test_repair_refuses_a_bad_line_in_the_middle(doc, log):
    first, third = chained(ev(1, "s1", "approve", base_rev=0, approves=ROWS[0][3]),
                           ev(2, "s2", "approve", base_rev=0, approves="Zeina"))
    write_lines(log, [first, b"garbage\n", third])
    before = log.path.read_bytes()
    with pytest.raises(ReviewLogError, match=r"doc-1.jsonl:2: invalid event .*lines follow it, so it is not a torn tail"):
        log.repair()
    assert log.path.read_bytes() == before
    assert [p.name for p in log.path.parent.iterdir() if ".torn-" in p.name] == []


WRITER = textwrap.dedent(
    """
    import os, sys
    from translate.review.log import ReviewLog, Write
    from translate.doc.store import load_document

    slow = sys.argv[1] == "slow"
    doc = load_document("doc-1")
    log = ReviewLog.for_document("doc-1")
    log.append(doc, reviewer="amal", segment="s1", action="approve", base_rev=0)
    log.append(doc, reviewer="amal", segment="s2", action="comment", note="ok")
    if slow:  # a slow disk: each write() takes a few bytes, so the kill lands mid-line
        real_write = os.write
        def write(fd, data):
            import time
            time.sleep(0.001)
            return real_write(fd, bytes(data[:4096]))
        os.write = write
    print("ready", flush=True)
    while True:  # each batch is one 2 MB append (an edit may hold at most 10,000 characters)
        log.record_many(doc, "amal", [Write("s3", "edit", text="x" * 10_000) for _ in range(200)])
        if not slow:  # between appends: say so, and wait there to be killed
            print("appended", flush=True)
            sys.stdin.readline()
    """
)


@pytest.mark.parametrize("speed", ["slow", "fast"])
def test_writer_killed_with_sigkill_leaves_a_readable_log_or_a_clear_report(doc, log, speed):
    """``slow``: killed in the middle of a 2 MB append (a torn last line, repaired); ``fast``:
    killed between two appends, each announced by the writer (a whole log). Both branches are
    taken deterministically: the test says which one it expects."""
    proc = subprocess.Popen([sys.executable, "-c", WRITER, speed], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout.readline() == "ready\n"
        start_size = log.path.stat().st_size
        if speed == "fast":
            for n in range(3):  # three whole appends, then the kill while it waits for the next
                assert proc.stdout.readline() == "appended\n"
                if n < 2:
                    proc.stdin.write("\n")
                    proc.stdin.flush()
        else:
            deadline = time.monotonic() + 30
            while log.path.stat().st_size < start_size + 100_000:  # well inside the first 2 MB append
                assert time.monotonic() < deadline, "the writer made no progress"
                time.sleep(0.005)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    data = log.path.read_bytes()
    complete = data.count(b"\n")
    if speed == "fast":  # the kill fell between two appends: every event is whole
        assert data.endswith(b"\n") and data[start_size:].count(b"\n") == 3 * 200
        assert [e.seq for e in log.events()] == list(range(1, complete + 1))
        assert log.append(doc, reviewer="bob", segment="s1", action="comment", note="after").seq == complete + 1
        return
    assert not data.endswith(b"\n")
    with pytest.raises(ReviewLogError) as info:
        log.events()
    assert str(info.value).startswith(f"{log.path}:{complete + 1}: torn last line (no newline")
    # the lock died with the writer; a repair keeps every complete event and the torn bytes
    aside, lineno = log.repair()
    assert lineno == complete + 1
    assert aside.read_bytes() == data[data.rindex(b"\n") + 1:]
    assert log.path.read_bytes() == data[: data.rindex(b"\n") + 1]
    events = log.events()
    assert [e.seq for e in events] == list(range(1, complete + 1))
    assert log.append(doc, reviewer="bob", segment="s2", action="approve").seq == complete + 1


def test_a_new_log_is_utf8_arabic_as_written_mode_644_and_locked_beside_itself(doc, log):
    old = os.umask(0o022)
    try:
        log.append(doc, reviewer="amal", segment="s1", action="comment", note="راجع «براون»")
    finally:
        os.umask(old)
    data = log.path.read_bytes()
    assert "راجع «براون»".encode() in data and b"\\u" not in data  # one line of UTF-8, not \u escapes
    assert oct(log.path.stat().st_mode & 0o777) == oct(0o644)
    assert log.lock_path == log.path.with_name(log.path.name + ".lock") and log.lock_path.exists()
