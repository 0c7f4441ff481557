"""Publish a reviewed document: the English article, the final bilingual view, and provenance.

``publish(doc_id)`` writes into ``corpus/<doc>/published/`` (or ``out_dir``), each file atomically:

| file | what |
|---|---|
| ``article.en.md`` | the English article: title, byline, headings, paragraphs rebuilt |
| ``article.en.html`` | the same as a standalone HTML page |
| ``bilingual.html`` | the final side-by-side view, with each segment's review status |
| ``provenance.json`` | signature, glossary digests, package version, and per segment who approved it and when |

It refuses (:class:`~translate.errors.PublishRefusedError`, nothing written) while any segment
is not approved or its approved English fails a QA check of severity ``error``; the problems are
listed in document order (``s3: edited (not approved)``, ``s7: numbers: 725 missing``).
With ``draft=True`` it writes anyway, with the watermark ``DRAFT — not approved`` in every
file and the problems and unapproved segment ids in ``provenance.json``.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from . import __version__
from .document import Document
from .errors import PublishRefusedError
from .paths import document_dir
from .review import SegmentState, states
from .store import load_document
from .textio import atomic_write_json, atomic_write_text

WATERMARK = "DRAFT — not approved"
FILES = ("article.en.md", "article.en.html", "bilingual.html", "provenance.json")


def publish_problems(doc: Document, seg_states: dict[str, SegmentState]) -> list[str]:
    """Every reason not to publish, in document order: unapproved segments, then QA errors per segment."""
    from .qa import check_segment

    problems = []
    for seg in doc.segments:
        state = seg_states[seg.id]
        if state.status != "approved":
            problems.append(f"{seg.id}: {state.status} (not approved)")
        for issue in check_segment(seg.source, state.text, seg.terms):
            if issue.severity == "error":
                problems.append(f"{seg.id}: {issue.check}: {issue.message}")
    return problems


def provenance(doc: Document, seg_states: dict[str, SegmentState], *, draft: bool, problems: list[str]) -> dict[str, Any]:
    """The provenance and review summary written as ``provenance.json``."""
    sig = doc.signature
    record: dict[str, Any] = {
        "doc_id": doc.doc_id,
        "signature": str(sig) if sig else None,
        "model": sig.to_dict() if sig else None,
        "glossaries": list(sig.glossaries) if sig else [],
        "version": __version__,
        "published_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "draft": draft,
    }
    if draft:
        record["watermark"] = WATERMARK
        record["unapproved"] = [s.id for s in doc.segments if seg_states[s.id].status != "approved"]
        record["problems"] = problems
    record["segments"] = [
        {
            "id": seg.id,
            "kind": seg.kind,
            "status": st.status,
            "approved_by": st.approved_by,
            "approved_at": st.approved_at,
            "rev": st.rev,
            "edited": st.text != st.mt,
        }
        for seg in doc.segments
        for st in (seg_states[seg.id],)
    ]
    return record


def publish(doc_id: str, out_dir: str | Path | None = None, *, draft: bool = False) -> list[Path]:
    """Write the published files (see the module docstring) and return their paths."""
    from .render import article_html, article_markdown, bilingual_html

    doc = load_document(doc_id)
    seg_states = states(doc)
    problems = publish_problems(doc, seg_states)
    if problems and not draft:
        count = len(problems)
        raise PublishRefusedError(
            f"cannot publish {doc.doc_id!r}: {count} problem{'s' if count != 1 else ''} "
            "(approve every segment and fix QA errors, or use --draft):\n" + "\n".join(f"  {p}" for p in problems),
            problems,
        )
    final = doc.with_translations({sid: st.text for sid, st in seg_states.items()})
    mark = WATERMARK if draft else None
    out = Path(out_dir) if out_dir is not None else document_dir(doc.doc_id) / "published"
    paths = [out / name for name in FILES]
    atomic_write_text(paths[0], article_markdown(final, watermark=mark))
    atomic_write_text(paths[1], article_html(final, watermark=mark))
    atomic_write_text(paths[2], bilingual_html(final, states=seg_states, watermark=mark))
    atomic_write_json(paths[3], provenance(final, seg_states, draft=draft, problems=problems))
    return paths
