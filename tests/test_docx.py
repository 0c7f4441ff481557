"""Word in, Word out: the bilingual review .docx (export, import), ``article.en.docx``, and articles
that arrive as .docx or .html."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from helpers import SEED
from docx_helpers import (
    english_cell,
    row_of,
    seed_docx,
    seed_html,
    set_moved,
    set_plain,
    set_tracked,
)
from publish_helpers import approve_all, log_bytes, save, seed_document

import translate.cli.publish_cmds  # noqa: F401  (registers the commands)
from translate.interchange.extract import read_article
from translate.cli import cli
from translate.interchange.docx import W, custom_properties
from translate.interchange.docx_review import PREFIX, export_review_docx, import_review_docx
from translate.errors import InputFileError
from translate.paths import document_dir
from translate.review.log import ReviewLog, states
from translate.review.events import source_sha
from translate.text.segment import segment_text
from translate.doc.store import load_document


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def seed():
    return save(seed_document())


def export(doc, path="review.docx") -> Path:
    export_review_docx(doc, states(doc), path)
    return Path(path)


def edit_docx(path: Path, change) -> Path:
    document = docx.Document(path)
    change(document)
    document.save(path)
    return path


# ---------------------------------------------------------------- export


def test_export_structure_rtl_and_recorded_revisions(seed):
    log = ReviewLog.for_document("seed")
    log.append(seed, reviewer="amal", segment="s3", action="edit", text="The US military said so.", base_rev=0)
    log.append(seed, reviewer="amal", segment="s1", action="approve")
    assert run("export", "seed", "--docx", "review.docx").output == "wrote review.docx (bilingual review, 21 rows)\n"
    document = docx.Document("review.docx")
    paragraphs = [p.text for p in document.paragraphs]
    assert (document.paragraphs[0].style.name, paragraphs[0]) == ("Title", "English line 1.")
    assert paragraphs[1] == seed.segments[0].source  # the Arabic title, right-to-left
    assert "Review progress: 1 of 21 segments approved (19 draft, 1 edited)" in paragraphs
    assert f"Signature: {seed.signature}" in paragraphs
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["ID", "Status", "Arabic", "English", "Notes"]
    assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None  # repeated on every page
    assert [r.cells[0].text for r in table.rows[1:]] == [s.id for s in seed.segments]
    s3 = row_of(document, "s3")
    assert [s3.cells[1].text, s3.cells[2].text, s3.cells[3].text] == [
        "edited\nsentence, rev 1", seed.segment("s3").source, "The US military said so."]
    arabic = s3.cells[2].paragraphs[0]._p
    assert arabic.find(f"{W}pPr/{W}bidi") is not None
    rpr = arabic.find(f"{W}r/{W}rPr")
    assert rpr.find(f"{W}rtl") is not None
    assert rpr.find(f"{W}lang").get(f"{W}bidi") == "ar-SA"
    assert rpr.find(f"{W}rFonts").get(f"{W}cs") == rpr.find(f"{W}rFonts").get(f"{W}ascii") == "Arial"
    # structure is visible: title and headings bold and shaded, the byline italic
    title, byline, heading = (row_of(document, sid) for sid in ("s1", "s2", "s5"))
    assert title.cells[3].paragraphs[0].runs[0].bold and heading.cells[3].paragraphs[0].runs[0].bold
    assert byline.cells[3].paragraphs[0].runs[0].italic
    assert title.cells[0]._tc.find(f"{W}tcPr/{W}shd").get(f"{W}fill") == "D9E2F3"
    assert row_of(document, "s4").cells[0]._tc.find(f"{W}tcPr/{W}shd") is None
    # what the reviewer saw, per segment
    props = custom_properties(document)
    assert props[PREFIX + "doc"] == "seed"
    assert props[PREFIX + "s3"].startswith("rev=1;en=")
    assert props[PREFIX + "s3"].endswith(f";ar={source_sha(seed.segment('s3'))}")
    assert props[PREFIX + "s4"].startswith("rev=0;")


def test_export_notes_list_qa_issues_and_glossary_terms():
    from publish_helpers import demo_document

    doc = save(demo_document())
    ReviewLog.for_document("demo").append(doc, reviewer="amal", segment="s6", action="edit",
                                          text="Blinken announced 752 million dollars.", base_rev=0)
    document = docx.Document(export(doc))
    assert row_of(document, "s4").cells[4].text == "براون = Brown [person]"
    notes = row_of(document, "s6").cells[4].text
    assert notes.startswith("QA error: numbers: ")
    assert "725" in notes


# ---------------------------------------------------------------- import: the acceptance round trip


def test_round_trip_of_the_translated_seed(default_model, seed_article):
    """Export the seed's document, change two English cells (one plain, one with Track Changes),
    import: two edit events; a third row edited after a concurrent CLI edit is a conflict and,
    without --partial, nothing is written."""
    assert run("run", seed_article, "--no-glossary", "-q").exit_code == 0
    doc = load_document("article")
    mt = {s.id: s.translation for s in doc.segments}
    assert run("export", "article", "--docx", "review.docx").exit_code == 0
    words = mt["s4"].split(" ")
    kept, dropped = " ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2:])

    def review(document):
        set_plain(english_cell(document, "s3"), "The US military said Brown called Gerasimov.")
        set_tracked(english_cell(document, "s4"), kept, dropped, " and this was the first such call", ".")
        set_plain(english_cell(document, "s6"), "A spokesman for Brown said the call took place on 27 November.")

    edit_docx(Path("review.docx"), review)
    concurrent = run("review", "edit", "article", "s6", "--text", "Edited on the command line.", "--reviewer", "amal")
    assert concurrent.exit_code == 0, concurrent.output
    before = log_bytes("article")

    refused = run("import", "article", "review.docx", "--reviewer", "zeina")
    assert refused.exit_code == 1
    assert refused.stdout == "0 events applied, 1 conflicts, 18 rows unchanged\n"
    assert refused.stderr == (
        "conflict: s6: edited here since the export (exported at rev 0, now rev 1 by amal); current text "
        "'Edited on the command line.', imported 'A spokesman for Brown said the call took place on 27 November.'\n"
        "nothing applied: resolve the conflicts or use --partial\n")
    assert log_bytes("article") == before  # all or nothing

    partial = run("import", "article", "review.docx", "--reviewer", "zeina", "--partial")
    assert (partial.exit_code, partial.stdout) == (1, "s3: edit\ns4: edit\n2 events applied, 1 conflicts, 18 rows unchanged\n")
    events = ReviewLog.for_document("article").events()
    assert [(e.segment, e.action, e.text, e.base_rev, e.reviewer, e.note) for e in events[1:]] == [
        ("s3", "edit", "The US military said Brown called Gerasimov.", 0, "zeina", "imported from review.docx"),
        ("s4", "edit", f"{kept} and this was the first such call.".strip(), 0, "zeina", "imported from review.docx"),
    ]
    assert states(doc)["s6"].text == "Edited on the command line."


def test_import_without_conflicts_writes_every_edit_in_one_go(seed):
    path = export(seed)
    edit_docx(path, lambda d: (set_plain(english_cell(d, "s4"), "Brown said so."),
                               set_tracked(english_cell(d, "s7"), "English line ", "7", "seven", ".")))
    result = run("import", "seed", path, "--reviewer", "zeina")
    assert (result.exit_code, result.output) == (0, "s4: edit\ns7: edit\n2 events applied, 0 conflicts, 19 rows unchanged\n")
    assert [(e.segment, e.text) for e in ReviewLog.for_document("seed").events()] == [
        ("s4", "Brown said so."), ("s7", "English line seven.")]
    again = run("import", "seed", path, "--reviewer", "zeina")  # the same file twice: nothing new
    assert again.output == "0 events applied, 0 conflicts, 21 rows unchanged\n"


def test_tracked_moves_hidden_text_and_several_paragraphs(seed):
    def review(document):
        set_moved(english_cell(document, "s4"), "line 4", " is", " here")
        cell = english_cell(document, "s7")
        set_plain(cell, "First part")
        cell.add_paragraph("second part.")
        set_plain(english_cell(document, "s8"), "Visible")
        english_cell(document, "s8").paragraphs[0].add_run(" hidden").font.hidden = True

    path = edit_docx(export(seed), review)
    result = import_review_docx("seed", path, "zeina")
    assert [(e.segment, e.text) for e in result.applied] == [
        ("s4", "line 4 here is"), ("s7", "First part second part."), ("s8", "Visible")]


def test_a_row_edited_back_to_the_current_text_is_unchanged(seed):
    path = export(seed)
    ReviewLog.for_document("seed").append(seed, reviewer="amal", segment="s4", action="edit",
                                          text="Same text.", base_rev=0)
    edit_docx(path, lambda d: set_plain(english_cell(d, "s4"), "Same  text. "))
    result = import_review_docx("seed", path, "zeina")
    assert (result.applied, result.conflicts) == ((), ())


def _drop_row(document, sid):
    row = row_of(document, sid)._tr
    row.getparent().remove(row)


def _add_row(document):
    import copy

    row = row_of(document, "s4")._tr
    row.addnext(copy.deepcopy(row))


def _tracked_row_deletion(document):
    from docx.oxml import parse_xml

    trpr = row_of(document, "s9")._tr.get_or_add_trPr()
    trpr.append(parse_xml(f'<w:del xmlns:w="{W[1:-1]}" w:id="77" w:author="R" w:date="2024-01-01T00:00:00Z"/>'))


@pytest.mark.parametrize("change, message", [
    (lambda d: set_plain(row_of(d, "s4").cells[0], "s40"),
     "table row 5: document 'seed' has no segment 's40': the ID cell was changed (expected 's4')"),
    (lambda d: set_plain(row_of(d, "s4").cells[2], "نص آخر"),
     "table row 5 (s4): the Arabic cell was changed; only the English column may be edited"),
    (lambda d: set_tracked(row_of(d, "s6").cells[2], "", "أفاد", "قال"),
     "table row 7 (s6): the Arabic cell was changed; only the English column may be edited"),
    (lambda d: _drop_row(d, "s9"), "the rows of s9 were removed (the table has 20 segment rows, the export had 21)"),
    (_tracked_row_deletion, "the rows of s9 were removed (the table has 20 segment rows, the export had 21)"),
    (_add_row, "table row 6: segment s4 appears twice (rows 5 and 6): a row was added"),
    (lambda d: set_plain(english_cell(d, "s4"), "  "),
     "table row 5 (s4): the English cell was emptied: an edit needs a text; write the English (or leave it as "
     "exported)"),
    (lambda d: d.tables[0]._tbl.getparent().remove(d.tables[0]._tbl),
     "has no review table (a table whose first row reads ID | Status | Arabic | English | Notes)"),
])
def test_structural_changes_are_errors_naming_the_row_and_nothing_is_written(seed, change, message):
    path = edit_docx(export(seed), lambda d: (set_plain(english_cell(d, "s3"), "A good edit."), change(d)))
    result = run("import", "seed", path, "--reviewer", "zeina", "--partial")
    assert (result.exit_code, result.stderr) == (1, f"Error: {path}: {message}\n")
    assert log_bytes("seed") == b""


def test_import_refuses_other_documents_and_files(seed, tmp_path):
    other = seed_document("other")
    save(other)
    path = export(other, "other.docx")
    assert run("import", "seed", path, "--reviewer", "z").stderr == (
        f"Error: {path}: was exported from document 'other', not 'seed'\n")
    plain = tmp_path / "plain.docx"
    docx.Document().save(plain)
    assert run("import", "seed", plain, "--reviewer", "z").stderr == (
        f"Error: {plain}: is not a bilingual review exported by 'translate export --docx' (its document "
        "properties are missing)\n")
    resegmented = export(seed, "old.docx")
    changed = seed_document()
    first = changed.segments[3]
    save(type(changed)(changed.doc_id, (*changed.segments[:3], type(first)(**{**first.__dict__, "source": "تغير."}),
                                        *changed.segments[4:]), changed.signature))
    assert run("import", "seed", resegmented, "--reviewer", "z").stderr == (
        f"Error: {resegmented}: segment s4 differs from the export (the document was re-run since): export it again\n")


@pytest.mark.parametrize("content, message", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504,
     "is password-protected (encrypted) or an old Word 97-2003 .doc: save it in Word as a .docx without a "
     "password and try again"),
    (b"just some text", "is not a .docx file (not a ZIP package: corrupt, or another format renamed to .docx)"),
    ("zip-without-word", "is a ZIP file but not a Word document (no word/document.xml)"),
    ("truncated", "is a damaged .docx (File is not a zip file)"),
])
def test_unreadable_docx_files_are_clear_errors(seed, tmp_path, content, message):
    path = tmp_path / "bad.docx"
    if content == "zip-without-word":
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("hello.txt", "hi")
    elif content == "truncated":
        path.write_bytes(export(seed).read_bytes()[:3000])
    else:
        path.write_bytes(content)
    for args in (("import", "seed", path, "--reviewer", "z"), ("segment", path)):
        result = run(*args)
        assert (result.exit_code, result.stderr) == (1, f"Error: {path}: {message}\n")
    with pytest.raises(InputFileError):
        read_article(path)


# ---------------------------------------------------------------- publish: article.en.docx


def _markdown_blocks(text: str) -> list[tuple[str, str]]:
    blocks = []
    for block in text.strip().split("\n\n"):
        if block.startswith("---"):
            break  # a signature footer, if the Markdown has one: never in the Word article
        for prefix, style in (("# ", "Title"), ("## ", "Heading 1")):
            if block.startswith(prefix):
                blocks.append((style, block[len(prefix):]))
                break
        else:
            is_byline = block.startswith("*") and block.endswith("*")
            blocks.append(("Byline", block[1:-1]) if is_byline else ("Normal", block))
    return blocks


def test_publish_writes_article_docx_with_word_styles_and_the_markdowns_paragraphs(seed):
    approve_all(seed)
    result = run("publish", "seed")
    assert result.exit_code == 0, result.output
    out = Path(result.output.splitlines()[0].split(" ", 1)[1]).parent
    document = docx.Document(out / "article.en.docx")
    got = [(p.style.name, p.text) for p in document.paragraphs]
    markdown = (out / "article.en.md").read_text(encoding="utf-8")
    assert got == _markdown_blocks(markdown)
    assert [name for name, _ in got[:6]] == ["Title", "Byline", "Normal", "Normal", "Heading 1", "Normal"]
    assert sum(name == "Heading 1" for name, _ in got) == 4
    signature = str(seed.signature)
    assert signature == json.loads((out / "provenance.json").read_text())["signature"]
    with zipfile.ZipFile(out / "article.en.docx") as zf:
        assert not any("ctranslate2" in zf.read(n).decode("utf-8", "replace") or "model:" in
                       zf.read(n).decode("utf-8", "replace") for n in zf.namelist())


def test_a_title_longer_than_the_title_property_still_publishes_whole(seed):
    from translate.interchange.docx_article import article_docx_bytes

    title = ("A very long English headline " * 12).strip()
    document = docx.Document(io.BytesIO(article_docx_bytes(seed.with_translations({"s1": title}))))
    assert document.paragraphs[0].text == title
    assert document.core_properties.title == title[:255]


def test_draft_article_docx_carries_the_watermark(seed):
    result = run("publish", "seed", "--draft", "--out", "pub")
    assert result.exit_code == 0, result.output
    document = docx.Document("pub/article.en.docx")
    assert document.paragraphs[0].text == "DRAFT — not approved"
    assert document.sections[0].header.paragraphs[0].text == "DRAFT — not approved"
    assert (document.paragraphs[1].style.name, document.paragraphs[1].text) == ("Title", "English line 1.")


# ---------------------------------------------------------------- articles from .docx and .html


def _segments(text: str, kinds=None):
    return [(s.kind, s.source) for s in segment_text(text, kinds=kinds).segments]


def test_the_same_article_as_txt_docx_and_html_gives_the_same_segments(tmp_path):
    expected = _segments(SEED.read_text(encoding="utf-8"))
    assert {k for k, _ in expected} == {"title", "byline", "heading", "sentence"}
    for path in (seed_docx(tmp_path / "seed.docx"), seed_html(tmp_path / "seed.html")):
        article = read_article(path)
        assert _segments(article.text, article.kinds) == expected, path.name
        assert article.original == path.read_bytes()
        for decoy in ("مخفي", "محذوفة", "سكربت", "ترويسة", "الرئيسية", "قالب", "الحقوق", "دعائي", "عنوان الصفحة"):
            assert decoy not in article.text, (path.name, decoy)


def test_markup_wins_over_the_line_rules(tmp_path):
    """A styled heading that ends with a full stop stays a heading; an h1 after a kicker is the title."""
    document = docx.Document()
    document.add_paragraph("عاجل", style="Normal")
    document.add_paragraph("عنوان المقال", style="Title")
    document.add_paragraph("قسم ينتهي بنقطة.", style="Heading 2")
    document.add_paragraph("جملة أولى. جملة ثانية.")
    document.save(tmp_path / "a.docx")
    article = read_article(tmp_path / "a.docx")
    assert article.text == "عاجل\nعنوان المقال\nقسم ينتهي بنقطة.\nجملة أولى. جملة ثانية.\n"
    assert _segments(article.text, article.kinds) == [
        ("heading", "عاجل"), ("title", "عنوان المقال"), ("heading", "قسم ينتهي بنقطة."),
        ("sentence", "جملة أولى."), ("sentence", "جملة ثانية.")]
    page = tmp_path / "a.html"
    page.write_text('<html><body><header><h1>عنوان</h1></header><main><p>بقلم: <span class="author">زينة</span>'
                    "</p><p>نص <b>عريض</b><br>ومتصل.</p></main></body></html>", encoding="utf-8")
    article = read_article(page)
    assert article.text == "عنوان\nبقلم: زينة\nنص عريض ومتصل.\n"
    assert _segments(article.text, article.kinds) == [
        ("title", "عنوان"), ("byline", "بقلم: زينة"), ("sentence", "نص عريض ومتصل.")]


@pytest.mark.parametrize("name, content, message", [
    ("a.html", "<html><body><script>x()</script><p hidden>مخفي</p></body></html>",
     "has no article text (no visible paragraph)"),
    ("a.html", b"<html><body><p>\xff\xfe\xfa</p></body></html>",
     "is not valid utf-8 (byte 0xff at offset 15); declare its charset in a <meta charset> tag"),
    ("a.html", '<meta charset="klingon"><p>x</p>', "declares an unknown charset 'klingon'"),
    ("a.doc", b"\xd0\xcf\x11\xe0", "is a Word 97-2003 .doc: save it as .docx and try again"),
])
def test_bad_articles_are_clear_errors(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = run("segment", path)
    where = f"{path}:1" if "utf-8" in message else path
    assert (result.exit_code, result.stderr) == (1, f"Error: {where}: {message}\n")


def test_html_in_a_legacy_arabic_charset(tmp_path):
    path = tmp_path / "old.html"
    path.write_bytes('<meta charset="windows-1256"><h1>خبر</h1><p>نص الخبر.</p>'.encode("cp1256"))
    assert read_article(path).text == "خبر\nنص الخبر.\n"


def test_run_reads_docx_and_html_and_keeps_the_original(default_model, tmp_path):
    for path in (seed_docx(tmp_path / "report.docx"), seed_html(tmp_path / "page.html")):
        result = run("run", path, "--no-glossary", "-q")
        assert result.exit_code == 0, result.output
        doc_id = path.stem
        doc = load_document(doc_id)
        source = (document_dir(doc_id) / "source.ar.txt").read_text(encoding="utf-8")
        assert source == read_article(path).text
        assert all(source[s.source_span[0]:s.source_span[1]] == s.source for s in doc.segments)
        assert (document_dir(doc_id) / f"original{path.suffix}").read_bytes() == path.read_bytes()
        assert [(s.kind, s.source) for s in doc.segments] == _segments(SEED.read_text(encoding="utf-8"))
