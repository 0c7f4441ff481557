"""Glossaries: loading and checking, and matching terms in Arabic text (the API to use).

The values (:class:`Entry`, :class:`Glossary`, :class:`Match`) live in
:mod:`translate.glossary.values`, the meaning of a path (file, folder, the default) in
:mod:`translate.glossary.paths`, the readers in :mod:`translate.glossary.formats`; all are
re-exported here. :func:`load_glossaries` is the one loader every command uses.

Formats (see ``glossaries/README.md``):

* the project TSV: header ``ar  en  category  note``, then any of the optional columns
  ``variants`` (``|``-separated other Arabic spellings), ``mode`` (``force``, the default, or
  ``suggest``), ``forbidden`` (``|``-separated English renderings to keep out), ``context``
  (rules of :mod:`translate.glossary.match`) and ``stop`` (``|``-separated Arabic phrases where the
  entry must not match); ``#`` lines and blank lines are skipped; examples that prove entries
  live in a side file (:mod:`translate.glossary.examples`);
* 2-column headerless TSV or CSV (``ar, en``; OmegaT, DeepL, Google Cloud style), with an
  optional third column taken as the note; category ``term``;
* TBX (``termEntry``/``langSet`` or TBX 3 ``conceptEntry``/``langSec``).

Matching (:class:`Matcher`, rules in :mod:`translate.glossary.match`) normalises glossary and
text into match keys only, accepts proclitics and the article on a term's first word, keeps
the longest match with no overlaps and whole words only. **A match span covers the whole
written word(s), proclitics included** (``لأوكرانيا`` for ``أوكرانيا``), so it highlights
what the author wrote; :attr:`Match.clitic` says which proclitics stood before the term.

Checks (:func:`check_glossaries`), each reported as ``file:line: message``: wrong number
of columns, empty ``ar``/``en``/category cells, an unknown category, Arabic without Arabic
letters, and duplicates or conflicting English among forms (``ar`` or a variant) that
match the same words, unless the categories differ.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translate.errors import GlossaryError, InputFileError
from translate.glossary.formats import read_glossary_file
from translate.glossary.match import TermIndex, compile_term
from translate.glossary.paths import default_glossary_paths, resolve_glossary_paths
from translate.glossary.values import (
    CATEGORIES,
    EXAMPLES_SUFFIX,
    MODES,
    SUFFIXES,
    Entry,
    Glossary,
    Match,
    is_examples_file,
)

__all__ = [
    "CATEGORIES", "EXAMPLES_SUFFIX", "MODES", "SUFFIXES", "ArticleMatches", "Entry", "Glossary", "Match", "Matcher",
    "check_glossaries", "default_glossary_paths", "is_examples_file", "load_glossaries", "load_glossary",
    "match_article", "resolve_glossary_paths", "scan_glossaries",
]


class Matcher:
    """Finds glossary terms in Arabic text (rules in :mod:`translate.glossary.match`); build once, then
    call :meth:`find` per text."""

    def __init__(self, glossaries: Sequence[Glossary]):
        entries = [entry for g in glossaries for entry in g.entries]
        self._terms = TermIndex(((form, e, e.context) for e in entries for form in e.forms),
                                ((phrase, e) for e in entries for phrase in e.stop))

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Match]:
        """Non-overlapping hits in ``text[start:end]``, longest first, sorted by start; spans index ``text``."""
        hits = self._terms.find(text, start, end)
        return [Match(h.payload, h.start, h.end, text[h.start : h.end], h.core_start, h.clitic) for h in hits]


# ---------------------------------------------------------------- loading and checking


@dataclass(frozen=True)
class ArticleMatches:
    """The glossary terms of one article (``translate glossary match``)."""

    article: str
    text: str
    glossaries: tuple[Glossary, ...]
    matches: tuple[Match, ...]

    def line_of(self, match: Match) -> int:
        return self.text.count("\n", 0, match.start) + 1

    def by_mode(self) -> dict[str, int]:
        """Matches per mode, every mode listed: ``{"force": 40, "suggest": 6}``."""
        return {mode: sum(m.entry.mode == mode for m in self.matches) for mode in MODES}

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article,
            "glossaries": [g.signature_part for g in self.glossaries],
            "matches": [{"line": self.line_of(m), **m.to_dict()} for m in self.matches],
        }


def match_article(article: str | Path, glossary_paths: Iterable[str | Path] = ()) -> ArticleMatches:
    """Load the glossaries (named, else the defaults) and find their terms in an article file."""
    from translate.textio import read_text

    glossaries = load_glossaries(glossary_paths)
    if not glossaries:
        raise GlossaryError(
            ["no glossary: name one with -g FILE, put glossary files in ./glossaries, or set TRANSLATE_GLOSSARIES"]
        )
    text = read_text(article)
    return ArticleMatches(str(article), text, tuple(glossaries), tuple(Matcher(glossaries).find(text)))


def scan_glossaries(paths: Iterable[str | Path]) -> tuple[list[Glossary], list[str]]:
    """Read every glossary, keeping going: (the glossaries, every problem as ``file:line: message``).

    A file that cannot be read at all gives one problem and no glossary. Entries with a
    problem are left out of their glossary; conflicts are checked across all files.
    """
    paths = list(paths)
    glossaries: list[Glossary] = []
    problems: list[str] = []
    seen: set[Path] = set()
    for path in paths:
        resolved = Path(path).resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        try:
            glossary, found = read_glossary_file(path)
        except InputFileError as exc:
            problems.append(str(exc))
            continue
        glossaries.append(glossary)
        problems.extend(found)
    problems.extend(_conflicts(e for g in glossaries for e in g.entries))
    return glossaries, _in_order(problems, paths)


def _in_order(problems: list[str], paths: Sequence[str | Path]) -> list[str]:
    """``file:line: message`` problems by file, in the order the files were given, then by line."""
    order = {str(path): k for k, path in enumerate(paths)}

    def where(problem: str) -> tuple[int, int]:
        m = re.match(r"(.*?):(\d+): ", problem)
        name, line = (m.group(1), int(m.group(2))) if m else (problem.split(":", 1)[0], 0)
        return order.get(name, len(order)), line

    return sorted(problems, key=where)


def check_glossaries(paths: Iterable[str | Path]) -> list[str]:
    """Every problem of these glossaries as ``file:line: message``; ``[]`` when clean."""
    return scan_glossaries(paths)[1]


def load_glossaries(paths: Iterable[str | Path] = ()) -> list[Glossary]:
    """The glossaries meant by ``paths`` (files or folders; none named: the defaults, by
    :func:`~translate.glossary.paths.resolve_glossary_paths`), loaded together; they must be
    clean: :class:`GlossaryError` lists every problem. ``[]`` when the default is none."""
    glossaries, problems = scan_glossaries(resolve_glossary_paths(paths))
    if problems:
        raise GlossaryError(problems)
    return glossaries


def load_glossary(path: str | Path) -> Glossary:
    """Load one clean glossary; a missing or undecodable file raises :class:`InputFileError`."""
    glossary, problems = read_glossary_file(path)
    problems = _in_order(problems + _conflicts(glossary.entries), [path])
    if problems:
        raise GlossaryError(problems)
    return glossary


def _conflicts(entries: Iterable[Entry]) -> list[str]:
    """Duplicates and conflicting English among entries whose forms match the same words."""
    problems = []
    seen: dict[tuple[tuple[str, ...], tuple[str, ...]], list[tuple[Entry, str]]] = {}
    for entry in entries:
        for form in entry.forms:
            pat = compile_term(form)
            if pat is None:
                continue
            earlier = seen.setdefault((pat.words, pat.seps), [])
            message = next(filter(None, (_clash(entry, form, e, f) for e, f in earlier)), None)
            if message:
                problems.append(f"{entry.file}:{entry.line}: {message}")
            earlier.append((entry, form))
    return problems


def _clash(entry: Entry, form: str, other: Entry, other_form: str) -> str | None:
    where = f"line {other.line}" if other.file == entry.file else f"{other.file}:{other.line}"
    if other is entry:
        return f"variant {form!r} repeats {other_form!r} of the same entry"
    if other.category != entry.category:
        return None
    if other.en == entry.en:
        return f"duplicate entry: {form!r} -> {entry.en!r} is already at {where}"
    return (
        f"conflicting English for {form!r}: {entry.en!r} here but {other.en!r} for {other_form!r} "
        f"at {where} (both {entry.category}); remove one or give them different categories"
    )
