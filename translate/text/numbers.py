"""Numbers in Arabic and English text: reading, rendering and comparing them, defined once.

One reading of a number written in digits (:data:`NUMBER`): Latin, Arabic-Indic or Extended
Arabic-Indic digits (read as ASCII by :func:`translate.text.arabic.ascii_digits`, with ``٫``
as the decimal point and ``٬`` as the thousands comma), thousands grouped by commas
(``12,500``), a decimal point (``2.5``); a point or comma before the digits is not part of the
number's start. An Arabic scale word after it multiplies (``725 مليون`` = 725000000); in
English, scale words (``725 million``), short scales (``$725m``, ``1.5bn``, ``20k``: counted
both scaled and as written), number words 0-20 and month names count too.

Used by the translator (numbers forced into the MT: :func:`number_renderings`), the QA
number checks (:func:`missing_numbers`, :func:`added_numbers`), term accuracy's number-match
rate, reference alignment (:func:`number_keys`) and the translation memory (numbers adapted).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from translate.text.arabic import ascii_digits
from translate.text.number_words import number_word_values

NUMBER = r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\d])"
"""A number in digits (after :func:`ascii_digits`): group 1 the whole part, group 2 the fraction."""
_AR_SCALES = {
    "ألف": 3, "الف": 3, "آلاف": 3, "الاف": 3, "ألفا": 3, "ألفًا": 3,
    "مليون": 6, "ملايين": 6, "مليونا": 6,
    "مليار": 9, "مليارات": 9, "بليون": 9, "مليارا": 9,
    "تريليون": 12, "تريليونات": 12,
}
_EN_SCALES = {"thousand": 3, "million": 6, "millions": 6, "billion": 9, "billions": 9, "trillion": 12}
_SCALE_WORDS = {3: "thousand", 6: "million", 9: "billion", 12: "trillion"}
_NUM = re.compile(NUMBER)
_AR_NUMBER = re.compile(NUMBER + r"(?:\s*(" + "|".join(sorted(_AR_SCALES, key=len, reverse=True)) + r")(?!\w))?")
_EN_NUMBER = re.compile(NUMBER + r"(?:\s*(" + "|".join(_EN_SCALES) + r")\b)?", re.IGNORECASE)
_EN_SHORT = re.compile(NUMBER + r"(m|bn|k)\b")
"""``$725m``, ``1.5bn``, ``20k``: counted both scaled and as written (``10m`` may be metres)."""
_SHORT_SCALES = {"m": 6, "bn": 9, "k": 3}
_EN_WORDS = {
    w: i
    for i, w in enumerate((
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
    ))
}
_MONTHS = {
    m: i + 1
    for i, m in enumerate((
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december",
    ))
}
_EN_VALUES = {**_EN_WORDS, **_MONTHS}
_EN_WORD = re.compile(r"\b(" + "|".join(_EN_VALUES) + r")\b", re.IGNORECASE)
_ODD_CASE = str.maketrans({"ſ": "s", "ı": "i", "İ": "i", "K": "k"})
"""The four letters that :data:`re.IGNORECASE` matches to ASCII ones (``ſix`` is six) but that
``lower()`` does not map to them: folded before a matched English word is looked up."""
_AND = re.compile(r"\s*و\s*")
"""``و`` (and) between two numbers: ``3 ملايين و500 ألف`` is one amount, 3.5 million."""


@dataclass(frozen=True)
class ArabicNumber:
    """A number of Arabic text: as written, its value, and where (``text[start:end]``, stripped of spaces)."""

    written: str
    value: Decimal
    start: int
    end: int


def _value(whole: str, frac: str | None, scale: int) -> Decimal:
    try:
        number = Decimal(whole.replace(",", "") + (f".{frac}" if frac else ""))
    except InvalidOperation:  # pragma: no cover - the regex only matches digits
        return Decimal(0)
    return (number.scaleb(scale)).normalize()


def show(value: Decimal) -> str:
    """A value as people write it: ``725000000``, ``2.5``, ``0.0000001`` (never ``7.25E+8`` or ``1E-7``)."""
    return f"{value.normalize():f}"


def arabic_matches(text: str) -> list[ArabicNumber]:
    """Every number of Arabic ``text``, scale words applied, in order."""
    latin = ascii_digits(text, separators=True)  # same length as ``text``
    return [
        ArabicNumber(text[m.start():m.end()].strip(),
                     _value(m.group(1), m.group(2), _AR_SCALES.get(m.group(3) or "", 0)), m.start(), m.end())
        for m in _AR_NUMBER.finditer(latin)
    ]


def arabic_numbers(text: str) -> list[tuple[str, Decimal]]:
    """(as written, value) for every number in Arabic text; ``٢٫٥ مليار`` -> 2500000000."""
    return [(n.written, n.value) for n in arabic_matches(text)]


def number_renderings(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """``(start, end, English)`` for each number in Arabic ``text[start:end]``, to force into the output.

    ``725 مليون`` -> ``725 million``, ``٣٫٥`` -> ``3.5``, ``١٬٠٠٠`` -> ``1,000``. A compound such as
    ``3 ملايين و500 ألف`` is left to the model (and to :func:`missing_numbers`, which reads it as 3.5 million).
    """
    end = len(text) if end is None else end
    latin = ascii_digits(text, separators=True)
    found = list(_AR_NUMBER.finditer(latin, start, end))
    compound = set()
    for a, b in zip(found, found[1:]):
        if a.group(3) and b.group(3) and _AND.fullmatch(latin[a.end() : b.start()]):
            compound |= {a.start(), b.start()}
    out = []
    for m in found:
        if m.start() in compound:
            continue
        english = m.group(1) + (f".{m.group(2)}" if m.group(2) else "")
        if m.group(3):
            english += " " + _SCALE_WORDS[_AR_SCALES[m.group(3)]]
        out.append((m.start(), m.start() + len(m.group(0).rstrip()), english))
    return out


def _fold(word: str) -> str:
    """The lookup key of an English word that a case-blind pattern matched."""
    return word.translate(_ODD_CASE).lower()


def _en_scaled(m: re.Match) -> Decimal:
    """The value of an :data:`_EN_NUMBER` match, times its scale word if it has one."""
    return _value(m.group(1), m.group(2), _EN_SCALES[_fold(m.group(3))] if m.group(3) else 0)


def english_numbers(text: str) -> set[Decimal]:
    """Every number value in English text: digits with scale words, number words 0-20, month numbers."""
    text = ascii_digits(text)
    values = {_en_scaled(m) for m in _EN_NUMBER.finditer(text)}
    for m in _EN_SHORT.finditer(text):
        values.add(_value(m.group(1), m.group(2), _SHORT_SCALES[m.group(3)]))
        values.add(_value(m.group(1), m.group(2), 0))
    for m in _EN_WORD.finditer(text):
        values.add(Decimal(_EN_VALUES[_fold(m.group(1))]))
    return {v.normalize() for v in values}


def missing_numbers(source: str, english: str) -> list[ArabicNumber]:
    """The numbers of Arabic ``source`` whose value is not in ``english``, each occurrence, in order.

    A run ``a و b [و c]`` of falling amounts may appear as its sum (``3 ملايين و500 ألف`` as
    ``3.5 million``): the members of a sum found in the English are not missing.
    """
    found = english_numbers(english)
    groups: list[list[ArabicNumber]] = []
    for match in arabic_matches(source):
        prev = groups[-1][-1] if groups else None
        if prev and _AND.fullmatch(source[prev.end:match.start]) and prev.value > match.value:
            groups[-1].append(match)
        else:
            groups.append([match])
    missing = []
    for group in groups:
        summed = set()  # members of a run whose sum is in the English
        for i in range(len(group)):
            for j in range(i + 2, len(group) + 1):
                if sum(m.value for m in group[i:j]).normalize() in found:
                    summed.update(range(i, j))
        missing += [m for k, m in enumerate(group) if k not in summed and m.value not in found]
    return missing


def _english_mentions(english: str) -> list[tuple[int, int, str, set[Decimal]]]:
    """``(start, end, as written, values)`` of each number in digits in the English, not number
    words ("one of", "May") nor digits glued to a letter (``G7``, ``MH17``: names, not amounts);
    ``$725m`` counts as 725000000 or 725."""
    text = ascii_digits(english)
    mentions: dict[int, tuple[int, int, str, set[Decimal]]] = {}
    for m in _EN_NUMBER.finditer(text):
        values = {_en_scaled(m), _value(m.group(1), m.group(2), 0)}
        mentions[m.start()] = (m.start(), m.end(), english[m.start():m.end()].strip(), values)
    for m in _EN_SHORT.finditer(text):
        start, end, _, values = mentions.get(m.start(), (m.start(), m.end(), "", set()))
        values = values | {_value(m.group(1), m.group(2), _SHORT_SCALES[m.group(3)])}
        mentions[m.start()] = (start, max(end, m.end()), english[m.start():m.end()].strip(), values)
    return [mentions[k] for k in sorted(mentions) if not (k and text[k - 1].isalpha())]


def added_numbers(source: str, english: str, covered: Sequence[tuple[int, int]] = ()) -> list[str]:
    """Numbers in digits in ``english`` (as written, each once) that stand for nothing of Arabic
    ``source``: not a number there (scaled or as written), not a sum of a run ``a و b``, not a
    number word; those inside a ``covered`` span of the English (a glossary term's: ``G7``) are skipped."""
    matches = arabic_matches(source)
    known = {m.value for m in matches} | {_unscaled(m.written) for m in matches} | number_word_values(source)
    for i in range(len(matches)):
        total = matches[i].value
        for j in range(i + 1, len(matches)):
            if not _AND.fullmatch(source[matches[j - 1].end:matches[j].start]):
                break
            total += matches[j].value
            known.add(total.normalize())
    known = {v.normalize() for v in known}
    added: list[str] = []
    for start, end, written, values in _english_mentions(english):
        if any(a <= start and end <= b for a, b in covered) or values & known or written in added:
            continue
        added.append(written)
    return added


def _unscaled(written: str) -> Decimal:
    """The value of an Arabic number's digits alone (``٧٢٥ مليون`` -> 725)."""
    m = _NUM.search(ascii_digits(written, separators=True))
    return _value(m.group(1), m.group(2), 0) if m else Decimal(0)


def number_keys(text: str) -> list[str]:
    """The numbers written in digits in ``text`` (Arabic or English), unscaled, as comparable keys:
    ``١٢`` -> ``12``, ``1,000`` and ``١٬٠٠٠`` -> ``1000``, ``٢٫٥`` -> ``2.5`` (reference alignment)."""
    latin = ascii_digits(text, separators=True)
    return [show(_value(m.group(1), m.group(2), 0)) for m in _NUM.finditer(latin)]
