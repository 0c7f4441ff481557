"""translate.text.numbers: the one reading of numbers used by forcing, QA, term accuracy,
reference alignment and the translation memory (case tables)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from translate.evaluate.term_accuracy import term_accuracy
from translate.text.numbers import (
    added_numbers,
    arabic_matches,
    missing_numbers,
    number_keys,
    number_renderings,
    show,
)


@pytest.mark.parametrize(
    ("arabic", "expected"),
    [
        ("بلغت 725 مليون دولار", [(5, 14, "725 million")]),
        ("بلغت ٧٢٥ مليون دولار", [(5, 14, "725 million")]),
        ("نمو ٣٫٥ في المئة", [(4, 7, "3.5")]),
        ("نحو ١٬٠٠٠ جندي", [(4, 9, "1,000")]),
        ("خسر ٣ آلاف وظيفة", [(4, 10, "3 thousand")]),
        ("نمو 1.5 مليار", [(4, 13, "1.5 billion")]),
        ("في عام ٢٠٢٣", [(7, 11, "2023")]),
        ("۱۲۳ شخصا", [(0, 3, "123")]),  # Extended Arabic-Indic digits
        ("3 ملايين و500 ألف نسمة", []),  # a compound amount is left to the model
        ("قتل 7 و11 جرحوا", [(4, 5, "7"), (7, 9, "11")]),  # no scale words: two numbers
        ("ارتفع 50٪", [(6, 8, "50")]),
        ("قال الجيش", []),
    ],
)
def test_number_renderings(arabic, expected):
    assert number_renderings(arabic) == expected
    assert all(arabic[a:b].strip() == arabic[a:b] for a, b, _ in expected)


def test_number_renderings_within_a_span():
    text = "قتل 7 أمس. وأصيب 12 آخرون."
    start = text.index("وأصيب")
    assert number_renderings(text, start) == [(text.index("12"), text.index("12") + 2, "12")]
    assert number_renderings(text, 0, start) == [(4, 5, "7")]


@pytest.mark.parametrize(
    ("arabic", "written", "value", "span"),
    [
        ("بلغت ٧٢٥ مليون", "٧٢٥ مليون", Decimal(725_000_000), (5, 14)),
        ("نمو ٢٫٥ مليار", "٢٫٥ مليار", Decimal("2.5E9"), (4, 13)),
        ("نحو ١٢٬٥٠٠", "١٢٬٥٠٠", Decimal(12500), (4, 10)),
    ],
)
def test_arabic_matches_keep_what_was_written(arabic, written, value, span):
    (n,) = arabic_matches(arabic)
    assert (n.written, n.value, (n.start, n.end)) == (written, value, span)


@pytest.mark.parametrize(
    ("arabic", "english", "missing"),
    [
        ("بلغت ٧٢٥ مليون دولار", "It reached $725m", []),
        ("بلغت ٧٢٥ مليون دولار", "It reached $725", ["٧٢٥ مليون"]),
        ("3 ملايين و500 ألف نسمة", "3.5 million people", []),  # a run may appear as its sum
        ("3 ملايين و500 ألف نسمة", "3 million people", ["500 ألف"]),
        ("١٠٠ و١٠٠", "100", []),  # a value found once covers each occurrence
        ("٥ و٥", "nothing", ["٥", "٥"]),  # each occurrence (QA says a value once)
        ("قتل 7 و11 جرحوا", "7 were killed", ["11"]),
    ],
)
def test_missing_numbers(arabic, english, missing):
    assert [n.written for n in missing_numbers(arabic, english)] == missing


@pytest.mark.parametrize(
    ("arabic", "english", "covered", "added"),
    [
        ("قال الجيش", "the army said in 2019", (), ["2019"]),
        ("قال الجيش", "the army said in 2019 and 2019", (), ["2019"]),
        ("بلغت ٧٢٥ مليون", "It reached 725", (), []),  # the digits as written
        ("3 ملايين و500 ألف", "3,500,000 people", (), []),  # the sum of a run
        ("ثلاثة عشر شخصا", "13 people", (), []),  # number words
        ("قمة مجموعة السبع", "the G7 summit", (), []),  # glued to a letter: a name
        ("قمة العشرين", "the G-20 summit", (), []),  # a number word (عشرين, 20)
        ("قمة الكبار", "the G-20 summit", ((4, 8),), []),  # inside a glossary term's English
        ("قمة الكبار", "the G-20 summit", (), ["20"]),
    ],
)
def test_added_numbers(arabic, english, covered, added):
    assert added_numbers(arabic, english, covered) == added


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قتل ١٢ شخصا", ["12"]),
        ("بلغت 725 مليون", ["725"]),  # unscaled: both sides compare the digits
        ("1,000 و١٬٠٠٠ و2,500", ["1000", "1000", "2500"]),
        ("٢٫٥ و3.5 و3.50", ["2.5", "3.5", "3.5"]),
        # the one reading (a comma groups thousands, a point is decimal) also for alignment:
        ("1.000 و3,5", ["1", "3"]),
        ("no numbers", []),
    ],
)
def test_number_keys(text, expected):
    assert number_keys(text) == expected


@pytest.mark.parametrize(("value", "shown"), [
    (Decimal("7.25E8"), "725000000"), (Decimal("2.5"), "2.5"), (Decimal("2.50"), "2.5"),
    (Decimal("1E-7"), "0.0000001"), (Decimal("0"), "0"), (Decimal("1.5E3"), "1500"),
])
def test_show(value, shown):
    assert show(value) == shown


def test_number_match_rate_follows_the_qa_rule():
    """A run ``a و b`` written as its sum counts as found, as the QA check accepts it."""
    got = term_accuracy(["3.5 million people", "3 million people"], [[], []],
                        ["3 ملايين و500 ألف نسمة", "3 ملايين و500 ألف نسمة"])
    assert (got.numbers, got.numbers_matched) == (4, 3)
    assert got.misses == ((2, "number", "500 ألف"),)


def test_a_tiny_number_is_shown_as_written_in_the_qa_message():
    assert number_keys("0.0000001") == ["0.0000001"]
