"""Glossary values: :class:`Entry`, :class:`Glossary`, :class:`Match`, and the names they use.

A leaf of :mod:`translate.glossary`: it imports nothing of the package, so the readers
(:mod:`translate.glossary.formats`), the path rule (:mod:`translate.glossary.paths`) and the
loading and matching API (:mod:`translate.glossary.entries`) all build on it without a cycle.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from translate.doc.model import Term

CATEGORIES = ("person", "title", "organisation", "place", "weapon", "military term", "media", "date", "term")
SUFFIXES = (".tsv", ".csv", ".txt", ".tbx")
"""Suffixes of glossary files: a named file with another is refused; a folder means its files with
these suffixes (:func:`translate.glossary.paths.resolve_glossary_paths`)."""
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
    """Context rules (:data:`translate.glossary.match.CONTEXT_RULES`)."""
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
        """As a document :class:`~translate.doc.model.Term` (spans as found, not yet realized)."""
        from translate.doc.model import Term

        e = self.entry
        return Term(self.text, (self.start, self.end), e.en, e.ref, e.category, e.note, mode=e.mode,
                    forbidden=e.forbidden)
