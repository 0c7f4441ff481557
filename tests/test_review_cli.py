"""``translate review ...``: exact output, exact errors and exit codes."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from review_helpers import save_document

from translate.cli import cli
from translate.review.log import ReviewLog

AT = "2024-05-01T09:30:00Z"


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr("translate.review.log.now_utc", lambda: AT)
    monkeypatch.delenv("TRANSLATE_REVIEWER", raising=False)


@pytest.fixture
def doc():
    return save_document()


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(cli, list(args), env=env)


STATUS_FRESH = """\
doc-1: 5 segments, 5 draft, 0 edited, 0 approved, 0 rejected, 0 stale
s1  draft     rev 0  -  Rare contact between the leaders of the two armies
s2  draft     rev 0  -  Zeina
s3  draft     rev 0  -  The US military said the aid reached $725 million.
s4  draft     rev 0  -  Someone wrote <script>alert(1)</script> in the comment.
s5  draft     rev 0  -  He made 3 calls in 2023.
"""


def test_status_of_a_fresh_document(doc):
    result = run("review", "status", "doc-1")
    assert (result.exit_code, result.output) == (0, STATUS_FRESH)


def test_a_review_session_end_to_end(doc):
    steps = [
        (("edit", "doc-1", "s3", "--text", "The army said aid hit $725.", "-r", "amal"),
         "s3: edited by amal, now rev 1\n"
         "    error: numbers: number ٧٢٥ مليون (725000000) missing from the English\n"
         "    error: terms: glossary term 'US military' missing (for 'الجيش الأميركي')\n"),
        (("edit", "doc-1", "s3", "--text", "The US military said aid hit $725 million.", "-r", "amal",
          "--base-rev", "1"), "s3: edited by amal, now rev 2\n"),
        (("approve", "doc-1", "s1", "s3", "-r", "bob"),
         "s1: approved at rev 0 by bob\ns3: approved at rev 2 by bob\n"),
        (("reject", "doc-1", "s5", "-r", "bob", "--note", "wrong year"), "s5: rejected at rev 0 by bob\n"),
        (("comment", "doc-1", "s5", "--text", "it was 2022", "-r", "amal"), "s5: comment by amal\n"),
        (("reopen", "doc-1", "s5", "-r", "amal"), "s5: reopened by amal, now draft at rev 0\n"),
    ]
    for args, expected in steps:
        result = run("review", *args)
        assert (result.exit_code, result.output) == (0, expected), args
    result = run("review", "status", "doc-1")
    assert result.output == (
        "doc-1: 5 segments, 3 draft, 0 edited, 2 approved, 0 rejected, 0 stale\n"
        "s1  approved  rev 0  bob  Rare contact between the leaders of the two armies\n"
        "s2  draft     rev 0  -  Zeina\n"
        "s3  approved  rev 2  bob  The US military said aid hit $725 million.\n"
        "s4  draft     rev 0  -  Someone wrote <script>alert(1)</script> in the comment.\n"
        "s5  draft     rev 0  -  He made 3 calls in 2023.\n"
    )
    result = run("review", "log", "doc-1", "--segment", "s5")
    assert result.output == (
        f'#5 {AT} bob reject s5 rev 0 note="wrong year"\n'
        f'#6 {AT} amal comment s5 rev 0 note="it was 2022"\n'
        f"#7 {AT} amal reopen s5 rev 0\n"
    )
    result = run("review", "log", "doc-1", "--json")
    assert [json.loads(line)["seq"] for line in result.output.splitlines()] == list(range(1, 8))
    data = json.loads(run("review", "status", "doc-1", "--json").output)
    assert data["segments"][2]["text"] == "The US military said aid hit $725 million."
    assert data["segments"][4]["comments"] == [["bob", AT, "wrong year"], ["amal", AT, "it was 2022"]]


def test_approve_all_skips_approved_segments_and_reviewer_from_env(doc):
    run("review", "approve", "doc-1", "s2", "-r", "amal")
    result = run("review", "approve", "doc-1", "--all", env={"TRANSLATE_REVIEWER": "zeina"})
    assert (result.exit_code, result.output) == (0, "".join(
        f"{s}: approved at rev 0 by zeina\n" for s in ("s1", "s3", "s4", "s5")))
    result = run("review", "approve", "doc-1", "--all", "-r", "zeina")
    assert (result.exit_code, result.output) == (0, "nothing to do: no segment of doc-1 to approve\n")


@pytest.mark.parametrize(
    ("args", "code", "error"),
    [
        (("edit", "doc-1", "s3", "--text", "X", "-r", "bob", "--base-rev", "0"), 1,
         "Error: conflict: segment s3 is at rev 1 (edited by amal), not rev 0; current text: 'Amal text'\n"),
        (("approve", "doc-1", "s3", "-r", "bob", "--base-rev", "0"), 1,
         "Error: conflict: segment s3 is at rev 1 (edited by amal), not rev 0; current text: 'Amal text'\n"),
        (("approve", "doc-1", "s9", "-r", "bob"), 1, "Error: document 'doc-1' has no segment 's9'\n"),
        (("edit", "doc-1", "s9", "--text", "X", "-r", "bob"), 1, "Error: document 'doc-1' has no segment 's9'\n"),
        (("reopen", "doc-1", "s1", "-r", "bob"), 1,
         "Error: segment s1 is draft, not approved or rejected: nothing to reopen\n"),
        # the write rules of translate.review.rules: the library's message, exit 1
        (("edit", "doc-1", "s1", "--text", "x", "-r", "  "), 1, "Error: a reviewer name is required\n"),
        (("comment", "doc-1", "s1", "--text", " ", "-r", "bob"), 1, "Error: a comment cannot be empty\n"),
        (("edit", "doc-1", "s1", "--text", " ", "-r", "bob"), 1, "Error: an edit needs a text\n"),
        (("status", "nope"), 1,
         "Error: no document 'nope': {corpus}/nope/bilingual.json does not exist (run 'translate run ARTICLE' first)\n"),
        (("status", "../etc"), 1,
         "Error: invalid document id '../etc': use letters, digits, '.', '_' and '-'\n"),
    ],
)
def test_errors_are_one_clear_line(doc, isolated_paths, args, code, error):
    run("review", "edit", "doc-1", "s3", "--text", "Amal text", "-r", "amal")
    result = run("review", *args)
    assert result.exit_code == code
    assert result.output == error.format(corpus=isolated_paths / "corpus")
    assert len(ReviewLog.for_document("doc-1").events()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("approve", "doc-1", "-r", "amal"), "Error: give one or more segment ids, or --all"),
        (("approve", "doc-1", "s1", "--all", "-r", "amal"), "Error: give segment ids or --all, not both"),
        (("approve", "doc-1", "s1", "s2", "--base-rev", "0", "-r", "amal"),
         "Error: --base-rev needs exactly one segment id"),
        (("approve", "doc-1", "s1"), "Error: Missing option '--reviewer' / '-r'."),
        (("edit", "doc-1", "s1", "-r", "amal"), "Error: Missing option '--text' / '-t'."),
        (("edit", "doc-1", "s1", "--text", "x", "-r", "amal", "--base-rev", "-1"),
         "Error: Invalid value for '--base-rev': -1 is not in the range x>=0."),
    ],
)
def test_usage_errors_exit_2(doc, args, message):
    result = run("review", *args)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == message
    assert not ReviewLog.for_document("doc-1").path.exists()


def test_torn_log_is_reported_by_every_command_and_repaired_on_request(doc):
    run("review", "approve", "doc-1", "s1", "-r", "amal")
    log = ReviewLog.for_document("doc-1")
    with log.path.open("ab") as fh:
        fh.write(b'{"seq": 2, "at": "2024-05-01T09:3')
    torn = log.path.read_bytes()
    expected = (f"Error: {log.path}:2: torn last line (no newline: a write was interrupted): "
                "run 'translate review repair doc-1' to move it aside\n")
    for args in (("status", "doc-1"), ("log", "doc-1"), ("approve", "doc-1", "s2", "-r", "amal"),
                 ("edit", "doc-1", "s2", "--text", "x", "-r", "amal")):
        result = run("review", *args)
        assert (result.exit_code, result.output) == (1, expected), args
    assert log.path.read_bytes() == torn
    result = run("review", "repair", "doc-1")
    assert result.exit_code == 0
    aside = next(log.path.parent.glob("doc-1.jsonl.torn-*"))
    assert result.output == f"{log.path}: moved line 2 to {aside}; 1 events kept\n"
    assert aside.read_bytes() == b'{"seq": 2, "at": "2024-05-01T09:3'
    assert run("review", "status", "doc-1").exit_code == 0
    result = run("review", "repair", "doc-1")
    assert (result.exit_code, result.output) == (0, f"{log.path}: nothing to repair\n")
