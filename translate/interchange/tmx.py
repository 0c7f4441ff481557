"""TMX 1.4b writing: the one writer behind ``translate export --tmx`` and ``translate tm export``.

The header names the tool (``newsroom-translate`` and its version), ``srclang="ar"``,
``segtype="sentence"``, ``adminlang="en"``, ``datatype="plaintext"``, ``o-tmf="newsroom-translate"``,
and may carry ``<prop>``s (a document's provenance signature as ``x-signature``). Each
:class:`TMXUnit` is one ``<tu>`` (with ``tuid`` when it has one) holding its ``<prop>``s, a
``<tuv xml:lang="ar">`` and a ``<tuv xml:lang="en">``; ``creationid``, ``changeid`` and
``changedate`` (TMX's ``YYYYMMDDThhmmssZ``) when known. TMX has no escape for characters XML 1.0
cannot hold (a control character in a reviewer name or a text): every attribute and text goes
through :func:`~translate.interchange.units.xml_safe` (U+FFFD), so the file is always valid
against the TMX 1.4b DTD; the review log and the TM keep the original.

A document's export (:func:`export_tmx`) holds its approved segments only
(:func:`~translate.review.events.is_approved`): ``tuid`` the segment id, ``<prop>``s
``x-document`` and ``x-kind``, ``creationid`` who wrote the English (the last editor, else the
approver), ``changeid`` the approver, ``changedate`` the approval time. The TM's export
(:func:`translate.tm.memory.export_tmx`) builds its units from the TM entries. Reading TMX
into the TM is :mod:`translate.tm.tmx_io`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from translate import __version__
from translate.doc.model import Document
from translate.interchange.units import xml_safe
from translate.review.events import SegmentState, is_approved
from translate.textio import atomic_write_bytes

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TOOL = "newsroom-translate"


@dataclass(frozen=True)
class TMXUnit:
    """One ``<tu>``: the Arabic, the English, its ``<prop>``s (type, text) and who/when (ISO 8601 time)."""

    source: str
    target: str
    props: tuple[tuple[str, str], ...] = ()
    tuid: str | None = None
    creationid: str | None = None
    changeid: str | None = None
    changedate: str | None = None


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


def tmx_bytes(units: Iterable[TMXUnit], header_props: Iterable[tuple[str, str]] = ()) -> tuple[bytes, int]:
    """The TMX 1.4b document of ``units`` and how many translation units it holds."""
    from lxml import etree

    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(
        root, "header", creationtool=TOOL, creationtoolversion=__version__, segtype="sentence",
        adminlang="en", srclang="ar", datatype="plaintext", **{"o-tmf": TOOL},
    )
    for kind, value in header_props:
        etree.SubElement(header, "prop", type=kind).text = xml_safe(value)
    body = etree.SubElement(root, "body")
    count = 0
    for u in units:
        attrs = {name: xml_safe(value) for name, value in (
            ("tuid", u.tuid), ("creationid", u.creationid), ("changeid", u.changeid),
            ("changedate", tmx_date(u.changedate))) if value}
        tu = etree.SubElement(body, "tu", attrs)
        for kind, value in u.props:
            etree.SubElement(tu, "prop", type=kind).text = xml_safe(value)
        for lang, text in (("ar", u.source), ("en", u.target)):
            tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
            etree.SubElement(tuv, "seg").text = xml_safe(text)
        count += 1
    data = b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(
        root, encoding="UTF-8", pretty_print=True, doctype='<!DOCTYPE tmx SYSTEM "tmx14.dtd">')
    return data, count


def write_tmx(units: Iterable[TMXUnit], path: str | Path, header_props: Iterable[tuple[str, str]] = ()) -> int:
    """Write ``units`` as TMX 1.4b (atomically); return how many."""
    data, count = tmx_bytes(units, header_props)
    atomic_write_bytes(path, data)
    return count


def approved_units(doc: Document, seg_states: dict[str, SegmentState]) -> list[TMXUnit]:
    """The approved segments of ``doc`` as TMX units (module docstring)."""
    units = []
    for seg in doc.segments:
        state = seg_states[seg.id]
        if is_approved(state):
            units.append(TMXUnit(seg.source, state.text, (("x-document", doc.doc_id), ("x-kind", seg.kind)),
                                 tuid=seg.id, creationid=state.edited_by or state.approved_by,
                                 changeid=state.approved_by, changedate=state.approved_at))
    return units


def export_tmx(doc: Document, seg_states: dict[str, SegmentState], path: str | Path) -> int:
    """Write the approved segments of ``doc`` as TMX 1.4b (atomically); return how many."""
    signature = str(doc.signature) if doc.signature else "none"
    return write_tmx(approved_units(doc, seg_states), path, header_props=(("x-signature", signature),))
