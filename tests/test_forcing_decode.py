"""Forcing's decode loop and prefix planning, step by step, on the fake engine's call history:
what each call is sent, in what order, how many rounds run, and the exact prefix planned.

The fake writes ``▁w<k>`` for source piece k. In ``SOURCE`` (16 pieces before ``</s>``) الجنرال is
piece 5, براون piece 6 and غيراسيموف pieces 9-12; "Brown" is one target piece, "Gen." two and
"Gerasimov" three (``▁Ger as imov``). Every expectation below is counted by hand from that.
"""

from __future__ import annotations

import numpy as np
import pytest
from fakes import SOURCE, FakeEngine, item
from helpers import TOKENIZER_DIR

from translate.engines.base import Hypothesis
from translate.engines.forcing import decode, plan_prefix
from translate.engines.items import TermRequest
from translate.engines.names import DEFAULT_BEAM

GENERAL, BROWN, GERASIMOV = (SOURCE.index(w) for w in ("الجنرال", "براون", "غيراسيموف"))
W = [f"\u2581w{k}" for k in range(16)]  # the fake's free output for SOURCE


def brown(engine):
    return item(engine, terms=[TermRequest(BROWN, BROWN + 5, "Brown")])


def gerasimov(engine):
    return item(engine, terms=[TermRequest(GERASIMOV, GERASIMOV + 9, "Gerasimov")])


@pytest.fixture
def fake():
    return FakeEngine(TOKENIZER_DIR)


def test_the_fake_and_the_tokenizer_are_what_these_tests_count_on(fake):
    it = item(fake)
    assert len(it.pieces) == 17 and it.pieces[5:7] == ["\u2581الجنرال", "\u2581براون"]
    assert fake.tokenizer.target("Brown") == ["\u2581Brown"]
    assert fake.tokenizer.target("Gerasimov") == ["\u2581Ger", "as", "imov"]
    assert fake.tokenizer.target("Gen.") == ["\u2581Gen", "."]
    assert list(fake.translate_pieces([it.pieces])[0].tokens) == W


def test_decode_sends_its_settings_with_every_call(fake):
    decode(fake, [brown(fake)], beam=2, max_length=30, min_length=3)
    assert [(c.beam, c.max_length, c.min_length) for c in fake.calls] == [(2, 30, 3), (2, 30, 3)]


def test_decode_defaults_are_the_default_beam_no_cap_and_no_minimum(fake):
    decode(fake, [brown(fake)])
    assert [(c.beam, c.max_length, c.min_length) for c in fake.calls] == [(DEFAULT_BEAM, None, 0)] * 2


def test_a_free_pass_sends_no_prefixes_no_suppression_and_no_lone_rows(fake):
    decode(fake, [brown(fake), item(fake, "نص آخر.")])
    free, forced = fake.calls
    assert free.prefixes is None and free.suppress is None and free.one_pass is False
    assert forced.prefixes == [W[:6] + ["\u2581Brown"]] and forced.one_pass is False


def test_batches_go_shortest_first_and_the_results_keep_the_input_order(fake):
    long, short, middle = item(fake), item(fake, "نص."), item(fake, "نص آخر هنا.")
    hyps = decode(fake, [long, short, middle], batch_size=2)
    assert [c.batch for c in fake.calls] == [[short.pieces, middle.pieces], [long.pieces]]
    assert [len(h.tokens) for h in hyps] == [len(long.pieces) - 1, len(short.pieces) - 1, len(middle.pieces) - 1]


def test_on_batch_reports_each_free_row_once_and_no_forced_one(fake):
    done = []
    decode(fake, [brown(fake), item(fake, "نص."), item(fake, "نص آخر.")], batch_size=2, on_batch=done.append)
    assert done == [2, 1] and len(fake.calls) == 3  # the forced re-decode reports nothing


def test_decode_of_nothing_calls_nothing(fake):
    assert decode(fake, []) == [] and fake.calls == []


def test_lone_rows_join_only_the_first_batch_of_a_round():
    engine = FakeEngine(TOKENIZER_DIR, one_pass_from=10)
    said = [item(engine, terms=[TermRequest(0, 3, "Said")]) for _ in range(2)]  # short prefixes: batched
    decode(engine, [*said, gerasimov(engine)], batch_size=1)
    forced = engine.calls[3:]  # after three free calls of one row each
    assert [c.one_pass for c in forced] == [[True, False], [False]]
    assert [len(c.batch) for c in forced] == [2, 1]


@pytest.mark.parametrize("first", ["no terms", "every term written", "the cap reached"])
def test_an_item_that_needs_no_re_decode_does_not_stop_the_next_one(fake, first):
    if first == "no terms":
        before, cap = item(fake), None
    elif first == "every term written":
        before, cap = item(fake, terms=[TermRequest(0, 3, "w0")]), None
    else:  # Gerasimov's prefix (9 kept + 3 term pieces) fills a cap of 12; Brown's (7) does not
        before, cap = gerasimov(fake), 12
    hyps = decode(fake, [before, brown(fake)], max_length=cap)
    assert "Brown" in hyps[1].text.split()
    assert fake.calls[-1].prefixes == [W[:6] + ["\u2581Brown"]]


REST_CASES = [
    # the item, decode's bounds, the prefix length, the continuation expected after it
    ("the free remainder", brown, {}, 7, 9),
    ("less left than was locked", gerasimov, {}, 12, 3),
    ("min_length asks for more", brown, {"min_length": 30}, 7, 23),
    ("max_length leaves less", brown, {"max_length": 9}, 7, 2),
]


