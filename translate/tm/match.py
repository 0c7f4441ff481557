"""Matching a segment against the TM: candidates from the word index, scores, numbers adapted.

**Keys.** Both sides are compared on :func:`translate.text.arabic.match_key` (vowel signs and tatweel
dropped, alef/hamza forms, ى/ي, ة/ه and Arabic-Indic digits unified), never on the text as
written. The *exact key* is the match key with whitespace collapsed; the *words* are its runs
of letters and digits (:func:`translate.text.arabic.key_words`).

**Score** (the token-based edit-distance percentage OmegaT and Trados report)::

    score = floor(100 * (1 - Levenshtein(query words, entry words) / max(len(query), len(entry))))

where the Levenshtein distance counts word insertions, deletions and substitutions (computed by
``rapidfuzz.distance.Levenshtein`` on the word lists). Only the same exact key scores 100; a
difference in punctuation alone scores 99.

**Candidates, never a full scan.** A score of at least ``T`` needs at least ``k = ceil(n*T/100)``
of the query's ``n`` words in the entry (each missing word costs one edit, and the distance is at
most ``(1 - T/100) * max(n, m)``) and an entry length ``m`` in ``[k, n*100/T]``. So every such
entry holds one of the words of the query's ``n - k + 1`` rarest word occurrences (prefix
filtering); those words, and the next rarest while their postings stay within
:data:`PROBE_POSTINGS`, are looked up in the FTS5 index, and an entry must hold all of them but
the ones it can afford to miss (count filtering). Only the survivors' words are read, at most
:data:`MAX_CANDIDATES` (those holding the most probe words first), and scored together by
``rapidfuzz.process.extract``.

**Numbers.** When the query and an entry differ only in numbers (every differing word is made of
digits), the numbers of the entry's English are replaced by the query's (as
:func:`translate.text.numbers.number_renderings` renders them, ``800 مليون`` -> ``800 million``), the way
CAT tools propagate placeables; the match is ``adapted`` only when the QA number check then
finds every number of the query in the English.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace

from translate.text.arabic import keyed, match_key
from translate.doc.tm_match import TMMatch
from translate.tm.values import Unit

MAX_CANDIDATES = 300
"""At most this many index candidates are scored per lookup (those holding the most probe words first)."""
DEFAULT_LIMIT = 5
PROBE_POSTINGS = 1000
"""Beyond the words every match must share one of, more of the rarest query words are looked up
while their index postings add up to at most this many (more words looked up: fewer candidates)."""


class _KeyTable(dict):
    """``str.translate`` table: each character's key, computed once by :func:`match_key` itself (the
    key of a text is the concatenation of its characters' keys), so keys cost one ``translate``."""

    def __missing__(self, code: int) -> str:
        value = self[code] = match_key(chr(code))
        return value


_KEYS = _KeyTable()
_WORD = re.compile(r"[^\W_]+")  # translate.text.arabic's word: a run of letters and digits of the key


def keys_of(text: str) -> tuple[str, tuple[str, ...]]:
    """(exact key, words) of an Arabic text: ``match_key`` with whitespace collapsed, and ``key_words``."""
    key = text.translate(_KEYS)
    return " ".join(key.split()), tuple(_WORD.findall(key))


class _ClassTable(dict):
    """``str.translate`` table: each character's role in the key, one character each: ``w`` (its key is
    letters or digits), ``a`` (dropped and attached to the letter before: a vowel sign, tatweel),
    ``c`` (dropped, not attached: ZWNJ, LRM...), ``s`` (a separator), ``x`` (a key mixing both)."""

    def __missing__(self, code: int) -> str:
        ch, key = chr(code), _KEYS[code]
        if not key:
            role = "a" if ch == "\u0640" or unicodedata.category(ch) == "Mn" else "c"
        else:
            word = [bool(_WORD.fullmatch(k)) for k in key]
            role = "w" if all(word) else ("s" if not any(word) else "x")
        self[code] = role
        return role


_CLASSES = _ClassTable()
_WORD_ROLES = re.compile(r"w(?:[ac]*w)*a*")


