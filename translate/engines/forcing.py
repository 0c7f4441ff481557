"""Decoding with glossary terms guaranteed in the output: alignment-guided prefix forcing.

Neither backend offers lexical constraints offline (transformers 5 dropped constrained
beam search; CTranslate2 never had it), but both can continue a *target prefix*. So:

1. **Translate freely** (one batched pass) and keep each hypothesis's cross-attention.
2. **Check** every term the glossary matched in the source: its English must occur in the
   output, as a whole word, as many times as the source has it.
3. **Place** each missing term where the model renders that part of the source: the
   target words whose most-attended source piece lies inside the term's span (without its
   proclitics, so that the "to" of لأوكرانيا stays) are
   *replaced* by the term (so a misspelt "Gerasimoff" becomes "Gerasimov", not
   "Gerasimoff Gerasimov"; punctuation they open with stays: "(Gerasimoff" becomes
   "(Gerasimov"). Only a piece whose attention singles a source piece out counts
   (``CONFIDENT`` times the uniform weight): attention spread evenly, as a random-weight
   model's is, points nowhere. Without such attention, the output words most like the term
   ("Gerasimoff", "the Hemars system"; ``SIMILAR``) are replaced; with none, the term is
   inserted at the position proportional to its place in the source.
4. **Re-decode** only those segments, with the output up to and including the last placed
   term as a forced prefix: the model carries on fluently after the term, and everything
   before it stays as the model wrote it; a term the prefix already holds as often as the
   source has it is suppressed in the continuation, so it is not written twice (CTranslate2
   suppresses per batch, so there the union of the batch's terms is suppressed; a term
   lost that way is placed in the next round). Repeat from 2 (at most once per term), never
   changing what an earlier round locked; a continuation glued onto a term
   ("HIMARSes") is split off where it stands ("HIMARS es"), without decoding again.

Before the first pass, each item is fitted to the vocabulary (:func:`translate.engines.respell.prepare`):
a term English the vocabulary cannot spell (``Kyiv’s``, an emoji) is forced by stand-ins and
written back exactly in the final English (``Hypothesis.written``), and the glossary's forbidden
renderings of the item's terms are suppressed in every pass, the first included.

Only segments with a missing term are decoded again, and only what follows the last placed
term is new. A term the model wrote itself after the last placed one is locked into the
prefix too, so a re-decode cannot lose it. A prefix that already fills the length cap is the
output as it stands (its pieces keep their attention; a term's pieces attend to the term's
source). Where the prefix covers most of the expected output, a backend may run a row alone,
its prefix in one forward pass, instead of stepping through it in a batch
(:meth:`Engine.prefix_in_one_pass`); such rows go in the same call as the batched ones, so
the workers share them out. See ``benchmarks/`` for what each step costs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

from translate.doc.model import assign_targets, occurrences
from translate.engines.base import SPACE, Engine, Hypothesis, Tokenizer, detokenize
from translate.engines.align import argmax_sources
from translate.text.segment import words
from translate.engines.items import Item, TermRequest
from translate.engines.names import DEFAULT_BEAM
from translate.engines.respell import prepare, written

BATCH_SIZE = 16
CONFIDENT = 2.0  # times the uniform attention weight, for a row to place a term
SIMILAR = 0.75  # difflib ratio (case folded) for an output word to count as a misspelt term


def assign_terms(text: str, terms: Sequence[TermRequest]) -> list[tuple[int, int] | None]:
    """For each term (in source order), the output span realising it, or None when missing."""
    return assign_targets(text, [t.target for t in terms])


def _is_glue(piece: str) -> bool:
    return not piece.startswith(SPACE) and piece[:1].isalnum()


def _word_bounds(tokens: Sequence[str], start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to whole words: no piece glued on either side."""
    while 0 < start < len(tokens) and _is_glue(tokens[start]):
        start -= 1
    while end < len(tokens) and _is_glue(tokens[end]):
        end += 1
    return start, end


