"""Forcing's small helpers, case by case: glue pieces, whole-word bounds, piece ends and the
output word most like a term (a misspelt name the model wrote)."""

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


def _output(pieces):
    from translate.engines.base import detokenize
    from translate.engines.forcing import _Output
    from translate.text.segment import words

    text, spans = detokenize(pieces)
    return _Output(tuple(pieces), text, spans, words(text), [-1] * len(pieces))


W = "\u2581"
MISSPELT_CASES = [
    # (what, output pieces, term English, locked pieces, taken character spans, the piece range or None)
    ("a misspelt name", [W + "Gerasimoff", W + "said"], "Gerasimov", 0, (), (0, 1)),
    ("case folded", [W + "GERASIMOFF", W + "said"], "Gerasimov", 0, (), (0, 1)),
    ("a possessive stays outside", [W + "Gerasimoff", "'s", W + "aide"], "Gerasimov", 0, (), (0, 1)),
    ("a curly possessive too", [W + "Gerasimoff", "\u2019s", W + "aide"], "Gerasimov", 0, (), (0, 1)),
    ("a full stop stays outside", [W + "Gerasimoff", "."], "Gerasimov", 0, (), (0, 1)),
    ("nothing alike", [W + "Smith", W + "said"], "Gerasimov", 0, (), None),
    ("far too long to be alike", [W + "Gerasimovvvvvvvvvv", W + "said"], "Gerasimov", 0, (), None),
    ("far too short", [W + "G", W + "said"], "Gerasimov", 0, (), None),
    ("two words for a two-word term", [W + "Loyd", W + "Austen", W + "said"], "Lloyd Austin", 0, (), (0, 2)),
    ("a word cut in two pieces", [W + "Gera", "simoff", W + "said"], "Gerasimov", 0, (), (0, 2)),
    ("the closest of two", [W + "Gerasimoff", W + "and", W + "Gerasimow"], "Gerasimov", 0, (), (2, 3)),
    ("equally close: the first", [W + "Gerasimow", W + "and", W + "Gerasimow"], "Gerasimov", 0, (), (0, 1)),
    ("the acronym misspelt", [W + "Hemars", W + "rockets"], "HIMARS", 0, (), (0, 1)),
    ("not inside the locked prefix", [W + "Gerasimoff", W + "said", W + "Gerasimow"], "Gerasimov", 1, (), (2, 3)),
    ("only inside the locked prefix", [W + "Gerasimoff", W + "said"], "Gerasimov", 1, (), None),
    ("not where another term stands", [W + "Gerasimoff", W + "said", W + "Gerasimow"], "Gerasimov", 0, ((0, 10),),
     (2, 3)),
    ("a taken span that only touches it", [W + "Gerasimoff", W + "said"], "Gerasimov", 0, ((10, 15),), (0, 1)),
]


@pytest.mark.parametrize("what,pieces,target,locked,taken,expected", MISSPELT_CASES, ids=[c[0] for c in MISSPELT_CASES])
def test_misspelt_finds_the_output_word_most_like_the_term(what, pieces, target, locked, taken, expected):
    from translate.engines.forcing import _misspelt
    from translate.engines.items import Item, TermRequest

    item = Item(source="x", pieces=["x", "</s>"], piece_spans=[(0, 1), (1, 1)], locked=locked)
    assert _misspelt(item, _output(pieces), TermRequest(0, 1, target), list(taken)) == expected


class _Vocab:
    """A tokenizer as split_glue asks it: which pieces it has."""

    def __init__(self, *pieces: str):
        self.pieces = set(pieces)

    def has(self, piece: str) -> bool:
        return piece in self.pieces


GLUE_SPLIT_CASES = [
    # (what, prefix?, locked, tokens, vocabulary, the tokens after, the attention rows after)
    ("glue split into its word-start piece", True, 2, (W + "the", W + "HIMARS", "es", W + "said"), (W + "es",),
     (W + "the", W + "HIMARS", W + "es", W + "said"), [0, 1, 2, 3]),
    ("no such piece: a space piece, then the glue", True, 2, (W + "the", W + "HIMARS", "es", W + "said"), (),
     (W + "the", W + "HIMARS", W, "es", W + "said"), [0, 1, 2, 2, 3]),
    ("no prefix: as the model wrote it", False, 2, (W + "the", W + "HIMARS", "es"), (W + "es",),
     (W + "the", W + "HIMARS", "es"), [0, 1, 2]),
    ("a word start after the prefix: as written", True, 2, (W + "the", W + "HIMARS", W + "said"), (),
     (W + "the", W + "HIMARS", W + "said"), [0, 1, 2]),
    ("nothing after the prefix", True, 2, (W + "the", W + "HIMARS"), (), (W + "the", W + "HIMARS"), [0, 1]),
    ("punctuation after the prefix is no glue", True, 2, (W + "the", W + "HIMARS", ","), (),
     (W + "the", W + "HIMARS", ","), [0, 1, 2]),
]


@pytest.mark.parametrize("what,prefix,locked,tokens,vocab,after,rows", GLUE_SPLIT_CASES,
                         ids=[c[0] for c in GLUE_SPLIT_CASES])
def test_split_glue_splits_a_piece_glued_onto_the_forced_term(what, prefix, locked, tokens, vocab, after, rows):
    import numpy as np

    from translate.engines.base import Hypothesis
    from translate.engines.forcing import split_glue
    from translate.engines.items import Item

    attention = np.arange(len(tokens) * 3, dtype=float).reshape(len(tokens), 3)
    item = Item(source="x", pieces=["x", "y", "</s>"], piece_spans=[(0, 1), (1, 2), (2, 2)], locked=locked,
                prefix=list(tokens[:locked]) if prefix else None)
    out = split_glue(item, Hypothesis(tokens, attention), _Vocab(*vocab))
    assert out.tokens == after
    assert out.attention.tolist() == attention[rows].tolist()  # the split pieces attend where the glued one did


