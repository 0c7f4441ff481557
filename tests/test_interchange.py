"""XLIFF 2.1 / TMX 1.4b export, schema validation, and XLIFF import as review events."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from publish_helpers import demo_document, log_bytes, save

import translate.cli.publish_cmds  # noqa: F401  (registers the commands)
from translate.cli import cli
from translate.errors import InputFileError
from translate.interchange.units import GLS_NS, MDA_NS, XLIFF_NS, validate_tmx, validate_xliff
from translate.review.log import ReviewLog, states
from translate.interchange.tmx import export_tmx, tmx_date
from translate.interchange.xliff import export_xliff, import_xliff

NS = {"x": XLIFF_NS, "mda": MDA_NS, "gls": GLS_NS}


@pytest.fixture
def doc():
    return save(demo_document())


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def review(doc, sid, action, reviewer="amal", **kw):
    return ReviewLog.for_document(doc.doc_id).append(doc, reviewer=reviewer, segment=sid, action=action, **kw)


def export(doc, path="out.xlf") -> Path:
    export_xliff(doc, states(doc), path)
    return Path(path)


def unit(tree, sid):
    return tree.find(f".//x:unit[@id='{sid}']", NS)


def cat_edit(path: Path, edits: dict[str, str] = {}, finals=()) -> Path:  # noqa: B006 - never mutated
    """What a CAT tool does: change some targets, mark some segments final, write the file back."""
    tree = etree.parse(str(path))
    for sid, text in edits.items():
        unit(tree, sid).find("x:segment/x:target", NS).text = text
    for sid in finals:
        unit(tree, sid).find("x:segment", NS).set("state", "final")
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    return path


# ---------------------------------------------------------------- export


@pytest.mark.parametrize(
    "events, state, sub_state",
    [
        ([], "initial", None),
        ([("edit", {"text": "Brown said it happened.", "base_rev": 0})], "translated", None),
        ([("reject", {"note": "too loose"})], "reviewed", "translate:rejected"),
        ([("approve", {})], "final", None),
        ([("edit", {"text": "Brown said so.", "base_rev": 0}), ("approve", {"base_rev": 1})], "final", None),
    ],
)
def test_xliff_state_follows_review_status(doc, events, state, sub_state):
    for action, kw in events:
        review(doc, "s4", action, **kw)
    validate_xliff(export(doc))
    seg = unit(etree.parse("out.xlf"), "s4").find("x:segment", NS)
    assert (seg.get("state"), seg.get("subState")) == (state, sub_state)
    assert seg.find("x:target", NS).text == states(doc)["s4"].text


def test_xliff_export_structure(doc):
    review(doc, "s4", "edit", text="General Brown said the call took place.", base_rev=0, note="name the rank")
    assert export_xliff(doc, states(doc), "out.xlf") == 6
    validate_xliff("out.xlf")
    root = etree.parse("out.xlf").getroot()
    assert (root.get("version"), root.get("srcLang"), root.get("trgLang")) == ("2.1", "ar", "en")
    [file_el] = root.findall("x:file", NS)
    assert file_el.get("id") == "demo"
    assert [u.get("id") for u in file_el.findall("x:unit", NS)] == ["s1", "s2", "s3", "s4", "s5", "s6"]
    s4 = unit(root, "s4")
    meta = {m.get("type"): m.text for m in s4.iterfind(".//mda:meta", NS)}
    assert {k: meta[k] for k in ("kind", "paragraph", "rev", "status")} == {
        "kind": "sentence", "paragraph": "3", "rev": "1", "status": "edited"}
    notes = [(n.get("category"), n.text) for n in s4.iterfind("x:notes/x:note", NS)]
    assert notes[0] == ("glossary", "براون = Brown (person): General Charles Q. Brown")
    assert notes[1][0] == "comment" and notes[1][1].startswith("amal (") and notes[1][1].endswith("): name the rank")
    entry = s4.find("gls:glossary/gls:glossEntry", NS)
    assert (entry.findtext("gls:term", namespaces=NS), entry.findtext("gls:translation", namespaces=NS)) == (
        "براون", "Brown")
    assert s4.findtext("x:segment/x:source", namespaces=NS) == "قال براون إن المكالمة جرت."
    assert unit(root, "s5").find("x:notes", NS) is None


def test_xliff_control_characters_survive_as_cp(doc):
    review(doc, "s5", "edit", text="He added\x07 it was rare.", base_rev=0)
    validate_xliff(export(doc))
    assert etree.parse("out.xlf").getroot().find(".//x:unit[@id='s5']//x:target/x:cp", NS).get("hex") == "0007"
    assert import_xliff("demo", "out.xlf", "omar").applied == ()  # decoded back to the same text


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "content, line, message",
    [
        ("<xliff", 1, "not well-formed XML"),
        ('<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="ar">\n<file id="f"/></xliff>',
         2, "not valid XLIFF 2.1: Element '{urn:oasis:names:tc:xliff:document:2.0}file': Missing child element(s)."),
    ],
)
def test_validate_xliff_names_file_and_line(content, line, message):
    Path("bad.xlf").write_text(content, encoding="utf-8")
    with pytest.raises(InputFileError) as err:
        validate_xliff("bad.xlf")
    assert (err.value.path, err.value.line) == ("bad.xlf", line)
    assert err.value.message.startswith(message)


# ---------------------------------------------------------------- import


def test_round_trip_with_an_edit(doc):
    path = cat_edit(export(doc), {"s5": "He added that it had been rare."})
    validate_xliff(path)
    result = run("import", "demo", path, "--reviewer", "omar")
    assert (result.exit_code, result.output) == (0, "s5: edit\n1 events applied, 0 conflicts, 5 units unchanged\n")
    [event] = ReviewLog.for_document("demo").events()
    assert (event.reviewer, event.segment, event.action, event.base_rev, event.note) == (
        "omar", "s5", "edit", 0, "imported from out.xlf")
    s5 = states(doc)["s5"]
    assert (s5.text, s5.status, s5.rev, s5.edited_by) == ("He added that it had been rare.", "edited", 1, "omar")
    assert run("import", "demo", path, "--reviewer", "omar").output == "0 events applied, 0 conflicts, 6 units unchanged\n"


def test_final_units_are_approved_and_edits_applied_first(doc):
    path = cat_edit(export(doc), {"s6": "Blinken announced $725 million in aid."}, finals=("s1", "s6"))
    result = import_xliff("demo", path, "omar")
    assert [(e.segment, e.action, e.base_rev) for e in result.applied] == [
        ("s1", "approve", 0), ("s6", "edit", 0), ("s6", "approve", 1)]
    now = states(doc)
    assert [(now[s].status, now[s].approved_by) for s in ("s1", "s6")] == [("approved", "omar")] * 2
    assert now["s6"].text == "Blinken announced $725 million in aid."


def test_conflict_is_reported_and_nothing_applied(doc):
    path = cat_edit(export(doc), {"s4": "Brown said the call happened.", "s5": "He added it was rare."})
    review(doc, "s4", "edit", reviewer="amal", text="Gen. Brown said the call took place.", base_rev=0)
    before = log_bytes("demo")
    result = run("import", "demo", path, "--reviewer", "omar")
    assert result.exit_code == 1
    assert result.stdout == "0 events applied, 1 conflicts, 4 units unchanged\n"
    assert result.stderr == (
        "conflict: s4: edited here since the export (exported at rev 0, now rev 1 by amal); current text "
        "'Gen. Brown said the call took place.', imported 'Brown said the call happened.'\n"
        "nothing applied: resolve the conflicts or use --partial\n"
    )
    assert log_bytes("demo") == before

    partial = run("import", "demo", path, "--reviewer", "omar", "--partial")
    assert (partial.exit_code, partial.stdout) == (1, "s5: edit\n1 events applied, 1 conflicts, 4 units unchanged\n")
    assert states(doc)["s4"].text == "Gen. Brown said the call took place."
    assert states(doc)["s5"].text == "He added it was rare."


def test_untouched_unit_is_no_conflict_when_changed_here(doc):
    path = export(doc)
    review(doc, "s4", "edit", text="Gen. Brown said so.", base_rev=0)
    assert import_xliff("demo", path, "omar").conflicts == ()
    assert states(doc)["s4"].text == "Gen. Brown said so."


def test_approving_in_the_cat_tool_what_was_rejected_here_is_a_conflict(doc):
    path = cat_edit(export(doc), finals=("s4",))
    review(doc, "s4", "reject", note="wrong")
    result = import_xliff("demo", path, "omar")
    assert [(c.segment, c.reason) for c in result.conflicts] == [("s4", "rejected here since the export")]
    assert states(doc)["s4"].status == "rejected"


def _swap(old: str, new: str):
    return lambda text: text.replace(old, new, 1)


@pytest.mark.parametrize(
    "change, at, message",
    [
        (lambda t: t[:200], None, "not well-formed XML: "),
        (_swap("document:2.0", "document:1.2"), "<xliff", "not an XLIFF 2 file: root element is "
         "'{urn:oasis:names:tc:xliff:document:1.2}xliff', expected 'xliff' in namespace "
         "urn:oasis:names:tc:xliff:document:2.0"),
        (_swap('state="initial"', 'state="done"'), 'state="done"', "not valid XLIFF 2.1: Element "
         "'{urn:oasis:names:tc:xliff:document:2.0}segment', attribute 'state': [facet 'enumeration'] "),
        (_swap('<file id="demo"', '<file id="other"'), "<file ", "file id 'other' is not document 'demo' "
         "(expected exactly one <file id='demo'>)"),
        (_swap('<unit id="s6"', '<unit id="s9"'), '<unit id="s9"', "document 'demo' has no segment 's9'"),
        (_swap('<unit id="s6"', '<unit id="s5"'), '<unit id="s5"', "unit 's5' appears twice"),
        (_swap('<mda:meta type="rev">0</mda:meta>', '<mda:meta type="revision">0</mda:meta>'), '<unit id="s1"',
         "unit 's1' has no 'rev'/'base-sha256' metadata (export it with 'translate export --xliff')"),
        (_swap("زينة", "زينب"), '<unit id="s2"', "unit 's2': source differs from the document's (was it re-run?)"),
    ],
    ids=["not-xml", "xliff-1.2", "schema", "doc-id", "unknown-unit", "duplicate-unit", "no-metadata", "source"],
)
def test_bad_xliff_is_refused_naming_file_and_line(doc, change, at, message):
    review(doc, "s3", "comment", note="keep it short")
    before = log_bytes("demo")
    path = export(doc)
    text = change(path.read_text(encoding="utf-8"))
    text = text.replace("He added that it was rare.", "He added it was rare.")  # an edit that must not apply
    path.write_text(text, encoding="utf-8")
    result = run("import", "demo", path, "--reviewer", "omar")
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = text.splitlines()
    line = len(lines) if at is None else max(n for n, t in enumerate(lines, start=1) if at in t)
    assert result.stderr.startswith(f"Error: out.xlf:{line}: {message}"), result.stderr
    assert log_bytes("demo") == before


@pytest.mark.parametrize(
    "args, code, output",
    [
        (["import", "nope", "x.xlf", "--reviewer", "omar"], 1,
         "Error: no document 'nope': {corpus}/nope/bilingual.json does not exist (run 'translate run ARTICLE' first)\n"),
        (["import", "demo", "missing.xlf", "--reviewer", "omar"], 1, "Error: missing.xlf: no such file\n"),
        (["import", "demo", "x.xlf", "--reviewer", " "], 1, "Error: a reviewer name is required\n"),
        (["export", "demo"], 2, "Usage: cli export [OPTIONS] DOC\nTry 'cli export --help' for help.\n\n"
         "Error: give --xliff [FILE], --tmx [FILE] and/or --docx [FILE]\n"),
    ],
)
def test_cli_errors(doc, isolated_paths, args, code, output):
    result = run(*args)
    assert (result.exit_code, result.output) == (code, output.format(corpus=isolated_paths / "corpus"))


# ---------------------------------------------------------------- TMX


def test_tmx_holds_approved_segments_only(doc):
    review(doc, "s4", "edit", reviewer="omar", text="General Brown said the call took place.", base_rev=0)
    review(doc, "s4", "approve", reviewer="amal", base_rev=1)
    review(doc, "s1", "approve", reviewer="amal", base_rev=0)
    review(doc, "s5", "edit", reviewer="omar", text="He added it was rare.", base_rev=0)
    result = run("export", "demo", "--tmx", "out.tmx", "--xliff", "out.xlf")
    assert (result.exit_code, result.output) == (
        0, "wrote out.xlf (XLIFF 2.1, 6 units)\nwrote out.tmx (TMX 1.4b, 2 approved segments)\n")
    validate_tmx("out.tmx")
    validate_xliff("out.xlf")
    root = etree.parse("out.tmx").getroot()
    header = root.find("header")
    assert {k: header.get(k) for k in ("creationtool", "srclang", "segtype", "o-tmf", "adminlang", "datatype")} == {
        "creationtool": "newsroom-translate", "srclang": "ar", "segtype": "sentence",
        "o-tmf": "newsroom-translate", "adminlang": "en", "datatype": "plaintext"}
    assert header.findtext("prop[@type='x-signature']") == str(doc.signature)
    tus = root.findall("body/tu")
    assert [tu.get("tuid") for tu in tus] == ["s1", "s4"]
    s4 = tus[1]
    approved_at = states(doc)["s4"].approved_at
    assert (s4.get("creationid"), s4.get("changeid"), s4.get("changedate")) == ("omar", "amal", tmx_date(approved_at))
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert [(tuv.get(lang), tuv.findtext("seg")) for tuv in s4.findall("tuv")] == [
        ("ar", "قال براون إن المكالمة جرت."), ("en", "General Brown said the call took place.")]
    assert tus[0].get("creationid") == "amal"


def test_tmx_with_nothing_approved_is_still_valid(doc):
    assert export_tmx(doc, states(doc), "empty.tmx") == 0
    validate_tmx("empty.tmx")


def test_validate_tmx_reports_the_line():
    Path("bad.tmx").write_text('<?xml version="1.0"?>\n<tmx version="1.4">\n<body/>\n</tmx>\n', encoding="utf-8")
    with pytest.raises(InputFileError) as err:
        validate_tmx("bad.tmx")
    assert str(err.value).startswith("bad.tmx:2: not valid TMX 1.4b: Element tmx content does not follow the DTD")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-12-01T09:30:00Z", "20241201T093000Z"),
        ("2024-12-01T11:30:00+02:00", "20241201T093000Z"),
        ("2024-12-01T09:30:00", "20241201T093000Z"),
        ("yesterday", None),
        (None, None),
    ],
)
def test_tmx_date(value, expected):
    assert tmx_date(value) == expected
