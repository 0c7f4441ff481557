"""The default backend: CTranslate2, converted once per model revision and cached.

The Hugging Face model is converted to ``int8`` (``float16`` on CUDA) into
``<cache>/ct2/<model>--<revision>--<quantization>-r<recipe>/``, written to a temp folder and
renamed into place, so an interrupted conversion never leaves a broken cache.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from translate.paths import cache_dir
from translate.engines.base import ARABIC_SCRIPT, Engine, Hypothesis, Tokenizer, quiet_transformers
from translate.engines.names import DEFAULT_BEAM
from translate.engines.resolve import ResolvedModel


def pick_device(device: str = "auto") -> tuple[str, str]:
    """``(device, quantization)``: int8 on CPU, float16 on CUDA."""
    import ctranslate2

    if device == "auto":
        device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    return device, ("float16" if device == "cuda" else "int8")


# Bumped whenever the conversion itself changes (2: alignment from the mean of the last layer's
# heads; 3: no Arabic-script piece in the vocabulary map), so that a conversion made the old way
# is never reused.
RECIPE = 3


def converted_dir(model: ResolvedModel, quantization: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "--", model.model_id).strip("-")[-80:]
    revision = re.sub(r"[^A-Za-z0-9._-]+", "-", model.revision)  # a local folder's is ``sha:...``
    return cache_dir() / "ct2" / f"{safe}--{revision}--{quantization}-r{RECIPE}"


def convert(model: ResolvedModel, quantization: str, progress=None) -> Path:
    """The converted model folder, converting on first use (announced on ``progress.note``:
    it takes seconds, before any progress bar)."""
    target = converted_dir(model, quantization)
    if (target / "model.bin").is_file():
        return target
    note = progress.note if progress is not None else (lambda message, end="\n": None)
    note(f"Converting {model.model_id} for CTranslate2 (once, {quantization}) ...", end=" ")
    started = time.perf_counter()
    try:
        _convert(model, quantization, target)
    except BaseException:
        note("failed")
        raise
    note(f"done in {time.perf_counter() - started:.1f} s")
    return target


def _convert(model: ResolvedModel, quantization: str, target: Path) -> None:
    from ctranslate2.converters import TransformersConverter

    from translate.engines.ct2_lowmem import use_low_memory

    quiet_transformers()

    class AllHeadsConverter(TransformersConverter):
        """Alignment from the mean of the last layer's heads (CTranslate2 takes its first head only),
        as the transformers backend reads it: one head may attend anywhere, their mean is steadier."""

        def _load(self):
            spec = super()._load()
            spec.decoder.alignment_heads = spec.decoder.num_heads
            use_low_memory(spec)  # one weight at a time: tc-big's peak 1.66 GB -> below 1.5 GB
            return spec

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        AllHeadsConverter(str(model.path)).convert(str(tmp / "model"), quantization=quantization, force=True)
        write_english_vmap(model, tmp / "model")
        try:
            os.rename(tmp / "model", target)
        except OSError:  # another process converted it first
            if not (target / "model.bin").is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_english_vmap(model: ResolvedModel, folder: Path) -> None:
    """A vocabulary map restricting the output to the target SentencePiece's pieces.

    OPUS-MT models share one vocabulary between Arabic and English; about half of it
    is Arabic pieces an English output never needs. ``use_vmap`` then computes the
    output projection over the English pieces only. The empty key means "always".
    The English SentencePiece model itself holds some 80 Arabic-script pieces (``ح``,
    ``▁ال``, ``،``): they are left out too, or a weak model writes them (``حح`` at beam 1).
    """
    import sentencepiece as spm

    spm_file = model.path / "target.spm"
    if not spm_file.is_file():
        return
    proc = spm.SentencePieceProcessor(model_file=str(spm_file))
    pieces = [proc.id_to_piece(i) for i in range(proc.get_piece_size())]
    keep = [p for p in pieces if p not in ("<unk>", "<s>", "</s>", "<pad>") and not ARABIC_SCRIPT.search(p)]
    (folder / "vmap.txt").write_text("\t" + " ".join(keep) + "\n", encoding="utf-8")


class CTranslate2Engine(Engine):
    """CTranslate2 with as many workers as cores on CPU, one thread each.

    A batch is split across the workers (``max_batch_size``), which decode their parts in
    parallel on the shared weights: on a small CPU that beats one batch on all the threads,
    whose every small operation waits for the slowest thread.
    """

    backend = "ctranslate2"

    def __init__(self, model: ResolvedModel, *, device: str = "auto", threads: int = 0, vmap: bool = True,
                 progress=None):
        import ctranslate2

        super().__init__(model, Tokenizer(model.path))
        self.device, self.quantization = pick_device(device)
        self.folder = convert(model, self.quantization, progress)
        self.use_vmap = vmap and (self.folder / "vmap.txt").is_file()
        threads = threads or os.cpu_count() or 1
        self.workers = threads if self.device == "cpu" else 1
        self.translator = ctranslate2.Translator(
            str(self.folder),
            device=self.device,
            compute_type=self.quantization,
            inter_threads=self.workers,
            intra_threads=1 if self.device == "cpu" else threads,
        )

    @property
    def label(self) -> str:
        return f"ctranslate2-{self.quantization}" + ("-vmap" if self.use_vmap else "")

    # A batched beam search steps through a forced prefix one position at a time, each step
    # costing as much as a free one. Alone, a row runs its prefix in one forward pass and only
    # the rest step by step, but a step of a lone row costs about STEP_COST rows' share of a
    # batched step, plus about OVERHEAD row-steps once (one CPU thread, opus-mt-ar-en size:
    # 4.4 ms a lone step, 1.9 ms a row of an 8-row batch, 17 ms for a one-row call's encoder,
    # first step and prefix pass; `benchmarks/README.md`).
    STEP_COST = 2.3
    OVERHEAD = 9

    def prefix_in_one_pass(self, prefix_length: int, rest: int) -> bool:
        return self.device == "cpu" and rest * (self.STEP_COST - 1) <= prefix_length - self.OVERHEAD

    def translate_pieces(self, batch, *, beam=DEFAULT_BEAM, prefixes=None, max_length=None, min_length=0, suppress=None,
                         one_pass=False):
        batch = [list(s) for s in batch]
        prefixes = [list(p) if p else None for p in prefixes] if prefixes else [None] * len(batch)
        flags = [one_pass] * len(batch) if isinstance(one_pass, bool) else list(one_pass)
        alone = [b for b in range(len(batch)) if flags[b] and prefixes[b]]
        together = [b for b in range(len(batch)) if b not in alone]
        options = dict(beam_size=beam, min_decoding_length=min_length, return_attention=True,
                       use_vmap=self.use_vmap, max_input_length=0)
        pending: dict[int, Any] = {}  # row -> CTranslate2's AsyncTranslationResult
        if together:  # submitted first: the lone rows then fill whichever worker finishes early
            rows = [batch[b] for b in together]
            prefix_rows = [prefixes[b] for b in together]
            longest = max((len(p) for p in prefix_rows if p), default=0)
            # CTranslate2 suppresses per batch, not per row: use the union (a forced prefix is never suppressed)
            banned = sorted({tuple(seq) for b in together for seq in (suppress[b] if suppress else ())})
            submitted = self.translator.translate_batch(
                rows,
                target_prefix=prefix_rows if longest else None,
                max_decoding_length=max(max_length or self.default_max_length(rows), longest + 1),
                suppress_sequences=[list(seq) for seq in banned] or None,
                max_batch_size=-(-len(rows) // self.workers),
                asynchronous=True,
                **options,
            )
            pending.update(zip(together, submitted))
        for b in sorted(alone, key=lambda b: len(prefixes[b])):  # the longest continuation first
            pending[b] = self._one_pass(batch[b], prefixes[b], suppress[b] if suppress else (), max_length, options)
        out = []
        for b, src in enumerate(batch):
            res = pending[b].result()
            tokens = tuple(res.hypotheses[0])
            att = np.asarray(res.attention[0], dtype=np.float32).reshape(len(tokens), -1)[:, : len(src)]
            out.append(Hypothesis(tokens, att))
        return out

    def _one_pass(self, src, prefix, banned, max_length, options):
        """One row alone (a worker takes it while others run), its prefix in one forward pass.

        CTranslate2 calls this "alternatives at the first free position"; asking for one, the
        piece after the prefix is the model's best, and the beam search goes on from there.
        ``max_length`` is at least the prefix plus one piece; suppression is the row's own.
        """
        limit = max(max_length or self.default_max_length([src]), len(prefix) + 1)
        return self.translator.translate_batch(
            [src], target_prefix=[prefix], max_decoding_length=limit,
            suppress_sequences=[list(seq) for seq in banned] or None,
            return_alternatives=True, asynchronous=True, **options,
        )[0]
