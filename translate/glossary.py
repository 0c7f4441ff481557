"""Glossaries: the values, loading and checking, and matching terms in Arabic text.

Formats (see ``glossaries/README.md``):

* the project TSV: header ``ar  en  category  note``, then any of the optional columns
  ``variants`` (``|``-separated other Arabic spellings), ``mode`` (``force``, the default, or
  ``suggest``), ``forbidden`` (``|``-separated English renderings to keep out), ``context``
  (rules of :mod:`translate.termmatch`) and ``stop`` (``|``-separated Arabic phrases where the
  entry must not match); ``#`` lines and blank lines are skipped; examples that prove entries
  live in a side file (:mod:`translate.glossary_examples`);
* 2-column headerless TSV or CSV (``ar, en``; OmegaT, DeepL, Google Cloud style), with an
  optional third column taken as the note; category ``term``;
* TBX (``termEntry``/``langSet`` or TBX 3 ``conceptEntry``/``langSec``).

Matching (:class:`Matcher`, rules in :mod:`translate.termmatch`) normalises glossary and
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

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import GlossaryError, InputFileError
from .termmatch import TermIndex, compile_term

if TYPE_CHECKING:
    from .document import Term

CATEGORIES = ("person", "title", "organisation", "place", "weapon", "military term", "media", "date", "term")
SUFFIXES = (".tsv", ".csv", ".txt", ".tbx")
"""File names read as glossaries; anything else is refused (and skipped by ``glossary check``)."""
EXAMPLES_SUFFIX = ".examples.tsv"
"""``NAME.examples.tsv`` beside ``NAME.tsv`` holds the examples of that glossary, never a glossary."""
MODES = ("force", "suggest")
"""``force``: realised in the MT; ``suggest``: not forced, shown to the reviewer, a QA warning when missing."""


def is_examples_file(path: str | Path) -> bool:
    return Path(path).name.lower().endswith(EXAMPLES_SUFFIX)


@dataclass(frozen=True)
class Entry:
    """One glossary line: an Arabic term (and its other spellings) and its fixed English."""

    ar: str
    en: str
    category: str
    note: str = ""
    variants: tuple[str, ...] = ()
    file: str = ""
    line: int = 0
    mode: str = "force"
    forbidden: tuple[str, ...] = ()
    """English renderings kept out of the MT and reported by QA (``Kiev`` for كييف)."""
    context: tuple[str, ...] = ()
    """Context rules (:data:`translate.termmatch.CONTEXT_RULES`)."""
    stop: tuple[str, ...] = ()
    """Arabic phrases where this entry must not match (``شركة نيسان`` for نيسان)."""

    @property
    def ref(self) -> str:
        return f"{Path(self.file).name}:{self.line}"

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.ar, *self.variants)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for name in ("variants", "forbidden", "context", "stop"):
            d[name] = list(d[name])
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Entry:
        return cls(
            ar=d["ar"],
            en=d["en"],
            category=d["category"],
            note=d.get("note", ""),
            variants=tuple(d.get("variants", ())),
            file=d.get("file", ""),
            line=int(d.get("line", 0)),
            mode=d.get("mode", "force"),
            forbidden=tuple(d.get("forbidden", ())),
            context=tuple(d.get("context", ())),
            stop=tuple(d.get("stop", ())),
        )


@dataclass(frozen=True)
class Glossary:
    name: str
    path: str
    digest: str
    """sha256 of the file's bytes, hex."""
    entries: tuple[Entry, ...]

    @property
    def signature_part(self) -> str:
        return f"{self.name}@{self.digest[:12]}"

    def to_dict(self) -> dict[str, Any]:
        entries = [e.to_dict() for e in self.entries]
        return {"name": self.name, "path": self.path, "digest": self.digest, "entries": entries}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Glossary:
        return cls(d["name"], d["path"], d["digest"], tuple(Entry.from_dict(e) for e in d["entries"]))


