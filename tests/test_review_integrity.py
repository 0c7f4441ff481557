"""Issue 10: an approval binds the Arabic and English it approved, the review log is a hash chain,
QA errors gate approval, and a non-partial XLIFF import writes everything or nothing.

Each test is written from a reproduction in the issue; on the old code every one of them fails
(publish exit 0 with unapproved English, a forged log accepted, a QA-failing approval written,
an import half-applied).
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from click.testing import CliRunner
from lxml import etree
from publish_helpers import demo_document, log_bytes, save, seed_document
from review_helpers import save_document
from starlette.testclient import TestClient

import translate.cli.publish_cmds  # noqa: F401  (registers the commands)
from translate.cli import cli
from translate.errors import ApprovalRefusedError, PublishRefusedError, ReviewConflictError
from translate.interchange.units import XLIFF_NS, validate_tmx, validate_xliff
from translate.paths import corpus_dir
from translate.review.publish import publish
from translate.review.log import ReviewLog, Write, states
from translate.review.chain import line_sha
from translate.review.events import ZERO_SHA, is_approved, sha256_hex
from translate.interchange.xliff import export_xliff

NS = {"x": XLIFF_NS}
BROWN_MISSING = "  s4: terms: glossary term 'Brown' missing (for 'براون')"


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def doc():
    return save(demo_document())


def log_of(doc_id: str = "demo") -> ReviewLog:
    return ReviewLog.for_document(doc_id)


def review(doc, sid, action, reviewer="amal", **kw):
    return log_of(doc.doc_id).append(doc, reviewer=reviewer, segment=sid, action=action, **kw)


def approve_all(doc, reviewer="amal"):
    run("review", "approve", doc.doc_id, "--all", "-r", reviewer)
    assert all(is_approved(st) for st in states(doc).values())


def lines_of(doc_id: str = "demo") -> list[dict]:
    return [json.loads(x) for x in log_bytes(doc_id).decode("utf-8").splitlines()]


def write_log(events: list[dict], *, rechain: bool, doc_id: str = "demo") -> None:
    """Write ``events`` as the log; with ``rechain`` every ``prev`` is recomputed (an attacker who
    knows the format), else the lines keep whatever ``prev`` they have."""
    out, prev = [], ZERO_SHA
    for event in events:
        if rechain:
            event = {**event, "prev": prev}
        line = (json.dumps(event, ensure_ascii=False) + "\n").encode("utf-8")
        out.append(line)
        prev = line_sha(line)
    log_of(doc_id).path.write_bytes(b"".join(out))


def resave(doc, **changes):
    """What an older ``translate run`` did on a re-run: same ids, new Arabic and/or new MT."""
    segments = tuple(replace(s, **changes[s.id]) if s.id in changes else s for s in doc.segments)
    return save(replace(doc, segments=segments))


# ---------------------------------------------------------------- item 1: approval binds content


def test_changed_arabic_under_an_approval_is_stale_and_publish_refuses(doc):
    approve_all(doc)
    assert publish("demo")
    published = (corpus_dir() / "demo" / "published" / "provenance.json").read_bytes()
    # the reproduction: "القرار جيد" becomes "القرار سيئ جدا ومرفوض", same segment id
    changed = resave(doc, s5={"source": "القرار سيئ جدا ومرفوض", "translation": "He added that it was rare."})
    s5 = states(changed)["s5"]
    assert (s5.status, s5.reason, s5.approved_by) == ("stale", "source changed", None)
    result = run("publish", "demo")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: cannot publish 'demo': 1 problem (approve every segment and fix QA errors, or use --draft):\n"
        "  s5: stale: source changed\n")
    assert (corpus_dir() / "demo" / "published" / "provenance.json").read_bytes() == published
    status = run("review", "status", "demo")
    assert "s5  stale     rev 0  -  He added that it was rare.\n    stale: source changed (review it again)\n" \
        in status.output
    assert status.output.startswith("demo: 6 segments, 0 draft, 0 edited, 5 approved, 0 rejected, 1 stale\n")
    data = json.loads(run("review", "status", "demo", "--json").output)
    assert (data["segments"][4]["status"], data["segments"][4]["reason"]) == ("stale", "source changed")
    # re-approving the new Arabic makes it publishable again
    assert run("review", "approve", "demo", "s5", "-r", "lina").exit_code == 0
    assert is_approved(states(changed)["s5"])
    assert publish("demo")


def test_an_inserted_sentence_does_not_move_approvals_to_other_arabic(doc):
    approve_all(doc)
    # ids by position: a sentence inserted after s3 shifts s4.. onto other Arabic
    shifted = [("s4", "قال مسؤول إن الاجتماع تأجل.", "An official said the meeting was postponed."),
               ("s5", doc.segment("s4").source, doc.segment("s4").translation),
               ("s6", doc.segment("s5").source, doc.segment("s5").translation)]
    resave(doc, **{sid: {"source": ar, "translation": en, "terms": ()} for sid, ar, en in shifted})
    result = run("publish", "demo")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1:] == ["  s4: stale: source changed", "  s5: stale: source changed",
                                              "  s6: stale: source changed"]


def test_new_mt_under_an_approved_unedited_segment_is_stale(doc):
    approve_all(doc)
    review(doc, "s4", "edit", text="General Brown said the call took place.")
    review(doc, "s4", "approve")
    # a re-run with another model, glossary or beam: same Arabic, new MT
    changed = resave(doc, s2={"translation": "Zaina"}, s4={"translation": "Brown said it happened."})
    now = states(changed)
    assert (now["s2"].status, now["s2"].reason, now["s2"].text) == ("stale", "translation changed", "Zaina")
    assert is_approved(now["s4"]) and now["s4"].text == "General Brown said the call took place."
    with pytest.raises(PublishRefusedError) as err:
        publish("demo")
    assert err.value.problems == ["s2: stale: translation changed"]
    run("export", "demo", "--tmx", "out.tmx", "--xliff", "out.xlf")
    assert [tu.get("tuid") for tu in etree.parse("out.tmx").getroot().iter("tu")] == ["s1", "s3", "s4", "s5", "s6"]
    s2 = etree.parse("out.xlf").find(".//x:unit[@id='s2']", NS)
    assert s2.find("x:segment", NS).get("state") == "initial"
    assert s2.findtext("x:notes/x:note[@category='review']", namespaces=NS) == (
        "stale: translation changed: its approval no longer holds; review it again")


def test_events_keep_their_arabic_when_the_source_changes_back(doc):
    review(doc, "s5", "edit", text="He added that such calls were rare.")
    changed = resave(doc, s5={"source": "وأضاف أنها كانت نادرة جدا."})
    assert states(changed)["s5"].status == "draft"  # the edit was of other Arabic
    resave(changed, s5={"source": doc.segment("s5").source})
    assert states(doc)["s5"].text == "He added that such calls were rare."


# ---------------------------------------------------------------- item 4: the hash chain


def test_every_event_is_chained_and_verify_says_so(doc):
    review(doc, "s4", "edit", text="General Brown said the call took place.")
    review(doc, "s4", "approve", reviewer="bob")
    review(doc, "s1", "comment", note="fine")
    raw = log_bytes("demo").splitlines(keepends=True)
    events = lines_of()
    assert events[0]["prev"] == "0" * 64
    assert [e["prev"] for e in events[1:]] == [line_sha(x) for x in raw[:-1]]
    assert events[1]["text_sha"] == sha256_hex("General Brown said the call took place.")
    assert events[1]["source_sha"] == sha256_hex("قال براون إن المكالمة جرت.")
    result = run("review", "verify", "demo")
    assert (result.exit_code, result.output) == (0, "demo: 3 events, chain intact\n")
    assert run("review", "verify", "other").output == "other: 0 events, chain intact\n"


def _edited_and_approved(doc):
    review(doc, "s1", "approve")
    review(doc, "s4", "edit", text="General Brown said the call took place.")
    review(doc, "s4", "approve")
    return lines_of()


ATTACKS = {
    # the three hand edits, as written there (no chain) and by someone who recomputes it
    "appended-approve-as-in-issue": (
        lambda ev: ev + [{"action": "approve", "base_rev": 99}], False,
        "4: invalid event (missing seq, at, reviewer, segment): run 'translate review repair demo' to move it aside"),
    "appended-approve-no-prev": (
        lambda ev: ev + [{**ev[0], "seq": 4, "segment": "s6", "base_rev": 99, "prev": None}], False,
        "4: no 'prev' hash: the hash chain is broken here (a line in an older format, or written by hand)"),
    "appended-approve-rev-99": (
        lambda ev: ev + [{**ev[0], "seq": 4, "segment": "s6", "base_rev": 99,
                          "source_sha": sha256_hex("أعلن بلينكن عن 725 مليون دولار."),
                          "text_sha": sha256_hex("Blinken announced 725 million dollars.")}], True,
        "4: approve of s6 names rev 99, but s6 is at rev 0 at this point of the log"),
    "approve-rev-0-of-text-at-rev-1": (
        lambda ev: [ev[0], ev[1], {**ev[2], "base_rev": 0, "text_sha": sha256_hex("Brown said the call took place.")}],
        True, "3: approve of s4 names rev 0, but s4 is at rev 1 at this point of the log"),
    "approved-edit-rewritten-in-place": (
        lambda ev: [ev[0], {**ev[1], "text": "General Brown said the call never happened."}, ev[2]], False,
        "3: 'prev' does not match the hash of line 2: the hash chain is broken here (a line before it was "
        "changed, removed or inserted, or this line was not written by translate)"),
    "approved-edit-rewritten-and-rechained": (
        lambda ev: [ev[0], {**ev[1], "text": "General Brown said the call never happened."}, ev[2]], True,
        "3: approval of s4 at rev 1: 'text_sha' is not the hash of that revision's text (the edit on line 2)"),
    "older-format-line": (
        lambda ev: [{k: v for k, v in ev[0].items() if k != "prev"}, *ev[1:]], False,
        "1: no 'prev' hash: the hash chain is broken here (a line in an older format, or written by hand)"),
    "line-removed": (
        lambda ev: [ev[0], {**ev[2], "seq": 2}], False,
        "2: 'prev' does not match the hash of line 1: the hash chain is broken here (a line before it was "
        "changed, removed or inserted, or this line was not written by translate)"),
    "source-sha-dropped": (
        lambda ev: [{**ev[0], "source_sha": None}, *ev[1:]], True,
        "1: 'source_sha' is missing or not a SHA-256 hex digest"),
}


@pytest.mark.parametrize("attack", ATTACKS, ids=list(ATTACKS))
def test_a_tampered_log_is_refused_by_verify_status_export_and_publish(doc, attack):
    mutate, rechain, problem = ATTACKS[attack]
    write_log(mutate(_edited_and_approved(doc)), rechain=rechain)
    tampered = log_bytes("demo")
    message = f"{log_of().path}:{problem}"
    result = run("review", "verify", "demo")
    assert (result.exit_code, result.output) == (1, message + "\n")
    for args in (("review", "status", "demo"), ("review", "status", "demo", "--json"), ("publish", "demo"),
                 ("publish", "demo", "--draft"), ("export", "demo", "--tmx", "out.tmx"),
                 ("export", "demo", "--xliff", "out.xlf"), ("review", "approve", "demo", "s2", "-r", "amal")):
        result = run(*args)
        assert (result.exit_code, result.output) == (1, f"Error: {message}\n"), args
    assert not (corpus_dir() / "demo" / "published").exists()
    assert log_bytes("demo") == tampered


def test_repair_moves_only_a_torn_tail_never_a_broken_chain(doc):
    events = _edited_and_approved(doc)
    write_log([*events[:2], {**events[2], "base_rev": 0}], rechain=True)
    tampered = log_bytes("demo")
    result = run("review", "repair", "demo")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {log_of().path}:3: approve of s4 names rev 0, but s4 is at rev 1 at this point of the log; "
        "it is not a torn write: fix the file by hand\n")
    assert log_bytes("demo") == tampered
    assert list(log_of().path.parent.glob("*.torn-*")) == []
    # a torn last line is still moved aside, its bytes kept, and the chain goes on from the line before
    write_log(events, rechain=False)
    with log_of().path.open("ab") as fh:
        fh.write(b'{"seq": 4, "at": "2024')
    assert run("review", "repair", "demo").exit_code == 0
    assert next(log_of().path.parent.glob("demo.jsonl.torn-*")).read_bytes() == b'{"seq": 4, "at": "2024'
    review(doc, "s2", "approve")
    assert run("review", "verify", "demo").output == "demo: 4 events, chain intact\n"


# ---------------------------------------------------------------- item 6: QA gates approval


QA_REFUSAL = ("QA errors block approval of {ids} (nothing was written; fix the English, or give an override "
              "reason to approve anyway):\n{lines}")


def test_approving_english_with_qa_errors_is_refused_listing_them(doc):
    review(doc, "s4", "edit", text="The general said the call took place.")
    result = run("review", "approve", "demo", "s1", "s4", "-r", "bob")
    assert result.exit_code == 1
    assert result.output == "Error: " + QA_REFUSAL.format(ids="s4", lines=BROWN_MISSING) + "\n"
    assert len(log_of().events()) == 1  # s1 was not approved either
    with pytest.raises(ApprovalRefusedError) as err:
        review(doc, "s4", "approve")
    assert str(err.value) == QA_REFUSAL.format(ids="s4", lines=BROWN_MISSING)
    assert [sid for sid, _ in err.value.failures] == ["s4"]


def test_approve_all_refuses_the_whole_command_when_any_segment_fails_qa(doc):
    review(doc, "s4", "edit", text="The general said the call took place.")
    review(doc, "s6", "edit", text="Blinken announced new aid.")
    before = log_bytes("demo")
    result = run("review", "approve", "demo", "--all", "-r", "bob")
    assert result.exit_code == 1
    assert result.output == "Error: " + QA_REFUSAL.format(ids="s4, s6", lines=BROWN_MISSING + "\n"
        "  s6: numbers: number 725 مليون (725000000) missing from the English") + "\n"
    assert log_bytes("demo") == before


def test_an_override_reason_is_logged_and_published_in_provenance(doc, tmp_path):
    review(doc, "s4", "edit", text="The general said the call took place.")
    result = run("review", "approve", "demo", "--all", "-r", "bob", "--override", "Brown is named in s3 already")
    assert result.exit_code == 0
    assert "s4: approved at rev 1 by bob (QA override: Brown is named in s3 already)\n" in result.output
    events = log_of().events()
    assert [(e.segment, e.override) for e in events if e.override] == [("s4", "Brown is named in s3 already")]
    assert [e.override for e in events if e.segment == "s1"] == [None]  # no QA error: no override recorded
    assert "    approved despite QA errors: Brown is named in s3 already\n" in run("review", "status", "demo").output
    assert run("publish", "demo", "--out", tmp_path / "site").exit_code == 0
    record = json.loads((tmp_path / "site" / "provenance.json").read_text(encoding="utf-8"))
    s4 = states(doc)["s4"]
    assert record["overrides"] == [{
        "segment": "s4", "approved_by": "bob", "approved_at": s4.approved_at, "reason": "Brown is named in s3 already",
        "qa_errors": ["terms: glossary term 'Brown' missing (for 'براون')"]}]
    # an edit after the override needs a new approval, and a new override if QA still fails
    review(doc, "s4", "edit", text="The general said it took place.")
    assert states(doc)["s4"].override is None


@pytest.mark.parametrize(
    "args, code, message",
    [
        (("approve", "demo", "s4", "-r", "bob", "--override", "  "), 1, "an override needs a reason"),
        (("reject", "demo", "s4", "-r", "bob", "--override", "x"), 2, "No such option '--override'."),
    ],
)
def test_override_usage_errors(doc, args, code, message):
    result = run("review", *args)
    assert result.exit_code == code and result.output.splitlines()[-1].startswith(f"Error: {message}")
    assert log_bytes("demo") == b""


def test_the_review_page_cannot_approve_a_segment_with_qa_errors():
    doc = save_document()
    review(doc, "s3", "edit", text="The army said aid hit $725 million.")
    from translate.server.app import create_app

    client = TestClient(create_app())
    token = _csrf(client.get("/").text)
    client.post("/whoami", data={"name": "amal", "csrf": token, "next": "/doc/doc-1"})
    csrf = _csrf(client.get("/doc/doc-1").text)
    r = client.post("/doc/doc-1/s3/approve", data={"csrf": csrf, "base_rev": "1"}, headers={"Accept": "application/json"})
    assert (r.status_code, r.json()["error"]) == (422, QA_REFUSAL.format(
        ids="s3", lines="  s3: terms: glossary term 'US military' missing (for 'الجيش الأميركي')"))
    assert states(doc)["s3"].status == "edited" and len(log_of("doc-1").events()) == 1
    # with a reason (the page's box) the same library write path approves and logs it
    r = client.post("/doc/doc-1/s3/approve", data={"csrf": csrf, "base_rev": "1", "override": "army = US military"},
                    headers={"Accept": "application/json"})
    assert r.status_code == 200
    state = states(doc)["s3"]
    assert (state.status, state.approved_by, state.override) == ("approved", "amal", "army = US military")


def _csrf(html: str) -> str:
    import re

    return re.search(r'<meta name="csrf-token" content="([^"]+)">', html).group(1)


# ---------------------------------------------------------------- item 7: all-or-nothing import


def _cat_edit_every_unit(path):
    tree = etree.parse(str(path))
    for unit in tree.getroot().iter(f"{{{XLIFF_NS}}}unit"):
        target = unit.find("x:segment/x:target", NS)
        target.text = target.text + " (checked)"
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def test_import_with_a_concurrent_edit_writes_nothing(monkeypatch):
    doc = save(seed_document())
    export_xliff(doc, states(doc), "out.xlf")
    _cat_edit_every_unit("out.xlf")
    import translate.interchange.xliff as xliff

    real_plan = xliff.plan_import

    def plan_then_someone_edits(units, current):
        planned = real_plan(units, current)
        review(doc, "s21", "edit", reviewer="zeina", text="Zeina's fix.")  # between planning and writing
        return planned

    monkeypatch.setattr(xliff, "plan_import", plan_then_someone_edits)
    result = run("import", "seed", "out.xlf", "--reviewer", "omar")
    assert result.exit_code == 1
    assert result.stdout == "0 events applied, 1 conflicts, 0 units unchanged\n"
    assert result.stderr == (
        "conflict: s21: edited here since the export (exported at rev 0, now rev 1 by zeina); current text "
        "\"Zeina's fix.\", imported 'English line 21. (checked)'\n"
        "nothing applied: resolve the conflicts or use --partial\n")
    assert [(e.reviewer, e.segment) for e in log_of("seed").events()] == [("zeina", "s21")]


def test_import_writes_every_event_in_one_append(monkeypatch):
    doc = save(seed_document())
    export_xliff(doc, states(doc), "out.xlf")
    _cat_edit_every_unit("out.xlf")
    writes = []
    real_write = ReviewLog._write
    monkeypatch.setattr(ReviewLog, "_write", lambda self, data: (writes.append(data), real_write(self, data)))
    result = run("import", "seed", "out.xlf", "--reviewer", "omar")
    assert result.exit_code == 0 and result.output.endswith("21 events applied, 0 conflicts, 0 units unchanged\n")
    assert len(writes) == 1 and writes[0].count(b"\n") == 21
    assert run("review", "verify", "seed").output == "seed: 21 events, chain intact\n"


def test_import_approving_english_with_qa_errors_is_refused_unless_overridden(doc):
    export_xliff(doc, states(doc), "out.xlf")
    tree = etree.parse("out.xlf")
    for sid, text in (("s4", "The general said the call took place."), ("s5", "He added it was rare.")):
        seg = tree.find(f".//x:unit[@id='{sid}']/x:segment", NS)
        seg.find("x:target", NS).text = text
        seg.set("state", "final")
    tree.write("out.xlf", xml_declaration=True, encoding="UTF-8")
    result = run("import", "demo", "out.xlf", "--reviewer", "omar")
    assert (result.exit_code, result.output) == (1, "Error: " + QA_REFUSAL.format(ids="s4", lines=BROWN_MISSING) + "\n")
    assert log_bytes("demo") == b""
    result = run("import", "demo", "out.xlf", "--reviewer", "omar", "--override", "name given in the lead")
    assert result.exit_code == 0
    assert [(e.segment, e.action, e.override) for e in log_of().events()] == [
        ("s4", "edit", None), ("s4", "approve", "name given in the lead"), ("s5", "edit", None), ("s5", "approve", None)]


def test_partial_import_applies_each_unit_whole_or_not_at_all(doc):
    export_xliff(doc, states(doc), "out.xlf")
    tree = etree.parse("out.xlf")
    for sid, text in (("s4", "The general said the call took place."), ("s5", "He added it was rare.")):
        seg = tree.find(f".//x:unit[@id='{sid}']/x:segment", NS)
        seg.find("x:target", NS).text = text
        seg.set("state", "final")
    tree.write("out.xlf", xml_declaration=True, encoding="UTF-8")
    result = run("import", "demo", "out.xlf", "--reviewer", "omar", "--partial")
    assert result.exit_code == 1
    assert result.stdout == "s5: edit\ns5: approve\n2 events applied, 1 conflicts, 4 units unchanged\n"
    assert result.stderr.startswith("conflict: s4: QA errors block its approval: terms: glossary term 'Brown' "
                                    "missing (for 'براون'); current text 'Brown said the call took place.'")
    assert states(doc)["s4"].rev == 0


# ---------------------------------------------------------------- the log keeps what the export cannot hold


def test_control_characters_in_a_logged_reviewer_name_and_text_export_as_valid_xml(doc):
    review(doc, "s1", "approve")
    review(doc, "s4", "edit", text="Brown\x07 said the call took place.", note="bell\x01")
    review(doc, "s4", "approve")
    events = lines_of()
    events[2]["reviewer"] = "am\x1bal"  # a name the CLI would refuse, in a log whose chain is intact
    write_log(events, rechain=True)
    original = log_bytes("demo")
    assert run("review", "verify", "demo").exit_code == 0
    result = run("export", "demo", "--tmx", "out.tmx", "--xliff", "out.xlf")
    assert result.exit_code == 0, result.output
    validate_tmx("out.tmx")
    validate_xliff("out.xlf")
    tu = etree.parse("out.tmx").find(".//tu[@tuid='s4']")
    assert (tu.get("creationid"), tu.get("changeid")) == ("amal", "am\ufffdal")
    assert tu.findtext("tuv[2]/seg") == "Brown\ufffd said the call took place."
    s4 = etree.parse("out.xlf").find(".//x:unit[@id='s4']", NS)
    assert s4.findtext("x:notes/x:note[@category='comment']", namespaces=NS).endswith("): bell\ufffd")
    assert s4.find("x:segment/x:target/x:cp", NS).get("hex") == "0007"  # a target keeps it as <cp>
    assert log_bytes("demo") == original
    assert states(doc)["s4"].approved_by == "am\x1bal"


def test_record_many_checks_every_write_before_writing_any(doc):
    log = log_of()
    with pytest.raises(ApprovalRefusedError):
        log.record_many(doc, "amal", [Write("s1", "approve"), Write("s4", "edit", text="Nothing about him."),
                                      Write("s4", "approve")])
    assert log_bytes("demo") == b""
    written = log.record_many(doc, "amal", [Write("s5", "edit", text="He added it was rare.", base_rev=0),
                                            Write("s5", "approve", base_rev=1)])
    assert [(e.action, s.status, s.rev) for e, s in written] == [("edit", "edited", 1), ("approve", "approved", 1)]
    with pytest.raises(ReviewConflictError) as err:
        log.record_many(doc, "amal", [Write("s1", "approve"), Write("s5", "edit", text="x", base_rev=0)])
    assert str(err.value).startswith("conflict: segment s5 is at rev 1")
    assert len(log.events()) == 2
