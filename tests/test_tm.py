"""Translation memory (issue #15): keys, scores, numbers, the index kept in step with the review logs,
TMX in and out, the ``translate tm`` commands. End-to-end ``translate run`` tests: test_tm_run.py."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from review_helpers import save_document
from translate.cli import cli
from translate.errors import InputFileError
from translate.text.arabic import keyed
from translate.interchange.units import validate_tmx
from translate.review.log import ReviewLog
from translate.tm import memory
from translate.tm.match import adapt_numbers, keys_of, score, word_spans
from translate.tm.tmx_io import read_tmx

S3 = "قال الجيش الأميركي إن المساعدات بلغت ٧٢٥ مليون دولار."
S3_EN = "The US military said the aid reached $725 million."


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def approve(doc, *segments: str, reviewer: str = "amal") -> None:
    log = ReviewLog.for_document(doc.doc_id)
    for seg in segments:
        log.append(doc, reviewer=reviewer, segment=seg, action="approve")


# ---------------------------------------------------------------- keys, scores, numbers


def test_orthographic_variants_share_the_exact_key_and_words():
    plain = "وأضاف أن الاثنين ناقشا عددا من القضايا"
    variant = "وأَضـــاف إن الإثنين ناقشا عدداً من القضايا"  # fatha, tatweel, hamza forms, tanween
    assert keys_of(plain) == keys_of(variant)
    assert keys_of("في عام ٢٠٢٣") == keys_of("في عام 2023")


def test_score_is_the_word_level_levenshtein_percentage():
    assert score("a b c d".split(), "a b c d".split()) == 100
    assert score("a b c d".split(), "a x c d".split()) == 75  # 1 - 1/4
    assert score("a b c".split(), "a b c d e f".split()) == 50  # 3 insertions over 6
    assert score("a b c".split(), "x y z".split()) == 0
    assert score([], ["a"]) == 0


def test_word_spans_cover_the_words_as_written():
    text = "قـالَ الجيش، 725"
    assert [text[a:b] for a, b in word_spans(text)] == ["قـالَ", "الجيش", "725"]
    for odd in ("ـكتب\u200cَ ﻻ", "ﷺ İstanbul ٣٫٥", "\ufe71ب \u200fF-16ـ", "بُ\u200cَ"):  # the same spans as keyed()
        kt = keyed(odd)
        assert word_spans(odd) == [kt.span(a, b) for a, b in kt.words()], odd


def test_numbers_are_adapted_and_checked():
    entry = "أعلن عن حزمة بقيمة 725 مليون دولار في عام 2023."
    query = "أعلن عن حزمة بقيمة ٨٠٠ مليون دولار في عام 2024."
    assert adapt_numbers(query, entry, "It announced a $725 million package in 2023.") == \
        "It announced a $800 million package in 2024."
    assert adapt_numbers("بلغت 1500", "بلغت 1200", "It reached 1,200.") == "It reached 1,500."
    # the English does not carry the entry's number as digits: nothing to adapt, so no adapted match
    assert adapt_numbers(query, entry, "It announced a package worth seven hundred million dollars.") is None


# ---------------------------------------------------------------- the index and its sources


def test_approval_adds_and_a_later_edit_removes():
    doc = save_document()
    approve(doc, "s3", "s5")
    matches, _ = memory.search(S3)
    assert [(m.score, m.exact, m.target, m.doc_id, m.segment, m.approved_by) for m in matches] == [
        (100, True, S3_EN, "doc-1", "s3", "amal")]
    ReviewLog.for_document("doc-1").append(doc, reviewer="omar", segment="s3", action="edit",
                                           text="The U.S. military said the aid reached $725 million.")
    matches, _ = memory.search(S3)
    assert matches == []  # edited after the approval: no longer approved, so out of the TM
    stats, _ = memory.stats()
    assert (stats.units, stats.review_units, stats.documents) == (1, 1, 1)


def test_fuzzy_match_with_a_changed_number_is_adapted_and_its_words_marked():
    doc = save_document()
    approve(doc, "s3")
    query = "قال الجيش الأميركي إن المساعدات بلغت ٨٠٠ مليون دولار."
    (m,), _ = memory.search(query, threshold=75)
    assert (m.score, m.exact, m.adapted) == (88, False, True)  # 1 word of 8 differs
    assert m.target == "The US military said the aid reached $800 million."
    assert [m.source[a:b] for a, b in m.diff] == ["٧٢٥"]


def test_a_damaged_log_elsewhere_is_reported_not_fatal():
    doc = save_document()
    approve(doc, "s3")
    other = save_document("doc-2")
    approve(other, "s5")
    log = Path(os.environ["TRANSLATE_REVIEWS"]) / "doc-2.jsonl"
    log.write_bytes(log.read_bytes() + b'{"seq": 2, "torn')
    matches, report = memory.search(S3)
    assert [m.doc_id for m in matches] == ["doc-1"]
    assert len(report.problems) == 1 and report.problems[0].startswith("doc-2: left out of the translation memory: ")


def reviewed_and_imported(tmp_path) -> tuple[str, str]:
    """A TM of two approvals and an imported TMX; its ``tm stats --json`` and ``tm search S3 --json``."""
    doc = save_document()
    approve(doc, "s3", "s5")
    tmx = tmp_path / "in.tmx"
    tmx.write_text(TMX14, encoding="utf-8")
    assert run("tm", "import", str(tmx)).exit_code == 0
    return run("tm", "stats", "--json").output, run("tm", "search", S3, "--json").output


def test_deleting_the_database_loses_nothing(tmp_path):
    before, search_before = reviewed_and_imported(tmp_path)
    for name in os.listdir("tm"):
        if name.startswith("memory.sqlite"):
            os.remove(Path("tm") / name)
    result = run("tm", "rebuild")
    assert result.exit_code == 0, result.output
    assert run("tm", "stats", "--json").output == before
    assert run("tm", "search", S3, "--json").output == search_before
    assert json.loads(before)["units"] == 4


def test_an_index_of_an_earlier_version_is_made_anew_with_the_same_matches(tmp_path):
    import sqlite3

    from translate.tm.store import SCHEMA_VERSION

    before, search_before = reviewed_and_imported(tmp_path)
    db = sqlite3.connect("tm/memory.sqlite")  # as an earlier release left it: another schema version
    db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(int(SCHEMA_VERSION) - 1),))
    db.execute("DELETE FROM units")
    db.commit()
    db.close()
    assert run("tm", "stats", "--json").output == before  # no rebuild asked: the next use re-indexes
    assert run("tm", "search", S3, "--json").output == search_before


def test_a_damaged_database_is_refused_then_rebuilt():
    doc = save_document()
    approve(doc, "s3")
    Path("tm").mkdir()
    Path("tm/memory.sqlite").write_bytes(b"this is not a database" * 100)
    result = run("tm", "stats")
    assert result.exit_code == 1
    assert "tm/memory.sqlite: not a usable translation memory" in result.output
    assert "run 'translate tm rebuild'" in result.output
    result = run("tm", "rebuild")
    assert result.exit_code == 0, result.output
    assert "units: 1 (1 approved in 1 document, 0 from 0 imported TMX files)" in result.output


# ---------------------------------------------------------------- TMX in and out

TMX14 = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="Trados" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en-US"
          srclang="ar-SA" datatype="plaintext"/>
  <body>
    <tu tuid="7" creationid="rana" creationdate="20240105T101500Z">
      <tuv xml:lang="ar-SA"><seg>وقال المتحدث باسم البنتاغون إن الاجتماع انتهى.</seg></tuv>
      <tuv xml:lang="EN-GB"><seg>The Pentagon <bpt i="1">&lt;b&gt;</bpt>spokesman<ept i="1">&lt;/b&gt;</ept> said the meeting ended.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="ar"><seg>صباح الخير</seg></tuv>
      <tuv xml:lang="fr"><seg>Bonjour</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="AR"><seg>أعلن البيت الأبيض</seg></tuv>
      <tuv xml:lang="en-US" changeid="sam" changedate="20240201T080000Z"><seg>The White House announced</seg></tuv>
    </tu>
  </body>
</tmx>
"""

