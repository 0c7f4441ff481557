"""The articles a batch names: files, folders (their article files) and glob patterns.

A name that matches nothing is not a crash: it becomes a :class:`Found` with an error, reported
with the articles that failed. The same file named twice (a folder and a glob) is taken once.
"""

from __future__ import annotations

import glob
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ARTICLE_SUFFIXES = (".txt", ".md", ".docx", ".html", ".htm")
"""What a folder contributes (what ``translate run`` reads: text, Word, a web page)."""
_GLOB_CHARS = set("*?[")


@dataclass(frozen=True)
class Found:
    """One article to consider (``path``), or a name that gave none (``error`` says why)."""

    path: str
    error: str | None = None


def _in_folder(folder: Path) -> list[Path]:
    """The folder's article files, sorted by name; hidden files and sub-folders are left out."""
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not p.name.startswith(".") and p.name.lower().endswith(ARTICLE_SUFFIXES))


def expand_inputs(names: Iterable[str]) -> list[Found]:
    """Every article the names give, in the order given (a folder's files by name)."""
    out: list[Found] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        try:
            key = path.resolve()
        except (OSError, RuntimeError):  # links that loop: reading it reports them, with the other failures
            key = path.absolute()
        if key not in seen:
            seen.add(key)
            out.append(Found(str(path)))

    for name in names:
        path = Path(name)
        if path.is_dir():
            files = _in_folder(path)
            if not files:
                out.append(Found(name, f"{name}: the folder holds no article ({', '.join(ARTICLE_SUFFIXES)})"))
            for file in files:
                add(file)
        elif path.exists() or path.is_symlink():
            add(path)  # a file as named, whatever its suffix (translate run reads it too)
        elif _GLOB_CHARS & set(name):
            matches = sorted(glob.glob(name, recursive=True))
            files = [Path(m) for m in matches if Path(m).is_file()]
            for folder in (Path(m) for m in matches if Path(m).is_dir()):
                files += _in_folder(folder)
            if not files:
                out.append(Found(name, f"{name}: no file matches"))
            for file in files:
                add(file)
        else:
            out.append(Found(name, f"{name}: no such file or folder"))
    return out
