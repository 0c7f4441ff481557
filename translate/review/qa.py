"""Quality checks on one segment's English, run on every edit and at publish.

| check | severity | finds |
|---|---|---|
| ``empty`` | error | no English at all (nothing else is checked then) |
| ``numbers`` | error | a number of the Arabic (Latin or Arabic-Indic digits, ``٫`` decimals, ``٬`` thousands, ``725 مليون``) absent from the English (``725 million`` = ``725,000,000``) |
| ``terms`` | error | a forced glossary term's English missing (as :func:`~translate.doc.model.occurrences` finds it) |
| ``forbidden`` | error | an English rendering the glossary forbids for a term of the segment (``Kiev`` for كييف) |
| ``suggested`` | warning | a suggested glossary term's English (glossary mode ``suggest``) not used, in any case |
| ``arabic`` | error | Arabic letters left in the English |
| ``brackets`` | warning | unbalanced ``() [] {}``, curly quotes or an odd number of ``"`` |
| ``length`` | warning | English/Arabic length ratio outside 0.5-3.0 (sources of 20+ characters) |
| ``added-numbers`` | warning | a number written in digits in the English with no counterpart in the Arabic (an edit adding "in 2019", MT inventing "59/2721") |

An added number is a warning, not an error: an editor may add it on purpose (a year as context,
``ثلاثة`` written as ``3``, a date spelled out), and the check cannot tell context from invention;
an error would block approving correct copy. The reviewer sees it on every edit and on the page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from translate.text.arabic import ascii_digits
from translate.text.number_words import number_word_values
from translate.doc.model import Document, Term, occurrences

ERROR, WARNING = "error", "warning"
MIN_RATIO, MAX_RATIO, MIN_RATIO_CHARS = 0.5, 3.0, 20


@dataclass(frozen=True)
class Issue:
    check: str
    severity: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"check": self.check, "severity": self.severity, "message": self.message}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Issue:
        return cls(check=d["check"], severity=d["severity"], message=d["message"])

    def __str__(self) -> str:
        return f"{self.severity}: {self.check}: {self.message}"


_NUM = r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\d])"
_AR_SCALES = {
    "ألف": 3, "الف": 3, "آلاف": 3, "الاف": 3, "ألفا": 3, "ألفًا": 3,
    "مليون": 6, "ملايين": 6, "مليونا": 6,
    "مليار": 9, "مليارات": 9, "بليون": 9, "مليارا": 9,
    "تريليون": 12, "تريليونات": 12,
}
_EN_SCALES = {"thousand": 3, "million": 6, "millions": 6, "billion": 9, "billions": 9, "trillion": 12}
_AR_NUMBER = re.compile(_NUM + r"(?:\s*(" + "|".join(sorted(_AR_SCALES, key=len, reverse=True)) + r")(?!\w))?")
_EN_NUMBER = re.compile(_NUM + r"(?:\s*(" + "|".join(_EN_SCALES) + r")\b)?", re.IGNORECASE)
_EN_SHORT = re.compile(_NUM + r"(m|bn|k)\b")
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
_EN_WORD = re.compile(r"\b(" + "|".join(list(_EN_WORDS) + list(_MONTHS)) + r")\b", re.IGNORECASE)
_AND = re.compile(r"\s*و\s*")
_OPEN_CLOSE = {")": "(", "]": "[", "}": "{", "”": "“", "»": "«"}


def _value(whole: str, frac: str | None, scale: int) -> Decimal:
    try:
        number = Decimal(whole.replace(",", "") + (f".{frac}" if frac else ""))
    except InvalidOperation:  # pragma: no cover - the regex only matches digits
        return Decimal(0)
    return (number.scaleb(scale)).normalize()


def _show(value: Decimal) -> str:
    return f"{value:f}" if value == value.to_integral() else str(value)


def _arabic_matches(text: str) -> list[tuple[str, Decimal, int, int]]:
    latin = ascii_digits(text, separators=True)  # same length as ``text``
    return [
        (text[m.start():m.end()].strip(), _value(m.group(1), m.group(2), _AR_SCALES.get(m.group(3) or "", 0)),
         m.start(), m.end())
        for m in _AR_NUMBER.finditer(latin)
    ]


def arabic_numbers(text: str) -> list[tuple[str, Decimal]]:
    """(as written, value) for every number in Arabic text; ``٢٫٥ مليار`` -> 2500000000."""
    return [(written, value) for written, value, _, _ in _arabic_matches(text)]


_SCALE_WORDS = {3: "thousand", 6: "million", 9: "billion", 12: "trillion"}


def number_renderings(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """``(start, end, English)`` for each number in Arabic ``text[start:end]``, to force into the output.

    ``725 مليون`` -> ``725 million``, ``٣٫٥`` -> ``3.5``, ``١٬٠٠٠`` -> ``1,000``. A compound such as
    ``3 ملايين و500 ألف`` is left to the model (and to the QA check, which reads it as 3.5 million).
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


