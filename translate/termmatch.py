"""Finding terms in Arabic text by match key (:mod:`translate.arabic`), word by word.

Rules:

* **Proclitics** on the first word of a term: ``و ف`` then ``ب ك ل`` (``لأوكرانيا``,
  ``وبالجيش``, ``فبـ``...).
* **The article**: a term written with ``ال`` matches the ``ال``, ``بال``, ``وال``, ``كال``,
  ``وبال``... forms and ``ل + ال -> لل`` (``للأفراد`` for ``الأفراد``), never the bare word.
  A term written without ``ال`` matches with or without it (``الناتو`` for ``ناتو``); when
  the article was added, later words of the term may take ``ال`` too, as a definite phrase
  agrees (``الطائرات المسيرة`` for ``طائرات مسيرة``).
* **Whole words** only (runs of letters and digits in the key), never part of a longer word.
* **Between words** of a term the text has whitespace, quotes, and exactly the term's own
  punctuation (``/`` in ``تشرين الثاني/ نوفمبر``, ``-`` in ``إف-16``); never a line break.
* **Longest match, no overlaps**: most words first, then the longest term, then the
  earliest, then the first added.
* **Tanween**: a word written with tanween (``ً ٌ ٍ``) is an indefinite noun or adjective,
  so it matches only a term written with tanween (``بريطانيًا``, "British", is not
  ``بريطانيا``, Britain, though both have the same key).
* **Spans** cover the whole written words, proclitics and vowel signs included, and index
  the original text; :attr:`TermHit.clitic` gives the proclitics as a key (``"ل"``, ``"وال"``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .arabic import keyed

ARTICLE = "ال"
PROCLITICS = ("", "و", "ف", "ب", "ك", "ل", "وب", "وك", "ول", "فب", "فك", "فل")
_QUOTES = "\"'“”«»„‘’‹›"
_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_TANWEEN = "\u064b\u064c\u064d"


@dataclass(frozen=True)
class TermPattern:
    """A term as key words; two forms with equal ``(words, seps)`` match the same text."""

    words: tuple[str, ...]
    """Key words; the first without its ``ال``."""
    seps: tuple[str, ...]
    """Punctuation between word i and i+1 (whitespace and quotes dropped)."""
    article: bool
    """The term's first word starts with ``ال``."""
    tanween: bool = False
    """The term is written with tanween."""

    @property
    def size(self) -> int:
        return sum(map(len, self.words))


@dataclass(frozen=True)
class TermHit:
    payload: Any
    start: int
    end: int
    clitic: str
    core_start: int
    """Where the term itself starts in the text, after its proclitics and article (``أوكرانيا``
    in ``لأوكرانيا``)."""


def _squash(sep: str) -> str:
    return "".join(ch for ch in sep if not ch.isspace() and ch not in _QUOTES)


def compile_term(form: str) -> TermPattern | None:
    """The pattern of a term; ``None`` when it has no letters or digits."""
    kt = keyed(form)
    spans = kt.words()
    if not spans:
        return None
    words = [kt.key[a:b] for a, b in spans]
    seps = tuple(_squash(kt.key[spans[i][1] : spans[i + 1][0]]) for i in range(len(spans) - 1))
    article = words[0].startswith(ARTICLE) and len(words[0]) > 3
    if article:
        words[0] = words[0][2:]
    return TermPattern(tuple(words), seps, article, any(ch in _TANWEEN for ch in form))


def readings(word: str) -> Iterator[tuple[str, str, bool]]:
    """Ways to read a key word as (bare first word of a term, proclitics, has the article)."""
    for clitic in PROCLITICS:
        if not word.startswith(clitic):
            continue
        rest = word[len(clitic) :]
        if clitic and len(rest) < 2:
            continue
        yield rest, clitic, False
        if clitic.endswith("ل"):  # ل + ال -> لل ; ل + الل... -> لل...
            if rest.startswith("ل") and len(rest) > 2:
                yield rest[1:], clitic, True
                yield rest, clitic, True
        elif rest.startswith(ARTICLE) and len(rest) > 3:
            yield rest[2:], clitic, True


class TermIndex:
    """Terms (each with a payload) indexed by their bare first word."""

    def __init__(self, terms: Iterable[tuple[str, Any]]):
        self._index: dict[str, list[tuple[TermPattern, int, Any]]] = {}
        for order, (form, payload) in enumerate(terms):
            pat = compile_term(form)
            if pat is not None:
                self._index.setdefault(pat.words[0], []).append((pat, order, payload))

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[TermHit]:
        """Non-overlapping hits in ``text[start:end]``, sorted by start; spans index ``text``."""
        end = len(text) if end is None else end
        kt = keyed(text[start:end])
        has_tanween = any(ch in _TANWEEN for ch in kt.text)
        spans = kt.words()
        words = [kt.key[a:b] for a, b in spans]
        seps = [kt.key[spans[i][1] : spans[i + 1][0]] for i in range(len(spans) - 1)]
        found = []
        for i, word in enumerate(words):
            for bare, clitic, article in readings(word):
                for pat, order, payload in self._index.get(bare, ()):
                    if pat.article and not article:
                        continue
                    added = article and not pat.article
                    if _rest_matches(pat, words, seps, i, added):
                        label = clitic + (ARTICLE if added else "")
                        core = spans[i][0] + len(word) - len(bare)
                        found.append((len(pat.words), pat.size, i, order, label, pat, payload, core))
        found.sort(key=lambda f: (-f[0], -f[1], f[2], f[3]))
        taken = [False] * len(words)
        hits = []
        for n, _size, i, _order, label, pat, payload, core in found:
            if any(taken[i : i + n]):
                continue
            s, e = kt.span(spans[i][0], spans[i + n - 1][1])
            if has_tanween and not pat.tanween and any(ch in _TANWEEN for ch in kt.text[s:e]):
                continue
            taken[i : i + n] = [True] * n
            hits.append(TermHit(payload, start + s, start + e, label, start + kt.span(core, spans[i + n - 1][1])[0]))
        return sorted(hits, key=lambda h: h.start)


def _rest_matches(pat: TermPattern, words: list[str], seps: list[str], i: int, added: bool) -> bool:
    if i + len(pat.words) > len(words):
        return False
    for k in range(1, len(pat.words)):
        sep = seps[i + k - 1]
        if any(ch in _BREAKS for ch in sep) or _squash(sep) != pat.seps[k - 1]:
            return False
        word, want = words[i + k], pat.words[k]
        if word != want and not (added and word == ARTICLE + want):
            return False
    return True
