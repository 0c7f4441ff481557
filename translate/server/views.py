"""What the review pages show, as plain data for the Jinja2 templates (which escape every text).

Glossary terms are highlighted on both sides where :func:`translate.doc.model.term_marks`
puts them (the rule ``bilingual.html`` follows too), in the current English. Each term
has the colour of its glossary entry across the document (:func:`translate.doc.render.term_colours`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from translate.doc.model import Document, Segment, term_marks
from translate.doc.render import term_colours, term_key, term_title
from translate.doc.store import list_documents, load_document
from translate.errors import TranslateError
from translate.review.log import STATUSES, SegmentState, states, summary
from translate.review.qa import ERROR, Issue
from translate.review.rules import review_issues

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
    marks = term_marks(seg, state.text)  # the current English, every occurrence of each term
    return Row(
        seg=seg,
        state=state,
        issues=tuple(review_issues(seg, state.text)),
        source_chunks=chunks(seg.source, list(marks.source)),
        english_chunks=chunks(state.text, list(marks.english)),
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
