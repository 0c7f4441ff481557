"""TMX in and out of the translation memory: reading, and TM entries as TMX units.

**Reading** (``translate tm import``): TMX 1.4b as OmegaT 4, Trados and memoQ write it, and TMX
1.1-1.3 as OmegaT 3.6 writes it (``<tuv lang="AR">``, upper-case codes). A ``<tuv>``'s language
is ``xml:lang`` (or, in 1.1, ``lang``); only its primary subtag counts, in any case, so ``ar``,
``AR``, ``ar-SA`` are Arabic and ``en``, ``EN-GB``, ``en_US`` English. Each ``<tu>`` with an
Arabic and an English ``<tuv>`` (whichever is the source) becomes one unit; other units
(other languages, an empty side) are counted as skipped. A ``<seg>``'s text keeps ``<hi>``'s
text and drops the native codes of ``<bpt> <ept> <it> <ph> <ut>``. Who and when come from the
English ``<tuv>``, else the ``<tu>``: ``changeid``/``creationid``, ``changedate``/``creationdate``.

The whole file is checked before anything is used: well-formed XML, root ``<tmx>`` of a known
version, a ``<header>`` and a ``<body>``, every ``<tuv>`` with a language and one ``<seg>``, and
a TMX 1.4 file valid against the TMX 1.4b DTD (``shared/schemas/tmx/tmx14.dtd``). A problem
raises :class:`~translate.errors.InputFileError` as ``file:line: message``, so nothing is imported.

**Writing** (``translate tm export``): :func:`tmx_units` gives one
:class:`~translate.interchange.tmx.TMXUnit` per TM entry, with ``<prop type="x-document">``,
``x-segment`` and ``x-origin`` (``review``/``tmx``), ``creationid``/``changeid`` the approver and
``changedate`` the approval; :mod:`translate.interchange.tmx` (the one TMX writer) writes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from translate.errors import InputFileError
from translate.interchange.tmx import XML_LANG, TMXUnit
from translate.interchange.units import parse_xml, tmx_dtd
from translate.tm.values import Unit

VERSIONS = ("1.1", "1.2", "1.3", "1.4")
_CODES = ("bpt", "ept", "it", "ph", "ut")


@dataclass(frozen=True)
class TMXContents:
    """The Arabic-English units of a TMX file and how many other units it held."""

    units: tuple[Unit, ...]
    skipped: int
    version: str


def language(code: str | None) -> str:
    """The primary language subtag, lower case: ``AR`` -> ``ar``, ``EN-GB`` -> ``en``."""
    return (code or "").strip().replace("_", "-").split("-")[0].lower()


def iso_date(value: str | None) -> str | None:
    """A TMX date (``20240101T120000Z``) as ISO 8601 (``2024-01-01T12:00:00Z``); ``None`` if unreadable."""
    if not value:
        return None
    try:
        when = datetime.strptime(value.strip(), "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    except ValueError:
        return None
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def seg_text(seg) -> str:
    """The text of a ``<seg>`` (or ``<hi>``): inline codes dropped, highlighted text kept."""
    parts = [seg.text or ""]
    for child in seg:
        if child.tag == "hi":
            parts.append(seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def read_tmx(path: str | Path, doc_id: str | None = None) -> TMXContents:
    """Read and check a whole TMX file (module docstring); units are named ``doc_id`` (default:
    the file name) and their ``tuid`` (else ``tu<N>``)."""
    p = Path(path)
    tree = parse_xml(p, allow_doctype=True)  # TMX files name their DTD; entities are never expanded
    internal = tree.docinfo.internalDTD
    if internal is not None and (list(internal.iterentities()) or list(internal.elements())):
        raise InputFileError(p, "a DOCTYPE with an internal subset (entity declarations) is not allowed", 1)
    root = tree.getroot()
    problems: list[tuple[int, str]] = []
    version = root.get("version", "")
    if root.tag != "tmx":
        raise InputFileError(p, f"not a TMX file: the root element is <{root.tag}>, not <tmx>", root.sourceline)
    if version not in VERSIONS:
        raise InputFileError(p, f"unsupported TMX version {version!r} (expected one of {', '.join(VERSIONS)})",
                             root.sourceline)
    if version == "1.4":
        dtd = tmx_dtd()
        if not dtd.validate(tree):
            problems += [(e.line or 0, f"not valid TMX 1.4b: {e.message}") for e in dtd.error_log]
    body = root.find("body")
    for name in ("header", "body"):
        if root.find(name) is None:
            problems.append((root.sourceline or 0, f"<tmx> has no <{name}>"))
    units: list[Unit] = []
    skipped = 0
    for n, tu in enumerate(body.iter("tu") if body is not None else (), 1):
        sides: dict[str, tuple[str, object]] = {}
        for tuv in tu.iter("tuv"):
            lang = tuv.get(XML_LANG) or tuv.get("lang")
            segs = tuv.findall("seg")
            if not lang:
                problems.append((tuv.sourceline or 0, "<tuv> without a language (xml:lang, or lang in TMX 1.1)"))
            elif len(segs) != 1:
                problems.append((tuv.sourceline or 0, f"<tuv xml:lang={lang!r}> needs exactly one <seg>, found {len(segs)}"))
            else:
                sides.setdefault(language(lang), (seg_text(segs[0]), tuv))
        ar, en = sides.get("ar"), sides.get("en")
        if not ar or not en or not ar[0].strip() or not en[0].strip():
            skipped += 1
            continue
        tuv_en = en[1]
        who = next((el.get(a) for el in (tuv_en, tu) for a in ("changeid", "creationid") if el.get(a)), None)
        when = next((el.get(a) for el in (tuv_en, tu) for a in ("changedate", "creationdate") if el.get(a)), None)
        units.append(Unit(ar[0], en[0], "tmx", doc_id or p.name, tu.get("tuid") or f"tu{n}", who, iso_date(when)))
    if problems:
        problems.sort()
        line, message = problems[0]
        more = f" (and {len(problems) - 1} more problem{'s' * (len(problems) > 2)})" if len(problems) > 1 else ""
        raise InputFileError(p, message + more, line or None)
    if not units:
        raise InputFileError(p, f"no translation unit with Arabic (ar) and English (en) text ({skipped} other units)",
                             body.sourceline if body is not None else None)
    return TMXContents(tuple(units), skipped, version)



def tmx_units(units: Iterable[Unit]) -> Iterator[TMXUnit]:
    """TM entries as TMX units for :func:`translate.interchange.tmx.write_tmx` (module docstring)."""
    for u in units:
        yield TMXUnit(u.source, u.target, (("x-document", u.doc_id), ("x-segment", u.segment), ("x-origin", u.kind)),
                      creationid=u.approved_by, changeid=u.approved_by, changedate=u.at)
