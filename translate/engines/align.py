"""Word alignment from the decoder's cross-attention.

Each target piece is linked to the source piece it attends to most (``</s>``
excluded); pieces are then mapped to whitespace words on both sides, giving
``(source word index, target word index)`` pairs for the bilingual view.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from translate.engines.base import SPACE, Hypothesis, detokenize
from translate.text.segment import words


def source_piece_spans(source: str, pieces: Sequence[str]) -> list[tuple[int, int]]:
    """Character span in ``source`` of each source piece (``</s>`` gets an empty span at the end).

    Pieces come from the punctuation-normalised text, so characters are matched on the
    space-free strings, proportionally where normalisation changed their number.
    """
    orig = [i for i, ch in enumerate(source) if not ch.isspace()]
    texts = [_piece_chars(p) for p in pieces]
    total = sum(len(t) for t in texts) or 1
    scale = len(orig) / total
    spans = []
    pos = 0
    for t in texts:
        if not t or not orig:
            spans.append((len(source), len(source)))
            continue
        a = min(int(pos * scale), len(orig) - 1)
        b = min(max(int((pos + len(t)) * scale) - 1, a), len(orig) - 1)
        spans.append((orig[a], orig[b] + 1))
        pos += len(t)
    return spans


def _piece_chars(piece: str) -> str:
    if piece == "<unk>":
        return "?"  # stands for one character the vocabulary lacks
    if piece.startswith("<") and piece.endswith(">"):
        return ""
    return piece.replace(SPACE, "")


def _word_of(spans: list[tuple[int, int]], pos: int) -> int:
    for k, (s, e) in enumerate(spans):
        if pos < e:
            return k if pos >= s else max(k - 1, 0)
    return max(len(spans) - 1, 0)


def argmax_sources(attention: np.ndarray, n_source: int) -> np.ndarray:
    """For each target piece, the most attended source piece (ignoring the final ``</s>``)."""
    usable = max(n_source - 1, 1)
    if attention.size == 0:
        return np.zeros(0, dtype=int)
    return attention[:, :usable].argmax(axis=1)


def word_alignment(
    source: str, src_piece_spans: Sequence[tuple[int, int]], hyp: Hypothesis
) -> list[tuple[int, int]]:
    """Sorted unique ``(source word, target word)`` pairs for one translation, given the
    source pieces' character spans (:func:`source_piece_spans`)."""
    text, piece_spans = detokenize(hyp.tokens)
    src_words, tgt_words = words(source), words(text)
    if not src_words or not tgt_words:
        return []
    best = argmax_sources(hyp.attention, len(src_piece_spans))
    pairs = set()
    for t, (s, e) in enumerate(piece_spans):
        if s >= e or t >= len(best):
            continue
        src_char = src_piece_spans[int(best[t])][0]
        pairs.add((_word_of(src_words, src_char), _word_of(tgt_words, s)))
    return sorted(pairs, key=lambda p: (p[1], p[0]))
