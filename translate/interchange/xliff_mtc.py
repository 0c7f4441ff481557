"""Translation-memory matches in XLIFF 2.1, as translation candidates (the ``mtc`` module).

Each match a segment was offered (``tm_matches`` of ``bilingual.json``) becomes one
``<mtc:match>`` in the unit's ``<mtc:matches>``, best first: ``ref`` points at the unit's
``<segment>`` (which then carries ``id``), ``similarity`` is the score, ``type="tm"``,
``origin="newsroom-translate TM"``, ``subType="nt:exact"`` / ``"nt:numbers-adapted"`` / ``"nt:fuzzy"``,
and an ``mda:metadata`` group ``tm-match`` names the document, segment, approver, time and kind.
CAT tools (Okapi, memoQ, Trados' XLIFF 2 filters) show them as candidates; import ignores them.
"""

from __future__ import annotations

from translate.interchange.units import MDA_NS, MTC_NS, XLIFF_NS, set_text, xml_safe

ORIGIN = "newsroom-translate TM"


def add_matches(unit, segment_id: str, matches) -> None:
    """Append ``<mtc:matches>`` for ``matches`` to the ``<unit>`` element (nothing when there are none)."""
    from lxml import etree

    if not matches:
        return
    box = etree.SubElement(unit, f"{{{MTC_NS}}}matches")
    for m in matches:
        kind = "exact" if m.exact else ("numbers-adapted" if m.adapted else "fuzzy")
        el = etree.SubElement(box, f"{{{MTC_NS}}}match", ref=f"#{xml_safe(segment_id)}", similarity=str(m.score),
                              type="tm", origin=ORIGIN, subType=f"nt:{kind}")
        group = etree.SubElement(etree.SubElement(el, f"{{{MDA_NS}}}metadata"), f"{{{MDA_NS}}}metaGroup",
                                 category="tm-match")
        for name, value in (("doc_id", m.doc_id), ("segment", m.segment), ("approved_by", m.approved_by),
                            ("at", m.at), ("kind", m.kind)):
            if value:
                etree.SubElement(group, f"{{{MDA_NS}}}meta", type=name).text = xml_safe(value)
        set_text(etree.SubElement(el, f"{{{XLIFF_NS}}}source"), m.source)
        set_text(etree.SubElement(el, f"{{{XLIFF_NS}}}target"), m.target)
