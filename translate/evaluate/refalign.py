"""Aligning a human English reference with the Arabic source when they are not sentence-aligned.

Bleualign-style: each source sentence has a machine translation (MT); a dynamic-programming
search over the steps 1-1, 1-2, 2-1, 1-0 and 0-1 picks the path of least cost, where a step
costs

* **Gale–Church**: ``-log P(step) - log P(delta)`` with ``delta`` the normalised difference of the
  Arabic and English character lengths (ratio ``c`` estimated from the two texts);
* **minus the MT similarity** (weight ``SIM_WEIGHT``): an IDF-weighted Dice overlap of word 1-
  and 2-grams between the MT of the source side and the reference side, times a two-way
  brevity penalty (a fast sentence-BLEU-like score: it is computed for every cell of the search
  band, where sacrebleu's per-call overhead would be too slow). It is rescaled so that the noise
  level (95th percentile of pairs off the diagonal) is 0, and lowered by ``tau``, half the
  typical best score of a source sentence: an aligned pair with no similarity then costs,
  in proportion to how informative the MT is. Useless MT (random text) scores ~0 everywhere
  (``tau`` ~0 too) and the search falls back to length and numbers. In a 2-1 or 1-2 step each
  merged sentence must be covered about as well as the group, so a sentence is not merged in
  just because the other one matches;
* **minus the numbers** both sides share (written in digits, unscaled, as
  :func:`translate.text.numbers.number_keys` reads them).

The search runs in a band around the diagonal that is widened until the best path no longer
touches its edge. Indices count from 0; an :class:`AlignedPair` with an empty side is a
sentence left unaligned (it is not written to the TSV).
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from translate.text.numbers import number_keys
from translate.errors import EvaluationError

STEPS = ((1, 1), (1, 2), (2, 1), (1, 0), (0, 1))
PRIORS = {(1, 1): 0.89, (1, 2): 0.0445, (2, 1): 0.0445, (1, 0): 0.005, (0, 1): 0.005}
VARIANCE = 4.0  # per-character variance of the length difference (measured ~3.6 on NTREX and TICO)
SIM_WEIGHT = 40.0
NUMBER_WEIGHT = 3.0
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class AlignedPair:
    """Source sentence indices aligned with reference sentence indices (either may be empty)."""

    src: tuple[int, ...]
    ref: tuple[int, ...]

    def to_dict(self) -> dict[str, list[int]]:
        return {"src": list(self.src), "ref": list(self.ref)}

    @classmethod
    def from_dict(cls, d: dict[str, Sequence[int]]) -> AlignedPair:
        return cls(tuple(d["src"]), tuple(d["ref"]))


def _grams(text: str) -> frozenset[str]:
    words = _TOKEN.findall(text.lower())
    return frozenset(words) | frozenset(f"{a} {b}" for a, b in zip(words, words[1:]))


class _Similarity:
    """IDF-weighted Dice over word 1-/2-gram sets (a group of two sentences uses the union),
    rescaled so that random pairs score 0, minus half the typical score of a true pair."""

    def __init__(self, mt: Sequence[str], refs: Sequence[str], seed: int = 1):
        mt1, ref1 = [_grams(t) for t in mt], [_grams(t) for t in refs]
        df = Counter(g for s in mt1 + ref1 for g in s)
        self.idf = {g: math.log(1 + (len(mt1) + len(ref1)) / c) for g, c in df.items()}
        self.sets = {
            "a1": mt1, "a2": [x | y for x, y in zip(mt1, mt1[1:])],
            "b1": ref1, "b2": [x | y for x, y in zip(ref1, ref1[1:])],
        }
        self.weights = {k: [self.weight(x) for x in v] for k, v in self.sets.items()}
        la, lb = [len(t) for t in mt], [len(t) for t in refs]
        self.lengths = {
            "a1": la, "a2": [x + y for x, y in zip(la, la[1:])],
            "b1": lb, "b2": [x + y for x, y in zip(lb, lb[1:])],
        }
        self.rng = random.Random(seed)
        self.floor = self.tau = 0.0
        noise = sorted(self.raw(i, 1, j, 1) for i, j in self._far_pairs(len(mt1), len(ref1)))
        self.floor = noise[int(0.95 * len(noise))] if noise else 0.0

    def _far_pairs(self, n: int, m: int, count: int = 200) -> list[tuple[int, int]]:
        """Pairs at least 2 off the diagonal (so hardly ever a true pair): all of them, or a sample."""
        def far(i: int, j: int) -> bool:
            return abs(j - i * m / n) >= 2

        if n * m <= 4 * count:
            return [(i, j) for i in range(n) for j in range(m) if far(i, j)]
        pairs = ((self.rng.randrange(n), self.rng.randrange(m)) for _ in range(20 * count))
        return [p for p in pairs if far(*p)][:count]

    def weight(self, grams: frozenset[str]) -> float:
        idf = self.idf
        return sum(idf[g] for g in grams)

    def raw(self, i: int, di: int, j: int, dj: int) -> float:
        ka, kb = "a1" if di == 1 else "a2", "b1" if dj == 1 else "b2"
        wa, wb = self.weights[ka][i], self.weights[kb][j]
        if not wa or not wb:
            return 0.0
        a, b = self.sets[ka][i], self.sets[kb][j]
        shared = self.weight(a & b)
        la, lb = self.lengths[ka][i], self.lengths[kb][j]
        score = 2 * shared / (wa + wb) * min(la, lb) / max(la, lb)  # Dice x a two-way brevity penalty
        if di == 2 or dj == 2:  # each merged sentence must be covered about as well as the group
            parts, other, whole = ((self.sets["a1"][i], self.sets["a1"][i + 1]), b, wa) if di == 2 else (
                (self.sets["b1"][j], self.sets["b1"][j + 1]), a, wb)
            cover = shared / whole
            worst = min((self.weight(p & other) / w if (w := self.weight(p)) else cover) for p in parts)
            score *= min(1.0, worst / cover) if cover else 0.0
        return score

    def gain(self, i: int, di: int, j: int, dj: int) -> float:
        """Rescaled similarity less ``tau``: negative for a pair less alike than a typical true one."""
        s = self.raw(i, di, j, dj)
        return (max(0.0, s - self.floor) / (1 - self.floor) if self.floor < 1 else 0.0) - self.tau

    def calibrate(self, n: int, m: int, width: int) -> None:
        """``tau`` = half the median best-in-band score of sampled source sentences: ~0 for useless MT."""
        best = []
        for i in self.rng.sample(range(n), min(n, 200)):
            centre = round(i * m / n)
            js = range(max(0, centre - width), min(m, centre + width + 1))
            best.append(max((self.gain(i, 1, j, 1) for j in js), default=0.0))
        self.tau = sorted(best)[len(best) // 2] / 2 if best else 0.0


def _length_cost(l1: int, l2: int, ratio: float) -> float:
    """Gale & Church (1993): ``-log(2 (1 - Phi(|delta|)))``."""
    mean = (l1 + l2 / ratio) / 2
    if mean <= 0:
        return 0.0
    delta = (l2 - l1 * ratio) / math.sqrt(mean * VARIANCE)
    p = math.erfc(abs(delta) / math.sqrt(2))
    return -math.log(max(p, 1e-300))


def align(
    sources: Sequence[str],
    references: Sequence[str],
    mt: Sequence[str] | None = None,
    *,
    use_numbers: bool = True,
) -> list[AlignedPair]:
    """The least-cost monotone alignment of ``sources`` with ``references``.

    ``mt`` (one translation per source sentence) adds the similarity term; without it the
    alignment uses length (and numbers unless ``use_numbers`` is false) only.
    """
    if mt is not None and len(mt) != len(sources):
        raise EvaluationError(f"the MT has {len(mt)} sentences but the source has {len(sources)}")
    n, m = len(sources), len(references)
    if not n or not m:
        return [AlignedPair((i,), ()) for i in range(n)] + [AlignedPair((), (j,)) for j in range(m)]
    slen = [len(s.replace(" ", "")) for s in sources]
    rlen = [len(r.replace(" ", "")) for r in references]
    ratio = (sum(rlen) / sum(slen)) if sum(slen) and sum(rlen) else 1.0
    sim = _Similarity(mt, references) if mt is not None else None
    snum = [Counter(number_keys(s)) for s in sources] if use_numbers else None
    rnum = [Counter(number_keys(r)) for r in references] if use_numbers else None
    prior = {step: -math.log(p) for step, p in PRIORS.items()}

    def cost(i: int, di: int, j: int, dj: int) -> float:
        l1 = sum(slen[i : i + di])
        l2 = sum(rlen[j : j + dj])
        c = prior[(di, dj)]
        if di and dj:  # a dropped sentence costs its prior only: its length says nothing
            c += _length_cost(l1, l2, ratio)
            if sim is not None:
                c -= SIM_WEIGHT * sim.gain(i, di, j, dj)
            if snum is not None and rnum is not None:
                a = snum[i] + snum[i + 1] if di == 2 else snum[i]
                b = rnum[j] + rnum[j + 1] if dj == 2 else rnum[j]
                c -= NUMBER_WEIGHT * sum((a & b).values())
        return c

    width = max(15, int(2 * math.sqrt(max(n, m))))
    if sim is not None:
        sim.calibrate(n, m, width)
    while True:
        path, touched = _search(n, m, width, cost)
        if not touched or width >= max(n, m):
            return path
        width *= 2


def _search(n: int, m: int, width: int, cost) -> tuple[list[AlignedPair], bool]:
    """DP in the band ``|j - i*m/n| <= width``; returns the path and whether it touched the edge."""
    slope = m / n if n else 0.0

    def bounds(i: int) -> tuple[int, int]:  # wide enough that consecutive rows always overlap
        centre = i * slope
        return max(0, math.floor(centre - width - slope)), min(m, math.ceil(centre + width + slope))

    inf = math.inf
    best: dict[tuple[int, int], float] = {(0, 0): 0.0}
    back: dict[tuple[int, int], tuple[int, int]] = {}
    for i in range(n + 1):
        lo, hi = bounds(i)
        if i == 0:
            lo = 0
        if i == n:
            hi = m
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                continue
            score, step = inf, None
            for di, dj in STEPS:
                pi, pj = i - di, j - dj
                prev = best.get((pi, pj))
                if prev is None:
                    continue
                c = prev + cost(pi, di, pj, dj)
                if c < score:
                    score, step = c, (di, dj)
            if step is not None:
                best[(i, j)] = score
                back[(i, j)] = step
    if (n, m) not in best:
        raise EvaluationError("no alignment found")  # unreachable: the band always connects the corners
    path: list[AlignedPair] = []
    touched = False
    i, j = n, m
    while (i, j) != (0, 0):
        di, dj = back[(i, j)]
        lo, hi = bounds(i)
        touched = touched or (0 < i < n and ((j <= lo and lo > 0) or (j >= hi and hi < m)))
        path.append(AlignedPair(tuple(range(i - di, i)), tuple(range(j - dj, j))))
        i, j = i - di, j - dj
    path.reverse()
    return path, touched
