"""Term forcing: placement, one occurrence per source hit, glue, and both real backends."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import TOKENIZER_DIR
from fakes import SOURCE, FakeEngine, item

from translate.engines import load_engine
from translate.engines.base import Hypothesis, detokenize
from translate.engines.forcing import assign_terms, decode, occurrences, plan_prefix
from translate.engines.items import TermRequest

BROWN = SOURCE.index("براون")
GERASIMOV = SOURCE.index("غيراسيموف")


@pytest.fixture(scope="module")
def fake():
    return FakeEngine(TOKENIZER_DIR)


OCCURRENCE_CASES = [
    ("whole word", "the HIMARS system", "HIMARS", [(4, 10)]),
    ("not inside a word", "HIMARSes and HIMARS", "HIMARS", [(13, 19)]),
    ("case sensitive", "himars HIMARS", "HIMARS", [(7, 13)]),
    ("punctuation around", "(HIMARS).", "HIMARS", [(1, 7)]),
    ("multi-word", "Gen. Charles Q. Brown said", "Charles Q. Brown", [(5, 21)]),
    ("twice", "Brown and Brown", "Brown", [(0, 5), (10, 15)]),
    ("first letter opens a sentence", "The Pentagon said", "the Pentagon", [(0, 12)]),
    ("only the first letter", "the pentagon and Himars", "the Pentagon", []),
    ("any whitespace between words", "Charles  Q.\nBrown", "Charles Q. Brown", [(0, 17)]),
    ("a letterless start", "(725 million)", "725 million", [(1, 12)]),
    ("empty", "anything", "  ", []),
]


@pytest.mark.parametrize("name,text,target,spans", OCCURRENCE_CASES, ids=[c[0] for c in OCCURRENCE_CASES])
def test_occurrences(name, text, target, spans):
    assert occurrences(text, target) == spans


def test_assign_terms_needs_one_occurrence_per_hit():
    terms = [TermRequest(0, 1, "Brown"), TermRequest(5, 6, "Brown")]
    assert assign_terms("Brown met Brown", terms) == [(0, 5), (10, 15)]
    assert assign_terms("Brown met him", terms) == [(0, 5), None]


def test_terms_are_placed_where_the_model_renders_their_source(fake):
    fake.calls.clear()
    it = item(fake, terms=[TermRequest(BROWN, BROWN + 5, "Charles Q. Brown"),
                           TermRequest(GERASIMOV, GERASIMOV + 9, "Valery Gerasimov")])
    [hyp] = decode(fake, [it])
    words = hyp.text.split()
    # the fake writes w<k> for source piece k: براون is piece 6, غيراسيموف pieces 9-12
    assert words[:6] == ["w0", "w1", "w2", "w3", "w4", "w5"]
    assert words[6:9] == ["Charles", "Q.", "Brown"]
    assert words[9:11] == ["w7", "w8"]
    assert " ".join(words[11:13]) == "Valery Gerasimov"
    assert "w6" not in words and "w9" not in words  # the rendering of the term was replaced
    assert len(fake.calls) == 2  # one free pass, one forced re-decode
    assert fake.calls[1].prefixes[0][-1] == "imov"


def test_only_segments_with_missing_terms_are_decoded_again(fake):
    fake.calls.clear()
    items = [item(fake), item(fake, terms=[TermRequest(BROWN, BROWN + 5, "Brown")]), item(fake, "نص آخر.")]
    hyps = decode(fake, items)
    assert [len(c.batch) for c in fake.calls] == [3, 1]
    assert "Brown" in hyps[1].text.split() and "Brown" not in hyps[0].text


def test_a_term_the_model_already_wrote_is_not_forced(fake):
    fake.calls.clear()
    # the fake renders piece 0 as "w0": a glossary target "w0" is already there
    it = item(fake, terms=[TermRequest(0, 3, "w0")])
    [hyp] = decode(fake, [it])
    assert len(fake.calls) == 1 and hyp.text.split().count("w0") == 1


def test_attention_spread_evenly_places_a_term_at_its_proportional_position():
    # a random-weight model attends almost evenly: its argmax (here 1.5 times the uniform weight,
    # on the mirror piece) says nothing, so the term is inserted where its source sits
    flat = FakeEngine(TOKENIZER_DIR, flat=True)
    it = item(flat, terms=[TermRequest(GERASIMOV, GERASIMOV + 9, "Valery Gerasimov")])
    [hyp] = decode(flat, [it])
    first = next(k for k, (s, e) in enumerate(it.piece_spans) if e > GERASIMOV)
    n = len(it.pieces) - 1
    at = round(n * first / n)  # the fake writes one piece per source piece
    assert flat.calls[1].prefixes[0] == [f"\u2581w{k}" for k in range(at)] + flat.tokenizer.target("Valery Gerasimov")
    assert len(occurrences(hyp.text, "Valery Gerasimov")) == 1


MISSPELT_CASES = [
    # english the model wrote (attention spread evenly), term, the planned prefix, what is left to the model
    ("Brown spoke with Gerasimoff on Wednesday.", "Gerasimov", "Brown spoke with Gerasimov", "on Wednesday."),
    ("They sent the Hemars system.", "HIMARS", "They sent the HIMARS", "system."),
    ("Himars arrived", "HIMARS", "HIMARS", "arrived"),
    ("after Gerasimoff's call", "Gerasimov", "after Gerasimov", "'s call"),  # the possessive stays
    ("Zelenskiy, the president", "Zelensky", "Zelensky", ", the president"),
    ("Bro spoke today", "Brown", "Brown", "spoke today"),  # exactly SIMILAR alike (ratio 0.75)
    ("Brown \u2013 Gerasimoff spoke", "Gerasimov", "Brown \u2013 Gerasimov", "spoke"),  # a word of no letters passed
    ("met (Gerasimoff) today", "Gerasimov", "met (Gerasimov", ") today"),  # the bracket glued on stays
    ("met \u00abGerasimoff\u00bb today", "Gerasimov", "met \u00abGerasimov", "\u00bb today"),  # no space added
    ("nothing like it", "HIMARS", None, None),  # no word alike: inserted, nothing replaced
]


@pytest.mark.parametrize(("english", "target", "prefix", "left"), MISSPELT_CASES,
                         ids=[c[1] + "-" + c[0][:12] for c in MISSPELT_CASES])
def test_a_misspelt_rendering_is_replaced_when_attention_says_nothing(fake, english, target, prefix, left):
    it = item(fake, terms=[TermRequest(GERASIMOV, GERASIMOV + 9, target)])
    tokens = tuple(fake.tokenizer.target(english))
    flat = np.full((len(tokens), len(it.pieces)), 1 / len(it.pieces), dtype=np.float32)
    plan = plan_prefix(it, Hypothesis(tokens, flat), fake.tokenizer)
    text, rest = detokenize(plan.pieces)[0], detokenize(tokens[len(tokens) - plan.rest :])[0] if plan.rest else ""
    if prefix is None:  # inserted: every word the model wrote is still there, before or after the term
        assert text.replace(target, "").split() + rest.split() == english.split()
    else:
        assert (text, rest) == (prefix, left)


def test_two_terms_never_replace_the_same_word(fake):
    it = item(fake, terms=[TermRequest(BROWN, BROWN + 5, "HIMARS"), TermRequest(GERASIMOV, GERASIMOV + 9, "HIMARS")])
    tokens = tuple(fake.tokenizer.target("the Himars left"))
    flat = np.full((len(tokens), len(it.pieces)), 1 / len(it.pieces), dtype=np.float32)
    text = detokenize(plan_prefix(it, Hypothesis(tokens, flat), fake.tokenizer).pieces)[0]
    assert len(occurrences(text, "HIMARS")) == 2 and "Himars" not in text


def test_a_realised_term_is_never_taken_for_a_misspelt_one(fake):
    # the source has Brown twice; the output has it once: the second is inserted, the first stays
    it = item(fake, terms=[TermRequest(BROWN, BROWN + 5, "Brown"), TermRequest(GERASIMOV, GERASIMOV + 9, "Brown")])
    tokens = tuple(fake.tokenizer.target("Brown met them yesterday"))
    flat = np.full((len(tokens), len(it.pieces)), 1 / len(it.pieces), dtype=np.float32)
    plan = plan_prefix(it, Hypothesis(tokens, flat), fake.tokenizer)
    text = detokenize(plan.pieces)[0]
    assert text.startswith("Brown met") and len(occurrences(text, "Brown")) == 2


def test_terms_side_by_side_in_the_source_are_inserted_side_by_side():
    flat = FakeEngine(TOKENIZER_DIR, flat=True)
    general = SOURCE.index("الجنرال")
    it = item(flat, terms=[TermRequest(general, general + 7, "Gen."), TermRequest(BROWN, BROWN + 5, "Brown")])
    [hyp] = decode(flat, [it])
    assert "Gen. Brown" in hyp.text, hyp.text


def test_a_prefix_that_fills_the_length_cap_is_the_output(fake):
    fake.calls.clear()
    it = item(fake, terms=[TermRequest(GERASIMOV, GERASIMOV + 9, "Valery Gerasimov")])
    term = fake.tokenizer.target("Valery Gerasimov")
    first = next(k for k, (s, e) in enumerate(it.piece_spans) if e > GERASIMOV)
    prefix = [f"\u2581w{k}" for k in range(first)] + term
    [hyp] = decode(fake, [it], max_length=len(prefix))
    assert len(fake.calls) == 1  # the free pass only: nothing is left for the model to write
    assert list(hyp.tokens) == prefix
    assert hyp.attention.shape == (len(prefix), len(it.pieces))
    # kept pieces keep their attention; the term's pieces attend evenly to the term's source pieces
    assert [int(row.argmax()) for row in hyp.attention[:first]] == list(range(first))
    inside = [k for k, (s, e) in enumerate(it.piece_spans[:-1]) if s < GERASIMOV + 9 and e > GERASIMOV]
    assert (hyp.attention[first:, inside].sum(axis=1) > 0.999).all()


def test_rows_decoded_alone_share_one_call_with_the_batched_ones():
    engine = FakeEngine(TOKENIZER_DIR, one_pass_from=10)
    early = item(engine, terms=[TermRequest(0, 3, "Said")])  # the prefix is the term alone: batched
    late = item(engine, terms=[TermRequest(GERASIMOV, GERASIMOV + 9, "Gerasimov")])  # a long prefix: alone
    hyps = decode(engine, [early, late])
    assert len(engine.calls) == 2
    assert engine.calls[1].one_pass == [True, False]  # the lone row first, then the batch
    assert engine.calls[1].prefixes[0][-1] == engine.tokenizer.target("Gerasimov")[-1]
    assert occurrences(hyps[0].text, "Said") and occurrences(hyps[1].text, "Gerasimov")


def test_a_piece_glued_onto_a_term_is_split_off():
    glue = FakeEngine(TOKENIZER_DIR, glue=True)
    it = item(glue, terms=[TermRequest(BROWN, BROWN + 5, "Brown")])
    [hyp] = decode(glue, [it])
    assert occurrences(hyp.text, "Brown"), hyp.text
    assert "Brownes" not in hyp.text


@pytest.mark.parametrize("backend", ["ctranslate2", "transformers"])
def test_random_weight_models_realise_every_term_exactly_once(tiny_model_dir, backend):
    engine = load_engine(str(tiny_model_dir), backend)
    targets = ["Charles Q. Brown", "Valery Gerasimov", "HIMARS"]
    sources = [SOURCE, "وتشمل المساعدات ذخائر لنظام صواريخ هيمارس."]
    items = [
        item(engine, sources[0], [TermRequest(BROWN, BROWN + 5, targets[0]),
                                  TermRequest(GERASIMOV, GERASIMOV + 9, targets[1])]),
        item(engine, sources[1], [TermRequest(sources[1].index("هيمارس"), sources[1].index("هيمارس") + 6, targets[2])]),
    ]
    free = engine.translate_pieces([it.pieces for it in items], beam=4)
    assert not any(t in h.text for h in free for t in targets)  # random weights never write them
    hyps = decode(engine, items, beam=4)
    assert len(occurrences(hyps[0].text, targets[0])) == 1
    assert len(occurrences(hyps[0].text, targets[1])) == 1
    assert len(occurrences(hyps[1].text, targets[2])) == 1


def test_ctranslate2_decodes_lone_and_batched_rows_in_one_call_as_if_apart(tiny_model_dir):
    engine = load_engine(str(tiny_model_dir), "ctranslate2")
    sources = [SOURCE, "وتشمل المساعدات ذخائر لنظام صواريخ هيمارس.", "زار الرئيس كييف."]
    srcs = [engine.tokenizer.source(s) for s in sources]
    free = engine.translate_pieces(srcs, beam=4, max_length=20, min_length=20)
    prefixes = [list(h.tokens[:k]) for h, k in zip(free, (12, 3, 15))]
    flags = [True, False, True]
    mixed = engine.translate_pieces(srcs, beam=4, prefixes=prefixes, max_length=20, min_length=20, one_pass=flags)
    apart = [engine.translate_pieces([s], beam=4, prefixes=[p], max_length=20, min_length=20, one_pass=f)[0]
             for s, p, f in zip(srcs, prefixes, flags)]
    assert [h.tokens for h in mixed] == [h.tokens for h in apart]
    for hyp, prefix, src in zip(mixed, prefixes, srcs):
        assert hyp.tokens[: len(prefix)] == tuple(prefix) and len(hyp.tokens) == 20
        assert hyp.attention.shape == (20, len(src))