def test_split_glue_keeps_an_attention_that_does_not_match_the_pieces():
    import numpy as np

    from translate.engines.base import Hypothesis
    from translate.engines.forcing import split_glue
    from translate.engines.items import Item

    tokens = (W + "HIMARS", "es")
    attention = np.ones((5, 2))  # a backend that gave none per piece
    item = Item(source="x", pieces=["x", "</s>"], piece_spans=[(0, 1), (1, 1)], locked=1, prefix=[W + "HIMARS"])
    out = split_glue(item, Hypothesis(tokens, attention), _Vocab())
    assert out.tokens == (W + "HIMARS", W, "es") and out.attention.shape == (5, 2)


POINTED_CASES = [
    # (what, source pieces with </s>, attention rows, the source piece each target piece points at)
    ("a clear peak, an even split, exactly the floor, a peak on </s> only",
     4, [[0.7, 0.1, 0.1, 0.1], [0.5, 0.5, 0, 0], [0.1, 0.1, 0.6, 0.2], [0.0, 0.0, 0.1, 0.9]], [0, -1, 2, -1]),
    ("more source pieces: the floor is twice the uniform weight",
     6, [[0.4, 0.1, 0.1, 0.1, 0.1, 0.2], [0.39, 0.3, 0.1, 0.1, 0.1, 0.01]], [0, -1]),
    ("one source piece: the floor is capped at 0.6", 2, [[0.59, 0.41], [0.6, 0.4]], [-1, 0]),
]


@pytest.mark.parametrize("what,n,rows,pointed", POINTED_CASES, ids=[c[0] for c in POINTED_CASES])
def test_a_target_piece_points_at_a_source_piece_only_when_its_attention_singles_it_out(what, n, rows, pointed):
    import numpy as np

    from translate.engines.base import Hypothesis, detokenize
    from translate.engines.forcing import _Output
    from translate.engines.items import Item

    item = Item(source="x", pieces=["p"] * (n - 1) + ["</s>"], piece_spans=[(0, 1)] * n)
    tokens = tuple(W + f"w{i}" for i in range(len(rows)))
    text, spans = detokenize(tokens)
    out = _Output.of(item, Hypothesis(tokens, np.array(rows, dtype=float)), text, spans)
    assert out.pointed == pointed
    assert (out.tokens, out.text, out.spans) == (tokens, text, spans)
    assert out.words == [(3 * i, 3 * i + 2) for i in range(len(rows))]


@pytest.mark.parametrize("start,end,pieces", [
    (3, 6, [1]),  # exactly one piece; the touching neighbours are not in it
    (2, 7, [0, 1, 2]),  # every piece it overlaps
    (6, 9, [2]),  # the last piece before </s>
    (8, 12, [2]),  # </s> is never a term's piece, though its span would overlap
])
def test_the_source_pieces_of_a_term(start, end, pieces):
    from translate.engines.forcing import _term_pieces
    from translate.engines.items import Item, TermRequest

    item = Item(source="abcdefghi", pieces=["▁abc", "def", "ghi", "</s>"], piece_spans=[(0, 3), (3, 6), (6, 9), (9, 12)])
    assert _term_pieces(item, TermRequest(start, end, "X")) == pieces


PLACE_PIECES = [W + "the", W + "gen", "eral", W + "said", W + "it", W + "was"]
PLACEMENT_CASES = [
    # (what, locked, output pieces, the source piece each points at, term span, the range it replaces)
    ("attention on a glued piece: its whole word", 0, PLACE_PIECES, [-1, -1, 1, -1, -1, -1], (3, 6), (1, 3)),
    ("side by side pieces pointing at it", 0, PLACE_PIECES, [-1, -1, -1, 1, 1, -1], (3, 6), (3, 5)),
    ("the first run of them only", 0, PLACE_PIECES, [-1, 1, -1, 1, -1, -1], (3, 6), (1, 3)),
    ("never inside the locked prefix: inserted after it", 2, PLACE_PIECES, [1, -1, -1, -1, -1, -1], (3, 6), (3, 3)),
    ("no attention, nothing alike: inserted where the source has it", 0, PLACE_PIECES, [-1] * 6, (3, 6), (1, 1)),
    ("... but not before the locked prefix", 4, PLACE_PIECES, [-1] * 6, (3, 6), (4, 4)),
    ("a term of the last source piece goes near the end", 0, PLACE_PIECES, [-1] * 6, (9, 12), (4, 4)),
    ("a term over no source piece goes at the end", 0, PLACE_PIECES, [-1] * 6, (12, 12), (6, 6)),
    ("no attention but a misspelt rendering", 0, [W + "the", W + "Austen", W + "said"], [-1] * 3, (3, 6), (1, 2)),
]


@pytest.mark.parametrize("what,locked,pieces,pointed,span,expected", PLACEMENT_CASES, ids=[c[0] for c in PLACEMENT_CASES])
def test_where_a_missing_term_goes(what, locked, pieces, pointed, span, expected):
    from dataclasses import replace

    from translate.engines.forcing import _placement
    from translate.engines.items import Item, TermRequest

    item = Item(source="abcdefghijkl", pieces=["▁abc", "def", "ghi", "▁jk", "</s>"],
                piece_spans=[(0, 3), (3, 6), (6, 9), (9, 12), (12, 12)], locked=locked)
    rendered = replace(_output(pieces), pointed=pointed)
    assert _placement(item, rendered, TermRequest(*span, "Austin"), []) == expected
