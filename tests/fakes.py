"""A fake engine with a call history: deterministic, instant, and honest about prefixes."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from translate.engines.base import Engine, Hypothesis, Tokenizer
from translate.engines.resolve import ResolvedModel


@dataclass
class Call:
    batch: list[list[str]]
    prefixes: list[list[str] | None] | None
    beam: int


class FakeEngine(Engine):
    """Writes ``▁w<k>`` for the k-th source piece, attending to exactly that piece.

    A forced prefix is copied, and the continuation carries on from the source piece the
    last prefix token stands for, as a real model would go on after a forced term.
    """

    backend = "fake"

    def __init__(self, tokenizer_dir, *, glue: bool = False):
        super().__init__(ResolvedModel("fake/model", "rev0", tokenizer_dir, "local"), Tokenizer(tokenizer_dir))
        self.calls: list[Call] = []
        self.glue = glue

    def translate_pieces(self, batch, *, beam=4, prefixes=None, max_length=None, min_length=0, suppress=None):
        self.calls.append(Call([list(s) for s in batch], [list(p) if p else None for p in prefixes] if prefixes else None, beam))
        out = []
        for row, src in enumerate(batch):
            n = len(src) - 1  # without </s>
            prefix = list(prefixes[row]) if prefixes and prefixes[row] else []
            tokens, rows = [], []
            for t, piece in enumerate(prefix):
                tokens.append(piece)
                rows.append(min(t, n - 1))
            start = rows[-1] + 1 if rows else 0
            for k in range(start, n):
                tokens.append(("es" if self.glue and prefix and k == start else f"\u2581w{k}"))
                rows.append(k)
            att = np.zeros((len(tokens), len(src)), dtype=np.float32)
            for t, k in enumerate(rows):
                att[t, max(k, 0)] = 1.0
            out.append(Hypothesis(tuple(tokens), att))
        return out
