"""The values that flow through the pipeline: frozen dataclasses with ``to_dict``/``from_dict``.

``Document.to_dict()`` is exactly the canonical ``bilingual.json``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from translate.doc.tm_match import TMMatch

KINDS = ("title", "byline", "heading", "sentence")


def _span(value: Any) -> tuple[int, int]:
    start, end = value
    return int(start), int(end)


def occurrences(text: str, target: str) -> list[tuple[int, int]]:
    """Spans of a glossary English ``target`` in ``text``: whole words, as written, except that
    any whitespace may separate its words and its first letter may change case ("the Pentagon"
    opens a sentence as "The Pentagon"; "HIMARS" is never "Himars"). Forcing, the bilingual
    document, QA and the review page count a term as realised by this one rule; evaluation's
    term accuracy is WMT's case-insensitive exact match (:mod:`translate.evaluate.term_accuracy`)."""
    words = target.split()
    if not words:
        return []
    first = words[0][0]
    head = f"[{re.escape(first.lower())}{re.escape(first.upper())}]" if first.lower() != first.upper() else re.escape(first)
    body = re.escape(words[0][1:]) + "".join(r"\s+" + re.escape(w) for w in words[1:])
    return [m.span() for m in re.finditer(r"(?<!\w)" + head + body + r"(?!\w)", text)]


def assign_targets(text: str, targets: Sequence[str]) -> list[tuple[int, int] | None]:
    """For each target (in source order), the span realising it in ``text``, or None when missing.

    A target needed twice needs two occurrences: the k-th hit takes the k-th occurrence.
    """
    used: dict[str, int] = {}
    out: list[tuple[int, int] | None] = []
    for target in targets:
        spans = occurrences(text, target)
        k = used.get(target, 0)
        out.append(spans[k] if k < len(spans) else None)
        used[target] = k + 1
    return out


_LOCAL_PATH = re.compile(r"^(?:[./~]|[A-Za-z]:|models/)|\\|/.*/")


def public_model(model: str, revision: str) -> str:
    """``model`` unless it is a local path (``/home/…``, ``./…``, ``~/…``, ``C:\\…``, ``models/…``),
    which becomes its last part and the revision: a file people exchange never names the
    user's file system. New signatures already carry :func:`translate.engines.resolve.public_model_name`;
    this scrubs documents written before."""
    if not _LOCAL_PATH.search(model):
        return model
    name = re.split(r"[\\/]", model.rstrip("/\\"))[-1] or "model"
    return f"{name}@{revision}" if revision else name


@dataclass(frozen=True)
class Signature:
    """Provenance of an output, printed like sacrebleu's signature; ``model`` is never a local path."""

    model: str
    revision: str
    backend: str
    beam: int
    glossaries: tuple[str, ...] = ()
    version: str = ""
    created: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "model", public_model(self.model, self.revision))

    def __str__(self) -> str:
        glossary = "+".join(self.glossaries) or "none"
        return (
            f"model:{self.model}|rev:{self.revision}|backend:{self.backend}|beam:{self.beam}"
            f"|glossary:{glossary}|version:{self.version}"
        )

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["glossaries"] = list(self.glossaries)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Signature:
        return cls(
            model=d["model"],
            revision=d.get("revision", ""),
            backend=d["backend"],
            beam=int(d.get("beam", 0)),
            glossaries=tuple(d.get("glossaries", ())),
            version=d.get("version", ""),
            created=d.get("created", ""),
        )


@dataclass(frozen=True)
class Term:
    """A glossary term found in a segment's source, and whether its English is in the translation.

    Frames: ``source_span`` indexes the *article* text, like :attr:`Segment.source_span` (the
    term's Arabic is ``article[start:end]``, ``segment.source[start - seg_start:end - seg_start]``);
    ``target_span`` indexes the segment's ``translation``. :func:`term_marks` is the one reading
    of both that every view uses."""

    source: str
    source_span: tuple[int, int]
    target: str
    entry: str
    category: str
    note: str = ""
    realized: bool = False
    target_span: tuple[int, int] | None = None
    mode: str = "force"
    """The glossary entry's mode: ``force`` (realised in the MT, a QA error when missing) or
    ``suggest`` (not forced: shown to the reviewer, a QA warning when missing)."""
    forbidden: tuple[str, ...] = ()
    """English renderings the glossary forbids for this term (a QA error wherever they appear)."""

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["source_span"] = list(self.source_span)
        d["target_span"] = list(self.target_span) if self.target_span else None
        d["forbidden"] = list(self.forbidden)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Term:
        ts = d.get("target_span")
        return cls(
            source=d["source"],
            source_span=_span(d["source_span"]),
            target=d["target"],
            entry=d.get("entry", ""),
            category=d.get("category", ""),
            note=d.get("note", ""),
            realized=bool(d.get("realized", False)),
            target_span=_span(ts) if ts else None,
            mode=d.get("mode", "force"),
            forbidden=tuple(d.get("forbidden", ())),
        )


