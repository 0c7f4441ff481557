"""XLIFF 2.1 out to a CAT tool (OmegaT, Trados, memoQ...) and back in as review events.

Export: ``srcLang="ar" trgLang="en"``, one ``<file id=DOC>`` (``canResegment="no"``), one
``<unit id=SEGMENT>`` per segment with one ``<segment>``. Each unit carries, in the
metadata module (``mda:``), its kind, paragraph, the review revision it was exported at
(``rev``), its status and ``base-sha256`` (digest of the exported target); glossary terms
go both into ``<notes>`` (``category="glossary"``, shown by every CAT tool) and into the
glossary module (``gls:``); reviewer comments are notes with ``category="comment"``;
translation-memory matches are translation candidates (``mtc:``, :mod:`translate.interchange.xliff_mtc`).

| review status | XLIFF ``state`` | |
|---|---|---|
| draft | ``initial`` | machine translation, untouched |
| edited | ``translated`` | post-edited, not yet approved |
| rejected | ``reviewed``, ``subState="translate:rejected"`` | reviewed and turned down; a ``review`` note says so |
| approved | ``final`` | |
| stale | ``initial`` (rev 0) or ``translated`` | its approval no longer holds; a ``review`` note says why |

Import checks the whole file first (well-formed, XLIFF 2 namespace, schema-valid, exactly one
``<file>`` whose id is the document's, known and unique unit ids, unchanged sources, our
metadata present); any problem raises :class:`InputFileError` naming the file and line, and
nothing is written. Then, per unit (a missing or blank target leaves the unit alone):

* target equal to the current text: nothing, or an ``approve`` if the unit is ``final`` and
  the segment is not approved yet (a **conflict** if it was rejected here since the export);
* target unchanged since export (same ``base-sha256``) and not ``final``: nothing, even if
  the segment was edited here meanwhile;
* otherwise, if the segment's revision moved since export, a **conflict** (someone edited it
  here in the meantime); else an ``edit`` based on the exported revision (plus an
  ``approve`` if the unit is ``final``).

``initial``/``translated``/``reviewed`` never change a status by themselves, and an import
never un-approves except through an edit. Each edit carries the note ``imported from FILE``.

Conflicts: with ``partial=False`` (the default) every event is checked and written under one
lock in one append (:meth:`~translate.review.log.ReviewLog.record_many`): a conflict found when
planning or when writing (someone edited a segment in between) writes nothing, so an import
never half-applies; with ``partial=True`` each unit (its edit and approval together) is applied
or refused on its own. Either way the conflicts are returned (the CLI exits 1). An approval of
English with QA errors is refused as in ``translate review approve`` unless ``override`` gives
a reason; without ``partial`` that refusal also writes nothing.

Characters XML 1.0 cannot hold travel as ``<cp>`` in sources, targets and notes, and are
replaced by U+FFFD in attributes and module elements (the review log keeps the original).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translate import __version__
from translate.doc.model import Document
from translate.doc.store import load_document
from translate.errors import ApprovalRefusedError, InputFileError, ReviewConflictError
from translate.interchange.units import GLS_NS, MDA_NS, MTC_NS, XLIFF_NS, check_xliff_tree, parse_xml, plain_text, set_text, xml_safe
from translate.interchange.xliff_mtc import add_matches
from translate.review.events import sha256_hex
from translate.review.log import Event, ReviewLog, SegmentState, Write, is_approved, states
from translate.review.rules import check_override, check_reviewer, unknown_segment
from translate.textio import atomic_write_bytes

STATE_OF_STATUS = {"draft": "initial", "edited": "translated", "rejected": "reviewed", "approved": "final",
                   "stale": "translated"}
META_GROUP = "newsroom-translate"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_X = "{%s}" % XLIFF_NS
_M = "{%s}" % MDA_NS
_G = "{%s}" % GLS_NS


def digest(text: str) -> str:
    return sha256_hex(text)


@dataclass(frozen=True)
class Conflict:
    """A unit changed in the CAT tool whose segment was also changed here since the export."""

    segment: str
    reason: str
    current: SegmentState
    imported: str

    def __str__(self) -> str:
        return f"{self.segment}: {self.reason}; current text {self.current.text!r}, imported {self.imported!r}"

    def to_dict(self) -> dict[str, Any]:
        return {"segment": self.segment, "reason": self.reason, "current": self.current.to_dict(),
                "imported": self.imported}


def _moved(base_rev: int, cur: SegmentState) -> str:
    who = f" by {cur.edited_by}" if cur.edited_by else ""
    return f"edited here since the export (exported at rev {base_rev}, now rev {cur.rev}{who})"


@dataclass(frozen=True)
class ImportResult:
    applied: tuple[Event, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    unchanged: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"applied": [e.to_dict() for e in self.applied], "conflicts": [c.to_dict() for c in self.conflicts],
                "unchanged": list(self.unchanged)}


# --------------------------------------------------------------------------- export


def _meta(group, kind: str, value: str) -> None:
    from lxml import etree

    etree.SubElement(group, _M + "meta", type=kind).text = xml_safe(value)


def _unit(file_el, seg, state: SegmentState) -> None:
    from lxml import etree

    unit = etree.SubElement(file_el, _X + "unit", id=xml_safe(seg.id))
    group = etree.SubElement(etree.SubElement(unit, _M + "metadata"), _M + "metaGroup", category=META_GROUP)
    for kind, value in (("kind", seg.kind), ("paragraph", str(seg.paragraph)), ("rev", str(state.rev)),
                        ("status", state.status), ("base-sha256", digest(state.text))):
        _meta(group, kind, value)
    if seg.terms:
        gls = etree.SubElement(unit, _G + "glossary")
        for term in seg.terms:
            entry = etree.SubElement(gls, _G + "glossEntry")
            etree.SubElement(entry, _G + "term", source=xml_safe(term.entry or "glossary")).text = xml_safe(term.source)
            etree.SubElement(entry, _G + "translation").text = xml_safe(term.target)
            if term.note or term.category:
                definition = "; ".join(x for x in (term.category, term.note) if x)
                etree.SubElement(entry, _G + "definition").text = xml_safe(definition)
    add_matches(unit, seg.id, seg.tm_matches)  # translation-memory matches as candidates (mtc module)
    notes = []
    for term in seg.terms:
        extra = f" ({term.category})" if term.category else ""
        notes.append(("glossary", f"{term.source} = {term.target}{extra}" + (f": {term.note}" if term.note else "")))
    if state.status == "rejected":
        notes.append(("review", "rejected by a reviewer: not approved (see the comments)"))
    if state.status == "stale":
        notes.append(("review", f"stale: {state.reason}: its approval no longer holds; review it again"))
    notes.extend(("comment", f"{who} ({at}): {text}") for who, at, text in state.comments)
    if notes:
        notes_el = etree.SubElement(unit, _X + "notes")
        for category, text in notes:  # a <note> holds text only: no <cp>
            etree.SubElement(notes_el, _X + "note", category=category).text = xml_safe(text)
    attrs = {"state": "initial" if state.status == "stale" and state.rev == 0 else STATE_OF_STATUS[state.status]}
    if state.status == "rejected":
        attrs["subState"] = "translate:rejected"
    if seg.tm_matches:
        attrs["id"] = xml_safe(seg.id)  # what the matches' ref points at
    segment = etree.SubElement(unit, _X + "segment", attrs)
    set_text(etree.SubElement(segment, _X + "source"), seg.source)
    set_text(etree.SubElement(segment, _X + "target"), state.text)


def xliff_bytes(doc: Document, seg_states: dict[str, SegmentState]) -> bytes:
    from lxml import etree

    root = etree.Element(_X + "xliff", nsmap={None: XLIFF_NS, "mda": MDA_NS, "gls": GLS_NS, "mtc": MTC_NS},
                         version="2.1", srcLang="ar", trgLang="en")
    file_el = etree.SubElement(root, _X + "file", id=xml_safe(doc.doc_id), original=f"{xml_safe(doc.doc_id)}/source.ar.txt",
                               canResegment="no", srcDir="rtl", trgDir="ltr")
    group = etree.SubElement(etree.SubElement(file_el, _M + "metadata"), _M + "metaGroup", category="provenance")
    _meta(group, "signature", str(doc.signature) if doc.signature else "none")
    _meta(group, "exported-by", f"newsroom-translate {__version__}")
    for seg in doc.segments:
        _unit(file_el, seg, seg_states[seg.id])
    return XML_DECLARATION + etree.tostring(root, encoding="UTF-8", pretty_print=True)


def export_xliff(doc: Document, seg_states: dict[str, SegmentState], path: str | Path) -> int:
    """Write ``doc`` with its current review ``seg_states`` as XLIFF 2.1 (atomically); return the unit count."""
    atomic_write_bytes(path, xliff_bytes(doc, seg_states))
    return len(doc.segments)


# --------------------------------------------------------------------------- import


@dataclass(frozen=True)
class _Unit:
    id: str
    line: int
    state: str
    target: str | None
    base_rev: int
    base_sha: str
    base_status: str


def _read_units(doc: Document, path: Path) -> list[_Unit]:
    tree = parse_xml(path)
    root = tree.getroot()
    if root.tag != _X + "xliff":
        raise InputFileError(path, f"not an XLIFF 2 file: root element is {root.tag!r}, expected "
                                   f"'xliff' in namespace {XLIFF_NS}", root.sourceline)
    check_xliff_tree(tree, path)
    files = root.findall(_X + "file")
    if len(files) != 1 or files[0].get("id") != doc.doc_id:
        bad = next((f for f in files if f.get("id") != doc.doc_id), files[-1])
        raise InputFileError(path, f"file id {bad.get('id')!r} is not document {doc.doc_id!r} "
                                   f"(expected exactly one <file id={doc.doc_id!r}>)", bad.sourceline)
    units: dict[str, _Unit] = {}
    for unit in files[0].iter(_X + "unit"):
        if unit.get("id") in units:
            raise InputFileError(path, f"unit {unit.get('id')!r} appears twice", unit.sourceline)
        units[unit.get("id")] = _read_unit(doc, path, unit)
    return list(units.values())


def _read_unit(doc: Document, path: Path, unit) -> _Unit:
    uid, line = unit.get("id"), unit.sourceline
    try:
        seg = doc.segment(uid)
    except KeyError:
        raise InputFileError(path, unknown_segment(doc, uid), line) from None
    segments = unit.findall(_X + "segment")
    if len(segments) != 1:
        raise InputFileError(path, f"unit {uid!r} has {len(segments)} segments, expected 1 (it was exported "
                                   "with canResegment=no)", line)
    source = plain_text(segments[0].find(_X + "source"), path)
    if source.split() != seg.source.split():
        raise InputFileError(path, f"unit {uid!r}: source differs from the document's (was it re-run?)", line)
    meta = {m.get("type"): (m.text or "") for m in unit.iterfind(f"{_M}metadata/{_M}metaGroup/{_M}meta")}
    if not meta.get("rev", "").isdigit() or "base-sha256" not in meta:
        raise InputFileError(path, f"unit {uid!r} has no 'rev'/'base-sha256' metadata "
                                   "(export it with 'translate export --xliff')", line)
    target_el = segments[0].find(_X + "target")
    target = None if target_el is None else plain_text(target_el, path)
    return _Unit(uid, line, segments[0].get("state", "initial"), target if target and target.strip() else None,
                 int(meta["rev"]), meta["base-sha256"], meta.get("status", ""))


def plan_import(
    units: list[_Unit], current: dict[str, SegmentState]
) -> tuple[list[tuple[_Unit, bool, bool]], list[Conflict], list[str]]:
    """Split units into planned ``(unit, edit?, approve?)`` actions, conflicts and unchanged ids."""
    actions, conflicts, unchanged = [], [], []
    for u in units:
        cur = current[u.id]
        final = u.state == "final" and not is_approved(cur)
        if u.target is None or (u.target == cur.text and not final):
            unchanged.append(u.id)
        elif u.target == cur.text:
            if cur.status == "rejected" and u.base_status != "rejected":
                conflicts.append(Conflict(u.id, "rejected here since the export", cur, u.target))
            else:
                actions.append((u, False, True))
        elif digest(u.target) == u.base_sha and not final:
            unchanged.append(u.id)
        elif cur.rev != u.base_rev:
            conflicts.append(Conflict(u.id, _moved(u.base_rev, cur), cur, u.target))
        else:
            actions.append((u, True, final))
    return actions, conflicts, unchanged


def _writes(u: _Unit, edit: bool, approve: bool, cur_rev: int, note: str, override: str | None) -> list[Write]:
    """A unit's events: an edit based on the exported revision, and/or an approval of the revision
    it leads to (the one the CAT tool showed)."""
    writes = [Write(u.id, "edit", text=u.target, base_rev=u.base_rev, note=note)] if edit else []
    if approve:
        writes.append(Write(u.id, "approve", base_rev=u.base_rev + 1 if edit else cur_rev, override=override))
    return writes


def import_xliff(doc_id: str, path: str | Path, reviewer: str, *, partial: bool = False,
                 override: str | None = None) -> ImportResult:
    """Turn a post-edited XLIFF into review events by ``reviewer`` (see the module docstring)."""
    path = Path(path)
    reviewer = check_reviewer(reviewer)
    check_override(override)
    doc = load_document(doc_id)
    units = _read_units(doc, path)
    current = states(doc)
    actions, conflicts, unchanged = plan_import(units, current)
    if conflicts and not partial:
        return ImportResult((), tuple(conflicts), tuple(unchanged))
    log = ReviewLog.for_document(doc.doc_id)
    note = f"imported from {path.name}"
    batches = [(u, _writes(u, edit, approve, current[u.id].rev, note, override)) for u, edit, approve in actions]
    if not partial:  # every event checked and written under one lock, in one append, or none
        try:
            written = log.record_many(doc, reviewer, [w for _, ws in batches for w in ws])
        except ReviewConflictError as exc:  # changed between planning and writing
            return ImportResult((), (_late_conflict(doc, batches, exc),), tuple(unchanged))
        return ImportResult(tuple(e for e, _ in written), (), tuple(unchanged))
    applied = []
    for u, writes in batches:
        try:
            applied += [e for e, _ in log.record_many(doc, reviewer, writes)]
        except ReviewConflictError as exc:
            conflicts.append(_late_conflict(doc, [(u, writes)], exc))
        except ApprovalRefusedError as exc:
            reason = "QA errors block its approval: " + "; ".join(f"{i.check}: {i.message}" for i in exc.failures[0][1])
            conflicts.append(Conflict(u.id, reason, states(doc)[u.id], u.target or ""))
    return ImportResult(tuple(applied), tuple(conflicts), tuple(unchanged))


def _late_conflict(doc: Document, batches: list[tuple[_Unit, list[Write]]], exc: ReviewConflictError) -> Conflict:
    cur = exc.current if isinstance(exc.current, SegmentState) else None
    unit = next((u for u, _ in batches if cur is not None and u.id == cur.segment), batches[0][0])
    cur = cur or states(doc)[unit.id]
    return Conflict(unit.id, _moved(unit.base_rev, cur), cur, unit.target or "")
