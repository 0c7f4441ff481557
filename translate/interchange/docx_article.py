"""The published English article as Word: ``article.en.docx``, written by ``translate publish``.

One Word paragraph per block of :func:`translate.doc.render.article_markdown`, with the same text:
the title in Word's ``Title`` style, the byline in a ``Byline`` paragraph style (italic; the
style name :mod:`translate.interchange.extract` reads a byline by), headings in ``Heading 1``,
paragraphs in ``Normal`` (a paragraph's sentences joined by spaces). The model signature is
not in the article (it stays in ``provenance.json``); a draft opens with the watermark
paragraph and carries it in the page header too. The language is English (``en-US``).
"""

from __future__ import annotations

import io
from pathlib import Path

from translate.doc.model import Document
from translate.interchange.docx import drop_thumbnail, sub
from translate.interchange.units import xml_safe
from translate.doc.render import blocks
from translate.textio import atomic_write_bytes

STYLE_OF_KIND = {"title": "Title", "byline": "Byline", "heading": "Heading 1", "paragraph": "Normal"}


def article_blocks(doc: Document) -> list[tuple[str, str]]:
    """``(kind, English)`` per block, exactly the text of the Markdown article's blocks."""
    return [(kind, " ".join(s.translation for s in segs if s.translation)) for kind, segs in blocks(doc)]


def article_docx_bytes(doc: Document, *, watermark: str | None = None) -> bytes:
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Cm, Pt, RGBColor

    document = docx.Document()
    drop_thumbnail(document)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4
    normal = document.styles["Normal"]
    sub(normal.element.get_or_add_rPr(), "lang", val="en-US", bidi="ar-SA")
    byline = document.styles.add_style("Byline", WD_STYLE_TYPE.PARAGRAPH)
    byline.base_style = normal
    byline.font.italic = True
    byline.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    if watermark:
        mark = document.add_paragraph()
        run = mark.add_run(watermark)
        run.bold, run.font.size, run.font.color.rgb = True, Pt(14), RGBColor(0xBB, 0, 0)
        document.sections[0].header.paragraphs[0].text = watermark
    for kind, text in article_blocks(doc):
        document.add_paragraph(xml_safe(text), style=STYLE_OF_KIND.get(kind, "Normal"))
    core = document.core_properties
    title = xml_safe(next((t for k, t in article_blocks(doc) if k == "title"), doc.doc_id))
    core.title = title[:255]  # Word's property holds 255 characters; the heading keeps them all
    core.language, core.author, core.comments = "en-US", "", ""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def write_article_docx(doc: Document, path: str | Path, *, watermark: str | None = None) -> Path:
    """Write ``article.en.docx`` for the final (approved) ``doc`` atomically; return its path."""
    atomic_write_bytes(path, article_docx_bytes(doc, watermark=watermark))
    return Path(path)
