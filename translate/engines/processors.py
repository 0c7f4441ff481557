"""The transformers backend's logits processors: a forced prefix per row, then the row's banned
sequences (the terms a prefix already holds, the glossary's forbidden renderings) never
completed; and no Arabic-script piece ever written (as CTranslate2's English-only vmap).

Plain functions of ids and score tensors, so that their rules are tested on tensors alone
(``tests/test_processors.py``), with no model.
"""

from __future__ import annotations

RULED_OUT = float("-inf")
"""The score of a piece the decoder may not write."""


def forced_prefix_processor(prefix_ids: list[list[int]], banned: list[list[list[int]]], num_beams: int):
    """A LogitsProcessor: row ``b`` starts with ``prefix_ids[b]``, then never completes a ``banned[b]`` sequence."""
    import torch
    from transformers import LogitsProcessor

    class ForcedPrefix(LogitsProcessor):
        def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
            step = input_ids.shape[1] - 1  # input_ids starts with decoder_start
            for b, (prefix, bans) in enumerate(zip(prefix_ids, banned)):
                rows = slice(b * num_beams, (b + 1) * num_beams)  # the beams of source b, all at once
                if step < len(prefix):
                    keep = scores[rows, prefix[step]].clone()
                    scores[rows, :] = RULED_OUT
                    scores[rows, prefix[step]] = torch.where(torch.isfinite(keep), keep, torch.zeros_like(keep))
                    continue
                if not bans:
                    continue
                # the last pieces each beam wrote: as many as the longest ban (its head, and one more)
                window = input_ids[rows, -max(len(seq) for seq in bans) :].tolist()
                for k, tail in enumerate(window, b * num_beams):
                    for seq in bans:  # a ban's last piece is ruled out where the beam just wrote its head
                        if tail[len(tail) - len(seq) + 1 :] == seq[:-1]:
                            scores[k, seq[-1]] = RULED_OUT
            return scores

    return ForcedPrefix()


def english_only_processor(banned: list[int]):
    """A LogitsProcessor that never lets the decoder write a ``banned`` id (the vocabulary's
    Arabic-script pieces): one precomputed mask, applied at every step."""
    import torch
    from transformers import LogitsProcessor

    class EnglishOnly(LogitsProcessor):
        mask = None

        def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
            if self.mask is None or self.mask.device != scores.device:  # scores: (rows, vocabulary)
                self.mask = torch.zeros(scores.shape[1], dtype=torch.bool, device=scores.device)
                self.mask[banned] = True
            return scores.masked_fill(self.mask, RULED_OUT)

    return EnglishOnly()
