"""Measuring the reference aligner: make a parallel corpus non-parallel, then score pairs.

Used by ``tests/test_refalign.py`` and ``benchmarks/refalign_eval.py`` (a benchmark helper: it does not ship in the package).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from translate.evaluate.refalign import AlignedPair


@dataclass(frozen=True)
class Scrambled:
    """A parallel corpus made non-parallel (for measuring the aligner); units list original line indices."""

    src_units: tuple[tuple[int, ...], ...]
    ref_units: tuple[tuple[int, ...], ...]
    gold: frozenset[AlignedPair]


def scramble(n: int, *, seed: int = 0, merge_ref: float = 0.08, merge_src: float = 0.04,
             drop_ref: float = 0.02, drop_src: float = 0.02) -> Scrambled:
    """Merge adjacent reference (2-1) or source (1-2) sentences and drop some on either side."""
    rng = random.Random(seed)
    src: list[tuple[int, ...]] = []
    ref: list[tuple[int, ...]] = []
    gold: set[AlignedPair] = set()
    i = 0
    while i < n:
        r = rng.random()
        pair = i + 1 < n
        if pair and r < merge_ref:
            gold.add(AlignedPair((len(src), len(src) + 1), (len(ref),)))
            src += [(i,), (i + 1,)]
            ref.append((i, i + 1))
            i += 2
            continue
        r -= merge_ref
        if pair and r < merge_src:
            gold.add(AlignedPair((len(src),), (len(ref), len(ref) + 1)))
            src.append((i, i + 1))
            ref += [(i,), (i + 1,)]
            i += 2
            continue
        r -= merge_src
        if r < drop_ref:
            src.append((i,))
        elif r - drop_ref < drop_src:
            ref.append((i,))
        else:
            gold.add(AlignedPair((len(src),), (len(ref),)))
            src.append((i,))
            ref.append((i,))
        i += 1
    return Scrambled(tuple(src), tuple(ref), frozenset(gold))


def precision_recall(predicted: Sequence[AlignedPair], gold: frozenset[AlignedPair]) -> tuple[float, float]:
    """Exact-pair precision and recall over pairs with both sides non-empty."""
    pred = {p for p in predicted if p.src and p.ref}
    hit = len(pred & gold)
    return (hit / len(pred) if pred else 0.0, hit / len(gold) if gold else 0.0)
