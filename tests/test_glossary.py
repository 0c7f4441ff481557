"""The glossary: matching rules, loading every format, checking, the shipped glossary on the seed, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import REPO, SEED

from translate.cli import cli
from translate.errors import GlossaryError, InputFileError
from translate.glossary.entries import (
    CATEGORIES,
    Entry,
    Glossary,
    Matcher,
    check_glossaries,
    default_glossary_paths,
    load_glossaries,
    load_glossary,
    match_article,
    resolve_glossary_paths,
)
from translate.glossary.examples import read_examples

SHIPPED = REPO / "glossaries" / "news-ar-en.tsv"
HEADER = "ar\ten\tcategory\tnote\tvariants\n"


def make_glossary(rows: list[tuple[str, ...]]) -> Glossary:
    """An in-memory glossary from (ar, en, category[, variants]) rows; line numbers from 2."""
    entries = []
    for line, (ar, en, category, *variants) in enumerate(rows, 2):
        forms = tuple(variants[0].split("|")) if variants else ()
        entries.append(Entry(ar, en, category, "", forms, "t.tsv", line))
    return Glossary("t", "t.tsv", "0" * 64, tuple(entries))


def write(name: str, text: str) -> Path:
    path = Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- matching

TABLE = make_glossary(
    [
        ("أوكرانيا", "Ukraine", "place"),
        ("الجيش الأميركي", "U.S. military", "organisation", "الجيش الأمريكي"),
        ("ناتو", "NATO", "organisation", "حلف الناتو"),
        ("جو بايدن", "Joe Biden", "person"),
        ("بايدن", "Biden", "person"),
        ("واشنطن", "Washington", "place"),
        ("واشنطن بوست", "The Washington Post", "media"),
        ("تشرين الثاني", "November", "date", "تشرين الثاني/نوفمبر|نوفمبر"),
        ("طائرات مسيرة", "drones", "weapon"),
        ("الأفراد", "personnel", "term"),
        ("الكرملين", "Kremlin", "organisation"),
        ("إف-16", "F-16", "weapon"),
        ("رئيس الأركان العامة", "Chief of the General Staff", "title"),
        ("وزارة الدفاع الروسية", "Russian Ministry of Defense", "organisation"),
        ("مؤتمر ميونخ للأمن", "Munich Security Conference", "organisation"),
        ("إيران", "Iran", "place"),
        ("آذار", "March", "date"),
        ("مصطفى", "Mustafa", "person"),
        ("بُوتِين", "Putin", "person"),
        ("مجلس الأمن", "Security Council", "organisation"),
        ("الأمن القومي", "national security", "term"),
        ("مستشار الأمن القومي", "National Security Adviser", "title"),
        ("بريطانيا", "Britain", "place"),
        ("دوليًا", "internationally", "term"),
    ]
)

MATCH_CASES = [
    # proclitics on a term written without ال
    ("clitic-none", "أوكرانيا", [("أوكرانيا", "Ukraine", "")]),
    ("clitic-wa", "وأوكرانيا", [("وأوكرانيا", "Ukraine", "و")]),
    ("clitic-fa", "فأوكرانيا", [("فأوكرانيا", "Ukraine", "ف")]),
    ("clitic-bi", "بأوكرانيا", [("بأوكرانيا", "Ukraine", "ب")]),
    ("clitic-li", "لأوكرانيا", [("لأوكرانيا", "Ukraine", "ل")]),
    ("clitic-ka", "كأوكرانيا", [("كأوكرانيا", "Ukraine", "ك")]),
    ("clitic-wabi", "وبأوكرانيا", [("وبأوكرانيا", "Ukraine", "وب")]),
    ("clitic-wali", "ولأوكرانيا", [("ولأوكرانيا", "Ukraine", "ول")]),
    ("clitic-waka", "وكأوكرانيا", [("وكأوكرانيا", "Ukraine", "وك")]),
    ("clitic-fabi", "فبأوكرانيا", [("فبأوكرانيا", "Ukraine", "فب")]),
    ("clitic-fali", "فلأوكرانيا", [("فلأوكرانيا", "Ukraine", "فل")]),
    ("clitic-faka", "فكأوكرانيا", [("فكأوكرانيا", "Ukraine", "فك")]),
    # the article added to a term written without it
    ("article-al", "الناتو", [("الناتو", "NATO", "ال")]),
    ("article-wal", "والناتو", [("والناتو", "NATO", "وال")]),
    ("article-bal", "بالناتو", [("بالناتو", "NATO", "بال")]),
    ("article-fal", "فالناتو", [("فالناتو", "NATO", "فال")]),
    ("article-kal", "كالناتو", [("كالناتو", "NATO", "كال")]),
    ("article-lil", "للناتو", [("للناتو", "NATO", "لال")]),
    ("article-wabal", "وبالناتو", [("وبالناتو", "NATO", "وبال")]),
    ("article-agrees", "بالطائرات المسيرة", [("بالطائرات المسيرة", "drones", "بال")]),
    ("article-indefinite", "طائرات مسيرة", [("طائرات مسيرة", "drones", "")]),
    ("variant-with-article", "وحلف الناتو", [("وحلف الناتو", "NATO", "و")]),
    # proclitics on a term written with ال
    ("def-exact", "الجيش الأميركي", [("الجيش الأميركي", "U.S. military", "")]),
    ("def-wa", "والجيش الأميركي", [("والجيش الأميركي", "U.S. military", "و")]),
    ("def-fa", "فالجيش الأميركي", [("فالجيش الأميركي", "U.S. military", "ف")]),
    ("def-bi", "بالجيش الأمريكي", [("بالجيش الأمريكي", "U.S. military", "ب")]),
    ("def-ka", "كالجيش الأميركي", [("كالجيش الأميركي", "U.S. military", "ك")]),
    ("def-li", "للجيش الأميركي", [("للجيش الأميركي", "U.S. military", "ل")]),
    ("def-wabi", "وبالجيش الأميركي", [("وبالجيش الأميركي", "U.S. military", "وب")]),
    ("def-wali", "وللجيش الأميركي", [("وللجيش الأميركي", "U.S. military", "ول")]),
    ("def-li-single", "للأفراد", [("للأفراد", "personnel", "ل")]),
    ("def-kremlin", "بالكرملين", [("بالكرملين", "Kremlin", "ب")]),
    ("def-needs-article", "جيش الأميركي وكرملين", []),
    # each normalisation, in the text and in the glossary
    ("norm-harakat", "أُوكْرَانِيَا", [("أُوكْرَانِيَا", "Ukraine", "")]),
    ("norm-tatweel", "أوكـرانيـا", [("أوكـرانيـا", "Ukraine", "")]),
    ("norm-bare-alef", "اوكرانيا", [("اوكرانيا", "Ukraine", "")]),
    ("norm-hamza-below", "ايران وإيران", [("ايران", "Iran", ""), ("وإيران", "Iran", "و")]),
    ("norm-madda", "اذار وأذار", [("اذار", "March", ""), ("وأذار", "March", "و")]),
    ("norm-wasla", "ٱلكرملين", [("ٱلكرملين", "Kremlin", "")]),
    ("norm-alef-maksura", "مصطفي", [("مصطفي", "Mustafa", "")]),
    ("norm-taa-marbuta", "وزاره الدفاع الروسيه", [("وزاره الدفاع الروسيه", "Russian Ministry of Defense", "")]),
    ("norm-hamza-waw", "موتمر ميونخ للامن", [("موتمر ميونخ للامن", "Munich Security Conference", "")]),
    ("norm-hamza-yeh", "رييس الاركان العامه", [("رييس الاركان العامه", "Chief of the General Staff", "")]),
    ("norm-glossary-harakat", "بوتين", [("بوتين", "Putin", "")]),
    ("norm-digits", "إف-١٦", [("إف-١٦", "F-16", "")]),
    ("norm-zwnj", "أوكر\u200cانيا", [("أوكر\u200cانيا", "Ukraine", "")]),
    # tanween marks an indefinite noun or adjective, not a name
    ("tanween-adjective", "متجرًا بريطانيًا وبريطانيا", [("وبريطانيا", "Britain", "و")]),
    ("tanween-in-term", "دوليًا ودوليا", [("دوليًا", "internationally", ""), ("ودوليا", "internationally", "و")]),
    # longest match wins
    ("longest-name", "جو بايدن وبايدن", [("جو بايدن", "Joe Biden", ""), ("وبايدن", "Biden", "و")]),
    ("longest-media", "صحيفة واشنطن بوست في واشنطن", [("واشنطن بوست", "The Washington Post", ""), ("واشنطن", "Washington", "")]),
    ("longest-3-words", "مستشار الأمن القومي", [("مستشار الأمن القومي", "National Security Adviser", "")]),
    ("overlap-earliest", "مجلس الأمن القومي", [("مجلس الأمن", "Security Council", "")]),
    ("overlap-later", "الأمن القومي", [("الأمن القومي", "national security", "")]),
    # whole words only
    ("inner-suffix", "أوكرانياتي بايدنز", []),
    ("inner-prefix", "مواشنطن سبايدن", []),
    ("inner-latin", "إف-16s", []),
    ("inner-digit", "إف-160", []),
    # punctuation and lines
    ("punct-slash", "تشرين الثاني/ نوفمبر", [("تشرين الثاني/ نوفمبر", "November", "")]),
    ("punct-slash-spaces", "في تشرين الثاني /نوفمبر.", [("تشرين الثاني /نوفمبر", "November", "")]),
    ("punct-other", "تشرين الثاني - نوفمبر", [("تشرين الثاني", "November", ""), ("نوفمبر", "November", "")]),
    ("punct-comma-breaks", "الجيش، الأميركي", []),
    ("punct-newline-breaks", "الجيش\nالأميركي", []),
    ("punct-spaces", "الجيش \u00a0 الأميركي", [("الجيش \u00a0 الأميركي", "U.S. military", "")]),
    ("punct-quotes-around", "“أوكرانيا”، و(بايدن):", [("أوكرانيا", "Ukraine", ""), ("بايدن", "Biden", "")]),
    ("punct-quotes-inside", "الجيش “الأميركي”", [("الجيش “الأميركي", "U.S. military", "")]),
    ("punct-hyphen-is-own", "إف 16", []),
    ("empty", "", []),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in MATCH_CASES], ids=[c[0] for c in MATCH_CASES])
def test_match_case_table(text, expected):
    matches = Matcher([TABLE]).find(text)
    assert [(m.text, m.entry.en, m.clitic) for m in matches] == expected
    for m in matches:
        assert text[m.start : m.end] == m.text


CORE_CASES = [
    # text, where the term itself starts (after proclitics and article): what placement reads
    ("أوكرانيا", 0),
    ("لأوكرانيا", 1),
    ("لِأوكرانيا", 2),  # the vowel sign goes with the proclitic
    ("بالجيش الأميركي", 3),
    ("الجيش الأميركي", 2),
    ("للناتو", 2),
    ("وبايدن", 1),
]


@pytest.mark.parametrize(("text", "core"), CORE_CASES, ids=[c[0] for c in CORE_CASES])
def test_core_start_skips_proclitics_and_the_article(text, core):
    (m,) = Matcher([TABLE]).find(text)
    assert (m.start, m.end, m.core_start) == (0, len(text), core)


def test_spans_index_the_whole_text_and_stay_inside_start_end():
    text = "قال بايدن.\nوأكد أن أوكرانيا، وبايدن\u064f أيضاً"
    matcher = Matcher([TABLE])
    assert [(m.start, m.end, m.text) for m in matcher.find(text)] == [
        (4, 9, "بايدن"),
        (19, 27, "أوكرانيا"),
        (29, 36, "وبايدن\u064f"),
    ]
    assert [(m.start, m.end) for m in matcher.find(text, 11, 27)] == [(19, 27)]
    assert [(m.start, m.end) for m in matcher.find(text, 11)] == [(19, 27), (29, 36)]
    assert matcher.find(text, 0, 8) == []  # "بايد" is not a whole word


def test_order_breaks_ties_between_equal_terms():
    first = make_glossary([("واشنطن", "Washington", "place")])
    second = make_glossary([("واشنطن", "Washington, D.C.", "organisation")])
    assert [m.entry.en for m in Matcher([first, second]).find("واشنطن")] == ["Washington"]
    assert [m.entry.en for m in Matcher([second, first]).find("واشنطن")] == ["Washington, D.C."]


def test_match_to_dict_and_to_term():
    (m,) = Matcher([TABLE]).find("لأوكرانيا")
    assert m.to_dict() == {
        "start": 0,
        "end": 9,
        "text": "لأوكرانيا",
        "ar": "أوكرانيا",
        "en": "Ukraine",
        "category": "place",
        "mode": "force",
        "forbidden": [],
        "note": "",
        "entry": "t.tsv:2",
        "clitic": "ل",
        "core_start": 1,
    }
    term = m.to_term()
    assert (term.source, term.source_span, term.target, term.entry, term.category) == (
        "لأوكرانيا",
        (0, 9),
        "Ukraine",
        "t.tsv:2",
        "place",
    )


# ---------------------------------------------------------------- loading


def test_load_project_tsv_with_bom_crlf_comments_and_variants():
    text = (
        "\ufeffar\ten\tcategory\tnote\tvariants\r\n"
        "# people\r\n"
        "\r\n"
        "غيراسيموف\tGerasimov\tperson\tsurname\tجيراسيموف| جراسيموف\r\n"
        "أوكرانيا\tUkraine\tPlace\r\n"
        "الأمم المتحدة\tUnited Nations\torganization\t\t\r\n"
    )
    path = write("news.tsv", text)
    g = load_glossary(path)
    assert (g.name, g.path) == ("news", "news.tsv")
    assert g.signature_part == "news@" + g.digest[:12]
    assert len(g.digest) == 64
    assert g.entries == (
        Entry("غيراسيموف", "Gerasimov", "person", "surname", ("جيراسيموف", "جراسيموف"), "news.tsv", 4),
        Entry("أوكرانيا", "Ukraine", "place", "", (), "news.tsv", 5),
        Entry("الأمم المتحدة", "United Nations", "organisation", "", (), "news.tsv", 6),
    )
    assert g.entries[0].ref == "news.tsv:4"
    assert Entry.from_dict(g.entries[0].to_dict()) == g.entries[0]


def test_digest_changes_with_the_bytes():
    a = load_glossary(write("a.tsv", HEADER + "أوكرانيا\tUkraine\tplace\t\t\n"))
    b = load_glossary(write("b/a.tsv", HEADER + "أوكرانيا\tUkraine\tplace\tAP\t\n"))
    assert a.name == b.name and a.digest != b.digest


def test_load_four_column_header():
    g = load_glossary(write("g.tsv", "ar\ten\tcategory\tnote\nبايدن\tBiden\tperson\tsurname\n"))
    assert g.entries == (Entry("بايدن", "Biden", "person", "surname", (), "g.tsv", 2),)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("omegat.tsv", "# OmegaT\nأوكرانيا\tUkraine\nكييف\tKyiv\tnot Kiev\n", [("أوكرانيا", "Ukraine", "", 2), ("كييف", "Kyiv", "not Kiev", 3)]),
        ("deepl.csv", 'أوكرانيا,Ukraine\n"واشنطن بوست","The Washington Post"\n', [("أوكرانيا", "Ukraine", "", 1), ("واشنطن بوست", "The Washington Post", "", 2)]),
        ("google.csv", "ar,en\nكييف,Kyiv\n\nبايدن,\"Biden, Joe\"\n", [("كييف", "Kyiv", "", 2), ("بايدن", "Biden, Joe", "", 4)]),
        ("plain.txt", "بايدن\tBiden\n", [("بايدن", "Biden", "", 1)]),
    ],
)
def test_load_two_column_glossaries(name, text, expected):
    g = load_glossary(write(name, text))
    assert [(e.ar, e.en, e.note, e.line) for e in g.entries] == expected
    assert {e.category for e in g.entries} == {"term"}


TBX2 = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en">
  <text><body>
    <termEntry id="1">
      <descrip type="subjectField">person</descrip>
      <langSet xml:lang="ar"><tig><term>غيراسيموف</term></tig><tig><term>جيراسيموف</term></tig></langSet>
      <langSet xml:lang="en-US"><tig><term>Gerasimov</term></tig></langSet>
    </termEntry>
    <termEntry id="2">
      <descrip type="definition">capital of Ukraine</descrip>
      <langSet xml:lang="ar"><ntig><termGrp><term>كييف</term></termGrp></ntig></langSet>
      <langSet xml:lang="en"><ntig><termGrp><term>Kyiv</term></termGrp></ntig></langSet>
    </termEntry>
  </body></text>
</martif>
"""
TBX3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en">
  <text><body>
    <conceptEntry id="c1">
      <langSec xml:lang="ar"><termSec><term>هيمارس</term></termSec></langSec>
      <langSec xml:lang="en"><termSec><term>HIMARS</term></termSec></langSec>
    </conceptEntry>
  </body></text>
