"""The values of the translation memory (stdlib only): :class:`Unit`, one TM entry.

A match found for a segment is :class:`translate.doc.tm_match.TMMatch` (a value of the
document: ``bilingual.json`` holds it), scored by :mod:`translate.tm.match`.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("review", "tmx")


@dataclass(frozen=True)
class Unit:
    """One TM entry: an Arabic source, its approved English, and where it comes from."""

    source: str
    target: str
    kind: str
    doc_id: str
    segment: str
    approved_by: str | None = None
    at: str | None = None
