"""The transformers backend's logits processors on tensors alone, step by step: a forced
prefix per source (all of its beams), then banned sequences never completed, and no
Arabic-script piece ever. Exact scores, no model."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from translate.engines.processors import english_only_processor, forced_prefix_processor  # noqa: E402

INF = float("inf")
VOCAB = 6


def scores(rows: int) -> torch.Tensor:
    """Row r scores token t as 10 * r + t: every value tells where it came from."""
    return torch.arange(rows * VOCAB, dtype=torch.float32).reshape(rows, VOCAB) + torch.arange(rows)[:, None] * 4


def step(processor, history: list[list[int]], rows: torch.Tensor) -> torch.Tensor:
    """One decoding step: ``history`` per beam row, after the decoder start (id 0)."""
    return processor(torch.tensor([[0] + h for h in history]), rows.clone())


def test_the_prefix_is_forced_on_every_beam_of_its_source_and_its_score_kept():
    # two sources, two beams each: source 0 forced to [3, 1], source 1 to [5]
    proc = forced_prefix_processor([[3, 1], [5]], [[], []], num_beams=2)
    before = scores(4)
    out = step(proc, [[], [], [], []], before)
    for row, token in [(0, 3), (1, 3), (2, 5), (3, 5)]:
        assert out[row, token] == before[row, token]
        assert (out[row, [t for t in range(VOCAB) if t != token]] == -INF).all()
    out = step(proc, [[3], [3], [5], [5]], before)  # step 1: source 1's prefix is done
    assert out[0, 1] == before[0, 1] and (out[0, [0, 2, 3, 4, 5]] == -INF).all()
    assert torch.equal(out[2:], before[2:])  # no prefix left and nothing banned: untouched


def test_a_forced_token_the_model_ruled_out_still_gets_a_finite_score():
    proc = forced_prefix_processor([[2]], [[]], num_beams=1)
    row = torch.zeros(1, VOCAB)
    row[0, 2] = -INF  # e.g. the English-only mask ran first
    out = step(proc, [[]], row)
    assert out[0, 2] == 0.0 and (out[0, [0, 1, 3, 4, 5]] == -INF).all()


def test_a_banned_single_piece_is_never_written_after_the_prefix():
    proc = forced_prefix_processor([[4]], [[[2], [5]]], num_beams=1)
    before = scores(1)
    during = step(proc, [[]], before)
    assert during[0, 4] == before[0, 4]  # within the prefix, the prefix rules: bans wait
    after = step(proc, [[4]], before)
    assert (after[0, [2, 5]] == -INF).all() and torch.equal(after[0, [0, 1, 3, 4]], before[0, [0, 1, 3, 4]])


@pytest.mark.parametrize(
    "history,banned_last",
    [
        ([1, 2], True),  # ends with 1 2: 3 would complete 1 2 3
        ([2, 1], False),  # 1 2 not its end
        ([4, 2], False),  # only the last piece matches
        ([2], False),  # too short to hold 1 2
    ],
    ids=["completes", "reversed", "half", "short"],
)
def test_a_longer_banned_sequence_is_stopped_at_its_last_piece(history, banned_last):
    proc = forced_prefix_processor([[]], [[[1, 2, 3]]], num_beams=1)
    before = scores(1)
    out = step(proc, [history], before)
    assert bool(out[0, 3] == -INF) is banned_last
    assert torch.equal(out[0, [0, 1, 2, 4, 5]], before[0, [0, 1, 2, 4, 5]])


def test_bans_of_different_lengths_apply_per_beam_and_per_source():
    # source 0 bans [5] and [1, 2]; source 1 bans [3, 4]; two beams each with their own history
    proc = forced_prefix_processor([[], []], [[[5], [1, 2]], [[3, 4]]], num_beams=2)
    before = scores(4)
    out = step(proc, [[0, 1], [1, 0], [2, 3], [3, 2]], before)
    assert (out[0, [2, 5]] == -INF).all() and out[1, 5] == -INF and not torch.isinf(out[1, 2])
    assert out[2, 4] == -INF and not torch.isinf(out[3]).any()
    finite = ~torch.isinf(out)
    assert torch.equal(out[finite], before[finite])


def test_every_source_is_checked_whatever_the_sources_before_it_ban():
    # one beam each: source 0 bans nothing, source 1 only a single piece, sources 2 and 3 a pair
    # and a run of four (the pair is read from the end of a three-piece window)
    bans = [[3, 1], [2, 3, 4, 5]]
    proc = forced_prefix_processor([[], [], [], []], [[], [[5]], bans, bans], num_beams=1)
    before = scores(4)
    out = step(proc, [[1, 2, 3], [1, 2, 3], [2, 3, 4], [4, 4, 3]], before)
    expected = before.clone()
    expected[1, 5] = expected[2, 5] = expected[3, 1] = -INF
    assert torch.equal(out, expected)


def test_english_only_rules_out_its_ids_at_every_step_and_nothing_else():
    proc = english_only_processor([1, 4])
    before = scores(3)
    masks = []
    for _ in range(2):  # the mask is built once, then reused
        out = proc(torch.zeros(3, 1, dtype=torch.long), before.clone())
        assert (out[:, [1, 4]] == -INF).all()
        assert torch.equal(out[:, [0, 2, 3, 5]], before[:, [0, 2, 3, 5]])
        masks.append(proc.mask)
    assert masks[0] is masks[1]
    assert proc.mask.tolist() == [False, True, False, False, True, False]


def test_english_only_builds_its_mask_where_the_scores_are():
    """A GPU run gives it scores on the GPU: the mask moves there (the "meta" device stands in for
    one on a CPU-only machine; masking with a mask left on the CPU fails there as it would on CUDA)."""
    proc = english_only_processor([1, 4])
    proc(torch.zeros(3, 1, dtype=torch.long), scores(3))
    out = proc(torch.zeros(3, 1, dtype=torch.long, device="meta"), scores(3).to("meta"))
    assert (out.device.type, out.shape, proc.mask.device.type) == ("meta", (3, VOCAB), "meta")


def test_a_ban_longer_than_what_was_written_so_far_waits_and_the_shorter_ones_still_apply():
    # two pieces written; bans of one, two and five pieces: the five-piece one cannot be completed yet
    proc = forced_prefix_processor([[]], [[[5], [2, 4], [9, 9, 9, 1, 3]]], num_beams=1)
    before = scores(1)
    out = step(proc, [[1, 2]], before)
    expected = before.clone()
    expected[0, [4, 5]] = -INF
    assert torch.equal(out, expected)