def word_spans(text: str) -> list[tuple[int, int]]:
    """The span of ``text`` behind each of its key words (vowel signs and tatweel right after a word's
    last letter included), in order: exactly :func:`translate.text.arabic.keyed`'s ``span`` of each of its
    ``words()``, found with one ``translate`` and one regex over the characters' roles."""
    roles = text.translate(_CLASSES)
    if "x" in roles:  # a character whose key mixes letters and separators: the general way
        kt = keyed(text)
        return [kt.span(a, b) for a, b in kt.words()]
    return [m.span() for m in _WORD_ROLES.finditer(roles)]


def score(query: Sequence[str], entry: Sequence[str]) -> int:
    """The documented percentage (module docstring) of two word lists; 0 when either is empty."""
    from rapidfuzz.distance import Levenshtein

    longest = max(len(query), len(entry))
    if not len(query) or not len(entry):
        return 0
    return math.floor(100 * (1 - Levenshtein.distance(query, entry) / longest) + 1e-9)


def _masked(words: Sequence[str]) -> list[str]:
    return ["#" if w.isdigit() else w for w in words]


def numbers_only(query: Sequence[str], entry: Sequence[str]) -> bool:
    """The two word lists differ, and only in words made of digits."""
    return list(query) != list(entry) and _masked(query) == _masked(entry)


def differing_spans(query: Sequence[str], entry_source: str) -> tuple[tuple[int, int], ...]:
    """Spans of ``entry_source`` (as written) of its words that the query does not have at that place
    (replaced or inserted, by the same word-level Levenshtein alignment the score counts)."""
    from rapidfuzz.distance import Levenshtein

    spans = word_spans(entry_source)
    out = []
    for op in Levenshtein.opcodes(list(query), list(keys_of(entry_source)[1])):
        if op.tag in ("replace", "insert"):
            out.extend(spans[op.dest_start:op.dest_end])
    return tuple(out)


def _number_pattern(english: str) -> list[tuple[re.Pattern[str], bool]]:
    """Ways an English number rendering may be written: as rendered, then with thousands commas."""
    body = r"\s+".join(re.escape(part) for part in english.split())
    edge = r"(?<![\d.,])", r"(?![\d]|[.,]\d)" + (r"\b" if english[-1:].isalpha() else "")
    ways = [(re.compile(edge[0] + body + edge[1]), False)]
    head = english.split()[0]
    if head.isdigit() and len(head) > 3:
        commas = f"{int(head):,}" + english[len(head):]
        ways.append((re.compile(edge[0] + r"\s+".join(map(re.escape, commas.split())) + edge[1]), True))
    return ways


def adapt_numbers(query_source: str, entry_source: str, target: str) -> str | None:
    """``target`` with the entry's numbers replaced by the query's (pairwise, in source order), or
    ``None`` when the numbers do not pair up, one is not found in ``target``, or the QA number
    check still finds a number of ``query_source`` missing."""
    from translate.text.numbers import missing_numbers, number_renderings

    old = [e for _, _, e in number_renderings(entry_source)]
    new = [e for _, _, e in number_renderings(query_source)]
    if len(old) != len(new):
        return None
    claimed: list[tuple[int, int, str]] = []
    for before, after in zip(old, new):
        if before == after:
            continue
        found = None
        for pattern, commas in _number_pattern(before):
            for m in pattern.finditer(target):
                if not any(s < m.end() and m.start() < e for s, e, _ in claimed):
                    found = (m.start(), m.end(), _with_commas(after) if commas else after)
                    break
            if found:
                break
        if found is None:
            return None
        claimed.append(found)
    out = target
    for start, end, text in sorted(claimed, reverse=True):
        out = out[:start] + text + out[end:]
    if missing_numbers(query_source, out):  # the QA number check's rule
        return None
    return out


def _with_commas(english: str) -> str:
    head = english.split()[0]
    return f"{int(head):,}" + english[len(head):] if head.isdigit() else english


