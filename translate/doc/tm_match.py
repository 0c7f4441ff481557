"""The TM-match value of a segment (stdlib only): what ``bilingual.json`` lists under ``"tm_matches"``.

A :class:`TMMatch` is what a segment of ``bilingual.json`` lists under ``"tm_matches"``::

    {"score": 95, "source": "...", "target": "...", "doc_id": "article", "segment": "s16",
     "approved_by": "amal", "at": "2024-05-01T09:30:00Z", "kind": "review", "exact": false,
     "adapted": true, "diff": [[61, 64]]}

| field | what |
|---|---|
| ``score`` | 0-100, see :mod:`translate.tm.match`; 100 only for the same match key |
| ``source``, ``target`` | the TM entry's Arabic (as written) and English (numbers adapted when ``adapted``) |
| ``doc_id``, ``segment`` | where it was approved, or the imported TMX copy's file name and the unit's ``tuid`` |
| ``approved_by``, ``at`` | who approved it and when (for TMX: ``changeid``/``creationid`` and the date) |
| ``kind`` | ``review`` (an approval in a review log) or ``tmx`` (an imported TMX file) |
| ``exact`` | the same match key as the segment (the entry that pre-fills it) |
| ``adapted`` | the only differences were numbers, and the English now carries the segment's numbers |
| ``diff`` | ``[start, end]`` spans of ``source``: the words that differ from the segment's Arabic |
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TMMatch:
    """A TM entry found for a segment, scored against it."""

    score: int
    source: str
    target: str
    doc_id: str
    segment: str
    approved_by: str | None = None
    at: str | None = None
    kind: str = "review"
    exact: bool = False
    adapted: bool = False
    diff: tuple[tuple[int, int], ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score, "source": self.source, "target": self.target, "doc_id": self.doc_id,
            "segment": self.segment, "approved_by": self.approved_by, "at": self.at, "kind": self.kind,
            "exact": self.exact, "adapted": self.adapted, "diff": [list(span) for span in self.diff],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TMMatch:
        return cls(
            score=int(d["score"]), source=d["source"], target=d["target"], doc_id=d.get("doc_id", ""),
            segment=d.get("segment", ""), approved_by=d.get("approved_by"), at=d.get("at"),
            kind=d.get("kind", "review"), exact=bool(d.get("exact", False)), adapted=bool(d.get("adapted", False)),
            diff=tuple((int(a), int(b)) for a, b in d.get("diff", ())),
        )
