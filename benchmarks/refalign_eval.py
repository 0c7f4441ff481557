"""Precision/recall of ``translate align-ref`` on NTREX-128 and TICO-19 made non-parallel.

Each test set (Arabic source, English reference, line-aligned) is scrambled with
:func:`refalign_scramble.scramble` (adjacent reference sentences merged: 2-1; adjacent source
sentences merged: 1-2; sentences dropped from either side), then aligned under three conditions:

* ``reference-as-MT`` — the MT of each source unit is its own (unscrambled) English reference;
* ``random-weight-MT`` — the MT comes from a (tiny) random-weight Marian model on the real
  opus-mt-ar-en tokenizer, through ``translate.pipeline.translate_sentences``: fluent-looking junk,
  nearly the same for every sentence (skip with ``--no-model``);
* ``useless-MT``     — the MT is random words of the corpus vocabulary with a random length,
  unrelated to the source;
* ``length-only``    — no MT and no numbers: Gale–Church alone;
* ``noisy-MT``       — (extra) the reference with half of its words replaced at random, a
  stand-in for a mediocre real MT (no real model weights are available offline).

Usage: ``python benchmarks/refalign_eval.py [--lines N] [--seed S] [--no-model]`` (all lines by default).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from translate.paths import shared_dir
from translate.evaluate.refalign import align
from refalign_scramble import precision_recall, scramble
from translate.textio import read_lines

SETS = {
    "NTREX-128": ("ntrex-128/newstest2019-ref.arb.txt", "ntrex-128/newstest2019-src.eng.txt"),
    "TICO-19": ("tico19-test/tico19-test.ar", "tico19-test/tico19-test.en"),
}


def load(name: str, lines: int | None) -> tuple[list[str], list[str]]:
    ar, en = (read_lines(shared_dir() / "data" / p) for p in SETS[name])
    return ar[:lines], en[:lines]


def useless_mt(units: int, vocabulary: list[str], seed: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(3, 40))) for _ in range(units)]


def noisy_mt(texts: list[str], vocabulary: list[str], seed: int, noise: float = 0.5) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(vocabulary) if rng.random() < noise else w for w in t.split()) for t in texts]


@contextlib.contextmanager
def random_weight_model(seed: int) -> Iterator[str]:
    """A tiny random-weight Marian model (the real tokenizer) in a temp folder, with a temp cache."""
    import torch
    from transformers import MarianConfig, MarianMTModel

    tokenizer = shared_dir() / "data" / "opus-mt-ar-en-tokenizer"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "random-marian"
        config = json.loads((tokenizer / "config.json").read_text())
        config.update(d_model=32, encoder_layers=2, decoder_layers=2, encoder_attention_heads=2,
                      decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64)
        torch.manual_seed(seed)
        MarianMTModel(MarianConfig(**config)).eval().save_pretrained(folder)
        for name in ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json", "special_tokens_map.json"):
            shutil.copy(tokenizer / name, folder / name)
        old = os.environ.get("TRANSLATE_CACHE")
        os.environ["TRANSLATE_CACHE"] = str(Path(tmp) / "cache")
        try:
            yield str(folder)
        finally:
            if old is None:
                os.environ.pop("TRANSLATE_CACHE", None)
            else:
                os.environ["TRANSLATE_CACHE"] = old


def run(name: str, lines: int | None, seed: int, model: str | None = None) -> list[tuple]:
    """``(set, condition, precision, recall, seconds)`` per condition."""
    ar, en = load(name, lines)
    s = scramble(len(ar), seed=seed)
    sources = [" ".join(ar[i] for i in u) for u in s.src_units]
    refs = [" ".join(en[i] for i in u) for u in s.ref_units]
    vocab = sorted({w for line in en for w in line.split()})
    conditions = {
        "reference-as-MT": dict(mt=[" ".join(en[i] for i in u) for u in s.src_units]),
        "useless-MT": dict(mt=useless_mt(len(sources), vocab, seed)),
        "noisy-MT": dict(mt=noisy_mt([" ".join(en[i] for i in u) for u in s.src_units], vocab, seed)),
        "length-only": dict(mt=None, use_numbers=False),
    }
    if model:
        from translate.pipeline import translate_sentences

        junk = translate_sentences(sources, model=model, backend="ctranslate2", beam=1)
        conditions["random-weight-MT"] = dict(mt=junk)
    rows = []
    for cond, kwargs in conditions.items():
        t0 = time.perf_counter()
        pairs = align(sources, refs, **kwargs)
        p, r = precision_recall(pairs, s.gold)
        rows.append((name, cond, p, r, time.perf_counter() - t0))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=None, help="use the first N lines of each set")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-model", action="store_true", help="skip the random-weight model condition")
    args = ap.parse_args()
    print(f"{'set':<10} {'condition':<17} {'precision':>9} {'recall':>7} {'seconds':>8}")
    with contextlib.ExitStack() as stack:
        model = None if args.no_model else stack.enter_context(random_weight_model(args.seed))
        for name in SETS:
            for set_name, cond, p, r, secs in run(name, args.lines, args.seed, model):
                print(f"{set_name:<10} {cond:<17} {p:>9.2%} {r:>7.2%} {secs:>8.1f}", flush=True)


if __name__ == "__main__":
    main()
