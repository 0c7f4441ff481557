"""Build a random-weight Marian model on the real opus-mt-ar-en tokenizer (for machines without the hub).

    python scripts/random_model.py models/random-opus-mt-ar-en [--tiny]

The output is nonsense English, but every stage of the pipeline runs exactly as with
the real model: use it to try the workflow offline, then pass ``--model`` a real one.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from translate.paths import shared_dir  # noqa: E402

TOKENIZER_FILES = ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json", "special_tokens_map.json")
MARKER = "newsroom_random_weights"  # in config.json: benchmarks/quality.py then says the scores mean nothing
TINY = dict(d_model=32, encoder_layers=2, decoder_layers=2, encoder_attention_heads=2,
            decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64)


def build(folder: Path, *, tiny: bool = False, seed: int = 0, **overrides) -> Path:
    """A random-weight Marian model on the real opus-mt-ar-en tokenizer, saved in ``folder``: the
    opus-mt-ar-en architecture, made :data:`TINY` by ``tiny``, with ``overrides`` to its config.
    The one builder: the tests build their models with it too (``tests/helpers.py``)."""
    import torch
    from transformers import MarianConfig, MarianMTModel

    tokenizer = shared_dir() / "data" / "opus-mt-ar-en-tokenizer"
    config = json.loads((tokenizer / "config.json").read_text())
    config.update({**(TINY if tiny else {}), **overrides})
    torch.manual_seed(seed)
    MarianMTModel(MarianConfig(**config)).eval().save_pretrained(folder)
    mark_random(folder)
    for name in TOKENIZER_FILES:
        shutil.copy(tokenizer / name, folder / name)
    return folder


def mark_random(folder: Path) -> None:
    """Write ``"newsroom_random_weights": true`` into the model's config.json: a stand-in says so."""
    path = folder / "config.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    config[MARKER] = True
    path.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--tiny", action="store_true", help="d_model 32, 2+2 layers: builds and runs in seconds")
    args = parser.parse_args()
    print(build(args.folder, tiny=args.tiny))
