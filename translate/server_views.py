"""What the review pages show, as plain data for the Jinja2 templates (which escape every text).

Glossary terms are highlighted on both sides: on the Arabic from the term's
``source_span``; on the English by finding the term's English in the current
text, or while the text is still the MT (rev 0) from its ``target_span``, or
else from the word alignment (the English words aligned to the term's Arabic). Each term
has the colour of its glossary entry across the document (:func:`translate.render.term_colours`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .document import Document, Segment, Term, occurrences
from .errors import TranslateError
from .qa import ERROR, Issue, check_segment
from .render import term_colours, term_key, term_title
from .review import STATUSES, SegmentState, states, summary
from .segment import words
from .store import list_documents, load_document

Chunk = tuple[str, "int | None"]
"""A piece of text and the index of the glossary term it shows (``None``: plain text)."""


@dataclass(frozen=True)
class Row:
    seg: Segment
    state: SegmentState
    issues: tuple[Issue, ...]
    source_chunks: tuple[Chunk, ...]
    english_chunks: tuple[Chunk, ...]
    colours: tuple[int, ...] = ()
    """The colour of each of ``seg.terms``: one per glossary entry across the document."""
    term_titles: tuple[str, ...] = ()
    """Each term's tooltip: Arabic -> English (category): note, with the Arabic isolated."""

    @property
    def errors(self) -> int:
        return sum(i.severity == ERROR for i in self.issues)

    @property
    def warnings(self) -> int:
        return len(self.issues) - self.errors


def _source_span(seg: Segment, term: Term) -> tuple[int, int] | None:
    """The term in ``seg.source``: its span if segment-relative, else article-relative, else found."""
    start, end = term.source_span
    offset = seg.source_span[0]
    for a, b in ((start, end), (start - offset, end - offset)):
        if 0 <= a < b <= len(seg.source) and seg.source[a:b] == term.source:
            return a, b
    found = seg.source.find(term.source) if term.source else -1
    return (found, found + len(term.source)) if found >= 0 else None


def _aligned_span(seg: Segment, src: tuple[int, int] | None) -> tuple[int, int] | None:
    """The English words the alignment links to the Arabic words of ``src`` (one contiguous span)."""
    if src is None or not seg.alignment:
        return None
    src_words = {i for i, (a, b) in enumerate(words(seg.source)) if a < src[1] and src[0] < b}
    en_words = words(seg.translation)
    linked = sorted({t for s, t in seg.alignment if s in src_words and 0 <= t < len(en_words)})
    if not linked:
        return None
    return en_words[linked[0]][0], en_words[linked[-1]][1]


def _english_span(seg: Segment, term: Term, text: str, rev: int, src: tuple[int, int] | None) -> tuple[int, int] | None:
    found = occurrences(text, term.target)
    if found:
        return found[0]
    if rev != 0:
        return None
    if term.target_span:
        a, b = term.target_span
        if 0 <= a < b <= len(text):
            return a, b
    return _aligned_span(seg, src)


def chunks(text: str, spans: list[tuple[int, int, int]]) -> tuple[Chunk, ...]:
    """Cut ``text`` at the (start, end, term) spans; overlapping spans after the first are dropped."""
    out: list[Chunk] = []
    pos = 0
    for start, end, term in sorted(spans):
        if start < pos:
            continue
        if start > pos:
            out.append((text[pos:start], None))
        out.append((text[start:end], term))
        pos = end
    if pos < len(text) or not out:
        out.append((text[pos:], None))
    return tuple(out)


def make_row(seg: Segment, state: SegmentState, colours: Mapping[str, int] | None = None) -> Row:
    src_spans, en_spans = [], []
    for i, term in enumerate(seg.terms):
        src = _source_span(seg, term)
        if src is not None:
            src_spans.append((*src, i))
        if (span := _english_span(seg, term, state.text, state.rev, src)) is not None:
            en_spans.append((*span, i))
    return Row(
        seg=seg,
        state=state,
        issues=tuple(check_segment(seg.source, state.text, seg.terms)),
        source_chunks=chunks(seg.source, src_spans),
        english_chunks=chunks(state.text, en_spans),
        colours=tuple((colours or {}).get(term_key(t), i) for i, t in enumerate(seg.terms)),
        term_titles=tuple(term_title(t) for t in seg.terms),
    )


def row_for(doc: Document, seg_id: str, state: SegmentState) -> Row:
    """The row of one segment, its terms coloured as on the whole page."""
    return make_row(doc.segment(seg_id), state, term_colours(doc))


def document_rows(doc: Document) -> list[Row]:
    current = states(doc)
    colours = term_colours(doc)
    return [make_row(seg, current[seg.id], colours) for seg in doc.segments]


def progress(rows_or_states: dict[str, SegmentState]) -> dict[str, Any]:
    counts = summary(rows_or_states)
    total = sum(counts.values())
    return {"counts": counts, "total": total, "percent": round(100 * counts["approved"] / total) if total else 0}


def index_entries() -> list[dict[str, Any]]:
    """One entry per document in the corpus: its id, progress, or the error that hides it."""
    entries = []
    for doc_id in list_documents():
        try:
            entries.append({"doc_id": doc_id, "error": None, **progress(states(load_document(doc_id)))})
        except TranslateError as exc:
            entries.append({"doc_id": doc_id, "error": str(exc), "counts": dict.fromkeys(STATUSES, 0),
                            "total": 0, "percent": 0})
    return entries
