"""The reference backend: transformers ``generate`` in float32 (eager attention for alignments).

Term prefixes are forced, and banned sequences kept out, with the logits processors of
:mod:`translate.engines.processors`, which work with beam search and per-row prefixes of
different lengths; cross-attention for the
chosen hypothesis comes from one teacher-forced forward pass after generation.
"""

from __future__ import annotations

import os

from translate.engines.base import Engine, Hypothesis, Tokenizer, quiet_transformers
from translate.engines.names import DEFAULT_BEAM
from translate.engines.processors import english_only_processor, forced_prefix_processor
from translate.engines.resolve import ResolvedModel


class TransformersEngine(Engine):
    backend = "transformers"

    def __init__(self, model: ResolvedModel, *, device: str = "auto", threads: int = 0):
        import torch
        from transformers import AutoModelForSeq2SeqLM

        quiet_transformers()
        super().__init__(model, Tokenizer(model.path))
        torch.set_num_threads(threads or os.cpu_count() or 1)
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        self.device = device
        self.net = AutoModelForSeq2SeqLM.from_pretrained(str(model.path), attn_implementation="eager").to(self.device)
        self.net.eval()
        self.english_only = english_only_processor(self.tokenizer.arabic_script_ids())  # as CTranslate2's vmap

    @property
    def label(self) -> str:
        return "transformers-fp32"

    def translate_pieces(self, batch, *, beam=DEFAULT_BEAM, prefixes=None, max_length=None, min_length=0, suppress=None,
                         one_pass=False):  # never asked: prefix_in_one_pass is False
        import torch
        from transformers import LogitsProcessorList

        tok = self.tokenizer
        pad_id = self.net.config.pad_token_id
        ids = [tok.ids(s) for s in batch]
        width = max(len(x) for x in ids)
        input_ids = torch.tensor([x + [pad_id] * (width - len(x)) for x in ids], device=self.device)
        mask = (torch.arange(width)[None, :] < torch.tensor([len(x) for x in ids])[:, None]).long().to(self.device)
        processors = LogitsProcessorList([self.english_only])
        if (prefixes and any(prefixes)) or (suppress and any(suppress)):
            forced = [tok.ids(p) if p else [] for p in prefixes or [None] * len(batch)]
            banned = [[tok.ids(seq) for seq in row] for row in suppress or [()] * len(batch)]
            processors.append(forced_prefix_processor(forced, banned, beam))
        with torch.inference_mode():
            seqs = self.net.generate(
                input_ids=input_ids,
                attention_mask=mask,
                num_beams=beam,
                num_return_sequences=1,
                max_new_tokens=max_length or self.default_max_length(batch),
                min_new_tokens=min_length,
                logits_processor=processors,
                do_sample=False,
            )
            out = self.net(input_ids=input_ids, attention_mask=mask, decoder_input_ids=seqs, output_attentions=True)
        cross = out.cross_attentions[-1].mean(dim=1).float().cpu().numpy()  # (batch, tgt, src)
        hyps = []
        for row, seq in enumerate(seqs.tolist()):
            pieces = tok.pieces(seq[1:])
            n = next((i for i, p in enumerate(pieces) if tok.is_special(p)), len(pieces))
            # the forward pass fed seq (starting with decoder_start): position i predicts seq[i+1]
            hyps.append(Hypothesis(tuple(pieces[:n]), cross[row, :n, : len(ids[row])]))
        return hyps
