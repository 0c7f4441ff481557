"""Issue 10, item 9: odd XML never crashes import or export.

XLIFF import of a file with a DTD or entity, an invalid ``<cp>``, or malformed XML is a clear
``file:line: message`` error with nothing written; export replaces what XML 1.0 cannot hold
and still validates against the official schemas, while the review log keeps the original.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from publish_helpers import demo_document, log_bytes, save

import translate.cli.publish_cmds  # noqa: F401  (registers the commands)
from translate.cli import cli
from translate.errors import InputFileError
from translate.interchange.units import parse_xml, validate_tmx, validate_xliff
from translate.review.log import ReviewLog, states
from translate.review.chain import line_sha
from translate.review.events import ZERO_SHA
from translate.interchange.xliff import export_xliff, import_xliff


@pytest.fixture
def doc():
    doc = save(demo_document())
    ReviewLog.for_document("demo").append(doc, reviewer="amal", segment="s3", action="comment", note="short")
    return doc


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def exported(doc) -> str:
    export_xliff(doc, states(doc), "out.xlf")
    return Path("out.xlf").read_text(encoding="utf-8")


S5 = "<target>He added that it was rare.</target>"


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


CASES = {
    "internal-entity": (
        lambda t: t.replace("?>\n", '?>\n<!DOCTYPE xliff [<!ENTITY boom "He added it was rare.">]>\n', 1)
                   .replace(S5, "<target>&boom;</target>"),
        "<!DOCTYPE", "a DOCTYPE (DTD) is not allowed here: entities are never expanded; remove the DOCTYPE "
                     "and any entity references"),
    "external-entity": (
        lambda t: t.replace("?>\n", '?>\n<!DOCTYPE xliff [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n', 1)
                   .replace(S5, "<target>&x;</target>"),
        "<!DOCTYPE", "a DOCTYPE (DTD) is not allowed here"),
    "undeclared-entity": (
        lambda t: t.replace(S5, "<target>He added &rare;</target>"), "&rare;", "not well-formed XML: Entity 'rare' "
                                                                            "not defined"),
    "surrogate-cp": (
        lambda t: t.replace(S5, '<target>He added<cp hex="D800"/> it was rare.</target>'), '<cp hex="D800"/>',
        "<cp hex='D800'> is not a Unicode scalar value (a surrogate, out of range, or not hexadecimal)"),
    "out-of-range-cp": (
        lambda t: t.replace(S5, '<target>He added<cp hex="110000"/></target>'), '<cp hex="110000"/>',
        "<cp hex='110000'> is not a Unicode scalar value"),
    "empty-cp": (
        lambda t: t.replace(S5, '<target>He added<cp hex=""/></target>'), '<cp hex=""/>',
        "<cp hex=''> is not a Unicode scalar value"),
    "odd-cp": (
        lambda t: t.replace(S5, '<target>He added<cp hex="7"/></target>'), '<cp hex="7"/>',
        "not valid XLIFF 2.1: Element '{urn:oasis:names:tc:xliff:document:2.0}cp', attribute 'hex': '7' is not a "
        "valid value of the atomic type 'xs:hexBinary'."),
    "malformed": (
        lambda t: t.replace(S5, "<target>He added <b>it was rare.</target>"), "<b>it was rare.",
        "not well-formed XML: Opening and ending tag mismatch: b line"),
    "surrogate-cp-in-source": (
        lambda t: t.replace("<source>زينة</source>", '<source>زينة<cp hex="DFFF"/></source>'), '<cp hex="DFFF"/>',
        "<cp hex='DFFF'> is not a Unicode scalar value"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_xliff_is_a_clear_file_line_error_and_nothing_is_written(doc, case):
    change, at, message = CASES[case]
    text = change(exported(doc))
    Path("out.xlf").write_text(text, encoding="utf-8")
    before = log_bytes("demo")
    result = run("import", "demo", "out.xlf", "--reviewer", "omar")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: out.xlf:{line_of(text, at)}: {message}"), result.stderr
    assert "Traceback" not in result.output and result.exception.__class__ is SystemExit
    assert log_bytes("demo") == before
    with pytest.raises(InputFileError):
        import_xliff("demo", "out.xlf", "omar")


def test_a_valid_cp_still_decodes(doc):
    text = exported(doc).replace(S5, '<target>He added<cp hex="0007"/> it was rare.</target>')
    Path("out.xlf").write_text(text, encoding="utf-8")
    result = import_xliff("demo", "out.xlf", "omar")
    assert [(e.segment, e.text) for e in result.applied] == [("s5", "He added\x07 it was rare.")]


def test_comments_in_a_target_are_not_taken_as_text(doc):
    text = exported(doc).replace(S5, "<target>He added<!-- CAT tool remark --> it was rare.</target>")
    Path("out.xlf").write_text(text, encoding="utf-8")
    assert [e.text for e in import_xliff("demo", "out.xlf", "omar").applied] == ["He added it was rare."]


def test_tmx_validation_still_reads_its_own_doctype(doc):
    assert run("export", "demo", "--tmx", "out.tmx").exit_code == 0
    validate_tmx("out.tmx")
    with pytest.raises(InputFileError, match="a DOCTYPE"):
        parse_xml("out.tmx")


def _forge(doc, text: str, name: str) -> bytes:
    """A log whose chain is intact but holds what the tool itself would never write."""
    log = ReviewLog.for_document("demo")
    log.path.unlink()
    log.append(doc, reviewer="amal", segment="s5", action="edit", text="placeholder")
    log.append(doc, reviewer="amal", segment="s5", action="approve")
    events = [json.loads(x) for x in log.path.read_text(encoding="utf-8").splitlines()]
    events[0]["text"] = text
    events[1]["reviewer"] = name
    from translate.review.events import sha256_hex

    events[1]["text_sha"] = sha256_hex(text)
    lines, prev = [], ZERO_SHA
    for ev in events:
        line = (json.dumps({**ev, "prev": prev}) + "\n").encode("ascii")  # \\ud800 stays an escape
        lines.append(line)
        prev = line_sha(line)
    log.path.write_bytes(b"".join(lines))
    return b"".join(lines)


@pytest.mark.parametrize("text, name", [("He added\ud800 it was rare.", "lina\ufffe"),
                                        ("He added\x0b it was rare.\x00", "lina\x7f\x08")])
def test_export_of_text_xml_cannot_hold_validates_and_the_log_keeps_it(doc, text, name):
    original = _forge(doc, text, name)
    assert run("review", "verify", "demo").exit_code == 0
    result = run("export", "demo", "--xliff", "out.xlf", "--tmx", "out.tmx")
    assert result.exit_code == 0, result.output
    validate_xliff("out.xlf")
    validate_tmx("out.tmx")
    assert log_bytes("demo") == original
    assert states(doc)["s5"].text == text