</tbx>
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (TBX2, [("غيراسيموف", "Gerasimov", "person", "", ("جيراسيموف",), 4), ("كييف", "Kyiv", "term", "capital of Ukraine", (), 9)]),
        (TBX3, [("هيمارس", "HIMARS", "term", "", (), 4)]),
    ],
    ids=["tbx2", "tbx3"],
)
def test_load_tbx(text, expected):
    g = load_glossary(write("terms.tbx", text))
    assert [(e.ar, e.en, e.category, e.note, e.variants, e.line) for e in g.entries] == expected


# ---------------------------------------------------------------- checking

CATS = ", ".join(CATEGORIES)
CHECK_CASES = [
    ("clean", HEADER + "أوكرانيا\tUkraine\tplace\t\t\n", []),
    ("too-many-columns", HEADER + "أوكرانيا\tUkraine\tplace\t\t\tx\n", ["bad.tsv:2: wrong number of columns: found 6, expected 5 (ar, en, category, note, variants)"]),
    ("too-few-columns", HEADER + "أوكرانيا\tUkraine\n", ["bad.tsv:2: wrong number of columns: found 2, expected 5 (ar, en, category, note, variants)"]),
    ("two-column-wrong", "أوكرانيا\tUkraine\tnote\tx\n", ["bad.tsv:1: wrong number of columns: found 4, expected 2 (ar, en) or 3 (ar, en, note)"]),
    ("bad-header", "ar\ten\tcategory\tcomment\nأوكرانيا\tUkraine\tplace\t\n", ["bad.tsv:1: bad header ar, en, category, comment: expected ar, en, category, note and optionally variants, mode, forbidden, context, stop (each once, in any order), separated by tabs"]),
    ("empty-ar", HEADER + "\tUkraine\tplace\t\t\n", ["bad.tsv:2: empty ar cell"]),
    ("empty-en", HEADER + "أوكرانيا\t\tplace\t\t\n", ["bad.tsv:2: empty en cell"]),
    ("empty-category", HEADER + "أوكرانيا\tUkraine\t\t\t\n", ["bad.tsv:2: empty category cell"]),
    ("unknown-category", HEADER + "أوكرانيا\tUkraine\tcountry\t\t\n", [f"bad.tsv:2: unknown category 'country': use one of {CATS}"]),
    ("no-arabic", HEADER + "NATO\tNATO\torganisation\t\t\n", ["bad.tsv:2: no Arabic letters in ar 'NATO'"]),
    ("no-arabic-variant", HEADER + "ناتو\tNATO\torganisation\t\tNATO\n", ["bad.tsv:2: no Arabic letters in variant 'NATO'"]),
    ("empty-variant", HEADER + "ناتو\tNATO\torganisation\t\tالناتو||حلف الناتو\n", ["bad.tsv:2: empty variant in 'الناتو||حلف الناتو'"]),
    ("all-on-one-line", HEADER + "\t\tx\t\t\n", ["bad.tsv:2: empty ar cell", "bad.tsv:2: empty en cell", f"bad.tsv:2: unknown category 'x': use one of {CATS}"]),
    ("duplicate", HEADER + "أوكرانيا\tUkraine\tplace\t\t\nأوكرانيا\tUkraine\tplace\tagain\t\n", ["bad.tsv:3: duplicate entry: 'أوكرانيا' -> 'Ukraine' is already at line 2"]),
    ("duplicate-normalised", HEADER + "أوكرانيا\tUkraine\tplace\t\t\nاوكرانِيا\tUkraine\tplace\t\t\n", ["bad.tsv:3: duplicate entry: 'اوكرانِيا' -> 'Ukraine' is already at line 2"]),
    ("conflict", HEADER + "كييف\tKyiv\tplace\t\t\nكييف\tKiev\tplace\t\t\n", ["bad.tsv:3: conflicting English for 'كييف': 'Kiev' here but 'Kyiv' for 'كييف' at line 2 (both place); remove one or give them different categories"]),
    ("conflict-article", HEADER + "ناتو\tNATO\torganisation\t\t\nالناتو\tNato\torganisation\t\t\n", ["bad.tsv:3: conflicting English for 'الناتو': 'Nato' here but 'NATO' for 'ناتو' at line 2 (both organisation); remove one or give them different categories"]),
    ("conflict-variant", HEADER + "ناتو\tNATO\torganisation\t\t\nحلف شمال الأطلسي\tNorth Atlantic Alliance\torganisation\t\tناتو\n", ["bad.tsv:3: conflicting English for 'ناتو': 'North Atlantic Alliance' here but 'NATO' for 'ناتو' at line 2 (both organisation); remove one or give them different categories"]),
    ("variant-repeats", HEADER + "أوكرانيا\tUkraine\tplace\t\tاوكرانيا\n", ["bad.tsv:2: variant 'اوكرانيا' repeats 'أوكرانيا' of the same entry"]),
    ("categories-tell-apart", HEADER + "واشنطن\tWashington\tplace\t\t\nواشنطن\tU.S. government\torganisation\t\t\n", []),
    ("header-only", HEADER, ["bad.tsv:1: no entries"]),
    ("conflict-before-a-later-error", HEADER + "كييف\tKyiv\tplace\t\t\nكييف\tKiev\tplace\t\t\n\tA\tplace\t\t\n", [
        "bad.tsv:3: conflicting English for 'كييف': 'Kiev' here but 'Kyiv' for 'كييف' at line 2 (both place); remove one or give them different categories",
        "bad.tsv:4: empty ar cell",
    ]),
    ("lines-in-order", HEADER + "\tA\tplace\t\t\nأوكرانيا\tUkraine\tplace\nx\ty\tplace\t\t\t\t\nأوكرانيا\tUkrainia\tplace\n", [
        "bad.tsv:2: empty ar cell",
        "bad.tsv:4: wrong number of columns: found 7, expected 5 (ar, en, category, note, variants)",
        "bad.tsv:5: conflicting English for 'أوكرانيا': 'Ukrainia' here but 'Ukraine' for 'أوكرانيا' at line 3 (both place); remove one or give them different categories",
    ]),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CHECK_CASES], ids=[c[0] for c in CHECK_CASES])
