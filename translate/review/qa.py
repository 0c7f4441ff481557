"""Quality checks on one segment's English, run on every edit and at publish.

| check | severity | finds |
|---|---|---|
| ``empty`` | error | no English at all (nothing else is checked then) |
| ``numbers`` | error | a number of the Arabic (Latin or Arabic-Indic digits, ``٫`` decimals, ``٬`` thousands, ``725 مليون``) absent from the English (``725 million`` = ``725,000,000``) |
| ``terms`` | error | a forced glossary term's English missing (as :func:`~translate.doc.model.occurrences` finds it) |
| ``forbidden`` | error | an English rendering the glossary forbids for a term of the segment (``Kiev`` for كييف) |
| ``suggested`` | warning | a suggested glossary term's English (glossary mode ``suggest``) not used, in any case |
| ``arabic`` | error | Arabic letters left in the English |
| ``bidi`` | error | a bidirectional embedding, override or isolate control (U+202A-U+202E, U+2066-U+2069) in the English: it reorders what readers see (an edit or a glossary term could hide or reverse words) |
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
from typing import Any

from translate.doc.model import Document, Term, occurrences
from translate.text.numbers import added_numbers, missing_numbers, show

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


_OPEN_CLOSE = {")": "(", "]": "[", "}": "{", "”": "“", "»": "«"}


def _check_numbers(source: str, english: str) -> list[Issue]:
    """Each Arabic number must be in the English (:func:`translate.text.numbers.missing_numbers`);
    a value missing twice is said once."""
    issues, seen = [], set()
    for n in missing_numbers(source, english):
        if n.value not in seen:
            seen.add(n.value)
            issues.append(Issue("numbers", ERROR, f"number {n.written} ({show(n.value)}) missing from the English"))
    return issues


def _check_added_numbers(source: str, english: str, terms: Sequence[Term] = ()) -> list[Issue]:
    """Numbers in digits the English adds (:func:`translate.text.numbers.added_numbers`); numbers
    inside a glossary term's English (``G7``) are the glossary's."""
    covered = [span for t in terms for span in occurrences(english, " ".join(t.target.split()))]
    return [Issue("added-numbers", WARNING, f"number {written} in the English has no counterpart in the Arabic")
            for written in added_numbers(source, english, covered)]


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


_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _check_bidi(english: str) -> list[Issue]:
    found = sorted(set(_BIDI_CONTROLS.findall(english)))
    if not found:
        return []
    names = ", ".join(f"U+{ord(ch):04X}" for ch in found)
    return [Issue("bidi", ERROR, f"bidirectional control characters in the English ({names}): they reorder "
                  "what readers see; remove them")]


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
        + _check_arabic(english) + _check_bidi(english)
        + _check_brackets(english) + _check_length(source, english) + _check_added_numbers(source, english, terms)
    )
    return sorted(issues, key=lambda i: i.severity != ERROR)


def check_document(doc: Document, texts: Mapping[str, str] | None = None) -> dict[str, list[Issue]]:
    """Issues per segment id (document order), checking ``texts[seg.id]`` or else the MT."""
    texts = texts or {}
    return {seg.id: check_segment(seg.source, texts.get(seg.id, seg.translation), seg.terms) for seg in doc.segments}


def has_errors(issues: Sequence[Issue]) -> bool:
    return any(i.severity == ERROR for i in issues)
