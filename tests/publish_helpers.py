"""Test documents for publish and interchange, built directly (no model, no segmenter)."""

from __future__ import annotations

from dataclasses import replace

from helpers import SEED

from translate.doc.model import Document, Segment, Signature, Term
from translate.paths import corpus_dir
from translate.review.log import ReviewLog
from translate.doc.store import save_outputs

SIGNATURE = Signature(
    model="Helsinki-NLP/opus-mt-ar-en", revision="abc123", backend="ct2", beam=4,
    glossaries=("newsroom@sha256:0123abcd",), version="0.1.0", created="2024-12-01T10:00:00Z",
)

# (id, kind, paragraph, arabic, english MT)
DEMO = (
    ("s1", "title", 0, "اتصال نادر بين الجيشين", "A rare call between the two armies"),
    ("s2", "byline", 1, "زينة", "Zeina"),
    ("s3", "heading", 2, "مناقشة القضايا", "Discussing the issues"),
    ("s4", "sentence", 3, "قال براون إن المكالمة جرت.", "Brown said the call took place."),
    ("s5", "sentence", 3, "وأضاف أنها كانت نادرة.", "He added that it was rare."),
    ("s6", "sentence", 4, "أعلن بلينكن عن 725 مليون دولار.", "Blinken announced 725 million dollars."),
)
BROWN = Term(source="براون", source_span=(4, 9), target="Brown", entry="براون", category="person",
             note="General Charles Q. Brown")


def demo_document(doc_id: str = "demo") -> Document:
    segments = []
    offset = 0
    for sid, kind, para, ar, en in DEMO:
        # a Term's source_span counts from the article (translate.doc.model.Term): s4's "براون" is at 4-9 in it
        terms = (replace(BROWN, source_span=(offset + 4, offset + 9)),) if sid == "s4" else ()
        segments.append(Segment(sid, kind, para, ar, (offset, offset + len(ar)), en, terms=terms))
        offset += len(ar) + 1
    return Document(doc_id, tuple(segments), SIGNATURE)


def seed_document(doc_id: str = "seed") -> Document:
    """One segment per line of the seed: title, byline, 4 headings, 15 one-sentence paragraphs."""
    text = SEED.read_text(encoding="utf-8")
    headings = {5, 9, 15, 18}  # 1-based lines without final punctuation
    segments, offset = [], 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            kind = "title" if number == 1 else "byline" if number == 2 else "heading" if number in headings else "sentence"
            english = f"English line {number}." + (" Worth 725 million dollars." if "725" in line else "")
            segments.append(Segment(f"s{number}", kind, number - 1, line, (offset, offset + len(line)), english))
        offset += len(line) + 1
    return Document(doc_id, tuple(segments), SIGNATURE)


def save(doc: Document, source: str | None = None) -> Document:
    text = source if source is not None else "\n".join(s.source for s in doc.segments)
    save_outputs(doc, text.encode("utf-8"), corpus_dir() / doc.doc_id)  # with its manifest, as translate run does
    return doc


def approve_all(doc: Document, reviewer: str = "amal") -> None:
    log = ReviewLog.for_document(doc.doc_id)
    for seg in doc.segments:
        log.append(doc, reviewer=reviewer, segment=seg.id, action="approve")


def log_bytes(doc_id: str) -> bytes:
    path = ReviewLog.for_document(doc_id).path
    return path.read_bytes() if path.exists() else b""