def test_check_case_table(text, expected):
    path = write("bad.tsv", text)
    assert check_glossaries([path]) == expected
    if expected:
        with pytest.raises(GlossaryError) as info:
            load_glossary(path)
        assert info.value.problems == expected
        assert str(info.value) == "\n".join(expected)
    else:
        load_glossary(path)
    assert path.read_text(encoding="utf-8") == text  # never rewritten


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("nope.tsv", None, "nope.tsv: no such file"),
        ("latin1.tsv", "ar\ten\tcategory\tnote\n\xe9\n".encode("latin-1"), "latin1.tsv:2: not valid UTF-8 (byte 0xe9 at offset 20)"),
        ("empty.tsv", b"", "empty.tsv: is empty"),
        ("notes.md", "بايدن\tBiden\n".encode(), "notes.md: not a glossary file (.md): use .tsv, .csv, .txt, .tbx"),
        ("broken.tbx", b"<martif>\n<text>\n</martif>\n", "broken.tbx:3: not valid TBX (XML): Opening and ending tag mismatch: text line 2 and martif, line 3, column 10"),
        ("broken.csv", 'ب,"ok"\nب,"B"x\n'.encode(), "broken.csv:2: not valid CSV: ',' expected after '\"'"),
    ],
)
def test_unreadable_glossaries(name, content, message):
    if content is not None:
        Path(name).write_bytes(content)
    with pytest.raises(InputFileError) as info:
        load_glossary(name)
    assert not isinstance(info.value, GlossaryError)
    assert str(info.value) == message
    assert check_glossaries([name]) == [message]
    if content is None:  # a missing path is refused before loading (translate.glossary.paths)
        with pytest.raises(InputFileError, match=f"^{name}: no such file or folder$"):
            load_glossaries([name])
        return
    with pytest.raises(GlossaryError) as info:
        load_glossaries([name])
    assert info.value.problems == [message]


