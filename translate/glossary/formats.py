"""Reading glossary files: the project TSV, 2-column TSV/CSV, and TBX.

Every row is checked here (columns, empty cells, Arabic letters, category); each problem
is one ``file:line: message``. Conflicts between entries are checked in
:mod:`translate.glossary.entries`, which is the API to use; this module imports only the values
(:mod:`translate.glossary.values`) and the match rules, never the API (no import cycle).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from pathlib import Path

from translate.errors import InputFileError
from translate.glossary.match import CONTEXT_RULES, TermIndex
from translate.glossary.values import (
    CATEGORIES,
    EXAMPLES_SUFFIX,
    MODES,
    SUFFIXES,
    Entry,
    Glossary,
    is_examples_file,
)
from translate.text.arabic import has_arabic_letter
from translate.textio import read_text

HEADER = ("ar", "en", "category", "note")
OPTIONAL = ("variants", "mode", "forbidden", "context", "stop")
"""Optional columns after the header's first four, in any order."""
_ALIASES = {"organization": "organisation"}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_FORBIDDEN_STATUS = ("deprecatedterm-admn-sts", "supersededterm-admn-sts", "deprecated", "superseded")

# (line, ar, en, category, note, variants, optional cells by column name)
_Record = tuple[int, str, str, str, str, tuple[str, ...], dict[str, str]]


def _split(cell: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in cell.split("|")) if cell.strip() else ()


def read_glossary_file(path: str | Path) -> tuple[Glossary, list[str]]:
    """The glossary (entries without problems) and the problems of its rows.

    Raises :class:`InputFileError` when the file cannot be read as a glossary at all.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if is_examples_file(p):
        raise InputFileError(p, f"an examples file ({EXAMPLES_SUFFIX}), not a glossary: name the glossary beside it")
    if suffix not in SUFFIXES:
        raise InputFileError(p, f"not a glossary file ({suffix or 'no extension'}): use {', '.join(SUFFIXES)}")
    text = read_text(p)
    data = p.read_bytes()
    problems: list[str] = []
    if suffix == ".tbx":
        records: Iterator[_Record] = _tbx_records(p, data)
    else:
        rows = _csv_rows(p, text) if suffix == ".csv" else _tsv_rows(text)
        records = _table_records(p, list(rows), problems)
    entries = []
    for line, ar, en, category, note, variants, extra in records:
        entry, found = _entry(p, line, ar, en, category, note, variants, extra)
        problems.extend(found)
        if entry is not None:
            entries.append(entry)
    if not entries and not problems:
        problems.append(f"{p}:1: no entries")
    glossary = Glossary(p.stem, str(p), hashlib.sha256(data).hexdigest(), tuple(entries))
    return glossary, problems


def _tsv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.removesuffix("\r")
        if number == 1:
            line = line.removeprefix("\ufeff")
        if line.strip() and not line.lstrip().startswith("#"):
            yield number, [cell.strip() for cell in line.split("\t")]


def _csv_rows(path: Path, text: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    number = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row) and not row[0].lstrip().startswith("#"):
                yield number, [cell.strip() for cell in row]
            number = reader.line_num + 1
    except csv.Error as exc:
        raise InputFileError(path, f"not valid CSV: {exc}", number) from None


def _table_records(path: Path, rows: list[tuple[int, list[str]]], problems: list[str]) -> Iterator[_Record]:
    """Records of a TSV/CSV table: the project format when it has the header, else 2 columns."""
    if not rows:
        return
    first_line, first = rows[0]
    lowered = [cell.lower() for cell in first]
    if lowered[:3] == list(HEADER[:3]):
        header = tuple(lowered)
        extra = header[len(HEADER):]
        if header[: len(HEADER)] != HEADER or any(c not in OPTIONAL for c in extra) or len(set(extra)) < len(extra):
            problems.append(
                f"{path}:{first_line}: bad header {', '.join(first)}: expected ar, en, category, note "
                f"and optionally {', '.join(OPTIONAL)} (each once, in any order), separated by tabs"
            )
            return
        names = ", ".join(header)
        for line, cells in rows[1:]:
            if not 3 <= len(cells) <= len(header):
                problems.append(
                    f"{path}:{line}: wrong number of columns: found {len(cells)}, expected {len(header)} ({names})"
                )
                continue
            cells = cells + [""] * (len(header) - len(cells))
            named = dict(zip(extra, cells[len(HEADER):]))
            yield line, cells[0], cells[1], cells[2], cells[3], _split(named.pop("variants", "")), named
        return
    if lowered[:2] == ["ar", "en"]:  # a language-code header (Google Cloud style)
        rows = rows[1:]
    for line, cells in rows:
        if len(cells) not in (2, 3):
            problems.append(
                f"{path}:{line}: wrong number of columns: found {len(cells)}, expected 2 (ar, en) or 3 (ar, en, note)"
            )
            continue
        yield line, cells[0], cells[1], "term", cells[2] if len(cells) == 3 else "", (), {}


def _tbx_records(path: Path, data: bytes) -> Iterator[_Record]:
    """Records of a TBX file: the first Arabic term, the other Arabic terms as variants, the first English."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputFileError(path, f"not valid TBX (XML): {exc.msg}", exc.lineno) from None

    def local(el) -> str:
        return etree.QName(el).localname if isinstance(el.tag, str) else ""

    for concept in root.iter():
        if local(concept) not in ("termEntry", "conceptEntry"):
            continue
        terms: dict[str, list[str]] = {"ar": [], "en": []}
        forbidden: list[str] = []
        category, note = "term", ""
        for el in concept.iter():
            name = local(el)
            if name in ("langSet", "langSec"):
                lang = (el.get(_XML_LANG) or el.get("lang") or "").lower().split("-")[0]
                for term in (t for t in el.iter() if local(t) == "term") if lang in terms else ():
                    text = " ".join("".join(term.itertext()).split())
                    # an English term whose administrativeStatus is deprecated or superseded is forbidden
                    status = [s for s in term.getparent().iter() if local(s) == "termNote"
                              and s.get("type") == "administrativeStatus" and s.getparent() is term.getparent()]
                    bad = lang == "en" and any("".join(s.itertext()).strip().lower() in _FORBIDDEN_STATUS for s in status)
                    (forbidden if bad else terms[lang]).append(text)
            elif name in ("descrip", "termNote", "admin") and el.get("type") in ("subjectField", "category"):
                value = "".join(el.itertext()).strip().lower()
                category = value if value in CATEGORIES else category
            elif (name == "descrip" and el.get("type") == "definition") or name == "note":
                note = note or " ".join("".join(el.itertext()).split())
        ar = terms["ar"][0] if terms["ar"] else ""
        en = terms["en"][0] if terms["en"] else ""
        extra = {"forbidden": "|".join(forbidden)} if forbidden else {}
        yield concept.sourceline or 0, ar, en, category, note, tuple(terms["ar"][1:]), extra


