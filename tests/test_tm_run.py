"""``translate run`` with the translation memory (issue #15): exact matches pre-filled, fuzzy ones
offered with numbers adapted, and what bilingual.json, QA, XLIFF and provenance.json show."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from helpers import SEED, TOKENIZER_DIR
from fakes import FakeEngine

from translate.cli import cli
from translate.interchange.units import validate_xliff
from translate.paths import corpus_dir
from translate.review.qa import check_document
from translate.doc.store import load_document

pytestmark = pytest.mark.timeout(900)  # several whole runs of the model each, on 2 shared cores
LINES = SEED.read_text(encoding="utf-8").splitlines()
S7, S16 = LINES[6], LINES[15]
S7_EN = ("He added that the two \u201cdiscussed a number of global and regional security issues, including the "
         "ongoing conflict in Ukraine\u201d.")
S16_EN = "In this context, Secretary of State Antony Blinken on Monday announced a new $725 million military aid " \
         "package for Ukraine."
# s7 as another writer typed it: tatweel, a fatha and a shadda more, the tanween left out
S7_VARIANT = S7.replace("وأضاف", "وأضـــاف").replace("القضايا", "القضَايا").replace("عدداً", "عددا").replace(
    "الدائر", "الدائِّر")
S16_800 = S16.replace("725", "800")


def run(*args: str):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def approved_seed(seed_article, s7_english: str = S7_EN) -> None:
    run("run", str(seed_article), "--no-glossary", "-q")
    for seg, text in (("s7", s7_english), ("s16", S16_EN)):
        run("review", "edit", "article", seg, "--text", text, "--reviewer", "amal")
    run("review", "approve", "article", "s7", "s16", "--reviewer", "nadia")


def second_article(tmp_path, *lines: str):
    path = tmp_path / "second.ar.txt"
    path.write_text("\n".join(["اجتماع جديد بين القادة العسكريين", *lines]) + "\n", encoding="utf-8")
    return path


def test_exact_match_is_prefilled_and_a_changed_number_adapted(default_model, seed_article, tmp_path):
    assert S7_VARIANT != S7
    approved_seed(seed_article)
    result = run("run", str(second_article(tmp_path, S7_VARIANT, S16_800)), "--no-glossary", "-q")
    assert result.stdout.splitlines()[1] == \
        "translation memory: 1 segment pre-filled (exact match), 1 with matches offered (>= 75%)"
    data = json.loads((corpus_dir() / "second" / "bilingual.json").read_text(encoding="utf-8"))
    title, s7, s16 = data["segments"]
    assert (title["origin"], title["tm_matches"]) == ("mt", [])
    assert s7["source"] == S7_VARIANT  # the Arabic as written, never rewritten
    assert (s7["origin"], s7["translation"], s7["alignment"]) == ("tm", S7_EN, [])
    (match,) = s7["tm_matches"]
    assert {k: match[k] for k in ("score", "source", "target", "doc_id", "segment", "approved_by", "exact")} == {
        "score": 100, "source": S7, "target": S7_EN, "doc_id": "article", "segment": "s7", "approved_by": "nadia",
        "exact": True}
    assert match["at"].endswith("Z")
    assert s16["origin"] == "mt" and s16["translation"] != S16_EN
    (fuzzy,) = s16["tm_matches"]
    words = len(S16.split())
    assert (fuzzy["score"], fuzzy["exact"], fuzzy["adapted"]) == (int(100 * (1 - 1 / words)), False, True)
    assert fuzzy["target"] == S16_EN.replace("$725 million", "$800 million")
    assert [fuzzy["source"][a:b] for a, b in fuzzy["diff"]] == ["725"]


def test_no_tm_runs_the_model_for_everything(default_model, seed_article, tmp_path):
    approved_seed(seed_article)
    result = run("run", str(second_article(tmp_path, S7_VARIANT)), "--no-glossary", "--no-tm", "-q")
    assert "translation memory" not in result.stdout
    segs = load_document("second").segments
    assert [(s.origin, s.tm_matches) for s in segs] == [("mt", ()), ("mt", ())]


def test_tmx_import_then_run_prefills(default_model, tmp_path):
    tmx = tmp_path / "agency.tmx"
    tmx.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="memoQ" creationtoolversion="9" segtype="sentence" o-tmf="memoQ"
adminlang="en-us" srclang="ar-sa" datatype="plaintext"/><body>
<tu changeid="rana" changedate="20240105T101500Z"><tuv xml:lang="ar-SA"><seg>{S16}</seg></tuv>
<tuv xml:lang="en-GB"><seg>{S16_EN}</seg></tuv></tu></body></tmx>""", encoding="utf-8")
    assert run("tm", "import", str(tmx)).stdout.startswith(f"{tmx}: 1 units imported (TMX 1.4)")
    run("run", str(second_article(tmp_path, S16)), "--no-glossary", "-q")
    seg = load_document("second").segments[1]
    assert (seg.origin, seg.translation) == ("tm", S16_EN)
    assert (seg.tm_matches[0].kind, seg.tm_matches[0].approved_by) == ("tmx", "rana")


