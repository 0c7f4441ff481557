"""Bilingual review in Word: ``translate export DOC --docx FILE`` and ``translate import DOC FILE.docx``.

The export is what Trados calls "export for bilingual review": a landscape A4 document that
opens with the article's title, the model signature and the review progress, then one table
row per segment, in document order:

| ID | Status | Arabic | English | Notes |
|---|---|---|---|---|
| ``s3`` | ``draft``, the kind, rev | right-to-left (``w:bidi``, ``w:rtl``, Arabic font, ``ar-SA``) | the current English | QA issues, glossary terms, comments |

Title, byline and heading rows are shaded (bold, italic, bold). What the reviewer saw is kept
in custom document properties (Word: File > Properties > Custom), one per segment:
``newsroom-translate:<id>`` = ``rev=<n>;en=<sha256 of the English>;ar=<source_sha>``.

The import reads the English column with tracked changes accepted (inserted and moved-to text
kept, deleted and moved-from text dropped: :func:`translate.interchange.docx.paragraph_text`). It
first checks the whole file; any of these raises :class:`InputFileError` naming the file and
the table row (row 1 is the header), and nothing is written: not a readable .docx, not an
export of this document, the document re-run since the export, a row added or removed (a
tracked row deletion counts as removed), an ID or Arabic cell changed, an empty English cell.
Then per row: English as exported (or equal to the current text) -> nothing; else, if the
segment's revision moved since the export, a **conflict** reported with the current text;
else an ``edit`` of the cell's text (paragraphs joined, whitespace runs as one space) based on
the exported revision, noted ``imported from FILE``. All the edits
are written with one :meth:`ReviewLog.record_many` (all or nothing); with conflicts and
without ``partial`` nothing is written at all, as for the XLIFF import.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from translate import __version__
from translate.doc.model import Document
from translate.doc.store import load_document
from translate.errors import InputFileError, ReviewConflictError
from translate.interchange.docx import (
    Styles,
    W,
    arabic_paragraph,
    cell_text,
    custom_properties,
    deleted,
    drop_thumbnail,
    open_docx,
    set_custom_properties,
    sub,
)
from translate.interchange.units import xml_safe
from translate.interchange.xliff import Conflict, ImportResult
from translate.review.events import sha256_hex, source_sha
from translate.review.log import ReviewLog, SegmentState, Write, states, summary
from translate.review.rules import EMPTY_EDIT, check_reviewer, unknown_segment
from translate.textio import atomic_write_bytes

PREFIX = "newsroom-translate:"
FORMAT = "bilingual-review 1"
HEADERS = ("ID", "Status", "Arabic", "English", "Notes")
WIDTHS_CM = (1.4, 2.4, 8.8, 8.8, 4.8)
SHADE = {"title": "D9E2F3", "byline": "F2F2F2", "heading": "E2EFDA"}
_ROW_STYLE = {"title": {"bold": True}, "byline": {"italic": True}, "heading": {"bold": True}}


def key(text: str) -> str:
    """What is compared: the text as Word can hold it, whitespace runs as one space."""
    return " ".join(xml_safe(text).split())


# ----------------------------------------------------------------------------- export


def review_docx_bytes(doc: Document, seg_states: dict[str, SegmentState]) -> bytes:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    from translate.review.rules import review_issues

    document = docx.Document()
    drop_thumbnail(document)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    section.header.paragraphs[0].text = f"{doc.doc_id}: bilingual review"
    _header(document, doc, seg_states)

    table = document.add_table(rows=1, cols=len(HEADERS))
    table.style = "Table Grid"
    table.autofit = False
    head = table.rows[0]
    sub(head._tr.get_or_add_trPr(), "tblHeader")  # repeated on every page
    for cell, title in zip(head.cells, HEADERS):
        cell.paragraphs[0].add_run(title).bold = True
        _shade(cell, "BFBFBF")
    for seg in doc.segments:
        state = seg_states[seg.id]
        row = table.add_row()
        sub(row._tr.get_or_add_trPr(), "cantSplit")
        cells = row.cells
        style = _ROW_STYLE.get(seg.kind, {})
        cells[0].paragraphs[0].add_run(seg.id)
        status = cells[1].paragraphs[0]
        status.add_run(state.status).bold = True
        status.add_run(f"\n{seg.kind}, rev {state.rev}").font.size = Pt(8)
        arabic_paragraph(cells[2].paragraphs[0], seg.source, **style)
        english = cells[3].paragraphs[0].add_run(xml_safe(state.text))
        english.bold, english.italic = style.get("bold"), style.get("italic")
        _notes(cells[4], seg, state, review_issues(seg, state.text))
        if seg.kind in SHADE:
            for cell in cells:
                _shade(cell, SHADE[seg.kind])
    for n, width in enumerate(WIDTHS_CM):
        table.columns[n].width = Cm(width)
        for cell in table.columns[n].cells:
            cell.width = Cm(width)

    props = {PREFIX + "format": FORMAT, PREFIX + "doc": doc.doc_id,
             PREFIX + "exported": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
    for seg in doc.segments:
        state = seg_states[seg.id]
        props[PREFIX + seg.id] = f"rev={state.rev};en={sha256_hex(key(state.text))};ar={source_sha(seg)}"
    set_custom_properties(document, props)
    core = document.core_properties
    core.title, core.subject = f"{doc.doc_id}: bilingual review"[:255], "Arabic-English bilingual review"
    core.author, core.comments = f"newsroom-translate {__version__}", ""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _header(document, doc: Document, seg_states: dict[str, SegmentState]) -> None:
    from docx.shared import Pt

    title = next((s for s in doc.segments if s.kind == "title"), None)
    document.add_paragraph(xml_safe(seg_states[title.id].text) if title else doc.doc_id, style="Title")
    if title:
        arabic_paragraph(document.add_paragraph(), title.source, bold=True)
    counts = summary(seg_states)
    others = ", ".join(f"{n} {status}" for status, n in counts.items() if n and status != "approved")
    progress = f"{counts.get('approved', 0)} of {len(doc.segments)} segments approved" + (f" ({others})" * bool(others))
    lines = (("Document", doc.doc_id), ("Review progress", progress),
             ("Signature", str(doc.signature) if doc.signature else "unsigned"),
             ("How to review", "change only the English column (Track Changes is fine); leave the ID and "
                               "Arabic cells and the rows as they are; then run "
                               f"'translate import {doc.doc_id} FILE.docx --reviewer NAME'."))
    for label, text in lines:
        p = document.add_paragraph()
        p.add_run(f"{label}: ").bold = True
        run = p.add_run(xml_safe(text))
        if label == "Signature":
            run.font.size, run.font.name = Pt(8), "Courier New"


def _notes(cell, seg, state: SegmentState, issues) -> None:
    from docx.shared import Pt

    lines: list[tuple[str, str | None]] = [(f"QA {i.severity}: {i.check}: {i.message}", None) for i in issues]
    for term in seg.with_translation(state.text).terms:  # located in the current English
        mark = "" if term.realized else " (missing)"
        lines.append((f" = {term.target}{mark}" + (f" [{term.category}]" if term.category else ""), term.source))
    lines += [(f"{who}: {text}", None) for who, _, text in state.comments[-3:]]
    p = cell.paragraphs[0]
    for n, (text, arabic) in enumerate(lines):
        if n:
            p = cell.add_paragraph()
        if arabic:
            run = p.add_run(xml_safe(arabic))
            sub(run._r.get_or_add_rPr(), "rtl")
            run.font.size = Pt(9)
        p.add_run(xml_safe(text)).font.size = Pt(8)


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    for old in tcpr.findall(W + "shd"):
        tcpr.remove(old)
    shd = sub(tcpr, "shd", val="clear", color="auto", fill=fill)
    following = [tcpr.find(W + t) for t in ("noWrap", "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark")]
    nxt = next((el for el in following if el is not None), None)
    if nxt is not None:
        nxt.addprevious(shd)


def export_review_docx(doc: Document, seg_states: dict[str, SegmentState], path: str | Path) -> int:
    """Write the bilingual review .docx (atomically); return the number of segment rows."""
    atomic_write_bytes(path, review_docx_bytes(doc, seg_states))
    return len(doc.segments)


# ----------------------------------------------------------------------------- import


def read_review_rows(doc: Document, path: Path) -> list[tuple[str, int, str]]:
    """``(segment, exported rev, English cell text)`` for every row whose English differs from
    the export; checks the whole file first (see the module docstring)."""
    document = open_docx(path)
    props = custom_properties(document)
    if props.get(PREFIX + "format") != FORMAT:
        raise InputFileError(path, "is not a bilingual review exported by 'translate export --docx' "
                                   "(its document properties are missing)")
    if props.get(PREFIX + "doc") != doc.doc_id:
        raise InputFileError(path, f"was exported from document {props.get(PREFIX + 'doc')!r}, "
                                   f"not {doc.doc_id!r}")
    exported: dict[str, tuple[int, str]] = {}
    for seg in doc.segments:
        fields = dict(f.split("=", 1) for f in props.get(PREFIX + seg.id, "").split(";") if "=" in f)
        if not fields.get("rev", "").isdigit() or fields.get("ar") != source_sha(seg):
            raise InputFileError(path, f"segment {seg.id} differs from the export (the document was re-run "
                                       "since): export it again")
        exported[seg.id] = (int(fields["rev"]), fields.get("en", ""))
    table = _review_table(document, path)
    styles = Styles(document)
    rows = [tr for tr in table.iterchildren(W + "tr") if not deleted(tr)][1:]
    out: list[tuple[str, int, str | None]] = []
    seen: dict[str, int] = {}
    for n, tr in enumerate(rows, start=2):
        cells = [cell_text(tc, styles) for tc in tr.iterchildren(W + "tc")]
        if len(cells) != len(HEADERS):
            raise InputFileError(path, f"table row {n}: has {len(cells)} cells, expected {len(HEADERS)} "
                                       "(were cells merged, split or added?)")
        sid = cells[0].strip()
        if sid in seen:
            raise InputFileError(path, f"table row {n}: segment {sid} appears twice (rows {seen[sid]} and {n}): "
                                       "a row was added")
        seg = next((s for s in doc.segments if s.id == sid), None)
        if seg is None:
            expected = doc.segments[n - 2].id if n - 2 < len(doc.segments) else None
            what = f"the ID cell was changed (expected {expected!r})" if expected and expected not in seen \
                else "a row was added"
            raise InputFileError(path, f"table row {n}: {unknown_segment(doc, sid)}: {what}")
        seen[sid] = n
        if key(cells[2]) != key(seg.source):
            raise InputFileError(path, f"table row {n} ({sid}): the Arabic cell was changed; only the English "
                                       "column may be edited")
        changed = sha256_hex(key(cells[3])) != exported[sid][1]
        if changed and not key(cells[3]):
            raise InputFileError(path, f"table row {n} ({sid}): the English cell was emptied: {EMPTY_EDIT}; "
                                       "write the English (or leave it as exported)")
        out.append((sid, n, cells[3] if changed else None))
    missing = [s.id for s in doc.segments if s.id not in seen]
    if missing:
        raise InputFileError(path, f"the rows of {', '.join(missing)} were removed (the table has "
                                   f"{len(out)} segment rows, the export had {len(doc.segments)})")
    if [sid for sid, _, _ in out] != [s.id for s in doc.segments]:
        moved = next(n for (sid, n, _), seg in zip(out, doc.segments) if sid != seg.id)
        raise InputFileError(path, f"table row {moved}: the rows are out of order (rows were moved)")
    return [(sid, exported[sid][0], text) for sid, _, text in out if text is not None]


def _review_table(document, path: Path):
    for tbl in document.element.body.iter(W + "tbl"):
        first = next(tbl.iterchildren(W + "tr"), None)
        if first is not None and [cell_text(tc).strip() for tc in first.iterchildren(W + "tc")] == list(HEADERS):
            return tbl
    raise InputFileError(path, "has no review table (a table whose first row reads "
                               f"{' | '.join(HEADERS)})")


def import_review_docx(doc_id: str, path: str | Path, reviewer: str, *, partial: bool = False) -> ImportResult:
    """Turn the edited English of a bilingual review .docx into edit events by ``reviewer``
    (see the module docstring). The conflicts are returned; the CLI exits 1 on any."""
    path = Path(path)
    reviewer = check_reviewer(reviewer)
    doc = load_document(doc_id)
    changed = read_review_rows(doc, path)
    log = ReviewLog.for_document(doc.doc_id)
    for _ in range(3):  # re-planned only if the log moved between planning and writing
        current = states(doc)
        writes, conflicts, unchanged = [], [], []
        for sid, rev, text in changed:
            cur = current[sid]
            if key(text) == key(cur.text):
                unchanged.append(sid)
            elif cur.rev != rev:
                who = f" by {cur.edited_by}" if cur.edited_by else ""
                reason = f"edited here since the export (exported at rev {rev}, now rev {cur.rev}{who})"
                conflicts.append(Conflict(sid, reason, cur, key(text)))
            else:
                writes.append(Write(sid, "edit", key(text), rev, f"imported from {path.name}"))
        unchanged += [s.id for s in doc.segments if s.id not in {sid for sid, _, _ in changed}]
        order = {s.id: n for n, s in enumerate(doc.segments)}
        unchanged.sort(key=order.__getitem__)
        if (conflicts and not partial) or not writes:
            return ImportResult((), tuple(conflicts), tuple(unchanged))
        try:
            written = log.record_many(doc, reviewer, writes)
        except ReviewConflictError:
            continue
        return ImportResult(tuple(event for event, _ in written), tuple(conflicts), tuple(unchanged))
    raise ReviewConflictError(f"{path}: the review log kept changing during the import; try again")