def test_conflicts_across_files_and_the_same_file_twice():
    a = write("a.tsv", HEADER + "كييف\tKyiv\tplace\t\t\n")
    b = write("sub/b.tsv", HEADER + "بايدن\tBiden\tperson\t\t\nكييف\tKiev\tplace\t\t\n")
    assert [g.name for g in load_glossaries([a, "./a.tsv"])] == ["a"]
    with pytest.raises(GlossaryError) as info:
        load_glossaries([a, b])
    assert info.value.problems == [
        "sub/b.tsv:3: conflicting English for 'كييف': 'Kiev' here but 'Kyiv' for 'كييف' at a.tsv:2 "
        "(both place); remove one or give them different categories"
    ]
    load_glossary(b)  # each is clean on its own


def test_default_glossary_paths(monkeypatch):
    monkeypatch.delenv("TRANSLATE_GLOSSARIES", raising=False)
    assert default_glossary_paths() == []  # the cwd of a test has no glossaries/ folder
    write("glossaries/b.tsv", HEADER)
    write("glossaries/a.tsv", HEADER)
    write("glossaries/README.md", "# notes\n")
    assert default_glossary_paths() == [Path("glossaries/a.tsv"), Path("glossaries/b.tsv")]
    write("other/c.tsv", HEADER)
    write("other/d.tbx", "<martif/>\n")  # a folder means every glossary suffix, as for -g DIR
    write("x.csv", "")
    monkeypatch.setenv("TRANSLATE_GLOSSARIES", "other:x.csv")
    assert default_glossary_paths() == [Path("other/c.tsv"), Path("other/d.tbx"), Path("x.csv")]
    monkeypatch.setenv("TRANSLATE_GLOSSARIES", "")
    assert default_glossary_paths() == []


