"""QA checks: numbers (case table), glossary terms, Arabic left over, empty, brackets, length ratio."""

from __future__ import annotations

from decimal import Decimal

import pytest

from translate.doc.model import Term
from translate.review.qa import Issue, check_document, check_segment, has_errors
from translate.text.numbers import arabic_numbers, english_numbers


def term(source: str, target: str) -> Term:
    return Term(source=source, source_span=(0, len(source)), target=target, entry=source, category="org")


def checks(issues: list[Issue]) -> list[tuple[str, str]]:
    return [(i.check, i.severity) for i in issues]


NUMBER_CASES = [
    # (Arabic, English, numbers missing from the English)
    ("بلغت 725 مليون دولار", "It reached $725 million", []),
    ("بلغت ٧٢٥ مليون دولار", "It reached $725 million", []),
    ("بلغت ٧٢٥ مليون دولار", "It reached $725,000,000", []),
    ("بلغت ٧٢٥ مليون دولار", "It reached $725m", []),
    ("بلغت ٧٢٥ مليون دولار", "It reached $725", ["٧٢٥ مليون (725000000)"]),
    ("بلغت ٧٢٥ مليون دولار", "It reached $752 million", ["٧٢٥ مليون (725000000)"]),
    ("نحو ١٢٬٥٠٠ جندي", "about 12,500 soldiers", []),
    ("نحو ١٢٬٥٠٠ جندي", "about 12500 soldiers", []),
    ("نحو 12,500 جندي", "about 12.5 thousand soldiers", []),
    ("نحو ١٢٬٥٠٠ جندي", "about 1,250 soldiers", ["١٢٬٥٠٠ (12500)"]),
    ("نمو ٢٫٥ في المئة", "growth of 2.5 percent", []),
    ("نمو ٢٫٥ في المئة", "growth of 2.50 percent", []),
    ("نمو ٢٫٥ في المئة", "growth of 25 percent", ["٢٫٥ (2.5)"]),
    ("نمو 1.5 مليار", "growth of 1.5bn", []),
    ("نمو 1.5 مليار", "growth of 1.5 billion", []),
    ("خسر 20 ألف وظيفة", "lost 20,000 jobs", []),
    ("خسر 20 ألف وظيفة", "lost 20 thousand jobs", []),
    ("خسر ٣ آلاف وظيفة", "lost 3,000 jobs", []),
    ("خسر 20 ألف وظيفة", "lost 20 jobs", ["20 ألف (20000)"]),
    ("3 ملايين و500 ألف نسمة", "3.5 million people", []),
    ("3 ملايين و500 ألف نسمة", "3 million and 500,000 people", []),
    ("3 ملايين و500 ألف نسمة", "3 million people", ["500 ألف (500000)"]),
    ("في عام ٢٠٢٣", "in 2023", []),
    ("في عام ٢٠٢٣", "in 2022", ["٢٠٢٣ (2023)"]),
    ("أجرى 3 مكالمات", "he made three calls", []),
    ("في 5 ديسمبر 2022", "on December 5, 2022", []),
    ("في 5/12/2022", "on December 5, 2022", []),
    ("طائرات إف-16", "F-16 jets", []),
    ("ارتفع 50٪", "rose 50%", []),
    ("قال الجيش", "the army said", []),
    ("قتل 7 و11 جرحوا", "7 were killed", ["11 (11)"]),
    ("١٠٠ و١٠٠", "100", []),
]


@pytest.mark.parametrize(("arabic", "english", "missing"), NUMBER_CASES)
def test_numbers_case_table(arabic, english, missing):
    issues = [i for i in check_segment(arabic, english) if i.check == "numbers"]
    assert [i.message for i in issues] == [f"number {m} missing from the English" for m in missing]
    assert all(i.severity == "error" for i in issues)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("٧٢٥ مليون", [Decimal(725_000_000)]),
        ("٢٫٥ مليار", [Decimal("2.5E9")]),
        ("١٢٬٥٠٠", [Decimal(12500)]),
        ("۱۲۳", [Decimal(123)]),  # Extended Arabic-Indic digits (Persian/Urdu)
        ("بين 2020 و2022", [Decimal(2020), Decimal(2022)]),
        ("لا أرقام هنا", []),
    ],
)
def test_arabic_numbers(text, values):
    assert [v for _, v in arabic_numbers(text)] == values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$1.5bn", {Decimal("1.5E9"), Decimal("1.5")}),
        ("725 million", {Decimal("7.25E8")}),
        ("1,000 and 2.25", {Decimal(1000), Decimal("2.25")}),
        ("ten", {Decimal(10)}),
        ("no numbers", set()),
    ],
)
def test_english_numbers(text, expected):
    assert english_numbers(text) == expected


