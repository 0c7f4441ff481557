"""What every backend shares: the tokenizer, the hypothesis value, and the engine contract.

Both backends tokenise as the model's own MarianTokenizer does (SentencePiece, after
Moses punctuation normalisation as the OPUS models were trained; its files are read by
:mod:`translate.engines.marian_files`, without importing transformers), so the same source
pieces reach the decoder whichever backend runs, and ``</s>`` ends every source.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from translate.engines.names import DEFAULT_BEAM
from translate.engines.resolve import ResolvedModel

SPACE = "\u2581"
ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefe]")
"""Arabic-script letters, digits and punctuation: never in an English output piece (the English
SentencePiece model of OPUS-MT holds some 80 such pieces: ``ح``, ``▁ال``, ``،``, ``٣``...)."""


@dataclass(frozen=True)
class Hypothesis:
    """The best translation of one source: target pieces and their cross-attention over source pieces."""

    tokens: tuple[str, ...]
    attention: np.ndarray = field(compare=False)  # shape (len(tokens), len(source pieces))
    written: str | None = field(default=None, compare=False)
    """The final English when it is not the pieces' text: a forced glossary English the
    vocabulary cannot spell was forced by stand-ins and is written back exactly
    (:mod:`translate.engines.spelling`); its whitespace words are those of the pieces' text."""

    @property
    def text(self) -> str:
        return self.written if self.written is not None else detokenize(self.tokens)[0]


def detokenize(pieces: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """SentencePiece pieces to text, with each piece's character span in that text."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for piece in pieces:
        text = piece.replace(SPACE, " ")
        if not out:
            text = text.lstrip(" ")
        out.append(text)
        lead = len(text) - len(text.lstrip(" "))
        spans.append((pos + lead, pos + len(text)))
        pos += len(text)
    return "".join(out), spans


def quiet_transformers() -> None:
    """No transformers progress bar: ours is the only bar, and the weights load in a blink.
    Called where transformers loads weights (the transformers backend, a CTranslate2
    conversion), so that the CTranslate2 path never imports transformers otherwise."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()


class Tokenizer:
    """Source and target SentencePiece pieces of a Marian model."""

    def __init__(self, folder: Path):
        from translate.engines.marian_files import marian_tokenizer

        self._tok = marian_tokenizer(folder)  # MarianTokenizer's files, read without importing transformers
        self.eos = self._tok.eos_token
        self.pad = self._tok.pad_token
        self.unk = self._tok.unk_token

    def source(self, text: str) -> list[str]:
        """Normalised pieces of an Arabic text, ending with ``</s>``."""
        return list(self._tok.spm_source.encode(self._tok.normalize(text), out_type=str)) + [self.eos]

    def target(self, text: str) -> list[str]:
        """Pieces of an English text as the decoder writes them (for forcing terms)."""
        return list(self._tok.spm_target.encode(text, out_type=str))

    def has(self, piece: str) -> bool:
        return piece in self._tok.encoder

    @property
    def speller(self):
        """What this vocabulary can write (:class:`translate.engines.spelling.Speller`): forcing forces a
        glossary English the vocabulary cannot spell by stand-ins, and writes it back exactly."""
        if getattr(self, "_speller", None) is None:
            from translate.engines.spelling import Speller

            self._speller = Speller(self.target, self.has)
        return self._speller

    def ids(self, pieces: Sequence[str]) -> list[int]:
        return self._tok.convert_tokens_to_ids(list(pieces))

    def pieces(self, ids: Sequence[int]) -> list[str]:
        return self._tok.convert_ids_to_tokens(list(ids))

    def arabic_script_ids(self) -> list[int]:
        """Ids of the vocabulary's Arabic-script pieces: an English output never needs one."""
        return sorted(i for piece, i in self._tok.encoder.items() if ARABIC_SCRIPT.search(piece))

    def count(self, text: str) -> int:
        return len(self.source(text))

    def is_special(self, piece: str) -> bool:
        return piece in (self.eos, self.pad)


class Engine:
    """A loaded model that translates batches of source pieces.

    Subclasses set ``backend`` and implement :meth:`translate_pieces`.
    """

    backend = ""

    def __init__(self, model: ResolvedModel, tokenizer: Tokenizer):
        self.model = model
        self.tokenizer = tokenizer

    @property
    def label(self) -> str:
        """The backend as it appears in a signature, e.g. ``ctranslate2-int8``."""
        return self.backend

    def translate_pieces(
        self,
        batch: Sequence[Sequence[str]],
        *,
        beam: int = DEFAULT_BEAM,
        prefixes: Sequence[Sequence[str] | None] | None = None,
        max_length: int | None = None,
        min_length: int = 0,
        suppress: Sequence[Sequence[Sequence[str]]] | None = None,
        one_pass: bool | Sequence[bool] = False,
    ) -> list[Hypothesis]:
        """Best hypothesis per source; row ``b`` starts with ``prefixes[b]`` and, after it,
        never completes any piece sequence in ``suppress[b]`` (a term already placed).

        ``one_pass`` (for all rows, or per row; only asked of a backend whose
        :meth:`prefix_in_one_pass` said yes) runs a row alone, its prefix in one forward pass
        instead of stepping through it with the beam; that row's ``max_length`` is then at
        least its prefix plus one piece. The other rows are decoded together as usual.
        """
        raise NotImplementedError

    def prefix_in_one_pass(self, prefix_length: int, rest: int) -> bool:
        """Whether a row with a forced prefix of ``prefix_length`` pieces and about ``rest``
        pieces left to write is cheaper decoded alone, its prefix in one forward pass, than
        stepped through in a batch. No, unless a backend knows better."""
        return False

    @staticmethod
    def default_max_length(batch: Sequence[Sequence[str]]) -> int:
        """Room for English: 1.6x the longest source plus a margin, within the 512 positions."""
        return min(512, int(1.6 * max(len(s) for s in batch)) + 10)
