"""Glossary modes (force/suggest), forbidden renderings, context rules, examples, the report,
and a glossary English the model's vocabulary cannot spell, on the fake engine and both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import TOKENIZER_DIR
from fakes import FakeEngine

from translate.cli import cli
from translate.doc.model import Document, Term
from translate.glossary.entries import Entry, Glossary, Matcher, load_glossaries, load_glossary
from translate.glossary.check import check_files
from translate.pipeline import translate_document
from translate.review.qa import ERROR, WARNING, check_segment, has_errors
from translate.text.segment import segment_text
from translate.engines.spelling import Speller

COLUMNS = "ar\ten\tcategory\tnote\tvariants\tmode\tforbidden\tcontext\tstop\n"
ODD = "Kyiv’s — `x` | 🙂"  # a right quote, an em dash, backticks, a bar and an emoji


def write(name: str, text: str) -> Path:
    path = Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def glossary(*rows: str, name: str = "g.tsv") -> Glossary:
    return load_glossary(write(name, COLUMNS + "".join(r + "\n" for r in rows)))


def one_segment(text: str, engine, glossaries, **kw) -> Document:
    return translate_document(segment_text(text, "t"), text, engine, glossaries=glossaries, **kw)


# ---------------------------------------------------------------- the columns


def test_new_columns_are_read_and_old_files_still_load():
    g = glossary(
        "كييف\tKyiv\tplace\t\t\tforce\tKiev|Kiev's",
        "الجنرال\tGen.\ttitle\t\t\tsuggest\t\tname-follows",
        "نيسان\tApril\tdate\t\tأبريل\tsuggest\t\t\tشركة نيسان",
    )
    kyiv, gen, april = g.entries
    assert (kyiv.mode, kyiv.forbidden, kyiv.context, kyiv.stop) == ("force", ("Kiev", "Kiev's"), (), ())
    assert (gen.mode, gen.context) == ("suggest", ("name-follows",))
    assert (april.variants, april.stop) == (("أبريل",), ("شركة نيسان",))
    assert Entry.from_dict(april.to_dict()) == april
    old = load_glossary(write("old.tsv", "ar\ten\tcategory\tnote\nكييف\tKyiv\tplace\t\n"))
    assert old.entries[0].mode == "force" and old.entries[0].forbidden == ()
    # the optional columns may come in any order
    moved = load_glossary(write("moved.tsv", "ar\ten\tcategory\tnote\tmode\tvariants\nنيسان\tApril\tdate\t\tsuggest\tأبريل\n"))
    assert (moved.entries[0].mode, moved.entries[0].variants) == ("suggest", ("أبريل",))


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("كييف\tKyiv\tplace\t\t\tforced", "unknown mode 'forced': use force or suggest"),
        ("كييف\tKyiv\tplace\t\t\t\t\tbefore-name", "unknown context rule 'before-name': use name-follows, not-as-indefinite-adjective"),
        ("كييف\tKyiv\tplace\t\t\t\tKyiv", "forbidden rendering 'Kyiv' is found in the entry's own English 'Kyiv'"),
        ("كييف\tKyiv\tplace\t\t\t\tKiev|", "empty forbidden rendering in 'Kiev|'"),
        ("نيسان\tApril\tdate\t\t\t\t\t\tشركة تويوتا", "stop phrase 'شركة تويوتا' does not contain the term"),
        ("نيسان\tApril\tdate\t\t\t\t\t\tNissan", "no Arabic letters in stop phrase 'Nissan'"),
    ],
)
def test_bad_cells_are_problems_with_file_and_line(row, message):
    write("bad.tsv", COLUMNS + row + "\n")
    assert check_files(["bad.tsv"], tokenizer=TOKENIZER_DIR).problems == (f"bad.tsv:2: {message}",)


def test_a_tbx_deprecated_english_term_is_a_forbidden_rendering():
    tbx = """<?xml version="1.0"?>