def to_match(query_source: str, query_words: Sequence[str], unit: Unit, words: Sequence[str],
             exact: bool) -> TMMatch:
    """Score one entry against the query and build its :class:`TMMatch` (numbers adapted when they
    are the only difference; ``diff`` is filled by :func:`lookup` for the matches it returns)."""
    value = 100 if exact else min(99, score(query_words, words))
    target, adapted = unit.target, False
    if not exact and numbers_only(query_words, words):
        changed = adapt_numbers(query_source, unit.source, unit.target)
        if changed is not None:
            target, adapted = changed, True
    return TMMatch(value, unit.source, target, unit.doc_id, unit.segment, unit.approved_by, unit.at,
                   unit.kind, exact, adapted)


def _probe(words: Sequence[str], need: int, freq: dict[str, int]) -> tuple[set[str], int]:
    """The words to look up in the index and how many of them an entry must hold (module docstring):
    the words of the ``n - need + 1`` rarest word occurrences (every entry sharing ``need`` words
    holds one), plus the next rarest while their postings fit :data:`PROBE_POSTINGS`. An entry may
    miss at most ``n - need`` occurrences, so it holds all probe words but those it can miss."""
    counts: dict[str, int] = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    rarest = sorted(range(len(words)), key=lambda i: (freq[words[i]], i))
    probe = {words[i] for i in rarest[: len(words) - need + 1]}
    budget = PROBE_POSTINGS
    for i in rarest[len(words) - need + 1:]:
        if words[i] not in probe and freq[words[i]] <= budget:
            probe.add(words[i])
            budget -= freq[words[i]]
    can_miss, missable = len(words) - need, 0
    for mult in sorted(counts[w] for w in probe):
        if mult > can_miss:
            break
        can_miss -= mult
        missable += 1
    known = {w for w in probe if freq[w]}
    return known, max(1, len(probe) - missable)


def lookup(store, text: str, *, threshold: int = 75, limit: int = DEFAULT_LIMIT) -> list[TMMatch]:
    """The best matches of Arabic ``text`` scoring at least ``threshold`` (1-100), best first; ties go
    to the newest approval, then to review entries before imported ones. Entries with the same words
    and English are listed once (the best of them)."""
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    threshold = min(max(int(threshold), 1), 100)
    exact_key, words = keys_of(text)
    if not words:
        return []
    exact_rows = store.exact(exact_key)
    found = [(to_match(text, words, row.unit, row.words, True), row.words) for row in exact_rows]
    exact_ids = {row.id for row in exact_rows}
    if threshold < 100:
        n = len(words)
        need = math.ceil(n * threshold / 100 - 1e-9)
        probe, min_hits = _probe(words, need, store.doc_freq(words))
        low, high = need, math.floor(n * 100 / threshold + 1e-9)
        choices = {i: w for i, w in store.candidates(probe, min_hits, low, high, MAX_CANDIDATES) if i not in exact_ids}
        scored = process.extract(words, choices, scorer=Levenshtein.normalized_similarity, limit=None,
                                 score_cutoff=(threshold - 1e-6) / 100)
        keep = limit * 4  # room for entries listed once
        if len(scored) > keep:
            floor_score = scored[keep - 1][1]
            scored = [s for s in scored if s[1] >= floor_score]
        rows = {row.id: row for row in store.rows(key for _, _, key in scored)}
        fuzzy = [(to_match(text, words, rows[key].unit, rows[key].words, False), rows[key].words)
                 for _, _, key in scored]
        found += [f for f in fuzzy if f[0].score >= threshold]
    ordered = sorted(found, key=lambda f: (-f[0].score, -_time(f[0].at), f[0].kind != "review", f[0].doc_id,
                                           f[0].segment))
    seen, out = set(), []
    for m, entry_words in ordered:
        key = (entry_words, m.target)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return [m if m.exact else replace(m, diff=differing_spans(words, m.source)) for m in out[:limit]]


def _time(at: str | None) -> float:
    from datetime import datetime, timezone

    if not at:
        return 0.0
    try:
        when = datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    return (when if when.tzinfo else when.replace(tzinfo=timezone.utc)).timestamp()
