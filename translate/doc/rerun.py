"""What a re-run of ``translate run`` keeps: the same-source check and segment ids carried by content.

Review events name segment ids, and an event applies only while its segment's Arabic is
unchanged, so ids follow the Arabic ``source`` text, not the position:

* **kept**: a new segment whose ``source`` is exactly an old segment's takes that id. The old
  and new source lists are aligned with :class:`difflib.SequenceMatcher`; its equal runs are
  kept in place, then every other new segment takes a still-unmatched old segment with the
  same text (a moved sentence; duplicates are taken in order).
* **changed**: where the alignment replaced old segments with new ones, the new segments left
  unmatched there, paired in order with the old ones left unmatched there (an edited sentence).
* **new**: every other unmatched new segment; **removed**: every other unmatched old segment.
  Removed segments leave the document; their events stay in the log, never touched.

Changed and new segments get fresh ids ``s<N>``, numbered in document order above every
``s<N>`` in the old document or in the review log, so no id is ever reused for other text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from pathlib import Path

from translate.doc.model import Document
from translate.errors import DocumentIdTakenError
from translate.paths import reviews_dir

_NUMBERED = re.compile(r"s(\d+)")


@dataclass(frozen=True)
class RerunSummary:
    total: int
    kept: int
    changed: int
    new: int
    removed: int

    def __str__(self) -> str:
        removed = f", {self.removed} removed" if self.removed else ""
        return f"{self.total} segments: {self.kept} kept, {self.changed} changed, {self.new} new{removed}"


def logged_segment_ids(doc_id: str) -> set[str]:
    """Every segment id named in ``reviews/<doc>.jsonl``, read line by line and tolerantly
    (a torn line or a field this version does not know changes nothing)."""
    try:
        data = (reviews_dir() / f"{doc_id}.jsonl").read_bytes()
    except OSError:
        return set()
    ids = set()
    for line in data.split(b"\n"):
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict) and isinstance(event.get("segment"), str):
            ids.add(event["segment"])
    return ids


def carry_ids(old: Document | None, new: Document, used: Iterable[str] = ()) -> tuple[Document, RerunSummary]:
    """``new`` with ids carried from ``old`` by content (see the module doc) and what happened.

    ``used`` are ids a fresh id must also avoid (those in the review log).
    """
    olds = [s.source for s in old.segments] if old else []
    news = [s.source for s in new.segments]
    match: dict[int, int] = {}  # new index -> old index
    regions: list[tuple[range, range]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, olds, news, autojunk=False).get_opcodes():
        if tag == "equal":
            match.update({j1 + k: i1 + k for k in range(i2 - i1)})
        else:
            regions.append((range(i1, i2), range(j1, j2)))
    free: dict[str, list[int]] = {}
    for i in (i for region, _ in regions for i in region):
        free.setdefault(olds[i], []).append(i)
    for j in sorted(j for _, region in regions for j in region):
        if free.get(news[j]):
            match[j] = free[news[j]].pop(0)
    taken = set(match.values())
    changed = set()
    for old_region, new_region in regions:
        pairs = zip([i for i in old_region if i not in taken], [j for j in new_region if j not in match])
        changed.update(j for _, j in pairs)
    taken_ids = {s.id for s in old.segments} if old else set()
    numbers = [int(m.group(1)) for i in taken_ids | set(used) if (m := _NUMBERED.fullmatch(i))]
    fresh = max(numbers, default=0) + 1
    segments = []
    for j, seg in enumerate(new.segments):
        if j in match:
            segments.append(replace(seg, id=old.segments[match[j]].id))  # type: ignore[union-attr]
        else:
            segments.append(replace(seg, id=f"s{fresh}"))
            fresh += 1
    summary = RerunSummary(
        total=len(news), kept=len(match), changed=len(changed), new=len(news) - len(match) - len(changed),
        removed=len(olds) - len(match) - len(changed),
    )
    return replace(new, segments=tuple(segments)), summary


def check_same_source(folder: Path, article: str | Path, data: bytes, doc_id: str, *, via_out: bool) -> None:
    """Refuse to put a different article into ``folder`` when it already holds a document.

    The same article is the same resolved path (its text may have changed: that is a re-run)
    or the same bytes. The caller skips this for an explicit ``--id`` (the user chose).
    """
    from translate.doc.store import BILINGUAL_JSON, MANIFEST, SOURCE, previous_document, read_manifest

    if not any((folder / name).exists() for name in (SOURCE, BILINGUAL_JSON, MANIFEST)):
        return
    manifest = read_manifest(folder) or {}
    recorded = manifest.get("source_path") if isinstance(manifest.get("source_path"), str) else None
    if recorded and Path(recorded) == Path(article).resolve():
        return
    try:
        if (folder / SOURCE).read_bytes() == data:
            return
    except OSError:
        pass
    previous = previous_document(folder)
    if recorded:
        held = recorded
    elif previous and previous.source_name:
        held = previous.source_name
    else:
        held = "an article whose file was not recorded (written by an older version)"
    keep = "give another --out folder" if via_out else "pass --id OTHER"
    raise DocumentIdTakenError(
        f"{folder} already holds the document of {held}, not {article}: to keep both, {keep}; "
        f"to replace it with {article}, pass --id {doc_id}"
    )
