"""Interchange with CAT tools: offline validation against the official schemas in ``shared/schemas``.

Export/import live in :mod:`translate.xliff` (XLIFF 2.1) and :mod:`translate.tmx` (TMX 1.4b);
this module holds what they share: safe parsing, validation, and XLIFF's ``<cp>`` escape
for characters XML cannot hold.

| format | schema | file |
|---|---|---|
| XLIFF 2.1 | OASIS core + metadata (``mda:``) + glossary (``gls:``) modules | ``xliff2.1/*.xsd`` |
| TMX 1.4b | LISA OSCAR DTD | ``tmx/tmx14.dtd`` |

XLIFF 2.1 keeps the 2.0 core namespace; only ``version="2.1"`` differs. The
core schema accepts module elements "lax"; the driver schema built here imports
the two modules we write, so they are checked strictly too. Nothing is cached:
each call loads the schema again (a few milliseconds). lxml never reaches the
network (``xml.xsd`` is resolved from the relative path beside the core).
"""

from __future__ import annotations

from pathlib import Path

from .errors import InputFileError
from .paths import shared_dir

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
MDA_NS = "urn:oasis:names:tc:xliff:metadata:2.0"
GLS_NS = "urn:oasis:names:tc:xliff:glossary:2.0"

_XLIFF_FILES = {XLIFF_NS: "xliff_core_2.0.xsd", MDA_NS: "metadata.xsd", GLS_NS: "glossary.xsd"}


def schemas_dir() -> Path:
    return shared_dir() / "schemas"


def _need(path: Path) -> Path:
    if not path.is_file():
        raise InputFileError(path, "schema file not found (set TRANSLATE_SHARED to the shared/ folder)")
    return path


def parse_xml(path: str | Path):
    """Parse an XML file safely (no entities, no network); syntax errors name the file and line."""
    from lxml import etree

    p = Path(path)
    if p.is_dir():
        raise InputFileError(p, "is a directory, not an XML file")
    if not p.is_file():
        raise InputFileError(p, "no such file")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.parse(str(p), parser)
    except etree.XMLSyntaxError as exc:
        raise InputFileError(p, f"not well-formed XML: {exc.msg}", exc.lineno or None) from None


def xliff_schema():
    """The XLIFF 2.1 core schema with the metadata and glossary modules, loaded from disk."""
    from lxml import etree

    base = schemas_dir() / "xliff2.1"
    imports = "".join(
        f'<xs:import namespace="{ns}" schemaLocation="{_need(base / name).resolve().as_uri()}"/>'
        for ns, name in _XLIFF_FILES.items()
    )
    driver = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
    return etree.XMLSchema(etree.fromstring(driver, base_url=base.resolve().as_uri() + "/"))


def tmx_dtd():
    from lxml import etree

    return etree.DTD(str(_need(schemas_dir() / "tmx" / "tmx14.dtd")))


def _raise_first(path: Path, kind: str, error_log) -> None:
    errors = list(error_log)
    first = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    raise InputFileError(path, f"not valid {kind}: {first.message}{more}", first.line or None)


# XLIFF text: characters XML cannot hold travel as <cp hex=.../>


def set_text(el, text: str) -> None:
    """Set text, writing characters XML cannot hold as ``<cp hex=..>`` (XLIFF's escape)."""
    from lxml import etree

    bad = [i for i, ch in enumerate(text) if not xml_char(ch)]
    if not bad:
        el.text = text
        return
    el.text, last, start = "", None, 0
    for i in bad:
        chunk = text[start:i]
        if last is None:
            el.text = chunk
        else:
            last.tail = chunk
        last = etree.SubElement(el, f"{{{XLIFF_NS}}}cp", hex=f"{ord(text[i]):04X}")
        start = i + 1
    last.tail = text[start:]


def xml_char(ch: str) -> bool:
    c = ord(ch)
    return c in (0x9, 0xA, 0xD) or 0x20 <= c <= 0xD7FF or 0xE000 <= c <= 0xFFFD or c >= 0x10000


def plain_text(el) -> str:
    """Text of a ``<source>``/``<target>``, with ``<cp>`` decoded and other inline markup dropped."""
    parts = [el.text or ""]
    for child in el:
        if child.tag == f"{{{XLIFF_NS}}}cp":
            parts.append(chr(int(child.get("hex"), 16)))
        else:
            parts.append(plain_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def check_xliff_tree(tree, path: str | Path) -> None:
    """Raise :class:`InputFileError` (``file:line: ...``) unless the parsed ``tree`` is valid XLIFF 2.1."""
    schema = xliff_schema()
    if not schema.validate(tree):
        _raise_first(Path(path), "XLIFF 2.1", schema.error_log)


def validate_xliff(path: str | Path) -> None:
    """Raise :class:`InputFileError` (``file:line: ...``) unless ``path`` is valid XLIFF 2.1."""
    check_xliff_tree(parse_xml(path), path)


def validate_tmx(path: str | Path) -> None:
    """Raise :class:`InputFileError` (``file:line: ...``) unless ``path`` is valid TMX 1.4b."""
    tree = parse_xml(path)
    dtd = tmx_dtd()
    if not dtd.validate(tree):
        _raise_first(Path(path), "TMX 1.4b", dtd.error_log)