# ---------------------------------------------------------------- the shipped glossary on the seed

# Every name and term of the seed article: (line, text as written, English).
SEED_HITS = [
    (1, "أوكرانيا", "Ukraine"),
    (3, "الجيش الأميركي", "U.S. military"),
    (3, "يوم الأربعاء", "Wednesday"),
    (3, "قائد الأركان المشتركة", "Chairman of the Joint Chiefs of Staff"),
    (3, "الجنرال", "Gen."),
    (3, "تشارلز كيو براون", "Charles Q. Brown Jr."),
    (3, "رئيس الأركان العامة", "Chief of the General Staff"),
    (3, "فاليري غيراسيموف", "Valery Gerasimov"),
    (4, "براون", "Brown"),
    (4, "وغيراسيموف", "Gerasimov"),
    (6, "الجنرال", "Gen."),
    (6, "براون", "Brown"),
    (6, "تشرين الثاني/ نوفمبر", "November"),
    (7, "أوكرانيا", "Ukraine"),
    (8, "وزارة الدفاع الروسية", "Russian Defense Ministry"),
    (8, "الجنرال", "Gen."),
    (8, "براون", "Brown"),
    (10, "روسيا", "Russia"),
    (10, "وأوكرانيا", "Ukraine"),
    (11, "أوكرانيا", "Ukraine"),
    (12, "موسكو", "Moscow"),
    (13, "الرئيس الأميركي", "U.S. President"),
    (13, "جو بايدن", "Joe Biden"),
    (13, "لأوكرانيا", "Ukraine"),
    (13, "الرئيس المنتخب", "President-elect"),
    (13, "دونالد ترامب", "Donald Trump"),
    (13, "كانون الثاني/ يناير", "January"),
    (14, "واشنطن بوست", "The Washington Post"),
    (14, "إدارة بايدن", "Biden administration"),
    (14, "أوكرانيا", "Ukraine"),
    (14, "المساعدات العسكرية", "military aid"),
    (15, "مساعدات عسكرية", "military aid"),
    (16, "وزير الخارجية الأميركي", "U.S. Secretary of State"),
    (16, "أنتوني بلينكن", "Antony Blinken"),
    (16, "يوم الإثنين", "Monday"),
    (16, "حزمة مساعدات عسكرية", "military aid package"),
    (16, "لأوكرانيا", "Ukraine"),
    (17, "ذخائر مضادة للطائرات من دون طيار", "counter-drone munitions"),
    (17, "هيمارس", "HIMARS"),
    (17, "ألغام أرضية مضادة للأفراد", "anti-personnel landmines"),
    (19, "مستشار الأمن القومي", "National Security Adviser"),
    (19, "جيك سوليفان", "Jake Sullivan"),
    (19, "بايدن", "Biden"),
    (19, "لوزارة الدفاع الأميركية", "U.S. Defense Department"),
    (19, "أوكرانيا", "Ukraine"),
    (20, "سوليفان", "Sullivan"),
    (20, "أوكرانيا", "Ukraine"),
    (21, "بايدن", "Biden"),
    (21, "أيلول/ سبتمبر", "September"),
    (21, "أوكرانيا", "Ukraine"),
]