@pytest.mark.parametrize("name,make,bounds,locked,rest", REST_CASES, ids=[c[0] for c in REST_CASES])
def test_the_continuation_expected_after_a_prefix(fake, name, make, bounds, locked, rest):
    it = make(fake)
    decode(fake, [it], **bounds)
    assert (it.locked, it.rest) == (locked, rest)
    assert fake.asked == [(locked, rest)]  # what the engine is asked to choose one pass by


def test_a_term_ending_the_output_leaves_nothing_to_expect(fake):
    source = "قال الجيش الأميركي"  # pieces ▁قال ▁الجيش ▁الأمير كي: the term is the last word
    it = item(fake, source, [TermRequest(source.index("الأميركي"), len(source), "American")])
    plan = plan_prefix(it, fake.translate_pieces([it.pieces])[0], fake.tokenizer)
    assert plan.pieces == W[:2] + fake.tokenizer.target("American") and plan.rest == 0
    decode(fake, [it])
    assert it.rest == 0 and fake.asked == [(len(plan.pieces), 0)]


class Stubborn(FakeEngine):
    """Ignores every prefix and glues every piece after the first onto it ("w0w1w2..."): a
    term is never realised, so forcing runs out of rounds."""

    def translate_pieces(self, batch, **options):
        hyps = super().translate_pieces(batch, **{**options, "prefixes": None})
        return [Hypothesis(h.tokens[:1] + tuple(t[1:] for t in h.tokens[1:]), h.attention) for h in hyps]


def test_out_of_rounds_the_last_output_still_has_its_glued_piece_split_off():
    engine = Stubborn(TOKENIZER_DIR)
    it = brown(engine)
    [hyp] = decode(engine, [it])
    assert len(engine.calls) == 1 + 3  # the free pass, then 1 + 2 * (one term) rounds
    raw = ("\u2581w0",) + tuple(f"w{k}" for k in range(1, 16))  # what the engine wrote every time
    at = it.locked
    assert 0 < at < len(raw)
    assert hyp.tokens in (raw[:at] + ("\u2581", raw[at]) + raw[at + 1 :], raw[:at] + ("\u2581" + raw[at],) + raw[at + 1 :])


# plan_prefix: the exact prefix, its attention and what is left to the model

def test_two_placed_terms_keep_every_row_of_attention_in_float32(fake):
    it = item(fake, terms=[TermRequest(BROWN, BROWN + 5, "Brown"), TermRequest(GERASIMOV, GERASIMOV + 9, "Gerasimov")])
    plan = plan_prefix(it, fake.translate_pieces([it.pieces])[0], fake.tokenizer)
    assert plan.pieces == W[:6] + ["\u2581Brown"] + W[7:9] + ["\u2581Ger", "as", "imov"] and plan.rest == 3
    att = plan.attention
    assert att.dtype == np.float32 and att.shape == (len(plan.pieces), 17)
    assert [int(r.argmax()) for r in att[:6]] == list(range(6)) and att[6, 6] == 1.0  # kept; Brown's piece
    assert [int(r.argmax()) for r in att[7:9]] == [7, 8]
    assert np.allclose(att[9:, 9:13], 0.25) and np.allclose(att[9:].sum(axis=1), 1.0)  # Gerasimov's 4 pieces


@pytest.mark.parametrize("width,column", [(10, 9), (8, 7)])
def test_a_term_row_stays_inside_an_attention_narrower_than_the_source(fake, width, column):
    # width 10 keeps piece 9 of غيراسيموف (9-12); width 8 keeps none: the last column stands in
    it = gerasimov(fake)
    hyp = fake.translate_pieces([it.pieces])[0]
    narrow = Hypothesis(hyp.tokens, np.ascontiguousarray(hyp.attention[:, :width]))
    plan = plan_prefix(it, narrow, fake.tokenizer)
    term_rows = plan.attention[-3:]
    assert term_rows.shape == (3, width)
    assert (term_rows[:, column] == 1.0).all() and term_rows.sum() == 3.0


SIDE_CASES = [
    # attention, terms (source start, length, English), the planned prefix, what is left to the model
    ("flat: distant terms stay apart", True, [(BROWN, 5, "Brown"), (GERASIMOV, 9, "Gerasimov")],
     W[:6] + ["\u2581Brown"] + W[6:9] + ["\u2581Ger", "as", "imov"], 7),
    ("flat: adjacent terms side by side", True, [(GENERAL, 7, "Gen."), (BROWN, 5, "Brown")],
     W[:5] + ["\u2581Gen", ".", "\u2581Brown"], 11),
    ("pointed: adjacent terms each replace their word", False, [(GENERAL, 7, "Gen."), (BROWN, 5, "Brown")],
     W[:5] + ["\u2581Gen", ".", "\u2581Brown"], 9),
]


@pytest.mark.parametrize("name,flat,terms,prefix,rest", SIDE_CASES, ids=[c[0] for c in SIDE_CASES])
def test_where_two_missing_terms_go(name, flat, terms, prefix, rest):
    engine = FakeEngine(TOKENIZER_DIR, flat=flat)
    it = item(engine, terms=[TermRequest(s, s + n, english) for s, n, english in terms])
    plan = plan_prefix(it, engine.translate_pieces([it.pieces])[0], engine.tokenizer)
    assert (plan.pieces, plan.rest) == (prefix, rest)
