"""XLIFF 2.1 out to a CAT tool (OmegaT, Trados, memoQ...) and back in as review events.

Export: ``srcLang="ar" trgLang="en"``, one ``<file id=DOC>`` (``canResegment="no"``), one
``<unit id=SEGMENT>`` per segment with one ``<segment>``. Each unit carries, in the
metadata module (``mda:``), its kind, paragraph, the review revision it was exported at
(``rev``), its status and ``base-sha256`` (digest of the exported target); glossary terms
go both into ``<notes>`` (``category="glossary"``, shown by every CAT tool) and into the
glossary module (``gls:``); reviewer comments are notes with ``category="comment"``.

| review status | XLIFF ``state`` | |
|---|---|---|
| draft | ``initial`` | machine translation, untouched |
| edited | ``translated`` | post-edited, not yet approved |
| rejected | ``reviewed``, ``subState="translate:rejected"`` | reviewed and turned down; a ``review`` note says so |
| approved | ``final`` | |

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

Conflicts: with ``partial=False`` (the default) nothing at all is applied when there is any
conflict, so an import never half-applies; with ``partial=True`` the other units are applied.
Either way the conflicts are returned (the CLI exits 1).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .document import Document
from .errors import InputFileError, ReviewConflictError
from .interchange import GLS_NS, MDA_NS, XLIFF_NS, check_xliff_tree, parse_xml, plain_text, set_text
from .review import Event, ReviewLog, SegmentState, states
from .store import load_document
from .textio import atomic_write_bytes

STATE_OF_STATUS = {"draft": "initial", "edited": "translated", "rejected": "reviewed", "approved": "final"}
META_GROUP = "newsroom-translate"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_X = "{%s}" % XLIFF_NS
_M = "{%s}" % MDA_NS
_G = "{%s}" % GLS_NS


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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

    etree.SubElement(group, _M + "meta", type=kind).text = value


def _unit(file_el, seg, state: SegmentState) -> None:
    from lxml import etree

    unit = etree.SubElement(file_el, _X + "unit", id=seg.id)
    group = etree.SubElement(etree.SubElement(unit, _M + "metadata"), _M + "metaGroup", category=META_GROUP)
    for kind, value in (("kind", seg.kind), ("paragraph", str(seg.paragraph)), ("rev", str(state.rev)),
                        ("status", state.status), ("base-sha256", digest(state.text))):
        _meta(group, kind, value)
    if seg.terms:
        gls = etree.SubElement(unit, _G + "glossary")
        for term in seg.terms:
            entry = etree.SubElement(gls, _G + "glossEntry")
            etree.SubElement(entry, _G + "term", source=term.entry or "glossary").text = term.source
            etree.SubElement(entry, _G + "translation").text = term.target
            if term.note or term.category:
                etree.SubElement(entry, _G + "definition").text = "; ".join(x for x in (term.category, term.note) if x)
    notes = []
    for term in seg.terms:
        extra = f" ({term.category})" if term.category else ""
        notes.append(("glossary", f"{term.source} = {term.target}{extra}" + (f": {term.note}" if term.note else "")))
    if state.status == "rejected":
        notes.append(("review", "rejected by a reviewer: not approved (see the comments)"))
    notes.extend(("comment", f"{who} ({at}): {text}") for who, at, text in state.comments)
    if notes:
        notes_el = etree.SubElement(unit, _X + "notes")
        for category, text in notes:
            set_text(etree.SubElement(notes_el, _X + "note", category=category), text)
    attrs = {"state": STATE_OF_STATUS[state.status]}
    if state.status == "rejected":
        attrs["subState"] = "translate:rejected"
    segment = etree.SubElement(unit, _X + "segment", attrs)
    set_text(etree.SubElement(segment, _X + "source"), seg.source)
    set_text(etree.SubElement(segment, _X + "target"), state.text)


def xliff_bytes(doc: Document, seg_states: dict[str, SegmentState]) -> bytes:
    from lxml import etree

    root = etree.Element(_X + "xliff", nsmap={None: XLIFF_NS, "mda": MDA_NS, "gls": GLS_NS},
                         version="2.1", srcLang="ar", trgLang="en")
    file_el = etree.SubElement(root, _X + "file", id=doc.doc_id, original=f"{doc.doc_id}/source.ar.txt",
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
        raise InputFileError(path, f"unit {uid!r} is not a segment of document {doc.doc_id!r}", line) from None
    segments = unit.findall(_X + "segment")
    if len(segments) != 1:
        raise InputFileError(path, f"unit {uid!r} has {len(segments)} segments, expected 1 (it was exported "
                                   "with canResegment=no)", line)
    source = plain_text(segments[0].find(_X + "source"))
    if source.split() != seg.source.split():
        raise InputFileError(path, f"unit {uid!r}: source differs from the document's (was it re-run?)", line)
    meta = {m.get("type"): (m.text or "") for m in unit.iterfind(f"{_M}metadata/{_M}metaGroup/{_M}meta")}
    if not meta.get("rev", "").isdigit() or "base-sha256" not in meta:
        raise InputFileError(path, f"unit {uid!r} has no 'rev'/'base-sha256' metadata "
                                   "(export it with 'translate export --xliff')", line)
    target_el = segments[0].find(_X + "target")
    target = None if target_el is None else plain_text(target_el)
    return _Unit(uid, line, segments[0].get("state", "initial"), target if target and target.strip() else None,
                 int(meta["rev"]), meta["base-sha256"], meta.get("status", ""))


def plan_import(
    units: list[_Unit], current: dict[str, SegmentState]
) -> tuple[list[tuple[_Unit, bool, bool]], list[Conflict], list[str]]:
    """Split units into planned ``(unit, edit?, approve?)`` actions, conflicts and unchanged ids."""
    actions, conflicts, unchanged = [], [], []
    for u in units:
        cur = current[u.id]
        final = u.state == "final" and cur.status != "approved"
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


def import_xliff(doc_id: str, path: str | Path, reviewer: str, *, partial: bool = False) -> ImportResult:
    """Turn a post-edited XLIFF into review events by ``reviewer`` (see the module docstring)."""
    if not reviewer or not reviewer.strip():
        raise ValueError("a reviewer name is required")
    path = Path(path)
    doc = load_document(doc_id)
    units = _read_units(doc, path)
    actions, conflicts, unchanged = plan_import(units, states(doc))
    if conflicts and not partial:
        return ImportResult((), tuple(conflicts), tuple(unchanged))
    log = ReviewLog.for_document(doc.doc_id)
    note = f"imported from {path.name}"
    applied = []
    for u, edit, approve in actions:
        base = u.base_rev if edit else states(doc)[u.id].rev
        try:
            if edit:
                event, state = log.record(doc, reviewer=reviewer, segment=u.id, action="edit",
                                          text=u.target, base_rev=base, note=note)
                applied.append(event)
                base = state.rev
            if approve:
                applied.append(log.append(doc, reviewer=reviewer, segment=u.id, action="approve", base_rev=base))
        except ReviewConflictError as exc:  # changed while we were applying
            cur = exc.current if isinstance(exc.current, SegmentState) else states(doc)[u.id]
            conflicts.append(Conflict(u.id, _moved(base, cur), cur, u.target or ""))
    return ImportResult(tuple(applied), tuple(conflicts), tuple(unchanged))