@pytest.fixture(scope="module")
def shipped() -> Glossary:
    return load_glossary(SHIPPED)


def test_shipped_glossary_is_clean_and_big_enough(shipped):
    assert check_glossaries(resolve_glossary_paths([REPO / "glossaries"])) == []
    assert 400 <= len(shipped.entries) <= 700
    required = {"person", "title", "organisation", "place", "weapon", "military term", "media"}
    assert required <= {e.category for e in shipped.entries}


def test_shipped_glossary_finds_every_term_of_the_seed(shipped):
    text = SEED.read_text(encoding="utf-8")
    result = match_article(SEED, [SHIPPED])
    assert [(result.line_of(m), m.text, m.entry.en) for m in result.matches] == SEED_HITS
    assert all(text[m.start : m.end] == m.text for m in result.matches)
    assert result.to_dict()["glossaries"] == [shipped.signature_part]


def test_seed_words_that_are_not_terms(shipped):
    """``الاثنين`` ("the two") on line 7 is not Monday; the typo ``الأمريكيي`` is not matched."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    matcher = Matcher([shipped])
    assert "الاثنين" in lines[6] and [m.text for m in matcher.find(lines[6])] == ["أوكرانيا"]
    assert [m.text for m in matcher.find(lines[0])] == ["أوكرانيا"]


@pytest.mark.parametrize(
    ("ar", "en"),
    [
        ("تشارلز كيو براون", "Charles Q. Brown Jr."),
        ("فاليري غيراسيموف", "Valery Gerasimov"),
        ("قائد الأركان المشتركة", "Chairman of the Joint Chiefs of Staff"),
        ("رئيس الأركان العامة", "Chief of the General Staff"),
        ("وزارة الدفاع الروسية", "Russian Defense Ministry"),
        ("هيمارس", "HIMARS"),
        ("ألغام أرضية مضادة للأفراد", "anti-personnel landmines"),
        ("مستشار الأمن القومي", "National Security Adviser"),
        ("واشنطن بوست", "The Washington Post"),
        ("حلف الناتو", "NATO"),
        ("البنتاغون", "Pentagon"),
        ("كييف", "Kyiv"),
        ("زيلنسكي", "Zelenskyy"),
        ("أتاكمز", "ATACMS"),
        ("ستورم شادو", "Storm Shadow"),
        ("باتريوت", "Patriot"),
        ("كورسك", "Kursk"),
        ("دونباس", "Donbas"),
        ("خاركيف", "Kharkiv"),
        ("زابوريجيا", "Zaporizhzhia"),
        ("لويد أوستن", "Lloyd Austin"),
        ("جيك سوليفان", "Jake Sullivan"),
        ("فلاديمير بوتين", "Vladimir Putin"),
        ("سيرغي شويغو", "Sergei Shoigu"),
        ("أندريه بيلوسوف", "Andrei Belousov"),
        ("مارك روته", "Mark Rutte"),
        ("ينس ستولتنبرغ", "Jens Stoltenberg"),
        ("فولوديمير زيلينسكي", "Volodymyr Zelenskyy"),
        ("مارك ميلي", "Mark Milley"),
        ("الأمم المتحدة", "United Nations"),
        ("الاتحاد الأوروبي", "European Union"),
        ("البيت الأبيض", "White House"),
        ("الكرملين", "Kremlin"),
        ("وزارة الخارجية الأمريكية", "U.S. State Department"),
        ("طائرات مسيرة", "drones"),
        ("قنابل عنقودية", "cluster munitions"),
        ("إف-16", "F-16"),
        ("أبرامز", "Abrams"),
        ("ليوبارد", "Leopard"),
        ("برادلي", "Bradley"),
        ("جافلين", "Javelin"),
        ("ستينجر", "Stinger"),
        ("ناسامز", "NASAMS"),
        ("إيريس-تي", "IRIS-T"),
        ("صواريخ إسكندر", "Iskander missiles"),
        ("كينجال", "Kinzhal"),
        ("مسيرات شاهد", "Shahed drones"),
        ("أوريشنيك", "Oreshnik"),
        ("مجموعة فاغنر", "Wagner Group"),
        ("كوريا الشمالية", "North Korea"),
        # surname-only entries for people the news names by surname
        ("براون", "Brown"),
        ("جيراسيموف", "Gerasimov"),
        ("بايدن", "Biden"),
        ("سوليفان", "Sullivan"),
        ("بلينكن", "Blinken"),
        ("ترمب", "Trump"),
        ("أوستن", "Austin"),
        ("بوتين", "Putin"),
    ],
)
def test_shipped_renderings(shipped, ar, en):
    assert [m.entry.en for m in Matcher([shipped]).find(ar)] == [en]


def test_matching_the_seed_finds_the_same_hits_every_pass(shipped):  # how fast: benchmarks/limits.py
    text = SEED.read_text(encoding="utf-8")
    matcher = Matcher([shipped])
    first = [(m.start, m.end, m.entry.en) for m in matcher.find(text)]
    assert len(first) >= 40 and all(text[a:b] for a, b, _ in first)
    assert all([(m.start, m.end, m.entry.en) for m in matcher.find(text)] == first for _ in range(3))


# ---------------------------------------------------------------- CLI

ARTICLE = "قال بايدن إن أوكرانيا\nوصلتها صواريخ “هيمارس”.\n"
SMALL = HEADER + "بايدن\tBiden\tperson\tsurname\t\nأوكرانيا\tUkraine\tplace\t\t\nهيمارس\tHIMARS\tweapon\t\t\n"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_cli_match_table():
    write("a.ar.txt", ARTICLE)
    g = load_glossary(write("g.tsv", SMALL))
    result = invoke("glossary", "match", "a.ar.txt", "-g", "g.tsv")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "LINE  SPAN   ARABIC    ENGLISH  CATEGORY  MODE   ENTRY\n"
        "1     4-9    بايدن     Biden    person    force  g.tsv:2\n"
        "1     13-21  أوكرانيا  Ukraine  place     force  g.tsv:3\n"
        "2     37-43  هيمارس    HIMARS   weapon    force  g.tsv:4\n"
        f"3 matches (3 force, 0 suggest), 3 entries ({g.signature_part})\n"
    )


def test_cli_match_json_and_no_hits():
    write("a.ar.txt", ARTICLE)
    g = load_glossary(write("g.tsv", SMALL))
    result = invoke("glossary", "match", "a.ar.txt", "-g", "g.tsv", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["article"] == "a.ar.txt" and data["glossaries"] == [g.signature_part]
    assert data["matches"][2] == {
        "line": 2, "start": 37, "end": 43, "text": "هيمارس", "ar": "هيمارس", "en": "HIMARS",
        "category": "weapon", "mode": "force", "forbidden": [], "note": "", "entry": "g.tsv:4", "clitic": "",
        "core_start": 37,
    }
    write("b.ar.txt", "لا شيء هنا\n")
    result = invoke("glossary", "match", "b.ar.txt", "-g", "g.tsv")
    assert (result.exit_code, result.stdout) == (0, f"0 matches (0 force, 0 suggest), 0 entries ({g.signature_part})\n")


def test_cli_match_uses_the_default_glossaries(monkeypatch):
    monkeypatch.delenv("TRANSLATE_GLOSSARIES", raising=False)
    write("a.ar.txt", ARTICLE)
    result = invoke("glossary", "match", "a.ar.txt")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: no glossary: name one with -g FILE, put glossary files in ./glossaries, or set TRANSLATE_GLOSSARIES\n"
    )
    g = load_glossary(write("glossaries/g.tsv", SMALL))
    result = invoke("glossary", "match", "a.ar.txt")
    assert result.exit_code == 0
    assert result.stdout.endswith(f"\n3 matches (3 force, 0 suggest), 3 entries ({g.signature_part})\n")


@pytest.mark.parametrize(
    ("files", "args", "stderr"),
    [
        ({"g.tsv": SMALL}, ["missing.ar.txt", "-g", "g.tsv"], "Error: missing.ar.txt: no such file\n"),
        ({"a.ar.txt": ARTICLE, "bad.tsv": HEADER + "بايدن\t\tperson\t\t\n"}, ["a.ar.txt", "-g", "bad.tsv"], "Error: bad.tsv:2: empty en cell\n"),
        ({"a.ar.txt": ARTICLE}, ["a.ar.txt", "-g", "nope.tsv"], "Error: nope.tsv: no such file or folder\n"),
    ],
)
def test_cli_match_errors(files, args, stderr):
    for name, text in files.items():
        write(name, text)
    result = invoke("glossary", "match", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", stderr)


def test_cli_check_clean_and_skips_other_files():
    write("gl/news.tsv", SMALL)
    write("gl/extra.csv", "كييف,Kyiv\n")
    write("gl/README.md", "# notes\n")
    result = invoke("glossary", "check", "gl/news.tsv", "gl/extra.csv", "gl/README.md")
    assert result.exit_code == 0
    assert result.stdout == "gl/news.tsv: 3 entries, no problems\ngl/extra.csv: 1 entry, no problems\n"
    assert result.stderr == "gl/README.md: skipped, not a glossary file\n"
    result = invoke("glossary", "check", "gl")  # a folder: its glossary files, sorted
    assert result.stdout == "gl/extra.csv: 1 entry, no problems\ngl/news.tsv: 3 entries, no problems\n"


def test_cli_check_problems():
    write("bad.tsv", HEADER + "كييف\tKyiv\tplace\t\t\nكييف\tKiev\tplace\t\t\nبايدن\tBiden\n")
    write("empty.tsv", "")
    result = invoke("glossary", "check", "bad.tsv", "empty.tsv")  # a missing path: tests/test_glossary_paths.py
    assert result.exit_code == 1
    assert result.stdout == (
        "bad.tsv:3: conflicting English for 'كييف': 'Kiev' here but 'Kyiv' for 'كييف' at line 2 "
        "(both place); remove one or give them different categories\n"
        "bad.tsv:4: wrong number of columns: found 2, expected 5 (ar, en, category, note, variants)\n"
        "empty.tsv: is empty\n"
    )
    assert result.stderr == "Error: 3 problems found\n"


def test_cli_check_nothing_to_check():
    write("notes.md", "x\n")
    result = invoke("glossary", "check", "notes.md")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "notes.md: skipped, not a glossary file\nError: no glossary files to check\n"


def test_cli_check_shipped_glossary(shipped):
    result = invoke("glossary", "check", str(SHIPPED))
    examples = len(read_examples(shipped)[0])
    assert examples >= 100
    assert (result.exit_code, result.stdout) == (
        0, f"{SHIPPED}: {len(shipped.entries)} entries, {examples} examples, no problems\n")


def test_glossary_round_trips_through_a_dict():
    assert Glossary.from_dict(TABLE.to_dict()) == TABLE