def english_numbers(text: str) -> set[Decimal]:
    """Every number value in English text: digits with scale words, number words 0-20, month numbers."""
    text = ascii_digits(text)
    values = {_value(m.group(1), m.group(2), _EN_SCALES.get((m.group(3) or "").lower(), 0))
              for m in _EN_NUMBER.finditer(text)}
    for m in _EN_SHORT.finditer(text):
        values.add(_value(m.group(1), m.group(2), _SHORT_SCALES[m.group(3)]))
        values.add(_value(m.group(1), m.group(2), 0))
    for m in _EN_WORD.finditer(text):
        word = m.group(1).lower()
        values.add(Decimal(_EN_WORDS.get(word, _MONTHS.get(word, 0))))
    return {v.normalize() for v in values}


def _check_numbers(source: str, english: str) -> list[Issue]:
    """Each Arabic number must be in the English; ``3 ملايين و500 ألف`` may also appear as its sum."""
    found = english_numbers(english)
    groups: list[list[tuple[str, Decimal, int, int]]] = []
    for match in _arabic_matches(source):
        prev = groups[-1][-1] if groups else None
        if prev and _AND.fullmatch(source[prev[3]:match[2]]) and prev[1] > match[1]:
            groups[-1].append(match)
        else:
            groups.append([match])
    issues, seen = [], set()
    for group in groups:
        summed = set()  # members of a run ``a و b [و c]`` whose sum is in the English
        for i in range(len(group)):
            for j in range(i + 2, len(group) + 1):
                if sum(m[1] for m in group[i:j]).normalize() in found:
                    summed.update(range(i, j))
        for k, (written, value, _, _) in enumerate(group):
            if k not in summed and value not in found and value not in seen:
                seen.add(value)
                issues.append(Issue("numbers", ERROR, f"number {written} ({_show(value)}) missing from the English"))
    return issues


def _english_mentions(english: str) -> list[tuple[int, int, str, set[Decimal]]]:
    """``(start, end, as written, values)`` of each number in digits in the English, not number
    words ("one of", "May") nor digits glued to a letter (``G7``, ``MH17``: names, not amounts);
    ``$725m`` counts as 725000000 or 725."""
    text = ascii_digits(english)
    mentions: dict[int, tuple[int, int, str, set[Decimal]]] = {}
    for m in _EN_NUMBER.finditer(text):
        scaled = _value(m.group(1), m.group(2), _EN_SCALES.get((m.group(3) or "").lower(), 0))
        values = {scaled, _value(m.group(1), m.group(2), 0)}
        mentions[m.start()] = (m.start(), m.end(), english[m.start():m.end()].strip(), values)
    for m in _EN_SHORT.finditer(text):
        start, end, _, values = mentions.get(m.start(), (m.start(), m.end(), "", set()))
        values = values | {_value(m.group(1), m.group(2), _SHORT_SCALES[m.group(3)])}
        mentions[m.start()] = (start, max(end, m.end()), english[m.start():m.end()].strip(), values)
    return [mentions[k] for k in sorted(mentions) if not (k and text[k - 1].isalpha())]


def _check_added_numbers(source: str, english: str, terms: Sequence[Term] = ()) -> list[Issue]:
    """Each number in digits in the English must stand for one of the Arabic: a number there
    (scaled or as written), a sum of a run ``a و b``, or a number word; numbers inside a glossary
    term's English (``G7``) are the glossary's."""
    matches = _arabic_matches(source)
    known = {m[1] for m in matches} | {_value(*_digits_of(m[0]), 0) for m in matches} | number_word_values(source)
    for i in range(len(matches)):
        total = matches[i][1]
        for j in range(i + 1, len(matches)):
            if not _AND.fullmatch(source[matches[j - 1][3]:matches[j][2]]):
                break
            total += matches[j][1]
            known.add(total.normalize())
    known = {v.normalize() for v in known}
    covered = [span for t in terms for span in occurrences(english, " ".join(t.target.split()))]
    issues, seen = [], set()
    for start, end, written, values in _english_mentions(english):
        if any(a <= start and end <= b for a, b in covered) or values & known:
            continue
        if written not in seen:
            seen.add(written)
            message = f"number {written} in the English has no counterpart in the Arabic"
            issues.append(Issue("added-numbers", WARNING, message))
    return issues