def _term_pieces(item: Item, term: TermRequest) -> list[int]:
    """Indices of the source pieces (``</s>`` excluded) overlapping the term's span."""
    return [k for k, (s, e) in enumerate(item.piece_spans[: len(item.pieces) - 1]) if s < term.end and e > term.start]


@dataclass(frozen=True)
class _Output:
    """What placement reads of one hypothesis, worked out once for all of its missing terms."""

    tokens: tuple[str, ...]
    text: str
    spans: list[tuple[int, int]]  # each piece's span in ``text``
    words: list[tuple[int, int]]
    pointed: list[int]  # per piece, the source piece its attention singles out, or -1

    @classmethod
    def of(cls, item: Item, hyp: Hypothesis, text: str, spans: list[tuple[int, int]]) -> _Output:
        """``text, spans``: :func:`detokenize` of the hypothesis, which the caller has already."""
        # a piece points at a source piece only when its attention singles it out (CONFIDENT
        # times the uniform weight): attention spread evenly says nothing about where a term belongs
        best = argmax_sources(hyp.attention, len(item.pieces))
        floor = min(CONFIDENT / max(len(item.pieces) - 1, 1), 0.6)
        pointed = [int(k) if hyp.attention[t, k] >= floor else -1 for t, k in enumerate(best[: len(hyp.tokens)])]
        return cls(hyp.tokens, text, spans, words(text), pointed)


def _misspelt(
    item: Item, rendered: _Output, term: TermRequest, taken: Sequence[tuple[int, int]]
) -> tuple[int, int] | None:
    """Target piece range of the output words most like the term ("Gerasimoff" for "Gerasimov",
    "Hemars" for "HIMARS": ``SIMILAR`` or more by difflib's ratio, case folded), outside the
    locked prefix and the character spans ``taken``; None when no word is that alike."""
    text, spans, found = rendered.text, rendered.spans, rendered.words
    free_from = spans[item.locked - 1][1] if item.locked else 0
    n, want = len(term.target.split()), term.target.casefold()
    match = SequenceMatcher()
    match.set_seq2(want)  # compared with every candidate: difflib caches what it needs of it
    best: tuple[float, int, int] | None = None
    for k in range(len(found) - n + 1):
        a, b = found[k][0], found[k + n - 1][1]
        core = re.search(r"\w(?:.*\w)?", text[a:b], re.S)  # without the punctuation around it
        if core is None:
            continue
        a, b = a + core.start(), a + core.end()
        b -= 2 if text[a:b].endswith(("'s", "\u2019s")) else 0  # a possessive stays
        if a < free_from or any(a < e and s < b for s, e in taken):
            continue
        if 2 * min(b - a, len(want)) < SIMILAR * (b - a + len(want)):  # too long or short to be alike
            continue
        match.set_seq1(text[a:b].casefold())
        if match.quick_ratio() >= SIMILAR and (score := match.ratio()) >= SIMILAR and (best is None or score > best[0]):
            best = (score, a, b)
    if best is None:
        return None
    _, a, b = best
    first = next(i for i, (s, e) in enumerate(spans) if e > a)
    return _word_bounds(rendered.tokens, first, max(i for i, (s, e) in enumerate(spans) if s < b) + 1)


