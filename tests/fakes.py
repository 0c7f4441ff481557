"""A fake engine with a call history: deterministic, instant, and honest about prefixes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from translate.engines.align import source_piece_spans
from translate.engines.base import Engine, Hypothesis, Tokenizer
from translate.engines.items import Item
from translate.engines.resolve import ResolvedModel

SOURCE = "قال الجيش الأميركي إن الجنرال براون تحدث مع غيراسيموف الأسبوع الماضي."
"""The forcing tests' sentence: الجنرال براون (General Brown) and غيراسيموف (Gerasimov)."""


def item(engine: Engine, source: str = SOURCE, terms=()) -> Item:
    """The decode item of ``source`` on ``engine``'s tokenizer, asking for ``terms``."""
    pieces = engine.tokenizer.source(source)
    return Item(source, pieces, source_piece_spans(source, pieces), list(terms))


@dataclass
class Call:
    batch: list[list[str]]
    prefixes: list[list[str] | None] | None
    beam: int
    one_pass: bool | list[bool] = False
    suppress: list[list[list[str]]] | None = None
    max_length: int | None = None
    min_length: int = 0


class FakeEngine(Engine):
    """Writes ``▁w<k>`` for the k-th source piece, attending to exactly that piece.

    A forced prefix is copied, and the continuation carries on from the source piece the
    last prefix token stands for, as a real model would go on after a forced term.
    ``flat``: attention spread almost evenly, as a random-weight model's is, its argmax at
    1.5 times the uniform weight on an unrelated piece (the mirror one, n-1-k). ``one_pass_from``: claim that a prefix of
    at least that many pieces is cheaper decoded alone (``prefix_in_one_pass``). ``repeat``: after a
    forced prefix, write its last word again (as real models often do after a forced name) unless
    that would complete a sequence ``suppress`` bans for the row: the fake honours suppression.
    """

    backend = "fake"

    def __init__(self, tokenizer_dir, *, glue: bool = False, flat: bool = False, one_pass_from: int | None = None,
                 repeat: bool = False):
        super().__init__(ResolvedModel("fake/model", "rev0", tokenizer_dir, "local"), Tokenizer(tokenizer_dir))
        self.calls: list[Call] = []
        self.asked: list[tuple[int, int]] = []  # prefix_in_one_pass's questions: (prefix length, rest)
        self.glue = glue
        self.flat = flat
        self.one_pass_from = one_pass_from
        self.repeat = repeat

    def prefix_in_one_pass(self, prefix_length, rest):
        self.asked.append((prefix_length, rest))
        return self.one_pass_from is not None and prefix_length >= self.one_pass_from

    def translate_pieces(self, batch, *, beam=4, prefixes=None, max_length=None, min_length=0, suppress=None,
                         one_pass=False):
        self.calls.append(Call([list(s) for s in batch], [list(p) if p else None for p in prefixes] if prefixes else None,
                               beam, one_pass, [[list(q) for q in row] for row in suppress] if suppress else None,
                               max_length, min_length))
        out = []
        for row, src in enumerate(batch):
            n = len(src) - 1  # without </s>
            prefix = list(prefixes[row]) if prefixes and prefixes[row] else []
            tokens, rows = [], []
            for t, piece in enumerate(prefix):
                tokens.append(piece)
                rows.append(min(t, n - 1))
            start = rows[-1] + 1 if rows else 0
            if self.repeat and prefix:
                last = max(i for i, p in enumerate(prefix) if p.startswith("\u2581") or i == 0)
                again = prefix[last:]
                bans = suppress[row] if suppress else ()
                if not any(_completes(tokens + again[: k + 1], list(seq)) for k in range(len(again)) for seq in bans):
                    tokens += again
                    rows += [rows[-1]] * len(again)
            for k in range(start, n):
                tokens.append(("es" if self.glue and prefix and k == start else f"\u2581w{k}"))
                rows.append(k)
            att = np.full((len(tokens), len(src)), 1.0 if self.flat else 0.0, dtype=np.float32)
            for t, k in enumerate(rows):
                if self.flat:
                    att[t, max(n - 1 - k, 0)] = 1.5
                else:
                    att[t, max(k, 0)] = 1.0
            att /= att.sum(axis=1, keepdims=True).clip(min=1e-9)
            out.append(Hypothesis(tuple(tokens), att))
        return out


def _completes(tokens: list[str], seq: list[str]) -> bool:
    """Whether ``tokens`` ends with the banned sequence ``seq``."""
    return bool(seq) and tokens[-len(seq):] == seq
