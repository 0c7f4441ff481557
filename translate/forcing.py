"""Decoding with glossary terms guaranteed in the output: alignment-guided prefix forcing.

Neither backend offers lexical constraints offline (transformers 5 dropped constrained
beam search; CTranslate2 never had it), but both can continue a *target prefix*. So:

1. **Translate freely** (one batched pass) and keep each hypothesis's cross-attention.
2. **Check** every term the glossary matched in the source: its English must occur in the
   output, as a whole word, as many times as the source has it.
3. **Place** each missing term where the model renders that part of the source: the
   target words whose most-attended source piece lies inside the term's span are
   *replaced* by the term (so a misspelt "Gerasimoff" becomes "Gerasimov", not
   "Gerasimoff Gerasimov"); with no such word, the term is inserted at the position
   proportional to its place in the source.
4. **Re-decode** only those segments, with the output up to and including the last placed
   term as a forced prefix: the model carries on fluently after the term, and everything
   before it stays as the model wrote it; a term the prefix already holds as often as the
   source has it is suppressed in the continuation, so it is not written twice (CTranslate2
   suppresses per batch, so there the union of the batch's terms is suppressed; a term
   lost that way is placed in the next round). Repeat from 2 (at most once per term), never
   changing what an earlier round locked; a continuation glued onto a term
   ("HIMARSes") is split off where it stands ("HIMARS es"), without decoding again.

Only segments with a missing term are decoded again, and only what follows the last placed
term is new. A term the model wrote itself after the last placed one is locked into the
prefix too, so a re-decode cannot lose it. Where the prefix covers most of the expected
output, a backend may run it alone, in one forward pass, instead of stepping through it in a
batch (:meth:`Engine.prefix_in_one_pass`); see ``benchmarks/`` for what each step costs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .document import assign_targets, occurrences
from .engines.base import SPACE, Engine, Hypothesis, Tokenizer, detokenize
from .align import argmax_sources

BATCH_SIZE = 16


@dataclass(frozen=True)
class TermRequest:
    """A glossary hit inside an item's source text: ``[start, end)`` and the English to force."""

    start: int
    end: int
    target: str


@dataclass
class Item:
    """One unit sent to the model: its source text, pieces, piece spans and term requests."""

    source: str
    pieces: list[str]
    piece_spans: list[tuple[int, int]]
    terms: list[TermRequest] = field(default_factory=list)
    locked: int = 0
    prefix: list[str] | None = None
    suppress: list[list[str]] = field(default_factory=list)
    rest: int = 0  # pieces the last hypothesis had after what the prefix keeps: the expected continuation


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


def _placement(item: Item, hyp: Hypothesis, term: TermRequest) -> tuple[int, int]:
    """Target piece range ``[start, end)`` the term should replace (empty range: insert)."""
    n_src = len(item.pieces)
    inside = [k for k, (s, e) in enumerate(item.piece_spans[: n_src - 1]) if s < term.end and e > term.start]
    best = argmax_sources(hyp.attention, n_src)
    hits = [t for t in range(item.locked, len(hyp.tokens)) if t < len(best) and int(best[t]) in inside]
    if hits:
        end = hits[0] + 1
        while end in hits:
            end += 1
        return _word_bounds(hyp.tokens, hits[0], end)
    first = inside[0] if inside else n_src - 1
    t = item.locked + round((len(hyp.tokens) - item.locked) * first / max(n_src - 1, 1))
    t, _ = _word_bounds(hyp.tokens, min(t, len(hyp.tokens)), min(t, len(hyp.tokens)))
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


def _piece_end(spans: Sequence[tuple[int, int]], char_end: int) -> int:
    """Number of pieces needed to cover the text up to ``char_end``."""
    return next((k + 1 for k, (_, e) in enumerate(spans) if e >= char_end), len(spans))


def plan_prefix(item: Item, hyp: Hypothesis, tokenizer: Tokenizer) -> tuple[list[str], int] | None:
    """The next forced prefix for ``item`` (ending with a placed term), and how many pieces of
    ``hyp`` follow what it keeps; None when every term is realised."""
    tokens = hyp.tokens
    text, spans = detokenize(tokens)
    found = assign_terms(text, item.terms)
    missing = [t for t, span in zip(item.terms, found) if span is None]
    if not missing:
        return None
    places = sorted(((_placement(item, hyp, t), t) for t in missing), key=lambda p: p[0])
    out = list(tokens[: item.locked])
    cursor = item.locked
    for (start, end), term in places:
        start = max(start, cursor)
        end = max(end, start)
        out += list(tokens[cursor:start]) + tokenizer.target(term.target)
        cursor = end
    # a term the model wrote itself after the last placed one: keep it, or the re-decode may lose it
    kept = cursor
    for span in filter(None, found):
        if _piece_end(spans, span[0] + 1) > cursor:
            kept = max(kept, _piece_end(spans, span[1]))
    out += list(tokens[cursor:kept])
    return out, max(len(tokens) - kept, 0)


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
    beam: int = 4,
    batch_size: int = BATCH_SIZE,
    max_length: int | None = None,
    min_length: int = 0,
    on_batch: Callable[[int], None] | None = None,
) -> list[Hypothesis]:
    """Translate ``items`` (length-sorted batches, order kept), forcing every term request."""
    results: list[Hypothesis | None] = [None] * len(items)

    def run(indices: list[int], report: bool) -> None:
        order = sorted(indices, key=lambda i: len(items[i].pieces))
        for batch in _batches(order, batch_size):
            prefixes = [items[i].prefix for i in batch]
            longest = max((len(p) for p in prefixes if p), default=0)
            limit = max_length or engine.default_max_length([items[i].pieces for i in batch])
            hyps = engine.translate_pieces(
                [items[i].pieces for i in batch],
                beam=beam,
                prefixes=prefixes if longest else None,
                suppress=[items[i].suppress for i in batch] if longest else None,
                max_length=max(limit, longest + 1),
                min_length=min_length,
            )
            for i, hyp in zip(batch, hyps):
                results[i] = hyp
            if on_batch and report:
                on_batch(len(batch))

    def run_alone(indices: list[int]) -> None:
        hyps = engine.translate_pieces(
            [items[i].pieces for i in indices],
            beam=beam,
            prefixes=[items[i].prefix for i in indices],
            suppress=[items[i].suppress for i in indices],
            max_length=max_length,
            min_length=min_length,
            one_pass=True,
        )
        for i, hyp in zip(indices, hyps):
            results[i] = hyp

    run(list(range(len(items))), True)
    for _ in range(1 + 2 * max((len(it.terms) for it in items), default=0)):
        todo = []
        for i, item in enumerate(items):
            if not item.terms:
                continue
            results[i] = split_glue(item, results[i], engine.tokenizer)
            plan = plan_prefix(item, results[i], engine.tokenizer)
            if plan is not None:
                item.prefix, rest = plan
                item.locked = len(item.prefix)
                # the continuation to expect: the free remainder, within the length bounds
                bound = max_length - item.locked if max_length else rest
                item.rest = max(min(rest, bound), min_length - item.locked, 0)
                item.suppress = satisfied_terms(item, engine.tokenizer)
                todo.append(i)
        if not todo:
            break
        alone = [i for i in todo if engine.prefix_in_one_pass(len(items[i].prefix), items[i].rest)]
        if alone:
            run_alone(alone)
        run([i for i in todo if i not in alone], False)
    else:  # out of rounds: the last re-decode still gets its glued pieces split off
        results = [split_glue(it, r, engine.tokenizer) if it.terms else r for it, r in zip(items, results)]
    assert all(r is not None for r in results)
    return results
