"""Arabic match keys: each normalisation, and the map back to the original text."""

from __future__ import annotations

import pytest

from translate.text.arabic import ascii_digits, has_arabic_letter, key_words, keyed, match_key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("بَايْدِنُ", "بايدن"),  # harakat
        ("محمّد", "محمد"),  # shadda
        ("رحمٰن", "رحمن"),  # dagger alef
        ("بـايـدن", "بايدن"),  # tatweel
        ("أوكرانيا", "اوكرانيا"),  # alef with hamza above
        ("إيران", "ايران"),  # alef with hamza below
        ("آذار", "اذار"),  # alef madda
        ("ٱلكرملين", "الكرملين"),  # alef wasla
        ("موسى", "موسي"),  # alef maksura
        ("روسی", "روسي"),  # Farsi yeh
        ("الروسية", "الروسيه"),  # taa marbuta
        ("مؤتمر", "موتمر"),  # waw with hamza
        ("رئيس", "رييس"),  # yeh with hamza
        ("کييف", "كييف"),  # keheh
        ("٧٢٥ مليون", "725 مليون"),  # Arabic-Indic digits
        ("۲۰۲۴", "2024"),  # extended (Persian) digits
        ("ﻻ", "لا"),  # presentation-form ligature
        ("زيلين\u200cسكي", "زيلينسكي"),  # zero-width non-joiner
        ("\u200fبايدن\u200e", "بايدن"),  # RLM, LRM
        ("\ufeffنص", "نص"),  # BOM
        ("F-16", "f-16"),  # Latin lower case
        ("إف–16", "اف-16"),  # en dash
        ("تشرين الثاني/ نوفمبر، 2024.", "تشرين الثاني/ نوفمبر، 2024."),  # punctuation and spaces kept
        ("الأميركي", "الاميركي"),  # a real spelling variant is NOT normalised ...
        ("الأمريكي", "الامريكي"),  # ... (the glossary lists both)
        ("", ""),
    ],
)
def test_match_key(text, key):
    assert match_key(text) == key
    assert keyed(text).key == key


@pytest.mark.parametrize(
    ("text", "word", "span"),
    [
        ("قال بايدن", "بايدن", (4, 9)),
        ("قال بَايْدِنُ اليوم", "بايدن", (4, 13)),  # vowel signs inside and after the word belong to it
        ("قال بايدنـ", "بايدن", (4, 10)),  # a final tatweel too
        ("ﻻ بد", "لا", (0, 1)),  # one ligature -> two key letters, one original character
        ("\u200fبايدن\u200e", "بايدن", (1, 6)),  # invisible marks around a word are not part of it
        ("نوفمبر ٢٠٢٤", "2024", (7, 11)),
    ],
)
def test_keyed_span_maps_back_to_the_original(text, word, span):
    kt = keyed(text)
    kstart = kt.key.index(word)
    assert kt.span(kstart, kstart + len(word)) == span
    assert kt.text == text  # the original is kept as it was


def test_keyed_words_are_runs_of_letters_and_digits():
    kt = keyed("قال: “هيمارس”، إف-16 و٧٢٥_دولار")
    assert [kt.key[a:b] for a, b in kt.words()] == ["قال", "هيمارس", "اف", "16", "و725", "دولار"]


def test_keyed_span_refuses_an_empty_or_outside_span():
    kt = keyed("بايدن")
    with pytest.raises(ValueError, match="bad key span 2-2"):
        kt.span(2, 2)
    with pytest.raises(ValueError, match="bad key span 0-9"):
        kt.span(0, 9)


def test_key_words():
    assert key_words("وزارةُ الدفاع الروسيّة") == ["وزاره", "الدفاع", "الروسيه"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("أوكرانيا", True), ("NATO", False), ("F-16", False), ("٢٠٢٤", False), ("ﻻ", True), ("\u064e", False), ("", False)],
)
def test_has_arabic_letter(text, expected):
    assert has_arabic_letter(text) is expected


def test_ascii_digits_keeps_length_and_everything_else():
    assert ascii_digits("٧٢٥ مليون و۲۰۲۴ 3") == "725 مليون و2024 3"
    assert ascii_digits("١٬٥٠٠٫٧٥") == "1٬500٫75"
    assert ascii_digits("١٬٥٠٠٫٧٥", separators=True) == "1,500.75"
