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
   ("HIMARSes") is split off in the same way.

Only segments with a missing term are decoded again, and only from the last placed term
on, which keeps the cost well under a second full pass (see ``benchmarks/``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

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
    ends_with_term: bool = False


def occurrences(text: str, target: str) -> list[tuple[int, int]]:
    """Whole-word, case-sensitive spans of ``target`` in ``text``."""
    pattern = r"(?<!\w)" + re.escape(target) + r"(?!\w)"
    return [m.span() for m in re.finditer(pattern, text)]


def assign_terms(text: str, terms: Sequence[TermRequest]) -> list[tuple[int, int] | None]:
    """For each term (in source order), the output span realising it, or None when missing."""
    used: dict[str, int] = {}
    out: list[tuple[int, int] | None] = []
    for term in terms:
        spans = occurrences(text, term.target)
        k = used.get(term.target, 0)
        out.append(spans[k] if k < len(spans) else None)
        used[term.target] = k + 1
    return out


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


def plan_prefix(item: Item, hyp: Hypothesis, tokenizer: Tokenizer) -> tuple[list[str], bool] | None:
    """The next forced prefix for ``item`` and whether it ends with a term; None when done."""
    tokens = hyp.tokens
    if item.ends_with_term and item.locked < len(tokens) and _is_glue(tokens[item.locked]):
        # the model glued a piece onto the term that ends the prefix ("HIMARS" + "es"): split it off
        piece = tokens[item.locked]
        split = [SPACE + piece] if tokenizer.has(SPACE + piece) else [SPACE, piece]
        return list(tokens[: item.locked]) + split, False
    text = detokenize(tokens)[0]
    missing = [t for t, span in zip(item.terms, assign_terms(text, item.terms)) if span is None]
    if not missing:
        return None
    places = sorted((_placement(item, hyp, t), t) for t in missing)
    out = list(tokens[: item.locked])
    cursor = item.locked
    for (start, end), term in places:
        start = max(start, cursor)
        end = max(end, start)
        out += list(tokens[cursor:start]) + tokenizer.target(term.target)
        cursor = end
    return out, True


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

    run(list(range(len(items))), True)
    for _ in range(1 + 2 * max((len(it.terms) for it in items), default=0)):
        todo = []
        for i, item in enumerate(items):
            if not item.terms:
                continue
            plan = plan_prefix(item, results[i], engine.tokenizer)
            if plan is not None:
                item.prefix, item.ends_with_term = plan
                item.locked = len(item.prefix)
                item.suppress = satisfied_terms(item, engine.tokenizer)
                todo.append(i)
        if not todo:
            break
        run(todo, False)
    return [r for r in results if r is not None]