@pytest.mark.parametrize(
    ("english", "terms", "expected"),
    [
        ("The Pentagon said", [term("البنتاغون", "Pentagon")], []),
        ("the pentagon said", [term("البنتاغون", "Pentagon")], []),
        ("The Defense Department said", [term("البنتاغون", "Pentagon")],
         ["glossary term 'Pentagon' missing (for 'البنتاغون')"]),
        ("HIMARS  launchers", [term("هيمارس", "HIMARS launchers")], []),
        ("the HIMARSX system", [term("هيمارس", "HIMARS")], ["glossary term 'HIMARS' missing (for 'هيمارس')"]),
        ("the Himars system", [term("هيمارس", "HIMARS")], ["glossary term 'HIMARS' missing (for 'هيمارس')"]),
        ("The Chairman of the Joint\nChiefs of Staff", [term("قائد الأركان", "the Chairman of the Joint Chiefs of Staff")],
         []),
        ("nothing", [term("أ", "Alpha"), term("ب", "alpha")], ["glossary term 'Alpha' missing (for 'أ')"]),
    ],
)
def test_glossary_terms(english, terms, expected):
    issues = [i for i in check_segment("نص", english, terms) if i.check == "terms"]
    assert [i.message for i in issues] == expected
    assert all(i.severity == "error" for i in issues)


@pytest.mark.parametrize(
    ("arabic", "english", "expected"),
    [
        ("قال الجيش", "", [("empty", "error")]),
        ("قال الجيش 5", "   ", [("empty", "error")]),
        ("قال الجيش", "The army said", []),
        ("قال الجيش", "The الجيش said", [("arabic", "error")]),
        ("قال الجيش ٥", "The army said 5", []),  # digits are not letters
        ("قال الجيش", "The army \u202edias\u202c", [("bidi", "error")]),  # displays as "The army said"
        ("قال الجيش", "The army \u2067said\u2069", [("bidi", "error")]),
        ("قال الجيش", "The army\u200e said", []),  # a mark (LRM) reorders nothing
        ("قال الجيش", "The army (said", [("brackets", "warning")]),
        ("قال الجيش", "The army said)", [("brackets", "warning")]),
        ("قال الجيش", 'The army "said', [("brackets", "warning")]),
        ("قال الجيش", "The army “said”", []),
        ("قال الجيش", "The [army] {said} (it)", []),
        ("قال الجيش", "The army said [it)", [("brackets", "warning")]),
        ("قال الجيش الأميركي يوم الأربعاء إن القائد أجرى مكالمة", "Yes.", [("length", "warning")]),
        ("قال الجيش الأميركي يوم الأربعاء", "x" * 200, [("length", "warning")]),
        ("قال", "The army said it will continue to monitor the situation", []),  # short source: no ratio
        ("قال 5 (", "He said 6 الجيش (", [("numbers", "error"), ("arabic", "error"), ("brackets", "warning"),
                                          ("added-numbers", "warning")]),
    ],
)
def test_other_checks(arabic, english, expected):
    assert checks(check_segment(arabic, english)) == expected


def test_bidi_names_each_control_once():
    [issue] = check_segment("قال الجيش", "\u202eThe\u202c army \u202esaid\u202c")
    assert issue.message == ("bidirectional control characters in the English (U+202C, U+202E): they reorder "
                             "what readers see; remove them")


def test_messages_for_arabic_brackets_and_length():
    assert check_segment("قال", 'He said الجيش "x') == [
        Issue("arabic", "error", "Arabic letters left in the English: 'الجيش'"),
        Issue("brackets", "warning", "odd number of '\"'"),
    ]
    assert check_segment("قال الجيش الأميركي يوم الأربعاء", "Yes.") == [
        Issue("length", "warning", "length ratio 0.13 (English 4 / Arabic 31 characters) outside 0.5-3.0")
    ]
    assert str(Issue("empty", "error", "empty translation")) == "error: empty: empty translation"


def test_check_document_and_has_errors():
    from review_helpers import make_document

    doc, _ = make_document()
    assert check_document(doc) == {s.id: [] for s in doc.segments}
    issues = check_document(doc, {"s3": "The army said the aid reached $725."})
    assert [i.check for i in issues["s3"]] == ["numbers", "terms"]
    assert has_errors(issues["s3"]) and not has_errors(issues["s1"])
    assert Issue.from_dict(issues["s3"][0].to_dict()) == issues["s3"][0]


