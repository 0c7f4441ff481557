"""What the .docx modules share: opening a user's .docx safely, reading a paragraph's visible
text, custom document properties, and right-to-left Arabic runs.

Reading (:func:`paragraph_text`) takes tracked changes as accepted: inserted and moved-to text
is kept, deleted and moved-from text dropped; hidden text (``w:vanish``, set on the run, its
character style or its paragraph style) never comes through; tabs and line breaks are spaces.
Text boxes, drawings, field codes, footnotes, headers and comments are not body text.

Everything in ``python-docx`` is imported inside the functions: ``import translate`` stays light.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from translate.errors import InputFileError
from translate.textio import missing
from translate.interchange.units import xml_safe

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{%s}" % W_NS
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_UNPACKED = 256 * 1024 * 1024
ARABIC_FONT = "Arial"
"""Has Arabic glyphs in Word on Windows and macOS; LibreOffice substitutes a font that has them."""

_SKIP = {W + t for t in ("del", "moveFrom", "delText", "instrText", "delInstrText", "pPr", "rPr", "drawing",
                         "pict", "object", "fldData", "sym", "footnoteReference", "endnoteReference",
                         "commentReference")}
_SPACE = {W + t for t in ("tab", "br", "cr", "ptab")}
_OFF = ("0", "false", "off")
_AFTER_BIDI = tuple("w:" + t for t in (
    "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap",
    "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
    "sectPr", "pPrChange"))


def open_docx(path: str | Path):
    """``docx.Document`` of ``path``; an :class:`InputFileError` naming the file for anything unreadable."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    p = Path(path)
    if p.is_dir():
        raise InputFileError(p, "is a directory, not a .docx file")
    if not p.is_file():
        raise InputFileError(p, missing(p))
    data = p.read_bytes()
    if data.startswith(_OLE_MAGIC):
        raise InputFileError(p, "is password-protected (encrypted) or an old Word 97-2003 .doc: save it in Word "
                                "as a .docx without a password and try again")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if sum(info.file_size for info in zf.infolist()) > MAX_UNPACKED:
                raise InputFileError(p, f"unpacks to more than {MAX_UNPACKED // 2**20} MiB: refused")
            if "word/document.xml" not in zf.namelist() and "[Content_Types].xml" not in zf.namelist():
                raise InputFileError(p, "is a ZIP file but not a Word document (no word/document.xml)")
        return docx.Document(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        if not data.startswith(b"PK"):
            raise InputFileError(p, "is not a .docx file (not a ZIP package: corrupt, or another format "
                                    "renamed to .docx)") from None
        raise InputFileError(p, f"is a damaged .docx ({exc})") from None
    except (PackageNotFoundError, KeyError, ValueError, zlib.error, EOFError, etree.XMLSyntaxError) as exc:
        raise InputFileError(p, f"is not a readable Word document ({exc})") from None


# ----------------------------------------------------------------------------- styles and text


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str | None
    hidden: bool | None  # w:vanish in the style's run properties, None when not set


class Styles:
    """Paragraph and character styles by id: names, and whether they hide their text."""

    def __init__(self, document):
        self.by_id: dict[str, _Style] = {}
        self.default_paragraph: str | None = None
        try:
            root = document.styles.element
        except (KeyError, ValueError):  # a package without styles.xml: no styles
            return
        for st in root.iter(W + "style"):
            sid = st.get(W + "styleId")
            name = st.find(W + "name")
            based = st.find(W + "basedOn")
            self.by_id[sid] = _Style(
                (name.get(W + "val") if name is not None else sid) or "",
                based.get(W + "val") if based is not None else None,
                _flag(st.find(f"{W}rPr/{W}vanish")),
            )
            if st.get(W + "type") == "paragraph" and st.get(W + "default") in ("1", "true", "on"):
                self.default_paragraph = sid

    def name(self, style_id: str | None) -> str:
        style = self.by_id.get(style_id or self.default_paragraph or "")
        return style.name if style else ""

    def hidden(self, style_id: str | None) -> bool:
        seen = set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            if style.hidden is not None:
                return style.hidden
            style_id = style.based_on
        return False


def _flag(el) -> bool | None:
    if el is None:
        return None
    return el.get(W + "val", "true").lower() not in _OFF


def paragraph_style_id(p) -> str | None:
    ps = p.find(f"{W}pPr/{W}pStyle")
    return ps.get(W + "val") if ps is not None else None


def _run_hidden(r, styles: Styles | None, para_hidden: bool) -> bool:
    rpr = r.find(W + "rPr")
    if rpr is not None:
        for tag in ("vanish", "specVanish"):
            flag = _flag(rpr.find(W + tag))
            if flag is not None:
                return flag
        rstyle = rpr.find(W + "rStyle")
        if styles is not None and rstyle is not None and styles.hidden(rstyle.get(W + "val")):
            return True
    return para_hidden


def paragraph_text(p, styles: Styles | None = None) -> str:
    """The visible text of a ``w:p`` element, tracked changes accepted (see the module docstring)."""
    para_hidden = styles.hidden(paragraph_style_id(p) or styles.default_paragraph) if styles else False
    out: list[str] = []

    def walk(el) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP or not tag.startswith(W) and "AlternateContent" in tag:
                continue
            if tag == W + "r":
                if not _run_hidden(child, styles, para_hidden):
                    walk(child)
            elif tag == W + "t":
                out.append(child.text or "")
            elif tag in _SPACE:
                out.append(" ")
            elif tag == W + "noBreakHyphen":
                out.append("-")
            else:
                walk(child)  # w:ins, w:moveTo, w:hyperlink, w:smartTag, w:sdt, w:fldSimple, w:dir...

    walk(p)
    return "".join(out)


def cell_text(tc, styles: Styles | None = None) -> str:
    """A table cell's paragraphs joined by spaces (tracked changes accepted)."""
    return " ".join(paragraph_text(p, styles) for p in tc.iter(W + "p"))


def deleted(el) -> bool:
    """A table row or paragraph whose deletion was tracked (read as accepted: it is gone)."""
    return el.find(f"{W}trPr/{W}del") is not None


# ----------------------------------------------------------------------------- writing helpers


def set_custom_properties(document, props: dict[str, str]) -> None:
    """Store ``props`` as custom document properties (``docProps/custom.xml``: Word's
    File > Properties > Custom; LibreOffice's user-defined properties). Values <= 255 characters."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from lxml import etree

    root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
    for pid, (name, value) in enumerate(props.items(), start=2):
        if len(value) > 255:
            raise ValueError(f"custom property {name!r} is longer than 255 characters")
        prop = etree.SubElement(root, f"{{{CUSTOM_NS}}}property", fmtid=_FMTID, pid=str(pid), name=name)
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = value
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    package = document.part.package
    package.relate_to(Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, blob, package),
                      RT.CUSTOM_PROPERTIES)


def custom_properties(document) -> dict[str, str]:
    """The custom document properties (text values), ``{}`` when there are none."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    for rel in document.part.package.rels.values():
        if rel.reltype == RT.CUSTOM_PROPERTIES and not rel.is_external:
            root = etree.fromstring(rel.target_part.blob, parser)
            return {p.get("name"): "".join(p.itertext()) for p in root.iter(f"{{{CUSTOM_NS}}}property")}
    return {}


def drop_thumbnail(document) -> None:
    """python-docx's template carries a thumbnail of some other document: remove it."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]


def sub(parent, tag: str, **attrs: str):
    """Append ``<w:tag w:key=value...>`` to ``parent`` and return it."""
    from docx.oxml import OxmlElement

    el = OxmlElement(f"w:{tag}")
    for key, value in attrs.items():
        el.set(W + key, value)
    parent.append(el)
    return el


def arabic_paragraph(paragraph, text: str, *, bold: bool = False, italic: bool = False) -> None:
    """Fill a python-docx paragraph with right-to-left Arabic: ``w:bidi`` on the paragraph,
    ``w:rtl``, an Arabic font for every script and ``w:lang w:bidi="ar-SA"`` on the run."""
    ppr = paragraph._p.get_or_add_pPr()
    ppr.insert_element_before(_el("bidi"), *_AFTER_BIDI)  # pPr children have a fixed order
    run = paragraph.add_run(xml_safe(text))
    rpr = run._r.get_or_add_rPr()
    sub(rpr, "rFonts", ascii=ARABIC_FONT, hAnsi=ARABIC_FONT, cs=ARABIC_FONT)
    if bold:
        sub(rpr, "b")
        sub(rpr, "bCs")
    if italic:
        sub(rpr, "i")
        sub(rpr, "iCs")
    sub(rpr, "sz", val="24")
    sub(rpr, "szCs", val="26")
    sub(rpr, "rtl")
    sub(rpr, "lang", bidi="ar-SA")


def _el(tag: str):
    from docx.oxml import OxmlElement

    return OxmlElement(f"w:{tag}")