def _digits_of(written: str) -> tuple[str, str | None]:
    """The digits of an Arabic number as written (``٧٢٥ مليون`` -> ``725``), for its unscaled value."""
    m = re.search(_NUM, ascii_digits(written, separators=True))
    return (m.group(1), m.group(2)) if m else ("0", None)


def _check_terms(english: str, terms: Sequence[Term]) -> list[Issue]:
    """Forced terms missing (errors), then suggested ones not used (warnings)."""
    issues, seen = [], set()
    for term in sorted(terms, key=lambda t: t.mode == "suggest"):
        target = " ".join(term.target.split())
        key = target[:1].lower() + target[1:]  # the same term, whatever the case of its first letter
        if not target or key in seen:
            continue
        seen.add(key)
        if occurrences(english, target) or (term.mode == "suggest" and _anycase(english, target)):
            continue  # a suggestion may be used in any case: "the U.S. president said"
        if term.mode == "suggest":
            message = f"suggested glossary term {target!r} not used (for {term.source!r}); check the context"
            issues.append(Issue("suggested", WARNING, message))
        else:
            issues.append(Issue("terms", ERROR, f"glossary term {target!r} missing (for {term.source!r})"))
    return issues


def _anycase(english: str, target: str) -> bool:
    words = r"\s+".join(re.escape(w) for w in target.split())
    return re.search(r"(?<!\w)" + words + r"(?!\w)", english, re.IGNORECASE) is not None


def _check_forbidden(english: str, terms: Sequence[Term]) -> list[Issue]:
    """Renderings the glossary forbids for the segment's terms, wherever they stand in the English."""
    issues, seen = [], set()
    for term in terms:
        for rendering in term.forbidden:
            if rendering in seen or not occurrences(english, rendering):
                continue
            seen.add(rendering)
            message = f"forbidden rendering {rendering!r}: the glossary has {term.target!r} for {term.source!r}"
            issues.append(Issue("forbidden", ERROR, message))
    return issues


def _check_arabic(english: str) -> list[Issue]:
    words = re.findall(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]+", english)
    left = [w for w in words if any(ch.isalpha() for ch in w)]
    if not left:
        return []
    return [Issue("arabic", ERROR, f"Arabic letters left in the English: {' '.join(left)!r}")]


def _check_brackets(english: str) -> list[Issue]:
    stack: list[str] = []
    problems = []
    for ch in english:
        if ch in "([{“«":
            stack.append(ch)
        elif ch in _OPEN_CLOSE:
            if stack and stack[-1] == _OPEN_CLOSE[ch]:
                stack.pop()
            else:
                problems.append(f"unmatched {ch!r}")
    problems += [f"unclosed {ch!r}" for ch in stack]
    if english.count('"') % 2:
        problems.append("odd number of '\"'")
    return [Issue("brackets", WARNING, "; ".join(problems))] if problems else []


def _check_length(source: str, english: str) -> list[Issue]:
    src, eng = len(source.strip()), len(english.strip())
    if src < MIN_RATIO_CHARS:
        return []
    ratio = eng / src
    if MIN_RATIO <= ratio <= MAX_RATIO:
        return []
    message = f"length ratio {ratio:.2f} (English {eng} / Arabic {src} characters) outside {MIN_RATIO}-{MAX_RATIO}"
    return [Issue("length", WARNING, message)]


def check_segment(source: str, english: str, terms: Sequence[Term] = ()) -> list[Issue]:
    """Every issue of one segment: errors first, then warnings, each group in check order."""
    if not english.strip():
        return [Issue("empty", ERROR, "empty translation")]
    issues = (
        _check_numbers(source, english) + _check_terms(english, terms) + _check_forbidden(english, terms)
        + _check_arabic(english)
        + _check_brackets(english) + _check_length(source, english) + _check_added_numbers(source, english, terms)
    )
    return sorted(issues, key=lambda i: i.severity != ERROR)


def check_document(doc: Document, texts: Mapping[str, str] | None = None) -> dict[str, list[Issue]]:
    """Issues per segment id (document order), checking ``texts[seg.id]`` or else the MT."""
    texts = texts or {}
    return {seg.id: check_segment(seg.source, texts.get(seg.id, seg.translation), seg.terms) for seg in doc.segments}


def has_errors(issues: Sequence[Issue]) -> bool:
    return any(i.severity == ERROR for i in issues)
