"""Interchange with CAT tools: offline validation against the official schemas in ``shared/schemas``.

Export/import live in :mod:`translate.interchange.xliff` (XLIFF 2.1) and :mod:`translate.interchange.tmx` (TMX 1.4b);
this module holds what they share: safe parsing, validation, and what to do with characters
XML 1.0 cannot hold (control characters, lone surrogates, U+FFFE/U+FFFF): XLIFF's ``<cp>``
escape where the schema allows it, else replaced by U+FFFD (the review log keeps the original).

Parsing is safe: no entity is ever expanded, nothing is fetched, and a file with a ``DOCTYPE``
(where entities would be declared) is refused; a malformed file, a DTD or an invalid
``<cp hex>`` is an :class:`~translate.errors.InputFileError` naming the file and line.

| format | schema | file |
|---|---|---|
| XLIFF 2.1 | OASIS core + metadata (``mda:``), glossary (``gls:``) and translation candidates (``mtc:``) modules | ``xliff2.1/*.xsd`` |
| TMX 1.4b | LISA OSCAR DTD | ``tmx/tmx14.dtd`` |

XLIFF 2.1 keeps the 2.0 core namespace; only ``version="2.1"`` differs. The
core schema accepts module elements "lax"; the driver schema built here imports
the modules we write, so they are checked strictly too. Nothing is cached:
each call loads the schema again (a few milliseconds). lxml never reaches the
network (``xml.xsd`` is resolved from the relative path beside the core).
"""

from __future__ import annotations

from pathlib import Path

from translate.errors import InputFileError
from translate.textio import missing
from translate.paths import shared_dir

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
MDA_NS = "urn:oasis:names:tc:xliff:metadata:2.0"
GLS_NS = "urn:oasis:names:tc:xliff:glossary:2.0"
MTC_NS = "urn:oasis:names:tc:xliff:matches:2.0"

_XLIFF_FILES = {XLIFF_NS: "xliff_core_2.0.xsd", MDA_NS: "metadata.xsd", GLS_NS: "glossary.xsd",
                MTC_NS: "matches.xsd"}


def schemas_dir() -> Path:
    return shared_dir() / "schemas"


def _need(path: Path) -> Path:
    if not path.is_file():
        raise InputFileError(path, "schema file not found (set TRANSLATE_SHARED to the shared/ folder)")
    return path


def parse_xml(path: str | Path, *, allow_doctype: bool = False):
    """Parse an XML file safely (no entities, no network); syntax errors name the file and line.

    A ``DOCTYPE`` is refused unless ``allow_doctype`` (TMX names its DTD; XLIFF never has one).
    """
    from lxml import etree

    p = Path(path)
    if p.is_dir():
        raise InputFileError(p, "is a directory, not an XML file")
    if not p.is_file():
        raise InputFileError(p, missing(p))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        tree = etree.parse(str(p), parser)
    except etree.XMLSyntaxError as exc:
        raise InputFileError(p, f"not well-formed XML: {exc.msg}", exc.lineno or None) from None
    if not allow_doctype and tree.docinfo.doctype:
        data = p.read_bytes()
        at = data.find(b"<!DOCTYPE")
        line = data[:at].count(b"\n") + 1 if at >= 0 else 1
        raise InputFileError(p, "a DOCTYPE (DTD) is not allowed here: entities are never expanded; "
                                "remove the DOCTYPE and any entity references", line)
    return tree


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
    """Set text, writing characters XML cannot hold as ``<cp hex=..>`` (XLIFF's escape); a lone
    surrogate is no code point ``<cp>`` may carry, so it becomes U+FFFD."""
    from lxml import etree

    text = "".join("\ufffd" if _surrogate(ch) else ch for ch in text)
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


def _surrogate(ch: str) -> bool:
    return 0xD800 <= ord(ch) <= 0xDFFF


def xml_safe(text: str) -> str:
    """``text`` with every character XML 1.0 cannot hold replaced by U+FFFD (for attributes and
    elements that have no ``<cp>`` escape)."""
    return "".join(ch if xml_char(ch) else "\ufffd" for ch in text)


def _code_point(child, path: str | Path | None) -> str:
    value = child.get("hex") or ""
    try:
        code = int(value, 16)
    except ValueError:
        code = -1
    if not 0 <= code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF or not value.isalnum():
        raise InputFileError(path or "<xml>", f"<cp hex={value!r}> is not a Unicode scalar value "
                                              "(a surrogate, out of range, or not hexadecimal)", child.sourceline)
    return chr(code)


def plain_text(el, path: str | Path | None = None) -> str:
    """Text of a ``<source>``/``<target>``, with ``<cp>`` decoded and other inline markup dropped
    (comments and processing instructions too); an invalid ``<cp>`` raises :class:`InputFileError`."""
    parts = [el.text or ""]
    for child in el:
        if child.tag == f"{{{XLIFF_NS}}}cp":
            parts.append(_code_point(child, path))
        elif isinstance(child.tag, str):
            parts.append(plain_text(child, path))
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
    tree = parse_xml(path, allow_doctype=True)
    dtd = tmx_dtd()
    if not dtd.validate(tree):
        _raise_first(Path(path), "TMX 1.4b", dtd.error_log)