@dataclass(frozen=True)
class Segment:
    """One translatable unit; ``source_span`` indexes the original article text."""

    id: str
    kind: str
    paragraph: int
    source: str
    source_span: tuple[int, int]
    translation: str = ""
    alignment: tuple[tuple[int, int], ...] = ()
    terms: tuple[Term, ...] = ()
    pieces: tuple[tuple[int, int], ...] = ()
    """Sub-spans translated separately when the sentence is too long for the model (else empty)."""
    origin: str = "mt"
    """Where ``translation`` came from: ``mt`` (the model) or ``tm`` (an exact translation-memory match)."""
    tm_matches: tuple[TMMatch, ...] = ()
    """Translation-memory matches offered for this segment, best first (:mod:`translate.doc.tm_match`)."""

    def with_translation(self, text: str) -> Segment:
        """A copy with new English (a post-edit): terms are located again in it."""
        spans = assign_targets(text, [t.target for t in self.terms])
        terms = tuple(replace(t, realized=s is not None, target_span=s) for t, s in zip(self.terms, spans))
        return replace(self, translation=text, terms=terms)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "paragraph": self.paragraph,
            "source": self.source,
            "source_span": list(self.source_span),
            "translation": self.translation,
            "alignment": [list(pair) for pair in self.alignment],
            "terms": [t.to_dict() for t in self.terms],
            "pieces": [list(p) for p in self.pieces],
            "origin": self.origin,
            "tm_matches": [m.to_dict() for m in self.tm_matches],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Segment:
        return cls(
            id=str(d["id"]),
            kind=d["kind"],
            paragraph=int(d["paragraph"]),
            source=d["source"],
            source_span=_span(d["source_span"]),
            translation=d.get("translation", ""),
            alignment=tuple((int(a), int(b)) for a, b in d.get("alignment", ())),
            terms=tuple(Term.from_dict(t) for t in d.get("terms", ())),
            pieces=tuple(_span(p) for p in d.get("pieces", ())),
            origin=d.get("origin", "mt"),
            tm_matches=tuple(TMMatch.from_dict(m) for m in d.get("tm_matches", ())),
        )


Mark = tuple[int, int, int]
"""``(start, end, k)``: the text from ``start`` to ``end`` shows ``segment.terms[k]``."""


@dataclass(frozen=True)
class TermMarks:
    """Where a segment's terms stand, as :func:`term_marks` finds them."""

    source: tuple[Mark, ...]
    """Spans of ``segment.source`` (segment frame), in term order."""
    english: tuple[Mark, ...]
    """Spans of the English, in term order; a term whose English is not there has none."""
    missing: frozenset[int]
    """The ``k`` of the terms whose English is not in the text."""


def term_marks(seg: Segment, english: str | None = None) -> TermMarks:
    """THE rule for where a segment's terms are marked (``bilingual.html`` and the review page).

    Arabic: each term's ``source_span`` (article frame, see :class:`Term`) moved into the
    segment; a span that is not the term's Arabic in this segment is not marked. English
    (``english``, by default the segment's ``translation``): :func:`assign_targets`, so a term
    needed twice marks both of its occurrences (the k-th term with that English takes the k-th).
    """
    base = seg.source_span[0]
    source = []
    for k, term in enumerate(seg.terms):
        start, end = term.source_span[0] - base, term.source_span[1] - base
        if 0 <= start < end <= len(seg.source) and seg.source[start:end] == term.source:
            source.append((start, end, k))
    text = seg.translation if english is None else english
    spans = assign_targets(text, [t.target for t in seg.terms])
    return TermMarks(
        source=tuple(source),
        english=tuple((s[0], s[1], k) for k, s in enumerate(spans) if s is not None),
        missing=frozenset(k for k, s in enumerate(spans) if s is None),
    )


@dataclass(frozen=True)
class Document:
    """A segmented (and possibly translated) article."""

    doc_id: str
    segments: tuple[Segment, ...]
    signature: Signature | None = None
    source_name: str | None = None
    """The article's file name (the basename only, never a local path), when it came from a file."""

    def segment(self, seg_id: str) -> Segment:
        for seg in self.segments:
            if seg.id == seg_id:
                return seg
        raise KeyError(seg_id)

    def with_translations(self, translations: dict[str, str]) -> Document:
        """A copy whose segments carry the given English (e.g. the approved post-edits)."""
        segs = tuple(s.with_translation(translations[s.id]) if s.id in translations else s for s in self.segments)
        return replace(self, segments=segs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "signature": self.signature.to_dict() if self.signature else None,
            "source_name": self.source_name,
            "segments": [s.to_dict() for s in self.segments],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Document:
        sig = d.get("signature")
        return cls(
            doc_id=d["doc_id"],
            segments=tuple(Segment.from_dict(s) for s in d["segments"]),
            signature=Signature.from_dict(sig) if sig else None,
            source_name=d.get("source_name"),
        )