def test_a_tm_segment_the_glossary_disagrees_with_is_flagged_not_changed(default_model, seed_article, tmp_path):
    there = S7_EN.replace("in Ukraine", "there")
    approved_seed(seed_article, there)
    glossary = tmp_path / "g.tsv"
    glossary.write_text("ar\ten\tcategory\tnote\nأوكرانيا\tUkraine\tplace\n", encoding="utf-8")
    run("run", str(second_article(tmp_path, S7_VARIANT)), "-g", str(glossary), "-q")
    doc = load_document("second")
    s7 = doc.segments[1]
    assert (s7.origin, s7.translation) == ("tm", there)
    assert [(t.target, t.realized) for t in s7.terms] == [("Ukraine", False)]
    assert [(i.check, i.severity) for i in check_document(doc)["s2"]] == [("terms", "error")]


def test_xliff_carries_matches_and_provenance_records_tm_segments(default_model, seed_article, tmp_path):
    approved_seed(seed_article)
    run("run", str(second_article(tmp_path, S7_VARIANT, S16_800)), "--no-glossary", "-q")
    xlf = tmp_path / "second.xlf"
    run("export", "second", "--xliff", str(xlf))
    validate_xliff(xlf)  # the mtc module is checked strictly
    text = xlf.read_text(encoding="utf-8")
    assert '<segment state="initial" id="s2">' in text and '<mtc:match ref="#s2" similarity="100" type="tm"' in text
    assert 'subType="nt:numbers-adapted"' in text and "$800 million" in text
    result = CliRunner().invoke(cli, ["import", "second", str(xlf), "--reviewer", "omar"], catch_exceptions=False)
    assert result.exit_code == 0, result.output  # the candidates are not read back as anything

    run("review", "edit", "second", "s1", "--text", "New meeting of military leaders", "--reviewer", "omar")
    run("publish", "second", "--draft")
    record = json.loads((corpus_dir() / "second" / "published" / "provenance.json").read_text(encoding="utf-8"))
    by_id = {s["id"]: s for s in record["segments"]}
    assert by_id["s2"]["origin"] == "tm"
    assert by_id["s2"]["tm"] == {"doc_id": "article", "segment": "s7", "approved_by": "nadia",
                                 "at": by_id["s2"]["tm"]["at"], "kind": "review"}
    assert "origin" not in by_id["s1"] and "origin" not in by_id["s3"]


@pytest.mark.parametrize("with_tm", [True, False])
def test_the_model_is_not_run_for_a_prefilled_segment(with_tm):
    from translate.pipeline import translate_document
    from translate.text.segment import segment_text
    from translate.tm.apply import SegmentTM, TMPlan
    from translate.doc.tm_match import TMMatch

    text = "عنوان\n" + S7 + "\n" + S16 + "\n"
    doc = segment_text(text, "d")
    exact = TMMatch(100, S7, S7_EN, "article", "s7", "nadia", "2024-01-01T00:00:00Z", exact=True)
    plan = TMPlan({"s2": SegmentTM(exact, (exact,))}) if with_tm else None
    engine = FakeEngine(TOKENIZER_DIR)
    out = translate_document(doc, text, engine, beam=1, tm=plan)
    decoded = {tuple(source) for call in engine.calls for source in call.batch}
    s7_pieces = tuple(engine.tokenizer.source(S7))
    assert any(s7_pieces == piece[:len(s7_pieces)] for piece in decoded) is not with_tm
    assert len(decoded) == (2 if with_tm else 3)  # the title and s16 (and s7 without the TM)
    assert [s.origin for s in out.segments] == (["mt", "tm", "mt"] if with_tm else ["mt", "mt", "mt"])
