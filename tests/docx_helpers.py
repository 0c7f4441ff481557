"""What a reviewer does to a bilingual review .docx in Word, done with python-docx and lxml; and the
seed article as a correspondent's .docx and as a CMS page."""

from __future__ import annotations

from html import escape
from pathlib import Path

import docx
from helpers import SEED
from docx.oxml import parse_xml

from translate.interchange.docx import W, W_NS

NS = f'xmlns:w="{W_NS}"'
SEED_HEADINGS = {4, 8, 14, 17}  # 0-based non-empty lines of the seed without final punctuation


def row_of(document, sid: str):
    """The review table's row of segment ``sid``."""
    table = document.tables[0]
    return next(row for row in table.rows if row.cells[0].text == sid)


def english_cell(document, sid: str):
    return row_of(document, sid).cells[3]


def _clear(cell) -> object:
    """Keep the first paragraph of ``cell`` with its properties, drop its content and the other paragraphs."""
    first = cell.paragraphs[0]._p
    for extra in cell.paragraphs[1:]:
        cell._tc.remove(extra._p)
    for child in list(first):
        if child.tag != W + "pPr":
            first.remove(child)
    return first


def set_plain(cell, text: str) -> None:
    """Type over the cell (Track Changes off)."""
    _clear(cell).append(parse_xml(f'<w:r {NS}><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'))


def set_tracked(cell, kept: str, deleted: str, inserted: str, tail: str = "") -> None:
    """What Word writes with Track Changes on: ``kept``, a deletion, an insertion, ``tail``."""
    p = _clear(cell)
    date = 'w:author="Reviewer" w:date="2024-12-02T10:00:00Z"'
    p.append(parse_xml(f'<w:r {NS}><w:t xml:space="preserve">{escape(kept)}</w:t></w:r>'))
    p.append(parse_xml(f'<w:del {NS} w:id="901" {date}><w:r><w:delText xml:space="preserve">{escape(deleted)}'
                       '</w:delText></w:r></w:del>'))
    p.append(parse_xml(f'<w:ins {NS} w:id="902" {date}><w:r><w:t xml:space="preserve">{escape(inserted)}'
                       '</w:t></w:r></w:ins>'))
    if tail:
        p.append(parse_xml(f'<w:r {NS}><w:t xml:space="preserve">{escape(tail)}</w:t></w:r>'))


def set_moved(cell, before: str, moved: str, after: str) -> None:
    """A tracked move: ``moved`` leaves the start of the cell and lands at the end."""
    p = _clear(cell)
    date = 'w:author="Reviewer" w:date="2024-12-02T10:00:00Z"'
    p.append(parse_xml(f'<w:moveFrom {NS} w:id="903" {date}><w:r><w:t xml:space="preserve">{escape(moved)}'
                       '</w:t></w:r></w:moveFrom>'))
    p.append(parse_xml(f'<w:r {NS}><w:t xml:space="preserve">{escape(before)}</w:t></w:r>'))
    p.append(parse_xml(f'<w:r {NS}><w:t xml:space="preserve">{escape(after)}</w:t></w:r>'))
    p.append(parse_xml(f'<w:moveTo {NS} w:id="904" {date}><w:r><w:t xml:space="preserve">{escape(moved)}'
                       '</w:t></w:r></w:moveTo>'))


def seed_lines() -> list[str]:
    return [line for line in SEED.read_text(encoding="utf-8").split("\n") if line.strip()]


def seed_docx(path: Path, *, decoys: bool = True) -> Path:
    """The seed as a correspondent sends it: Title, a Byline style, Heading 2, Normal paragraphs; with
    ``decoys`` also hidden text, a tracked deletion and insertion, and a header and footnote-like
    text in the page header (none of which is article text)."""
    from docx.enum.style import WD_STYLE_TYPE

    lines = seed_lines()
    document = docx.Document()
    document.styles.add_style("Byline", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph(lines[0], style="Title")
    document.add_paragraph(lines[1], style="Byline")
    for n, line in enumerate(lines[2:], start=2):
        p = document.add_paragraph(line, style="Heading 2" if n in SEED_HEADINGS else None)
        if decoys and n == 2:
            hidden = p.add_run(" نص مخفي لا يترجم")
            hidden.font.hidden = True
        if decoys and n == 3:
            p._p.append(parse_xml(f'<w:del {NS} w:id="1" w:author="A" w:date="2024-01-01T00:00:00Z"><w:r>'
                                  '<w:delText xml:space="preserve"> كلمة محذوفة</w:delText></w:r></w:del>'))
    if decoys:
        document.sections[0].header.paragraphs[0].text = "ترويسة الصفحة"
        hidden_para = document.add_paragraph("فقرة مخفية كاملة.")
        hidden_para.runs[0].font.hidden = True
    document.save(path)
    return path


def seed_html(path: Path, *, decoys: bool = True) -> Path:
    """The seed as a CMS page: h1, a byline by class, h2 headings, p paragraphs; with ``decoys`` also
    navigation, scripts, styles, hidden elements, a CSS-hidden class and a footer."""
    lines = seed_lines()
    body = []
    for n, line in enumerate(lines[2:], start=2):
        if n in SEED_HEADINGS:
            body.append(f"<h2>{escape(line)}</h2>")
        elif decoys and n == 2:
            body.append(f'<p>{escape(line)}<span style="display: none">نص مخفي</span></p>'
                        '<script>document.write("سكربت")</script>')
        else:
            body.append(f"<p>\n  {escape(line)}\n</p>")
    extra_head = ('<style>.teaser{display:none} p{color:#111}</style><script>var x = "سكربت";</script>'
                  if decoys else "")
    decoy_body = ('<nav><a href="/">الرئيسية</a></nav><p hidden>فقرة مخفية.</p><p class="teaser">نص دعائي.</p>'
                  '<div aria-label="x"><template><p>قالب</p></template></div>' if decoys else "")
    footer = "<footer>جميع الحقوق محفوظة</footer>" if decoys else ""
    page = (f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>عنوان الصفحة</title>'
            f'{extra_head}</head><body><article><h1>{escape(lines[0])}</h1>'
            f'<p class="byline">{escape(lines[1])}</p>{decoy_body}{"".join(body)}{footer}</article></body></html>')
    path.write_text(page, encoding="utf-8")
    return path
