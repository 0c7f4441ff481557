"""TMX 1.4b export of the approved segments, for a CAT tool's translation memory.

The header names the tool (``newsroom-translate`` and its version), ``srclang="ar"``,
``segtype="sentence"``, ``adminlang="en"``, ``datatype="plaintext"``, ``o-tmf="newsroom-translate"``
and carries the provenance signature as ``<prop type="x-signature">``. Each approved segment is
one ``<tu tuid=SEGMENT>`` with ``<prop>``s for the document and the segment kind, a
``<tuv xml:lang="ar">`` (the source) and a ``<tuv xml:lang="en">`` (the approved English);
``creationid`` is who wrote the English (the last editor, else the approver), ``changeid``
the approver and ``changedate`` the approval time, in TMX's ``YYYYMMDDThhmmssZ``.
Segments not approved (:func:`~translate.review_events.is_approved`) are left out. TMX has no
escape for characters XML 1.0 cannot hold (a control character in a reviewer name or a text):
they are replaced by U+FFFD in the export; the review log keeps the original.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from . import __version__
from .document import Document
from .interchange import xml_safe
from .review import SegmentState, is_approved
from .textio import atomic_write_bytes

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TOOL = "newsroom-translate"


def tmx_date(value: str | None) -> str | None:
    """An ISO 8601 time as TMX wants it (UTC, ``20240101T120000Z``); ``None`` if unknown or unparsable."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def tmx_bytes(doc: Document, seg_states: dict[str, SegmentState]) -> tuple[bytes, int]:
    """The TMX document and how many translation units it holds."""
    from lxml import etree

    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(
        root, "header", creationtool=TOOL, creationtoolversion=__version__, segtype="sentence",
        adminlang="en", srclang="ar", datatype="plaintext", **{"o-tmf": TOOL},
    )
    etree.SubElement(header, "prop", type="x-signature").text = xml_safe(str(doc.signature) if doc.signature else "none")
    body = etree.SubElement(root, "body")
    count = 0
    for seg in doc.segments:
        state = seg_states[seg.id]
        if not is_approved(state):
            continue
        attrs = {"tuid": xml_safe(seg.id)}
        for name, value in (("creationid", state.edited_by or state.approved_by),
                            ("changeid", state.approved_by), ("changedate", tmx_date(state.approved_at))):
            if value:
                attrs[name] = xml_safe(value)
        tu = etree.SubElement(body, "tu", attrs)
        etree.SubElement(tu, "prop", type="x-document").text = xml_safe(doc.doc_id)
        etree.SubElement(tu, "prop", type="x-kind").text = xml_safe(seg.kind)
        for lang, text in (("ar", seg.source), ("en", state.text)):
            tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
            etree.SubElement(tuv, "seg").text = xml_safe(text)
        count += 1
    data = b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(
        root, encoding="UTF-8", pretty_print=True, doctype='<!DOCTYPE tmx SYSTEM "tmx14.dtd">')
    return data, count


def export_tmx(doc: Document, seg_states: dict[str, SegmentState], path: str | Path) -> int:
    """Write the approved segments of ``doc`` as TMX 1.4b (atomically); return how many."""
    data, count = tmx_bytes(doc, seg_states)
    atomic_write_bytes(path, data)
    return count