def _entry(
    path: Path, line: int, ar: str, en: str, category: str, note: str, variants: tuple[str, ...],
    extra: dict[str, str],
) -> tuple[Entry | None, list[str]]:
    found = []
    if not ar:
        found.append("empty ar cell")
    elif not has_arabic_letter(ar):
        found.append(f"no Arabic letters in ar {ar!r}")
    if not en:
        found.append("empty en cell")
    category = _ALIASES.get(category.lower(), category.lower())
    if not category:
        found.append("empty category cell")
    elif category not in CATEGORIES:
        found.append(f"unknown category {category!r}: use one of {', '.join(CATEGORIES)}")
    if "" in variants:
        found.append(f"empty variant in {'|'.join(variants)!r}")
    found += [f"no Arabic letters in variant {v!r}" for v in variants if v and not has_arabic_letter(v)]
    mode = extra.get("mode", "").strip().lower() or "force"
    if mode not in MODES:
        found.append(f"unknown mode {mode!r}: use {' or '.join(MODES)}")
    forbidden, context, stop = (_split(extra.get(name, "")) for name in ("forbidden", "context", "stop"))
    found += _extra_problems(ar, en, variants, forbidden, context, stop)
    if found:
        return None, [f"{path}:{line}: {message}" for message in found]
    return Entry(ar, en, category, note, variants, str(path), line, mode, forbidden, context, stop), []


def _extra_problems(ar: str, en: str, variants, forbidden, context, stop) -> list[str]:
    """Problems of the forbidden, context and stop cells."""
    from translate.doc.model import occurrences

    found = []
    for name, cells in (("forbidden rendering", forbidden), ("stop phrase", stop)):
        if "" in cells:
            found.append(f"empty {name} in {'|'.join(cells)!r}")
    found += [f"forbidden rendering {f!r} is found in the entry's own English {en!r}"
              for f in forbidden if f and en and occurrences(en, f)]
    found += [f"unknown context rule {c!r}: use {', '.join(CONTEXT_RULES)}" for c in context if c not in CONTEXT_RULES]
    if ar and stop:
        own = TermIndex((form, None) for form in (ar, *variants) if form)
        for phrase in filter(None, stop):
            if not has_arabic_letter(phrase):
                found.append(f"no Arabic letters in stop phrase {phrase!r}")
            elif not own.find(phrase):
                found.append(f"stop phrase {phrase!r} does not contain the term")
    return found
