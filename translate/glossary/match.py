"""Finding terms in Arabic text by match key (:mod:`translate.text.arabic`), word by word.

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
* **Hamza**: inside a word (not its first letter), a text's ``أ``/``إ`` never matches a
  term's bare ``ا``: writers drop hamzas but do not add one to a name, and a hamza there
  usually starts a new word after a proclitic (``فأنس``, "so Anas", is not ``فانس``, Vance).
* **Spans** cover the whole written words, proclitics and vowel signs included, and index
  the original text; :attr:`TermHit.clitic` gives the proclitics as a key (``"ل"``, ``"وال"``).

Context rules a term may ask for (a glossary's ``context`` column), and stop phrases:

* ``name-follows``: the next word, after spaces only (no quote, punctuation or line break),
  may begin a name: it is not a particle, pronoun, common verb, noun of time or number, has
  no article and no tanween (``الجنرال مارك ميلي``, not ``وقال الجنرال إن``, ``الجنرال
  المتقاعد`` nor ``بذل الفريق جهدًا``). Whether an unknown word *is* a name cannot be
  known: any other word counts as one (a noun or verb the lists lack passes).
* ``not-as-indefinite-adjective``: no match when the term, with no proclitic, follows (after
  spaces only) a word ending in alef with no article, the indefinite accusative noun it would then describe
  (``جنديا روسيا``, "a Russian soldier", is not Russia); verbs ending in ``وا`` and a list of
  particles and adverbs (``لا``, ``أيضا``, ``مجددا``...) are not such nouns. A noun written
  without its alef, or an adverb the list lacks, is not recognised.
* **Stop phrases** of a term: where one of them matches (by the same rules) around a hit of
  that term, the term does not match there (``شركة نيسان`` for ``نيسان``, April); other
  terms still may.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from translate.text.arabic import keyed, match_key

ARTICLE = "ال"
PROCLITICS = ("", "و", "ف", "ب", "ك", "ل", "وب", "وك", "ول", "فب", "فك", "فل")
_QUOTES = "\"'“”«»„‘’‹›"
_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_TANWEEN = "\u064b\u064c\u064d"
_HAMZA_ALEFS = "\u0623\u0625"
NAME_FOLLOWS = "name-follows"
NOT_ADJECTIVE = "not-as-indefinite-adjective"
CONTEXT_RULES = (NAME_FOLLOWS, NOT_ADJECTIVE)

def _keys(words: str) -> frozenset[str]:
    return frozenset(match_key(w) for w in words.split())


# words that do not begin a name (as match keys: على is علي, the name Ali, so it is not here)
_NOT_NAMES = _keys("""
إن أن إنه أنه إنها أنها إنهم لأن كان كانت يكون تكون قد لقد لم لن لا ما ماذا من في إلى عن مع منذ عند
بعد قبل خلال حول ضد بين أو أم ثم حتى كما كل بعض هو هي هم هما هذا هذه ذلك تلك الذي التي الذين
قال قالت يقول تقول أكد أكدت أضاف أضافت أعلن أعلنت أشار أشارت أوضح أوضحت ذكر ذكرت صرح اعتبر
أمس اليوم غدا أيضا نفسه نفسها وقال وقالت وأضاف وأكد ولكن لكن لكنه غير سابقا حاليا السابق
عام عاما سنة يوم شهر أسبوع مرة بشكل بحال عبر لدى والذي بأن وأن فإن
""")
# words ending in alef that are not indefinite accusative nouns
_NOT_NOUNS = _keys("""
لا ما كما إذا لما بينما ربما عندما حينما طالما إنما أما هنا هذا لذا كذا هكذا معا
أيضا حاليا سابقا مجددا مؤخرا رسميا علنا دائما غالبا أحيانا فورا جدا تماما أبدا لاحقا أولا
ثانيا خصوصا تحديدا قريبا سريعا يوميا أسبوعيا شهريا سنويا مثلا عموما جزئيا كليا فعلا
""")


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
    bare_alefs: tuple[tuple[int, ...], ...] = ()
    """Per word, positions after its first letter where the term has a bare ``ا`` (hamza rule)."""

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
    alefs = []
    for k, (a, b) in enumerate(spans):
        a += 2 if k == 0 and article else 0
        alefs.append(tuple(p for p in range(1, b - a) if form[kt.starts[a + p]] == "\u0627"))
    bare_alefs = tuple(alefs) if any(alefs) else ()
    return TermPattern(tuple(words), seps, article, any(ch in _TANWEEN for ch in form), bare_alefs)


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


_Indexed = dict[str, list[tuple[TermPattern, int, Any, frozenset[str]]]]


@lru_cache(maxsize=1 << 16)
def _readings(word: str) -> tuple[tuple[str, str, bool], ...]:
    return tuple(readings(word))


class TermIndex:
    """Terms (each with a payload, optionally with context rules) indexed by their bare first
    word, and stop phrases: ``(phrase, payload)`` where that payload's terms do not match."""

    def __init__(self, terms: Iterable[tuple[Any, ...]], stops: Iterable[tuple[str, Any]] = ()):
        self._index: _Indexed = {}
        self._stops: _Indexed = {}
        for order, (form, payload, *rules) in enumerate(terms):
            _add(self._index, form, order, payload, frozenset(rules[0] if rules else ()))
        for order, (phrase, payload) in enumerate(stops):
            _add(self._stops, phrase, order, payload, frozenset())

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[TermHit]:
        """Non-overlapping hits in ``text[start:end]``, sorted by start; spans index ``text``."""
        end = len(text) if end is None else end
        kt = keyed(text[start:end])
        has_tanween = any(ch in _TANWEEN for ch in kt.text)
        spans = kt.words()
        words = [kt.key[a:b] for a, b in spans]
        seps = [kt.key[spans[i][1] : spans[i + 1][0]] for i in range(len(spans) - 1)]
        reads = [_readings(word) for word in words]
        stopped: dict[Any, list[tuple[int, int]]] = {}
        for i, _label, pat, _order, payload, _core, _rules in _candidates(self._stops, kt, spans, words, seps, reads):
            stopped.setdefault(payload, []).append((i, i + len(pat.words)))
        found = []
        for i, label, pat, order, payload, core, rules in _candidates(self._index, kt, spans, words, seps, reads):
            n = len(pat.words)
            if any(a <= i and i + n <= b for a, b in stopped.get(payload, ())):
                continue
            if NAME_FOLLOWS in rules and not _name_follows(kt, spans, words, seps, i + n):
                continue
            if NOT_ADJECTIVE in rules and not label and _after_indefinite_noun(words, seps, i):
                continue
            found.append((n, pat.size, i, order, label, pat, payload, core))
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


