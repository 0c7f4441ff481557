"""Forcing's small helpers, case by case: glue pieces, whole-word bounds and piece ends."""

from __future__ import annotations

import pytest

from translate.engines.forcing import _is_glue, _piece_end, _word_bounds

GLUE_CASES = [
    ("a word start", "\u2581Brown", False),
    ("a letter glued on", "es", True),
    ("a letter then a full stop", "s.", True),  # only the first character decides
    ("a digit", "7", True),
    ("punctuation", ".", False),
    ("empty", "", False),
]


@pytest.mark.parametrize("name,piece,glue", GLUE_CASES, ids=[c[0] for c in GLUE_CASES])
def test_is_glue(name, piece, glue):
    assert _is_glue(piece) is glue


BOUNDS_CASES = [
    # tokens, start, end, the whole-word range
    ("already whole", ("\u2581a", "\u2581b", "\u2581c"), 1, 2, (1, 2)),
    ("widened left to the word start", ("\u2581a", "b", "c", "d"), 3, 3, (0, 4)),
    ("widened right over glued pieces", ("\u2581a", "\u2581b", "c", "d", "\u2581e"), 1, 2, (1, 4)),
    ("a glued first piece stays at 0", ("ab", "c"), 0, 0, (0, 2)),
    ("stops at 1 when piece 0 starts the word", ("\u2581a", "b", "\u2581c"), 1, 1, (0, 2)),
    ("start at the end is left alone", ("\u2581a", "b"), 2, 2, (2, 2)),
]


@pytest.mark.parametrize("name,tokens,start,end,bounds", BOUNDS_CASES, ids=[c[0] for c in BOUNDS_CASES])
def test_word_bounds(name, tokens, start, end, bounds):
    assert _word_bounds(tokens, start, end) == bounds


PIECE_END_CASES = [
    ("inside the first piece", [(0, 3), (3, 7)], 2, 1),
    ("exactly the first piece's end", [(0, 3), (3, 7)], 3, 1),
    ("into the second", [(0, 3), (3, 7)], 4, 2),
    ("past the text: every piece", [(0, 3), (3, 7)], 10, 2),
    ("no pieces", [], 1, 0),
]


@pytest.mark.parametrize("name,spans,char_end,count", PIECE_END_CASES, ids=[c[0] for c in PIECE_END_CASES])
def test_piece_end(name, spans, char_end, count):
    assert _piece_end(spans, char_end) == count