OMEGAT_11 = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx11.dtd">
<tmx version="1.1">
  <header creationtool="OmegaT" creationtoolversion="3.6.0_10" segtype="sentence" o-tmf="OmegaT TMX"
          adminlang="EN-US" srclang="AR" datatype="plaintext">
  </header>
  <body>
    <tu>
      <tuv lang="AR"><seg>مناقشة القضايا الأمنية</seg></tuv>
      <tuv lang="EN-US" changeid="nadia" changedate="20240301T120000Z"><seg>Discussing security issues</seg></tuv>
    </tu>
  </body>
</tmx>
"""


def test_tmx_14_regional_codes_inline_codes_and_other_languages(tmp_path):
    path = tmp_path / "trados.tmx"
    path.write_text(TMX14, encoding="utf-8")
    contents = read_tmx(path)
    assert contents.version == "1.4" and contents.skipped == 1
    assert [(u.segment, u.source, u.target, u.approved_by, u.at) for u in contents.units] == [
        ("7", "وقال المتحدث باسم البنتاغون إن الاجتماع انتهى.", "The Pentagon spokesman said the meeting ended.",
         "rana", "2024-01-05T10:15:00Z"),
        ("tu3", "أعلن البيت الأبيض", "The White House announced", "sam", "2024-02-01T08:00:00Z"),
    ]


def test_omegat_tmx_11_with_upper_case_codes_imports(tmp_path):
    path = tmp_path / "project-omegat.tmx"
    path.write_text(OMEGAT_11, encoding="utf-8")
    result = run("tm", "import", str(path))
    assert result.exit_code == 0, result.output
    copy = sorted(Path("tm/imported").iterdir())
    assert [p.name for p in copy] == [f"project-omegat-{__import__('hashlib').sha256(path.read_bytes()).hexdigest()[:12]}.tmx"]
    assert result.output == f"{path}: 1 units imported (TMX 1.1); kept as {copy[0]}\n"
    (m,), _ = memory.search("مناقشة القضايا الأمنيّة")
    assert (m.exact, m.target, m.approved_by, m.kind, m.doc_id) == (True, "Discussing security issues", "nadia", "tmx",
                                                                   copy[0].name)
    again = run("tm", "import", str(path))
    assert again.exit_code == 0 and "already in the translation memory" in again.output
    assert memory.stats()[0].tmx_units == 1


@pytest.mark.parametrize("text, where, message", [
    (TMX14.replace("</body>", ""), 19, "not well-formed XML: Opening and ending tag mismatch: body line 5 and tmx"),
    (TMX14.replace('<tuv xml:lang="AR">', "<tuv>"), 15, "<tuv> without a language (xml:lang, or lang in TMX 1.1)"),
    (TMX14.replace('srclang="ar-SA" ', ""), 4, "not valid TMX 1.4b: Element header does not carry attribute srclang"),
    (OMEGAT_11.replace("<seg>مناقشة القضايا الأمنية</seg>", ""), 9,
     "<tuv xml:lang='AR'> needs exactly one <seg>, found 0"),
    (TMX14.replace('version="1.4"', 'version="2.0"'), 2, "unsupported TMX version '2.0' (expected one of 1.1, 1.2, 1.3, 1.4)"),
    ("<xliff version='2.1'/>", 1, "not a TMX file: the root element is <xliff>, not <tmx>"),
    ('<!DOCTYPE tmx [<!ENTITY x "y">]>' + TMX14.split("\n", 1)[1], 1,
     "a DOCTYPE with an internal subset (entity declarations) is not allowed"),
], ids=["not-well-formed", "no-language", "invalid-1.4", "no-seg", "version", "not-tmx", "entities"])
def test_a_malformed_tmx_imports_nothing(tmp_path, text, where, message):
    doc = save_document()
    approve(doc, "s3")
    before = run("tm", "stats", "--json").output
    path = tmp_path / "bad.tmx"
    path.write_text(text, encoding="utf-8")
    result = run("tm", "import", str(path))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {path}:{where}: {message}")
    assert not Path("tm/imported").exists()
    assert run("tm", "stats", "--json").output == before


def test_export_is_valid_tmx_14b_and_imports_back(tmp_path):
    doc = save_document()
    approve(doc, "s3", "s5")
    out = tmp_path / "out.tmx"
    result = run("tm", "export", str(out))
    assert result.exit_code == 0 and result.output == f"{out}: 2 units\n"
    validate_tmx(out)
    units = read_tmx(out).units
    assert [(u.source, u.target, u.approved_by) for u in units] == [
        (S3, S3_EN, "amal"), ("وأجرى 3 مكالمات في عام ٢٠٢٣.", "He made 3 calls in 2023.", "amal")]


def test_a_control_character_in_the_english_exports_as_valid_tmx(tmp_path):
    doc = save_document()
    log = ReviewLog.for_document(doc.doc_id)
    log.append(doc, reviewer="amal", segment="s3", action="edit", text=S3_EN.replace(" ", "\x0b", 1), base_rev=0)
    log.append(doc, reviewer="amal", segment="s3", action="approve", base_rev=1)
    out = tmp_path / "tm.tmx"
    assert run("tm", "export", str(out)).output == f"{out}: 1 unit\n"
    validate_tmx(out)
    (unit,) = read_tmx(out).units
    assert unit.target == S3_EN.replace(" ", "\ufffd", 1)
    assert run("export", doc.doc_id, "--tmx", str(tmp_path / "doc.tmx")).exit_code == 0  # the same writer
    validate_tmx(tmp_path / "doc.tmx")
    assert [u.target for u in read_tmx(tmp_path / "doc.tmx").units] == [unit.target]


def test_search_json_and_text(tmp_path):
    doc = save_document()
    approve(doc, "s3")
    result = run("tm", "search", "قال الجيش الأميركي إن المساعدات بلغت 900 مليون دولار.", "--json")
    (m,) = json.loads(result.output)
    assert set(m) == {"score", "source", "target", "doc_id", "segment", "approved_by", "at", "kind", "exact",
                      "adapted", "diff"}
    assert (m["score"], m["target"], m["adapted"]) == (88, "The US military said the aid reached $900 million.", True)
    text = run("tm", "search", "قال الجيش الأميركي إن المساعدات بلغت 900 مليون دولار.").output.splitlines()
    assert text[0].startswith(" 88%  doc-1/s3  amal  ") and text[0].endswith("(numbers adapted)")
    assert text[1] == "      ar: قال الجيش الأميركي إن المساعدات بلغت [٧٢٥] مليون دولار."
    assert run("tm", "search", "نص لا علاقة له").output == "no match at or above 50%\n"


def test_input_errors_name_the_file():
    with pytest.raises(InputFileError, match="missing.tmx: no such file"):
        read_tmx("missing.tmx")


def test_an_approval_from_an_xliff_import_is_in_the_tm_at_the_next_lookup(tmp_path):
    from lxml import etree

    save_document()
    assert memory.search(S3)[0] == []
    xlf = tmp_path / "doc-1.xlf"
    assert run("export", "doc-1", "--xliff", str(xlf)).exit_code == 0
    tree = etree.parse(str(xlf))
    ns = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
    segment = tree.find(".//x:unit[@id='s3']/x:segment", ns)
    segment.set("state", "final")
    segment.find("x:target", ns).text = "The US military said the aid had reached $725 million."
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    result = run("import", "doc-1", str(xlf), "--reviewer", "rana")
    assert result.exit_code == 0, result.output
    (m,), _ = memory.search(S3)  # no hook in the import: the TM reads the changed log
    assert (m.exact, m.target, m.approved_by) == (True, "The US military said the aid had reached $725 million.", "rana")
