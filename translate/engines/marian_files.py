"""A Marian model's tokenizer files read directly: what :class:`~translate.engines.base.Tokenizer`
uses of transformers' ``MarianTokenizer``, without importing transformers.

``translate run`` on the CTranslate2 backend needs nothing else from transformers, and
importing it (with ``sacremoses``' tokenizer module, which compiles hundreds of regular
expressions on import) made every run pay several CPU seconds before translating anything
(8.7 against 1.0 on a busy machine: ``benchmarks/README.md``). The files are read exactly as ``MarianTokenizer``
reads them, so the pieces and ids are the same (``tests/test_speed_round2.py`` compares
them); a folder laid out otherwise (separate source and target vocabularies, a missing
file) is read by ``MarianTokenizer`` itself.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

FILES = ("source.spm", "target.spm", "vocab.json")


def _read_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def _token(value: Any, default: str) -> str:
    """A special token as the configs write it: a string, or an AddedToken's dict."""
    if isinstance(value, dict):
        value = value.get("content")
    return value if isinstance(value, str) else default


def punct_normalizer(lang: str | None) -> Callable[[str], str]:
    """Moses punctuation normalisation (``sacremoses.MosesPunctNormalizer(lang).normalize``), as
    ``MarianTokenizer`` applies it to every source. ``sacremoses/normalize.py`` is loaded on its
    own: the package's ``__init__`` also imports its tokenizer and truecaser (about 1.3 CPU
    seconds), which nothing here uses. Falls back to the package import, then (as
    ``MarianTokenizer`` does without sacremoses) to no normalisation."""
    try:
        spec = importlib.util.find_spec("sacremoses")
        path = Path(spec.origin).with_name("normalize.py") if spec and spec.origin else None
        if path is None or not path.is_file():
            raise ImportError("sacremoses/normalize.py not found")
        alone = importlib.util.spec_from_file_location("_translate_sacremoses_normalize", path)
        module = importlib.util.module_from_spec(alone)
        alone.loader.exec_module(module)
        return module.MosesPunctNormalizer(lang).normalize
    except Exception:  # noqa: BLE001 (any surprise in sacremoses' layout: the ordinary import)
        try:
            from sacremoses import MosesPunctNormalizer
        except ImportError:
            return lambda text: text
        return MosesPunctNormalizer(lang).normalize


class MarianFiles:
    """``source.spm``, ``target.spm``, ``vocab.json`` and the token configs of a Marian folder,
    with the attributes and methods of ``MarianTokenizer`` that the engines use."""

    def __init__(self, folder: Path):
        import sentencepiece as spm

        config = _read_json(folder / "tokenizer_config.json")
        special = {**config, **_read_json(folder / "special_tokens_map.json")}
        self.eos_token = _token(special.get("eos_token"), "</s>")
        self.pad_token = _token(special.get("pad_token"), "<pad>")
        self.unk_token = _token(special.get("unk_token"), "<unk>")
        self.encoder: dict[str, int] = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        if self.unk_token not in self.encoder:
            raise KeyError("<unk> token must be in the vocab")
        self.decoder = {v: k for k, v in self.encoder.items()}
        kwargs = config.get("sp_model_kwargs") or {}
        self.spm_source = spm.SentencePieceProcessor(model_file=str(folder / "source.spm"), **kwargs)
        self.spm_target = spm.SentencePieceProcessor(model_file=str(folder / "target.spm"), **kwargs)
        self._normalize = punct_normalizer(config.get("source_lang"))

    def normalize(self, text: str) -> str:
        return self._normalize(text) if text else ""

    def convert_tokens_to_ids(self, tokens: Sequence[str]) -> list[int]:
        unk = self.encoder[self.unk_token]
        return [self.encoder.get(t, unk) for t in tokens]

    def convert_ids_to_tokens(self, ids: Sequence[int]) -> list[str]:
        out = []
        for i in ids:
            piece = self.decoder.get(int(i))
            if piece is None:  # not in vocab.json: the target SentencePiece's own piece
                piece = self.spm_target.IdToPiece(int(i)) or self.unk_token
            out.append(piece)
        return out


def marian_tokenizer(folder: str | Path) -> Any:
    """:class:`MarianFiles` for an ordinary Marian folder, else transformers' ``MarianTokenizer``."""
    folder = Path(folder)
    config = _read_json(folder / "tokenizer_config.json")
    added = [_token(v, "") for v in (config.get("added_tokens_decoder") or {}).values()]
    vocab = _read_json(folder / "vocab.json") if added else {}
    if (config.get("separate_vocabs") or not all((folder / name).is_file() for name in FILES)
            or any(token not in vocab for token in added)):  # tokens added beside the vocabulary
        from transformers import MarianTokenizer

        return MarianTokenizer.from_pretrained(str(folder))
    return MarianFiles(folder)
