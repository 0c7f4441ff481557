"""What a glossary path means: one rule for every command (``run``, ``glossary match``,
``glossary check``, ``evaluate``, the translation memory's glossary use).

* **a file** is that file (loading refuses a suffix other than :data:`SUFFIXES`);
* **a folder** is its glossary files: the files directly in it whose suffix is one of
  :data:`SUFFIXES` (``.tsv``, ``.csv``, ``.txt``, ``.tbx``, any case), leaving out the
  ``NAME.examples.tsv`` side files (checked with their glossary), sorted by name; a folder
  holding none is an error;
* **nothing named** is the default: ``TRANSLATE_GLOSSARIES`` (files or folders,
  ``os.pathsep``-separated, each read by the rules above; set but empty means none), else
  ``./glossaries/`` read as a folder when it exists (no glossary when it holds none), else none.

A named path that does not exist is an error. Loading lives in :mod:`translate.glossary.entries`
(:func:`~translate.glossary.entries.load_glossaries`), which resolves with this module.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from translate.errors import InputFileError
from translate.glossary.values import SUFFIXES, is_examples_file

DEFAULT_FOLDER = Path("glossaries")
ENV = "TRANSLATE_GLOSSARIES"
FOLDER_RULE = f"a folder: its {', '.join(SUFFIXES)} files, not *.examples.tsv"
"""The folder rule in words, for help texts."""
DEFAULT_RULE = f"${ENV}, else ./{DEFAULT_FOLDER}/"
"""The default in words, for help texts."""
OPTION_HELP = f"Glossary file or folder (repeatable; {FOLDER_RULE}) [default: {DEFAULT_RULE}]."
"""The help of every command's ``-g/--glossary`` option."""
NO_FILES = f"no glossary file in this folder ({', '.join(SUFFIXES)}; *.examples.tsv are examples)"
MISSING = "no such file or folder"


def is_glossary_file(path: str | Path) -> bool:
    """A file name a folder contributes: a glossary suffix, not an examples side file."""
    p = Path(path)
    return p.suffix.lower() in SUFFIXES and not is_examples_file(p)


def folder_glossaries(folder: str | Path) -> list[Path]:
    """The glossary files of a folder (the folder rule), sorted by name; ``[]`` when none."""
    return sorted(p for p in Path(folder).iterdir() if is_glossary_file(p) and p.is_file())


def _expand(item: Path, *, strict: bool = True) -> list[Path]:
    if item.is_dir():
        found = folder_glossaries(item)
        if not found and strict:
            raise InputFileError(item, NO_FILES)
        return found
    if not item.exists():
        raise InputFileError(item, MISSING)
    return [item]


def default_glossary_paths() -> list[Path]:
    """The glossary files used when none are named (module docstring)."""
    env = os.environ.get(ENV)
    if env is not None:
        return [q for p in env.split(os.pathsep) if p for q in _expand(Path(p))]
    return _expand(DEFAULT_FOLDER, strict=False) if DEFAULT_FOLDER.is_dir() else []


def resolve_glossary_paths(paths: Iterable[str | Path] = ()) -> list[Path]:
    """The glossary files meant by ``paths`` (files or folders, in order), else the default ones.

    Raises :class:`InputFileError` for a path that does not exist and for a folder without
    a glossary file; the same message whichever command asks.
    """
    named = [Path(p) for p in paths]
    if not named:
        return default_glossary_paths()
    return [q for p in named for q in _expand(p)]