@dataclass(frozen=True)
class Match:
    """A glossary term found in a text; ``text == original[start:end]``."""

    entry: Entry
    start: int
    end: int
    text: str
    core_start: int
    """Where the term itself starts, after the proclitics and article."""
    clitic: str = ""
    """Proclitics before the term as a match key, plus ``ال`` when the text added the article
    to a term written without it: ``"ل"`` (لأوكرانيا), ``"ب"`` (بالجيش for الجيش),
    ``"لال"`` (للناتو for ناتو)."""

    def to_dict(self) -> dict[str, Any]:
        e = self.entry
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "ar": e.ar,
            "en": e.en,
            "category": e.category,
            "mode": e.mode,
            "forbidden": list(e.forbidden),
            "note": e.note,
            "entry": e.ref,
            "clitic": self.clitic,
            "core_start": self.core_start,
        }

    def to_term(self) -> Term:
        """As a document :class:`~translate.document.Term` (spans as found, not yet realized)."""
        from .document import Term

        e = self.entry
        return Term(self.text, (self.start, self.end), e.en, e.ref, e.category, e.note, mode=e.mode,
                    forbidden=e.forbidden)


class Matcher:
    """Finds glossary terms in Arabic text (rules in :mod:`translate.termmatch`); build once, then
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


def default_glossary_paths() -> list[Path]:
    """Glossaries used when none are named: ``TRANSLATE_GLOSSARIES`` (files or folders,
    ``os.pathsep``-separated; empty means none), else ``./glossaries/*.tsv`` if that folder exists."""
    env = os.environ.get("TRANSLATE_GLOSSARIES")
    if env is not None:
        items = [Path(p) for p in env.split(os.pathsep) if p]
    else:
        items = [Path("glossaries")] if Path("glossaries").is_dir() else []
    paths: list[Path] = []
    for item in items:
        paths.extend(_folder_glossaries(item) if item.is_dir() else [item])
    return paths


def _folder_glossaries(folder: Path) -> list[Path]:
    """The ``*.tsv`` glossaries of a folder (not their ``*.examples.tsv`` side files)."""
    return sorted(p for p in folder.glob("*.tsv") if not is_examples_file(p))


def resolve_glossary_paths(paths: Iterable[str | Path] = ()) -> list[Path]:
    """The glossaries to use: those named (a folder gives its ``*.tsv``), else :func:`default_glossary_paths`."""
    named = [Path(p) for p in paths]
    if not named:
        return default_glossary_paths()
    return [q for p in named for q in (_folder_glossaries(p) if p.is_dir() else [p])]


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
    from .textio import read_text

    paths = resolve_glossary_paths(glossary_paths)
    if not paths:
        raise GlossaryError(
            ["no glossary: name one with -g FILE, put *.tsv files in ./glossaries, or set TRANSLATE_GLOSSARIES"]
        )
    glossaries = load_glossaries(paths)
    text = read_text(article)
    return ArticleMatches(str(article), text, tuple(glossaries), tuple(Matcher(glossaries).find(text)))


def expand_glossary_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[Path]]:
    """(glossary files, skipped files): folders give their glossary files; other suffixes are
    skipped, and so are examples side files (checked with their glossary)."""
    files: list[Path] = []
    skipped: list[Path] = []
    for item in map(Path, paths):
        if item.is_dir():
            files.extend(sorted(p for p in item.iterdir()
                                if p.suffix.lower() in SUFFIXES and p.is_file() and not is_examples_file(p)))
        elif is_examples_file(item):
            continue
        elif item.suffix.lower() in SUFFIXES or not item.exists():
            files.append(item)
        else:
            skipped.append(item)
    return files, skipped


def scan_glossaries(paths: Iterable[str | Path]) -> tuple[list[Glossary], list[str]]:
    """Read every glossary, keeping going: (the glossaries, every problem as ``file:line: message``).

    A file that cannot be read at all gives one problem and no glossary. Entries with a
    problem are left out of their glossary; conflicts are checked across all files.
    """
    from .glossary_formats import read_glossary_file

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


def load_glossaries(paths: Iterable[str | Path]) -> list[Glossary]:
    """Load glossaries that must be clean, together; :class:`GlossaryError` lists every problem."""
    glossaries, problems = scan_glossaries(paths)
    if problems:
        raise GlossaryError(problems)
    return glossaries


def load_glossary(path: str | Path) -> Glossary:
    """Load one clean glossary; a missing or undecodable file raises :class:`InputFileError`."""
    from .glossary_formats import read_glossary_file

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