def _placement(item: Item, rendered: _Output, term: TermRequest, taken: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """Target piece range ``[start, end)`` the term should replace (empty range: insert)."""
    n_src = len(item.pieces)
    inside = _term_pieces(item, term)
    hits = [t for t in range(item.locked, len(rendered.pointed)) if rendered.pointed[t] in inside]
    if hits:
        end = hits[0] + 1
        while end in hits:
            end += 1
        return _word_bounds(rendered.tokens, hits[0], end)
    misspelt = _misspelt(item, rendered, term, taken)
    if misspelt is not None:
        return misspelt
    first = inside[0] if inside else n_src - 1
    t = item.locked + round((len(rendered.tokens) - item.locked) * first / max(n_src - 1, 1))
    t, _ = _word_bounds(rendered.tokens, min(t, len(rendered.tokens)), min(t, len(rendered.tokens)))
    return max(t, item.locked), max(t, item.locked)


def split_glue(item: Item, hyp: Hypothesis, tokenizer: Tokenizer) -> Hypothesis:
    """``hyp`` with a piece the model glued onto the term ending the prefix ("HIMARS" + "es")
    split off where it stands ("HIMARS es"); everything else stays as the model wrote it."""
    tokens, at = hyp.tokens, item.locked
    if not (item.prefix and at < len(tokens) and _is_glue(tokens[at])):  # a prefix always ends with a term
        return hyp
    piece = tokens[at]
    split = (SPACE + piece,) if tokenizer.has(SPACE + piece) else (SPACE, piece)
    attention = hyp.attention
    if attention.shape[0] == len(tokens):  # the split pieces attend where the glued one did
        attention = np.concatenate([attention[:at], np.repeat(attention[at : at + 1], len(split), 0), attention[at + 1 :]])
    return Hypothesis(tokens[:at] + split + tokens[at + 1 :], attention)


def _opening(rendered: _Output, start: int, end: int) -> str:
    """What the pieces ``[start, end)`` hold before their first letter ("(" of "(Gerasimoff", a
    dash): a term replacing them keeps it, so the model's punctuation is never lost."""
    if start >= end:
        return ""
    return re.match(r"\W*", rendered.text[rendered.spans[start][0] : rendered.spans[end - 1][1]].lstrip()).group()


def _piece_end(spans: Sequence[tuple[int, int]], char_end: int) -> int:
    """Number of pieces needed to cover the text up to ``char_end``."""
    return next((k + 1 for k, (_, e) in enumerate(spans) if e >= char_end), len(spans))


@dataclass(frozen=True)
class Plan:
    """The next forced prefix of an item: its pieces (ending with a placed term or a term the
    model wrote), a source-attention row per piece, and how many pieces of the hypothesis
    it was planned from follow what it keeps (the continuation to expect)."""

    pieces: list[str]
    attention: np.ndarray
    rest: int


def plan_prefix(item: Item, hyp: Hypothesis, tokenizer: Tokenizer) -> Plan | None:
    """The next forced prefix for ``item``; None when every term is realised.

    Pieces kept from ``hyp`` keep their attention rows; a placed term's pieces attend evenly
    to the term's source pieces, which is exactly what they render.
    """
    tokens = hyp.tokens
    text, spans = detokenize(tokens)
    found = assign_terms(text, item.terms)
    missing = [t for t, span in zip(item.terms, found) if span is None]
    if not missing:
        return None
    rendered = _Output.of(item, hyp, text, spans)
    width = hyp.attention.shape[1]
    rows = np.zeros((len(tokens), width), dtype=np.float32)
    rows[: len(hyp.attention)] = hyp.attention[: len(tokens)]
    realised = [span for span in found if span is not None]
    spots = [_placement(item, rendered, t, realised) for t in missing]
    for k in range(1, len(missing)):  # terms side by side in the source stay side by side when inserted
        if spots[k][0] == spots[k][1] and not item.source[missing[k - 1].end : missing[k].start].strip():
            spots[k] = (spots[k - 1][1], spots[k - 1][1])
    places = sorted(zip(spots, missing), key=lambda p: p[0])
    out, att = list(tokens[: item.locked]), [rows[: item.locked]]
    cursor = item.locked
    for (start, end), term in places:
        start = max(start, cursor)
        end = max(end, start)
        pieces = tokenizer.target(_opening(rendered, start, end) + term.target)
        if start < end and not tokens[start].startswith(SPACE) and pieces[0] == SPACE:
            pieces = pieces[1:]  # what it replaces was glued on ("met «Gerasimoff»"): no space is added
        term_row = np.zeros((len(pieces), width), dtype=np.float32)
        inside = [k for k in _term_pieces(item, term) if k < width] or [width - 1]
        term_row[:, inside] = 1.0 / len(inside)
        out += list(tokens[cursor:start]) + pieces
        att += [rows[cursor:start], term_row]
        cursor = end
    # a term the model wrote itself after the last placed one: keep it, or the re-decode may lose it
    kept = cursor
    for span in filter(None, found):
        if _piece_end(spans, span[0] + 1) > cursor:
            kept = max(kept, _piece_end(spans, span[1]))
    out += list(tokens[cursor:kept])
    att.append(rows[cursor:kept])
    return Plan(out, np.concatenate(att), max(len(tokens) - kept, 0))


def satisfied_terms(item: Item, tokenizer: Tokenizer) -> list[list[str]]:
    """Piece sequences of the terms the locked prefix already holds as often as the source has them."""
    text = detokenize(item.prefix or [])[0]
    need: dict[str, int] = {}
    for term in item.terms:
        need[term.target] = need.get(term.target, 0) + 1
    return [tokenizer.target(t) for t, n in need.items() if len(occurrences(text, t)) >= n]


def _batches(order: list[int], size: int) -> list[list[int]]:
    return [order[i : i + size] for i in range(0, len(order), size)]


def decode(
    engine: Engine,
    items: Sequence[Item],
    *,
    beam: int = DEFAULT_BEAM,
    batch_size: int = BATCH_SIZE,
    max_length: int | None = None,
    min_length: int = 0,
    on_batch: Callable[[int], None] | None = None,
) -> list[Hypothesis]:
    """Translate ``items`` (length-sorted batches, order kept), forcing every term request."""
    results: list[Hypothesis | None] = [None] * len(items)

    def run(batched: list[int], alone: Sequence[int] = ()) -> None:
        """Decode ``batched`` in length-sorted batches; ``alone`` (prefix in one pass) goes with the first."""
        order = sorted(batched, key=lambda i: len(items[i].pieces))
        for n, batch in enumerate(_batches(order, batch_size) or [[]]):
            rows = (list(alone) if n == 0 else []) + batch
            if not rows:
                continue
            forced = any(items[i].prefix for i in rows)
            banned = forced or any(items[i].banned for i in rows)
            hyps = engine.translate_pieces(
                [items[i].pieces for i in rows],
                beam=beam,
                prefixes=[items[i].prefix for i in rows] if forced else None,
                suppress=[items[i].suppress + items[i].banned for i in rows] if banned else None,
                max_length=max_length,
                min_length=min_length,
                one_pass=[i in alone for i in rows] if alone else False,
            )
            for i, hyp in zip(rows, hyps):
                results[i] = hyp
            if on_batch and not forced:
                on_batch(len(rows))

    for item in items:
        prepare(item, engine.tokenizer)
    run(list(range(len(items))))
    for _ in range(1 + 2 * max((len(it.terms) for it in items), default=0)):
        todo = []
        for i, item in enumerate(items):
            if not item.terms:
                continue
            results[i] = split_glue(item, results[i], engine.tokenizer)
            plan = plan_prefix(item, results[i], engine.tokenizer)
            if plan is None:
                continue
            item.prefix, item.locked = plan.pieces, len(plan.pieces)
            cap = max_length or engine.default_max_length([item.pieces])
            if item.locked >= cap:  # the terms fill the output: nothing is left for the model to write
                results[i] = Hypothesis(tuple(plan.pieces), plan.attention)
                continue
            # the continuation to expect: the free remainder, within the length bounds
            item.rest = max(min(plan.rest, cap - item.locked), min_length - item.locked, 0)
            item.suppress = satisfied_terms(item, engine.tokenizer)
            todo.append(i)
        if not todo:
            break
        alone = [i for i in todo if engine.prefix_in_one_pass(items[i].locked, items[i].rest)]
        run([i for i in todo if i not in alone], alone)
    else:  # out of rounds: the last re-decode still gets its glued pieces split off
        results = [split_glue(it, r, engine.tokenizer) if it.terms else r for it, r in zip(items, results)]
    assert all(r is not None for r in results)
    return [written(item, hyp) for item, hyp in zip(items, results)]
