"""Arabic match keys: spelling-tolerant keys that always map back to the original text.

The Arabic of an article is never rewritten. Matching (glossary terms, QA checks)
works on a *key*, built character by character:

| original | key | why |
|---|---|---|
| harakat, shadda, sukun, dagger alef, Quranic marks (any ``Mn``) | deleted | optional vowel signs |
| tatweel ``ـ`` | deleted | justification stretch |
| ZWNJ, ZWJ, LRM, RLM, ALM, BOM (any ``Cf``) | deleted | invisible |
| ``أ إ آ ٱ ٲ ٳ`` | ``ا`` | alef forms written interchangeably |
| ``ى`` and Farsi ``ی`` | ``ي`` | final yeh written without dots |
| ``ة`` | ``ه`` | taa marbuta written as haa |
| ``ؤ`` / ``ئ`` | ``و`` / ``ي`` | hamza seats |
| Farsi ``ک`` | ``ك`` | |
| ``٠``-``٩`` and ``۰``-``۹`` | ``0``-``9`` | Arabic-Indic digits |
| presentation forms (``ﻻ`` ...) | NFKC letters, then as above | legacy encodings |
| dashes ``‐ ‑ ‒ – — ―`` and minus ``−`` | ``-`` | |
| Latin letters | lower case | ``F-16`` = ``f-16`` |

:class:`KeyedText` keeps, for every key character, the span of original characters
it came from; a deleted vowel sign or tatweel is attached to the letter before it.
A hit found in the key therefore maps back to an exact span of the original, and
``original[start:end]`` is what the author wrote (vowel signs included).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

TATWEEL = "\u0640"
ALEF = "\u0627"
YEH = "\u064a"

_DIGITS = {chr(0x0660 + i): str(i) for i in range(10)} | {chr(0x06F0 + i): str(i) for i in range(10)}
_TABLE: dict[str, str] = {
    **{ch: ALEF for ch in "\u0622\u0623\u0625\u0671\u0672\u0673"},
    "\u0649": YEH,  # alef maksura
    "\u06cc": YEH,  # Farsi yeh
    "\u0629": "\u0647",  # taa marbuta -> haa
    "\u0624": "\u0648",  # waw with hamza -> waw
    "\u0626": YEH,  # yeh with hamza -> yeh
    "\u06a9": "\u0643",  # keheh -> kaf
    TATWEEL: "",
    **{ch: "-" for ch in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"},
    **_DIGITS,
}
_WORD = re.compile(r"[^\W_]+")
_ASCII_DIGITS = str.maketrans(_DIGITS)
_ASCII_NUMERALS = str.maketrans(_DIGITS | {"\u066b": ".", "\u066c": ","})  # Arabic decimal and thousands separators


def _key_of(ch: str) -> str:
    """The key text for one original character ("" when it is dropped)."""
    if ch in _TABLE:
        return _TABLE[ch]
    category = unicodedata.category(ch)
    if category in ("Mn", "Cf"):
        return ""
    if "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufefe":
        decomposed = unicodedata.normalize("NFKC", ch)
        if decomposed != ch:
            return "".join(_key_of(c) for c in decomposed)
    return ch.lower()


def _attaches(ch: str) -> bool:
    """A dropped character that belongs to the letter before it (a vowel sign, tatweel)."""
    return ch == TATWEEL or unicodedata.category(ch) == "Mn"


@dataclass(frozen=True)
class KeyedText:
    """A text, its match key, and where each key character came from in the text."""

    text: str
    key: str
    starts: tuple[int, ...]
    """``starts[i]``: index in ``text`` of the character key character ``i`` came from."""
    ends: tuple[int, ...]
    """``ends[i]``: end of that character in ``text``, extended over attached vowel signs."""

    def span(self, key_start: int, key_end: int) -> tuple[int, int]:
        """The span of ``text`` behind the non-empty key span ``[key_start, key_end)``."""
        if not 0 <= key_start < key_end <= len(self.key):
            raise ValueError(f"bad key span {key_start}-{key_end} for a key of {len(self.key)} characters")
        return self.starts[key_start], self.ends[key_end - 1]

    def words(self) -> list[tuple[int, int]]:
        """Key spans of the words: maximal runs of letters and digits."""
        return [m.span() for m in _WORD.finditer(self.key)]


def keyed(text: str) -> KeyedText:
    """Build the key of ``text`` with its map back to ``text``."""
    key: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        out = _key_of(ch)
        if out:
            key.append(out)
            starts.extend([i] * len(out))
            ends.extend([i + 1] * len(out))
        elif ends and _attaches(ch) and ends[-1] == i:
            ends[-len(key[-1]) :] = [i + 1] * len(key[-1])
    return KeyedText(text, "".join(key), tuple(starts), tuple(ends))


def match_key(text: str) -> str:
    """The match key of ``text`` (see the module table); the text itself is not changed."""
    return "".join(_key_of(ch) for ch in text)


def key_words(text: str) -> list[str]:
    """The words of ``text``'s key, in order."""
    return _WORD.findall(match_key(text))


def is_arabic_letter(ch: str) -> bool:
    """An Arabic letter or ligature (any block, presentation forms included); not a mark or a digit."""
    return unicodedata.name(ch, "").startswith(("ARABIC LETTER", "ARABIC LIGATURE"))


def has_arabic_letter(text: str) -> bool:
    return any(is_arabic_letter(ch) for ch in text)


def ascii_digits(text: str, *, separators: bool = False) -> str:
    """``text`` with Arabic-Indic and extended Arabic-Indic digits as ASCII digits (same length);
    with ``separators``, also the Arabic decimal (٫) and thousands (٬) separators as ``.`` and ``,``."""
    return text.translate(_ASCII_NUMERALS if separators else _ASCII_DIGITS)
