"""Edge cases of the number reading (translate.text.numbers) and the QA checks built on it
(translate.review.qa): suggested terms in any case, term de-duplication, forbidden renderings,
brackets, a missing value said once, numbers inside a glossary term's English, how an English
number is read for the added-numbers check (scaled, as written, short scales), runs ``a و b``
in the missing-numbers check, and compounds left to the model by :func:`number_renderings`."""

from __future__ import annotations

from decimal import Decimal

import pytest

from translate.doc.model import Term
from translate.review.qa import Issue, check_segment
from translate.text.numbers import added_numbers, english_numbers, missing_numbers, number_renderings


def term(source: str, target: str, *, mode: str = "force", forbidden: tuple[str, ...] = ()) -> Term:
    return Term(source=source, source_span=(0, len(source)), target=target, entry=source, category="org",
                mode=mode, forbidden=forbidden)


def missing_term(target: str, source: str) -> Issue:
    return Issue("terms", "error", f"glossary term {target!r} missing (for {source!r})")


def not_suggested(target: str, source: str) -> Issue:
    return Issue("suggested", "warning", f"suggested glossary term {target!r} not used (for {source!r}); check the context")


def added(number: str) -> Issue:
    return Issue("added-numbers", "warning", f"number {number} in the English has no counterpart in the Arabic")


QA_CASES = [
    # (what, Arabic, English, terms, exactly these issues)
    ("a suggestion used in lower case", "الولايات المتحدة", "the u.s. said",
     (term("الولايات المتحدة", "U.S.", mode="suggest"),), []),
    ("a two-word suggestion used in capitals", "الولايات المتحدة", "the UNITED STATES said",
     (term("الولايات المتحدة", "United States", mode="suggest"),), []),
    ("a suggestion inside a longer word is not used", "البنتاغون", "a PENTAGONAL building",
     (term("البنتاغون", "Pentagon", mode="suggest"),), [not_suggested("Pentagon", "البنتاغون")]),
    ("a forced term in another case is missing", "الولايات المتحدة", "the UNITED STATES said",
     (term("الولايات المتحدة", "United States"),),
     [missing_term("United States", "الولايات المتحدة")]),
    ("two different forced terms missing: two errors", "غزة والجيزة", "nothing",
     (term("غزة", "Gaza"), term("الجيزة", "Giza")),
     [missing_term("Gaza", "غزة"), missing_term("Giza", "الجيزة")]),
    ("a term found does not stop the next one being checked", "البنتاغون وكييف", "The Pentagon said",
     (term("البنتاغون", "Pentagon"), term("كييف", "Kyiv")), [missing_term("Kyiv", "كييف")]),
    ("a term's second forbidden rendering", "كييف", "Kyiv, not Kiev",
     (term("كييف", "Kyiv", forbidden=("Kiew", "Kiev")),),
     [Issue("forbidden", "error", "forbidden rendering 'Kiev': the glossary has 'Kyiv' for 'كييف'")]),
    ("a letter X is not a bracket", "قال", "X-ray (scan) of X", (), []),
    ("a value missing twice is said once", "قال ٥ و٥", "he said", (),
     [Issue("numbers", "error", "number ٥ (5) missing from the English")]),
    ("a number inside a term's English: the glossary's", "قمة الكبار", "the G-20 summit",
     (term("الكبار", "G-20"),), []),
    ("the same without the term: added", "قمة الكبار", "the G-20 summit", (), [added("20")]),
    ("a number inside a two-word term's English", "القرار الأممي", "UN Resolution  2334 passed",
     (term("القرار الأممي", "Resolution 2334"),), []),
    ("a term's English that starts with its number", "بعد الهجمات", "after the 9/11 attacks",
     (term("الهجمات", "9/11"),), []),
    ("a term covers its own numbers only", "قمة الكبار", "the G-20 summit in 2019",
     (term("الكبار", "G-20"),), [added("2019")]),
    # QA runs on every edit: a letter that only case-folds to an English number word
    # ("ſ", long s) neither crashes it nor stands for the Arabic's 1
    ("a look-alike number word", "قتل ١", "ſix killed", (),
     [Issue("numbers", "error", "number ١ (1) missing from the English")]),
]


@pytest.mark.parametrize(("what", "arabic", "english", "terms", "issues"), QA_CASES, ids=[c[0] for c in QA_CASES])
def test_qa_cases(what, arabic, english, terms, issues):
    assert check_segment(arabic, english, terms) == issues