<martif type="TBX"><text><body>
<termEntry id="1">
  <langSet xml:lang="ar"><tig><term>كييف</term></tig></langSet>
  <langSet xml:lang="en">
    <tig><term>Kyiv</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
    <tig><term>Kiev</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
  </langSet>
</termEntry></body></text></martif>
"""
    (entry,) = load_glossary(write("g.tbx", tbx)).entries
    assert (entry.en, entry.forbidden) == ("Kyiv", ("Kiev",))


def test_term_mode_and_forbidden_round_trip_and_default_for_old_documents():
    term = Term("كييف", (0, 4), "Kyiv", "g.tsv:2", "place", mode="suggest", forbidden=("Kiev",))
    d = term.to_dict()
    assert (d["mode"], d["forbidden"]) == ("suggest", ["Kiev"])
    assert Term.from_dict(d) == term
    del d["mode"], d["forbidden"]  # a bilingual.json written before modes existed
    assert Term.from_dict(d) == Term("كييف", (0, 4), "Kyiv", "g.tsv:2", "place")


# ---------------------------------------------------------------- context rules


CONTEXT = (
    "الجنرال\tGen.\ttitle\t\t\tsuggest\t\tname-follows",
    "روسيا\tRussia\tplace\t\t\t\t\tnot-as-indefinite-adjective",
    "فانس\tVance\tperson",
    "نيسان\tApril\tdate\t\t\tsuggest\t\t\tشركة نيسان|سيارة نيسان",
    "مجلس الأمن\tU.N. Security Council\torganisation\t\t\t\t\t\tمجلس الأمن الروسي",
    "الأمن\tsecurity\tterm",
)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("قال الجنرال مارك ميلي", ["الجنرال"]),
        ("وقال الجنرال إن القوات مستعدة", []),
        ("قال الجنرال المتقاعد كيث كيلوغ", []),
        ("وصل الجنرال، ثم بدأ الاجتماع", []),
        ("قال الجنرال \"مارك\"", []),
        ("بذل الجنرال جهدًا كبيرًا", []),
        ("الجنرال", []),
        ("هاجمت روسيا المدينة", ["روسيا"]),
        ("قتلت القوات جنديا روسيا", []),
        ("أسر الجيش مواطنا روسيا", []),
        ("لا روسيا ولا أوكرانيا", ["روسيا"]),
        ("اتهموا روسيا بالهجوم", ["روسيا"]),
        ("واتهمت كييف مجددا روسيا", ["روسيا"]),
        ("جنديا وروسيا", ["وروسيا"]),  # a proclitic: the noun Russia
        ("قال فانس", ["فانس"]),
        ("والتقى فانس بالرئيس", ["فانس"]),
        ("فأنس لم يحضر", []),  # "so Anas": a hamza inside the word is not Vance's bare alef
        ("جرت في نيسان الماضي", ["نيسان"]),
        ("أعلنت شركة نيسان", []),
        ("اشترى سيارة نيسان", []),
        ("صوت مجلس الأمن على القرار", ["مجلس الأمن"]),
        ("اجتمع مجلس الأمن الروسي", ["الأمن"]),  # the stop phrase blocks only its own entry
    ],
)
def test_context_rules_and_stop_phrases(text, found):
    g = glossary(*CONTEXT)
    assert [m.text for m in Matcher([g]).find(text)] == found


# ---------------------------------------------------------------- suggest mode


def test_a_suggested_term_is_shown_not_forced_and_a_qa_warning(tmp_path):
    engine = FakeEngine(TOKENIZER_DIR)
    g = glossary("الجنرال\tGen.\ttitle\t\t\tsuggest\t\tname-follows", "براون\tBrown\tperson")
    text = "قال الجنرال براون إن المكالمة جرت.\n"
    doc = one_segment(text, engine, [g])
    gen, brown = doc.segments[0].terms
    assert (gen.target, gen.mode, gen.realized) == ("Gen.", "suggest", False)
    assert (brown.target, brown.mode, brown.realized) == ("Brown", "force", True)
    forced = [p for call in engine.calls for p in (call.prefixes or []) if p]
    assert forced and all("Gen" not in "".join(p) for p in forced)  # only Brown was forced
    data = doc.to_dict()["segments"][0]["terms"]
    assert [(t["target"], t["mode"]) for t in data] == [("Gen.", "suggest"), ("Brown", "force")]
    issues = check_segment(doc.segments[0].source, doc.segments[0].translation, doc.segments[0].terms)
    assert [(i.check, i.severity) for i in issues if i.check in ("terms", "suggested")] == [("suggested", WARNING)]
    assert str(next(i for i in issues if i.check == "suggested")) == (
        "warning: suggested: suggested glossary term 'Gen.' not used (for 'الجنرال'); check the context")
    assert not has_errors([i for i in issues if i.check in ("terms", "suggested", "forbidden")])
    # used in any case the warning goes ("the U.S. president said"); a forced term missing is still an error
    assert not [i for i in check_segment("قال الجنرال براون", "GEN. Brown said", (gen, brown)) if i.check == "suggested"]
    missing = check_segment("قال الجنرال براون", "The general said", (gen, brown))
    assert [(i.check, i.severity) for i in missing if i.check in ("terms", "suggested")] == [
        ("terms", ERROR), ("suggested", WARNING)]


def test_glossary_match_counts_hits_by_mode():
    write("g.tsv", COLUMNS + "الجنرال\tGen.\ttitle\t\t\tsuggest\nبراون\tBrown\tperson\n")
    write("a.ar.txt", "قال الجنرال براون.\n")
    g = load_glossary("g.tsv")
    result = invoke("glossary", "match", "a.ar.txt", "-g", "g.tsv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == [
        "1     4-11   الجنرال  Gen.     title     suggest  g.tsv:2",
        "1     12-17  براون    Brown    person    force    g.tsv:3",
        f"2 matches (1 force, 1 suggest), 2 entries ({g.signature_part})",
    ]


# ---------------------------------------------------------------- forbidden renderings


def test_forbidden_renderings_reach_the_engine_from_the_first_pass():
    engine = FakeEngine(TOKENIZER_DIR)
    g = glossary("كييف\tKyiv\tplace\t\t\t\tKiev", "موسكو\tMoscow\tplace")
    one_segment("قال مسؤول في كييف إن موسكو هاجمت.\n", engine, [g])
    tok = engine.tokenizer
    kiev, glued = tok.target("Kiev"), tok.target("(Kiev")[1:]  # after a space, and after "(" or a quote
    assert engine.calls[0].suppress == [[kiev, glued]] and engine.calls[0].prefixes is None
    assert len(engine.calls) > 1 and all(kiev in row for call in engine.calls for row in call.suppress)


def test_a_forbidden_rendering_inside_the_term_is_not_suppressed():
    # suppressing "Zelensky" would stop the model writing "Zelenskyy"; forcing realises it either way
    engine = FakeEngine(TOKENIZER_DIR)
    g = glossary("زيلينسكي\tZelenskyy\tperson\t\t\t\tZelensky|Zelenskiy")
    one_segment("قال زيلينسكي إن الهجوم فشل.\n", engine, [g])
    tok = engine.tokenizer
    assert tok.target("Zelenskyy")[:3] == tok.target("Zelensky")  # ▁Zel en sky (y)
    assert tok.target("Zelensky") not in engine.calls[0].suppress[0]
    assert tok.target("Zelenskiy") in engine.calls[0].suppress[0]


def test_qa_reports_a_forbidden_rendering_as_an_error():
    term = Term("كييف", (0, 4), "Kyiv", "g.tsv:2", "place", forbidden=("Kiev",))
    issues = check_segment("كييف", "Shelling hit Kiev and Kyiv overnight.", [term])
    assert [str(i) for i in issues if i.check == "forbidden"] == [
        "error: forbidden: forbidden rendering 'Kiev': the glossary has 'Kyiv' for 'كييف'"]
    assert has_errors(issues)
    assert not [i for i in check_segment("كييف", "Shelling hit Kyiv.", [term]) if i.check == "forbidden"]
    assert not [i for i in check_segment("كييف", "Kievan Rus' and Kyiv.", [term]) if i.check == "forbidden"]


def test_a_review_edit_with_a_forbidden_rendering_prints_the_error():
    from dataclasses import replace

    from review_helpers import make_document

    from translate.paths import corpus_dir
    from translate.doc.store import save_outputs

    doc, source = make_document("doc-1")
    seg = doc.segment("s3")
    forbidding = replace(seg, terms=tuple(replace(t, forbidden=("U.S. Army",)) for t in seg.terms))
    doc = replace(doc, segments=tuple(forbidding if s.id == "s3" else s for s in doc.segments))
    save_outputs(doc, source.encode("utf-8"), corpus_dir() / "doc-1")
    result = invoke("review", "edit", "doc-1", "s3", "--text", "The US military and the U.S. Army said $725 million.",
                    "--reviewer", "amal")
    assert result.exit_code == 0, result.output
    assert ("    error: forbidden: forbidden rendering 'U.S. Army': the glossary has 'US military' for "
            "'الجيش الأميركي'") in result.stdout.splitlines()


def _one_piece_word(text: str, tokenizer, skip: str) -> str | None:
    """A word of an output that the tokenizer writes as one piece, as the model did."""
    for word in text.split():
        if word.isalpha() and len(word) > 3 and word != skip and len(tokenizer.target(word)) == 1:
            return word
    return None


@pytest.mark.parametrize("backend", ["ctranslate2", "transformers"])
def test_forbidden_renderings_are_kept_out_of_the_mt_on_both_backends(default_model, backend):
    from translate.engines import load_engine

    engine = load_engine(None, backend)
    text = "قال المسؤول في كييف إن الوضع صعب.\n"
    allowed = one_segment(text, engine, [glossary("كييف\tKyiv\tplace")], max_length=24).segments[0].translation
    word = _one_piece_word(allowed, engine.tokenizer, "Kyiv")
    assert word is not None, allowed
    seg = one_segment(text, engine, [glossary(f"كييف\tKyiv\tplace\t\t\t\t{word}", name="f.tsv")],
                      max_length=24).segments[0]
    assert word in allowed.split() and word not in seg.translation.split(), (allowed, seg.translation)
    assert [(t.target, t.realized, t.forbidden) for t in seg.terms] == [("Kyiv", True, (word,))]


# ---------------------------------------------------------------- English the vocabulary cannot spell


def test_the_speller_finds_and_replaces_what_the_vocabulary_cannot_write():
    speller = Speller.from_folder(TOKENIZER_DIR)
    assert speller.missing(ODD) == ["’", "—", "`", "|", "🙂"]
    spelt = speller.spell(ODD)
    assert spelt == "Kyiv's - 'x' / -" and speller.spells(spelt)
    assert len(spelt.split()) == len(ODD.split())  # the word alignment's words stay the same
    assert speller.missing("Erdoğan Kyiv") == [] and speller.spell("Erdoğan Kyiv") == "Erdoğan Kyiv"
    assert speller.missing("x\u00a0y…") == ["\u00a0", "…"] and speller.spell("x\u00a0y…") == "x y..."


@pytest.mark.parametrize("backend", ["ctranslate2", "transformers"])
def test_an_unspellable_glossary_english_is_realised_exactly_on_both_backends(default_model, backend):
    """CTranslate2 crashed (``Token ’ is not in the vocabulary``); transformers wrote <unk>."""
    from translate.engines import load_engine

    engine = load_engine(None, backend)
    g = glossary(f"كييف\t{ODD}\tplace", "موسكو\tO’Brien\tperson")
    text = "قال المسؤول في كييف إن موسكو صعبة.\n"
    seg = one_segment(text, engine, [g], max_length=30).segments[0]
    assert ODD in seg.translation and "O’Brien" in seg.translation
    assert [(t.target, t.realized) for t in seg.terms] == [(ODD, True), ("O’Brien", True)]
    for t in seg.terms:
        assert seg.translation[t.target_span[0] : t.target_span[1]] == t.target
    assert "<unk>" not in seg.translation


def test_glossary_check_warns_about_unspellable_english_and_still_passes():
    write("g.tsv", COLUMNS + f"كييف\t{ODD}\tplace\nموسكو\tMoscow\tplace\n")
    result = invoke("glossary", "check", "g.tsv", "--tokenizer", str(TOKENIZER_DIR))
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "g.tsv:2: warning: the model's vocabulary cannot spell '’' (U+2019 RIGHT SINGLE QUOTATION MARK), "
        "'—' (U+2014 EM DASH), '`' (U+0060 GRAVE ACCENT), '|' (U+007C VERTICAL LINE), "
        "'🙂' (U+1F642 SLIGHTLY SMILING FACE) of 'Kyiv’s — `x` | 🙂': it is forced as \"Kyiv's - 'x' / -\" "
        "and written back as in the glossary\n"
        "g.tsv: 2 entries, no problems\n"
    )
    # by default: the default model if cached, else the shared OPUS-MT tokenizer
    assert invoke("glossary", "check", "g.tsv").stdout == result.stdout


def test_glossary_check_says_when_it_has_no_tokenizer(monkeypatch, tmp_path):
    monkeypatch.setenv("TRANSLATE_SHARED", str(tmp_path / "nowhere"))
    write("g.tsv", COLUMNS + f"كييف\t{ODD}\tplace\n")
    result = invoke("glossary", "check", "g.tsv")
    assert (result.exit_code, result.stdout) == (0, "g.tsv: 1 entry, no problems\n")
    assert result.stderr == "spelling not checked: no tokenizer found (--tokenizer DIR)\n"


# ---------------------------------------------------------------- examples and the report


EXAMPLES = "ar\ten\texpect\tsentence\n"


def test_glossary_check_fails_on_a_failing_example_naming_file_and_line():
    write("gl/g.tsv", COLUMNS + "فانس\tVance\tperson\nمجلس الأمن\tU.N. Security Council\torganisation\n")
    write("gl/g.examples.tsv", "# examples\n" + EXAMPLES
          + "فانس\t\tmatch\tقال فانس إن المفاوضات مستمرة.\n"
          + "فانس\t\tno-match\tقال فانس إن المفاوضات مستمرة.\n"
          + "مجلس الأمن\tU.N. Security Council\tno-match\tاجتمع مجلس الأمن الروسي.\n"
          + "فانس\t\tmatch\tغاب فأنس عن الاجتماع.\n")
    result = invoke("glossary", "check", "gl", "--tokenizer", str(TOKENIZER_DIR))
    assert result.exit_code == 1
    assert result.stdout == (
        "gl/g.examples.tsv:4: example should not match فانس -> Vance (g.tsv:2) but does, at 'فانس'\n"
        "gl/g.examples.tsv:5: example should not match مجلس الأمن -> U.N. Security Council (g.tsv:3) but does, "
        "at 'مجلس الأمن'\n"
        "gl/g.examples.tsv:6: example should match فانس -> Vance (g.tsv:2) but does not; it matches: no entry\n"
    )
    assert result.stderr == "Error: 3 problems found\n"


def test_examples_file_problems_and_it_is_never_read_as_a_glossary(monkeypatch):
    write("gl/g.tsv", COLUMNS + "فانس\tVance\tperson\nنيسان\tApril\tdate\nنيسان\tNissan\torganisation\n")
    write("gl/g.examples.tsv", EXAMPLES
          + "بايدن\t\tmatch\tقال بايدن.\n"
          + "فانس\t\tmaybe\tقال فانس.\n"
          + "نيسان\t\tmatch\tفي نيسان.\n"
          + "فانس\t\tmatch\n"
          + "نيسان\tApril\tmatch\tفي نيسان.\n")
    result = invoke("glossary", "check", "gl/g.tsv", "gl/g.examples.tsv", "--tokenizer", str(TOKENIZER_DIR))
    assert result.exit_code == 1
    assert result.stdout == (
        "gl/g.examples.tsv:2: no entry بايدن in g.tsv\n"
        "gl/g.examples.tsv:3: unknown expect 'maybe': use match or no-match\n"
        "gl/g.examples.tsv:4: نيسان names 2 entries: give the en cell\n"
        "gl/g.examples.tsv:5: wrong number of columns: found 3, expected 4 (ar, en, expect, sentence)\n"
    )
    from translate.errors import InputFileError
    from translate.glossary.entries import default_glossary_paths, resolve_glossary_paths

    assert resolve_glossary_paths(["gl"]) == [Path("gl/g.tsv")]
    monkeypatch.setenv("TRANSLATE_GLOSSARIES", "gl")
    assert default_glossary_paths() == [Path("gl/g.tsv")]
    with pytest.raises(InputFileError, match="an examples file"):
        load_glossaries(["gl/g.examples.tsv"])


def test_report_counts_modes_lists_unproven_entries_and_suspicious_keys(tmp_path):
    write("g.tsv", COLUMNS + "نيسان\tApril\tdate\t\t\tsuggest\nكييف\tKyiv\tplace\nفانس\tVance\tperson\n")
    write("g.examples.tsv", EXAMPLES + "فانس\t\tmatch\tقال فانس.\n")
    corpus = tmp_path / "data"
    write(str(corpus / "ntrex-128" / "newstest2019-ref.arb.txt"),
          "أعلنت نيسان خفض الإنتاج.\nباعت نيسان سيارات أقل.\nفي نيسان الماضي.\nقصفت روسيا كييف.\n")
    write(str(corpus / "ntrex-128" / "newstest2019-src.eng.txt"),
          "Nissan announced output cuts.\nNissan sold fewer cars.\nLast April.\nRussia shelled Kyiv.\n")
    result = invoke("glossary", "check", "g.tsv", "--report", "--corpus", str(corpus), "--tokenizer", str(TOKENIZER_DIR))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "3 entries in 1 glossary",
        "category          force  suggest    total",
        "person                1        0        1",
        "place                 1        0        1",
        "date                  0        1        1",
        "all                   2        1        3",
        "entries without examples: 2 of 3 (1 example)",
        "  place (1): كييف",
        "  date (1): نيسان",
        (f"suspicious keys: 1 (of 4 NTREX/TICO sentences in {corpus}, 2+ matches whose English reference lacks "
         "the entry's English)"),
        ("  g.tsv:2 نيسان -> April (date, suggest): 2 of 3 matches outside its sense, e.g. "
         "ntrex-128/newstest2019-ref.arb.txt:1; common word: نيسان"),
        "g.tsv: 3 entries, 1 example, no problems",
    ]


def test_report_without_corpora_says_so(tmp_path):
    write("g.tsv", COLUMNS + "كييف\tKyiv\tplace\n")
    result = invoke("glossary", "check", "g.tsv", "--report", "--corpus", str(tmp_path / "none"),
                    "--tokenizer", str(TOKENIZER_DIR))
    assert result.exit_code == 0
    assert (f"suspicious keys: not checked, no NTREX/TICO corpora in {tmp_path / 'none'} (--corpus DIR)"
            in result.stdout.splitlines())

