"""The TM step of ``translate run``: what each segment gets from the translation memory.

:func:`plan` looks every segment's Arabic up (:func:`translate.tm.match.lookup`) in the TM,
refreshed from the review logs first. A segment with an exact match (the same match key) is
pre-filled with its English, newest approval first (``origin: "tm"``; the model is not run for
it); every match at or above ``threshold`` (default 75) is offered in ``tm_matches``, best first
(except the document's own approval of the same segment, on a re-run: that is its review state).
Glossary terms and numbers are still looked for in a pre-filled segment and located in its
English, so QA flags a TM rendering that disagrees with today's glossary instead of changing it.
"""

from __future__ import annotations

from dataclasses import dataclass

from translate.doc.tm_match import TMMatch

DEFAULT_THRESHOLD = 75
MATCHES_PER_SEGMENT = 3


@dataclass(frozen=True)
class SegmentTM:
    """What the TM has for one segment: the exact match that pre-fills it (or ``None``) and the
    matches to offer."""

    exact: TMMatch | None
    matches: tuple[TMMatch, ...]


@dataclass(frozen=True)
class TMPlan:
    by_segment: dict[str, SegmentTM]
    problems: tuple[str, ...] = ()
    """Sources the TM left out (a damaged review log elsewhere): shown as warnings."""

    def get(self, seg_id: str) -> SegmentTM | None:
        return self.by_segment.get(seg_id)


def plan(doc, *, threshold: int = DEFAULT_THRESHOLD, limit: int = MATCHES_PER_SEGMENT) -> TMPlan:
    """Look up every segment of ``doc`` (see the module docstring)."""
    from translate.tm.match import lookup
    from translate.tm.memory import opened

    out: dict[str, SegmentTM] = {}
    with opened() as (store, report):
        for seg in doc.segments:
            found = lookup(store, seg.source, threshold=threshold, limit=limit + 1)
            # a re-run's own approval of this very segment is its review state, not a match
            matches = tuple(m for m in found if (m.kind, m.doc_id, m.segment) != ("review", doc.doc_id, seg.id))[:limit]
            if matches:
                out[seg.id] = SegmentTM(next((m for m in matches if m.exact), None), matches)
    return TMPlan(out, report.problems)


def tm_provenance(seg) -> dict:
    """What ``provenance.json`` adds for a segment pre-filled from the TM: ``origin: "tm"`` and ``tm``
    (the entry's document or TMX file, segment, approver, time, kind); nothing for MT segments."""
    if seg.origin != "tm":
        return {}
    exact = next((m for m in seg.tm_matches if m.exact), None)
    source = None if exact is None else {"doc_id": exact.doc_id, "segment": exact.segment,
                                         "approved_by": exact.approved_by, "at": exact.at, "kind": exact.kind}
    return {"origin": "tm", "tm": source}
