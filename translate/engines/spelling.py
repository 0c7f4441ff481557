"""What a model's English vocabulary can write, and stand-ins for what it cannot.

A glossary English such as ``Kyiv’s``, ``U.S.—Russia``, ``A|B``, a backtick or an emoji
holds characters the OPUS-MT target vocabulary has no piece for: CTranslate2 refuses such a
prefix (``Token ’ is not in the vocabulary``) and transformers writes ``<unk>``. Forcing
therefore forces a *spelt* form, each such character replaced by a stand-in the vocabulary
has (``’`` -> ``'``, ``—`` -> ``-``, ``|`` -> ``/``, anything else -> ``-``), and the final
English gets the glossary's exact string back (:mod:`translate.engines.respell`). A stand-in
is never a space and a space is never replaced by a non-space, so the whitespace words of
the output (the unit of the word alignment) stay the same.

A character is spellable when the target SentencePiece model writes it with pieces the
model's vocabulary holds and writes it back unchanged (``…`` becomes ``...`` and a no-break
space a space: not spellable as written).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

SPACE = "\u2581"
STANDINS = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "|": "/", "\u2026": "...",
}
FALLBACK = "-"


class Speller:
    """Spelling checks against one vocabulary: ``encode`` gives a text's target pieces,
    ``known`` says whether the model's vocabulary holds a piece."""

    def __init__(self, encode: Callable[[str], Sequence[str]], known: Callable[[str], bool]):
        self._encode = encode
        self._known = known
        self._char = lru_cache(maxsize=4096)(self._char_ok)

    @classmethod
    def from_folder(cls, folder: str | Path) -> Speller:
        """From a model or tokenizer folder holding ``target.spm`` and ``vocab.json`` (no torch)."""
        import sentencepiece as spm

        from translate.errors import InputFileError

        folder = Path(folder)
        for name in ("target.spm", "vocab.json"):
            if not (folder / name).is_file():
                raise InputFileError(folder, f"not a tokenizer folder: no {name}")
        proc = spm.SentencePieceProcessor(model_file=str(folder / "target.spm"))
        vocab = set(json.loads((folder / "vocab.json").read_text(encoding="utf-8")))
        return cls(lambda text: proc.encode(text, out_type=str), vocab.__contains__)

    def _writes(self, text: str) -> bool:
        pieces = list(self._encode(text))
        return all(map(self._known, pieces)) and "".join(pieces).replace(SPACE, " ").strip() == text.strip()

    def _char_ok(self, ch: str) -> bool:
        return ch == " " if ch.isspace() else self._writes(ch)

    def spells(self, text: str) -> bool:
        """The vocabulary writes ``text`` exactly as it is."""
        return self._writes(text)

    def missing(self, text: str) -> list[str]:
        """The characters of ``text`` the vocabulary cannot write, each once, in order."""
        return list(dict.fromkeys(ch for ch in text if not self._char(ch)))

    def spell(self, text: str) -> str:
        """``text`` with every character the vocabulary cannot write replaced by a stand-in
        (whitespace by a space); ``text`` itself when it is spellable."""
        if self._writes(text):
            return text
        out = []
        for ch in text:
            if self._char(ch):
                out.append(ch)
            elif ch.isspace():
                out.append(" ")
            else:
                out.append(self._standin(ch))
        return " ".join("".join(out).split())

    def _standin(self, ch: str) -> str:
        letter = unicodedata.category(ch)[0] in "LN"  # a letter or digit: its base letter, else "x"
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        options = (STANDINS.get(ch, ""), base, "x" if letter else FALLBACK)
        for option in options:
            if option and not option.isspace() and all(self._char(c) for c in option):
                return option
        return FALLBACK


def describe(chars: Sequence[str]) -> str:
    """``'’' (U+2019 RIGHT SINGLE QUOTATION MARK), ...`` for a warning."""
    return ", ".join(f"{ch!r} (U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')})" for ch in chars)