SRC20 = "قال الجيش إن المكالمة جرت أمس"  # 29 characters: the length check applies


def sterm(source: str, target: str, *, mode: str = "force", forbidden: tuple[str, ...] = ()) -> Term:
    return Term(source=source, source_span=(0, len(source)), target=target, entry=source, category="org",
                mode=mode, forbidden=forbidden)


QA_CASES = [
    # (what, arabic, english, terms, exactly these issues)
    ("empty is one error and nothing else", "قال ٧٢٥", "  ", (), [Issue("empty", "error", "empty translation")]),
    ("a suggestion used in another case", "الولايات المتحدة", "the U.S. said", (sterm("الولايات المتحدة", "U.S.", mode="suggest"),), []),
    ("a suggestion not used", "الولايات المتحدة", "America said", (sterm("الولايات المتحدة", "U.S.", mode="suggest"),),
     [Issue("suggested", "warning", "suggested glossary term 'U.S.' not used (for 'الولايات المتحدة'); check the context")]),
    ("a forced and a suggested term with one English: one error", "براون", "He said",
     (sterm("براون", "Brown", mode="suggest"), sterm("براون", "Brown")),
     [Issue("terms", "error", "glossary term 'Brown' missing (for 'براون')")]),
    ("a term with no English is skipped, the next still checked", "براون", "He said",
     (sterm("براون", " "), sterm("براون", "Brown")), [Issue("terms", "error", "glossary term 'Brown' missing (for 'براون')")]),
    ("a forbidden rendering", "كييف", "Kiev said", (sterm("كييف", "Kyiv", forbidden=("Kiev",)),),
     [Issue("terms", "error", "glossary term 'Kyiv' missing (for 'كييف')"),
      Issue("forbidden", "error", "forbidden rendering 'Kiev': the glossary has 'Kyiv' for 'كييف'")]),
    ("a forbidden rendering two terms forbid is said once", "كييف", "Kyiv, not Kiev",
     (sterm("كييف", "Kyiv", forbidden=("Kiev",)), sterm("كييف", "Kyiv", forbidden=("Kiew", "Kiev"))),
     [Issue("forbidden", "error", "forbidden rendering 'Kiev': the glossary has 'Kyiv' for 'كييف'")]),
    ("two Arabic words left", "قال", "the army الجيش قال", (),
     [Issue("arabic", "error", "Arabic letters left in the English: 'الجيش قال'")]),
    ("balanced brackets", "قال", "(a) [b] {c} “d” «e»", (), []),
    ("an even number of straight quotes", "قال", 'he said "yes"', (), []),
    ("an odd number of straight quotes", "قال", 'he said "yes" "', (),
     [Issue("brackets", "warning", "odd number of '\"'")]),
    ("two bracket problems in one warning", "قال", 'a) "b', (),
     [Issue("brackets", "warning", "unmatched ')'; odd number of '\"'")]),
    ("an unclosed bracket", "قال", "(a [b]", (), [Issue("brackets", "warning", "unclosed '('")]),
    ("ratio exactly 0.5 is fine", "ا" * 20, "e" * 10, (), []),
    ("ratio exactly 3.0 is fine", "ا" * 20, "e" * 60, (), []),
    ("a 20-character source is checked", "ا" * 20, "e" * 9, (),
     [Issue("length", "warning", "length ratio 0.45 (English 9 / Arabic 20 characters) outside 0.5-3.0")]),
    ("a 19-character source is not", "ا" * 19, "e", (), []),
    ("two different numbers missing: two errors", "قال ٧ و٩", "he said", (),
     [Issue("numbers", "error", "number ٧ (7) missing from the English"),
      Issue("numbers", "error", "number ٩ (9) missing from the English")]),
    ("an added number", "قال الجيش", "The army said in 2019", (),
     [Issue("added-numbers", "warning", "number 2019 in the English has no counterpart in the Arabic")]),
    ("a number inside a term's English is the glossary's", "مجموعة العشرين", "The G20 met",
     (sterm("مجموعة العشرين", "G20"),), []),
    ("errors come before warnings", "قال", "(الجيش", (),
     [Issue("arabic", "error", "Arabic letters left in the English: 'الجيش'"),
      Issue("brackets", "warning", "unclosed '('")]),
]


@pytest.mark.parametrize("what,arabic,english,terms,issues", QA_CASES, ids=[c[0] for c in QA_CASES])
def test_qa_case_table(what, arabic, english, terms, issues):
    assert check_segment(arabic, english, terms) == issues