ADDED_CASES = [
    # (what, Arabic, English, covered spans of the English, numbers added)
    ("a fraction is not its whole part", "قتل 2 شخصين", "growth of 2.5 percent", (), ["2.5"]),
    ("a number is not ten times itself", "قتل 20 شخصا", "2 people died", (), ["2"]),
    ("scaled English = Arabic digits", "بلغت 1,500,000 دولار", "1.5 million dollars", (), []),
    ("scaled English, as written = Arabic digits", "قال 1.5", "1.5 million", (), []),
    ("any case of a scale word", "بلغت 2,000,000 دولار", "2 MILLION dollars", (), []),
    ("a scale word with a long s", "بلغت 3000 دولار", "3 thouſand dollars", (), []),
    ("short scale, as written", "بلغت 725", "$725m", (), []),
    ("short scale, scaled", "بلغت 725,000,000 دولار", "$725m", (), []),
    ("short scale with a fraction, scaled", "بلغت 1,500,000,000 دولار", "$1.5bn", (), []),
    ("Arabic digits with a decimal comma, as written", "نمو ٢٫٥ مليون", "grew 2.5", (), []),
    ("a number after a known one is still checked", "قتل 5", "5 killed in 2019", (), ["2019"]),
    ("a covered span skips only what is inside it", "قمة الكبار", "the G-20 summit in 2019", ((4, 8),), ["2019"]),
    ("a covered span may start at the number", "قمة الكبار", "after 9/11", ((6, 10),), []),
    ("a covered span ending before the number", "قمة الكبار", "after 9/11", ((0, 5),), ["9", "11"]),
]


@pytest.mark.parametrize(("what", "arabic", "english", "covered", "expected"), ADDED_CASES,
                         ids=[c[0] for c in ADDED_CASES])
def test_added_numbers_cases(what, arabic, english, covered, expected):
    assert added_numbers(arabic, english, covered) == expected


ODD_CASE_CASES = [
    # (what, English, values): re.IGNORECASE matches ſ, ı and İ to ASCII letters, lower() does not
    ("a long s in a number word", "ſix ships", {6}),
    ("a dotted capital I in a number word", "SİX SHIPS", {6}),
    ("a dotless i in a month", "Aprıl", {4}),
    ("a long s in a scale word", "3 thouſand", {3000}),
]


@pytest.mark.parametrize(("what", "english", "values"), ODD_CASE_CASES, ids=[c[0] for c in ODD_CASE_CASES])
def test_a_number_word_in_odd_capitals_keeps_its_value(what, english, values):
    assert english_numbers(english) == {Decimal(v) for v in values}


MISSING_CASES = [
    # (what, Arabic, English, missing as written)
    ("equal amounts are no run: not their sum", "٥ و٥", "10", ["٥", "٥"]),
    ("a sum of a run's tail covers only the tail", "قتل 30 و5 و2", "7", ["30"]),
    ("a sum of a run's head covers only the head", "قتل 30 و5 و2", "35", ["2"]),
    ("a whole run as its sum", "قتل 30 و5 و2", "37", []),
]


@pytest.mark.parametrize(("what", "arabic", "english", "missing"), MISSING_CASES, ids=[c[0] for c in MISSING_CASES])
def test_missing_numbers_cases(what, arabic, english, missing):
    assert [n.written for n in missing_numbers(arabic, english)] == missing


RENDERING_CASES = [
    # (what, Arabic, renderings)
    ("a scaled amount, then a year", "بلغت 725 مليون دولار في 2023", [(5, 14, "725 million"), (24, 28, "2023")]),
    ("a scaled amount, then a plain number after و", "بلغت 725 مليون و12", [(5, 14, "725 million"), (16, 18, "12")]),
    ("a compound, then a year", "3 ملايين و500 ألف نسمة في 2023", [(26, 30, "2023")]),
    ("two compounds", "من 3 ملايين و500 ألف إلى 4 ملايين و200 ألف", []),
    ("a compound of three", "3 مليارات و500 مليون و200 ألف", []),
]


@pytest.mark.parametrize(("what", "arabic", "expected"), RENDERING_CASES, ids=[c[0] for c in RENDERING_CASES])
def test_number_renderings_cases(what, arabic, expected):
    assert number_renderings(arabic) == expected
