"""Publish a reviewed document: the English article, the final bilingual view, and provenance.

``publish(doc_id)`` writes into ``corpus/<doc>/published/`` (or ``out_dir``), each file atomically:

| file | what |
|---|---|
| ``article.en.md`` | the English article: title, byline, headings, paragraphs rebuilt |
| ``article.en.html`` | the same as a standalone HTML page |
| ``article.en.docx`` | the same for Word: Title/Heading styles, the byline, no model signature (:mod:`translate.interchange.docx_article`) |
| ``bilingual.html`` | the final side-by-side view, with each segment's review status |
| ``provenance.json`` | signature, glossary digests, package version, and per segment who approved it and when (and, for a segment pre-filled from the translation memory, ``origin: "tm"`` and the entry it came from) |

It refuses (:class:`~translate.errors.PublishRefusedError`, nothing written) while any segment
is not approved (:func:`~translate.review.events.is_approved`: an approval holds only while the
Arabic and English it hashed are the segment's) or its English fails a QA check of severity
``error`` that no reviewer overrode; the problems are listed in document order
(``s3: edited (not approved)``, ``s4: stale: source changed``, ``s7: numbers: 725 missing``).
A broken review log is refused too (``reviews/DOC.jsonl:LINE: problem``). Approvals given despite
QA errors are listed under ``overrides`` in ``provenance.json`` with their reason.
With ``draft=True`` it writes anyway, with the watermark ``DRAFT — not approved`` in every
file and the problems and unapproved segment ids in ``provenance.json``.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from translate import __version__
from translate.doc.model import Document
from translate.doc.store import load_document
from translate.errors import PublishRefusedError
from translate.paths import document_dir
from translate.review.log import SegmentState, approval_problem, is_approved, states
from translate.review.qa import ERROR
from translate.review.rules import review_issues
from translate.textio import atomic_write_json, atomic_write_text
from translate.tm.apply import tm_provenance

WATERMARK = "DRAFT — not approved"
FILES = ("article.en.md", "article.en.html", "article.en.docx", "bilingual.html", "provenance.json")


def publish_problems(doc: Document, seg_states: dict[str, SegmentState]) -> list[str]:
    """Every reason not to publish, in document order: per segment, why it is not approved
    (``s3: edited (not approved)``, ``s4: stale: source changed``), then its QA errors, unless a
    reviewer approved them with an override reason."""
    problems = []
    for seg in doc.segments:
        state = seg_states[seg.id]
        problem = approval_problem(state)
        if problem:
            problems.append(f"{seg.id}: {problem}")
        if is_approved(state) and state.override:
            continue
        for issue in review_issues(seg, state.text):
            if issue.severity == ERROR:
                problems.append(f"{seg.id}: {issue.check}: {issue.message}")
    return problems


def overrides(doc: Document, seg_states: dict[str, SegmentState]) -> list[dict[str, Any]]:
    """The approvals given despite QA errors: who, when, why, and the errors they accepted."""
    out = []
    for seg in doc.segments:
        st = seg_states[seg.id]
        if is_approved(st) and st.override:
            errors = [f"{i.check}: {i.message}" for i in review_issues(seg, st.text) if i.severity == ERROR]
            out.append({"segment": seg.id, "approved_by": st.approved_by, "approved_at": st.approved_at,
                        "reason": st.override, "qa_errors": errors})
    return out


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
        record["unapproved"] = [s.id for s in doc.segments if not is_approved(seg_states[s.id])]
        record["problems"] = problems
    record["overrides"] = overrides(doc, seg_states)
    record["segments"] = [
        {
            "id": seg.id,
            "kind": seg.kind,
            "status": st.status,
            "approved_by": st.approved_by,
            "approved_at": st.approved_at,
            "rev": st.rev,
            "edited": st.text != st.mt,
            **tm_provenance(seg),  # a segment pre-filled from the translation memory says from where
        }
        for seg in doc.segments
        for st in (seg_states[seg.id],)
    ]
    return record


def publish(doc_id: str, out_dir: str | Path | None = None, *, draft: bool = False) -> list[Path]:
    """Write the published files (see the module docstring) and return their paths."""
    from translate.doc.render import article_html, article_markdown, bilingual_html
    from translate.interchange.docx_article import write_article_docx
    from translate.paths import check_output_folder

    if out_dir is not None:
        check_output_folder(out_dir)
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
    write_article_docx(final, paths[2], watermark=mark)
    atomic_write_text(paths[3], bilingual_html(final, states=seg_states, watermark=mark))
    atomic_write_json(paths[4], provenance(final, seg_states, draft=draft, problems=problems))
    return paths