def _add(index: _Indexed, form: str, order: int, payload: Any, rules: frozenset[str]) -> None:
    pat = compile_term(form)
    if pat is not None:
        index.setdefault(pat.words[0], []).append((pat, order, payload, rules))


def _candidates(index: _Indexed, kt, spans, words, seps, reads) -> Iterator[tuple]:
    """Every term of ``index`` matching at some word: ``(word, clitic label, pattern, order,
    payload, key index of the term's start, rules)``."""
    if not index:
        return
    for i, word in enumerate(words):
        for bare, clitic, article in reads[i]:
            for pat, order, payload, rules in index.get(bare, ()):
                if pat.article and not article:
                    continue
                added = article and not pat.article
                core = spans[i][0] + len(word) - len(bare)
                if _rest_matches(pat, words, seps, i, added) and (
                    not pat.bare_alefs or _hamzas_fit(pat, kt, spans, words, i, core)
                ):
                    yield i, clitic + (ARTICLE if added else ""), pat, order, payload, core, rules


def _hamzas_fit(pat: TermPattern, kt, spans, words, i: int, core: int) -> bool:
    """No text ``أ``/``إ`` inside a word where the term has a bare ``ا`` (the hamza rule)."""
    for k, positions in enumerate(pat.bare_alefs):
        at = core if k == 0 else spans[i + k][0] + len(words[i + k]) - len(pat.words[k])
        if any(kt.text[kt.starts[at + p]] in _HAMZA_ALEFS for p in positions):
            return False
    return True


def _plain_sep(seps: list[str], k: int) -> bool:
    """Between word ``k`` and ``k + 1``: only spaces (no quote, punctuation or line break)."""
    return 0 <= k < len(seps) and not any(ch in _BREAKS for ch in seps[k]) and not seps[k].strip()


def _definite(word: str) -> bool:
    return any(word.startswith(c + ARTICLE) and len(word) > len(c) + 3 for c in ("", "و", "ف", "ب", "ك")) or (
        word.startswith(("لل", "ولل", "فلل")) and len(word) > 4
    )


def _name_follows(kt, spans, words: list[str], seps: list[str], j: int) -> bool:
    """Word ``j`` may begin a name (see ``name-follows`` in the module notes)."""
    if j >= len(words) or not _plain_sep(seps, j - 1):
        return False
    word = words[j]
    s, e = kt.span(*spans[j])
    return not (word in _NOT_NAMES or _definite(word) or word.isdigit() or any(ch in _TANWEEN for ch in kt.text[s:e]))


def _after_indefinite_noun(words: list[str], seps: list[str], i: int) -> bool:
    """Word ``i`` follows an indefinite accusative noun (``جنديا``) it may describe."""
    if i == 0 or not _plain_sep(seps, i - 1):
        return False
    prev = words[i - 1]
    return (len(prev) >= 3 and prev.endswith("ا") and not prev.endswith("وا") and prev not in _NOT_NOUNS
            and not _definite(prev))


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
