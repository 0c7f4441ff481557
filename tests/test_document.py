"""Values: round trips, signatures, term spans after a post-edit; rendering escapes and highlights."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from translate.doc.model import Document, Segment, Signature, Term, assign_targets, occurrences
from translate.doc.render import article_html, article_markdown, bilingual_html, blocks

SIG = Signature("Helsinki-NLP/opus-mt-ar-en", "abc123", "ctranslate2-int8", 4, ("news-ar-en@0123456789ab",), "0.1.0", "2026-11-25T00:00:00+00:00")
BROWN = Term("براون", (28, 33), "Brown", "news-ar-en.tsv:12", "person", "US general", True, (5, 10))
DOC = Document(
    "doc",
    (
        Segment("s1", "title", 0, "عنوان <b>", (0, 9), "Title <b>"),
        Segment("s2", "byline", 1, "zeina", (10, 15), "zeina"),
        Segment("s3", "sentence", 2, "قال الجنرال براون.", (16, 34), "Gen. Brown said <script>.", ((0, 2),), (BROWN,)),
        Segment("s4", "sentence", 2, "وأضاف.", (35, 41), "He added."),
        Segment("s5", "heading", 3, "عنوان فرعي", (42, 52), "Subhead"),
    ),
    SIG,
)


def test_signature_string_is_like_sacrebleus():
    assert str(SIG) == ("model:Helsinki-NLP/opus-mt-ar-en|rev:abc123|backend:ctranslate2-int8|beam:4"
                        "|glossary:news-ar-en@0123456789ab|version:0.1.0")
    assert str(Signature("m", "r", "b", 1)).endswith("|glossary:none|version:")


def test_document_round_trips_through_dict():
    again = Document.from_dict(DOC.to_dict())
    assert again == DOC
    assert again.segment("s3").terms[0] == BROWN
    with pytest.raises(KeyError):
        DOC.segment("s99")


@pytest.mark.parametrize("text,targets,expected", [
    ("Brown met Brown", ["Brown", "Brown"], [(0, 5), (10, 15)]),
    ("Brown met him", ["Brown", "Brown"], [(0, 5), None]),
    ("Browne", ["Brown"], [None]),
    ("the HIMARS, and", ["HIMARS"], [(4, 10)]),
])
def test_assign_targets(text, targets, expected):
    assert assign_targets(text, targets) == expected


def test_occurrences_are_whole_words():
    assert occurrences("HIMARSes and HIMARS", "HIMARS") == [(13, 19)]


def test_a_post_edit_moves_or_loses_the_term_span():
    edited = DOC.with_translations({"s3": "Said Brown."})
    term = edited.segment("s3").terms[0]
    assert term.realized and term.target_span == (5, 10)
    lost = DOC.with_translations({"s3": "Said the general."}).segment("s3").terms[0]
    assert not lost.realized and lost.target_span is None
    assert DOC.segment("s3").terms[0] == BROWN  # values are never changed in place


def test_blocks_group_sentences_of_one_line():
    assert [(kind, [s.id for s in segs]) for kind, segs in blocks(DOC)] == [
        ("title", ["s1"]), ("byline", ["s2"]), ("paragraph", ["s3", "s4"]), ("heading", ["s5"])]


def test_bilingual_html_escapes_and_highlights():
    page = bilingual_html(DOC)
    assert "<script>" not in page and "&lt;script&gt;" in page and "&lt;b&gt;" in page
    tree = lxml_html.fromstring(page)
    assert len(tree.xpath('//td[@dir="rtl"][@lang="ar"]')) == 5
    ar = tree.xpath('//mark[@id="s3-t0-ar"]')[0]
    en = tree.xpath('//mark[@id="s3-t0-en"]')[0]
    assert ar.text_content() == "براون" and en.text_content() == "Brown"
    assert ar.get("class") == en.get("class") == "term c0"
    assert ar.get("title") == "\u2067براون\u2069 → Brown (person): US general"  # the Arabic isolated
    assert en.xpath("a/@href") == ["#s3-t0-ar"]
    assert [li.text_content() for li in tree.xpath("//footer/ul/li")] == [  # readable, with the time
        "model: Helsinki-NLP/opus-mt-ar-en", "revision: abc123", "backend: ctranslate2-int8", "beam: 4",
        "glossaries: news-ar-en@0123456789ab", "version: 0.1.0", "translated: 2026-11-25 00:00 UTC"]
    assert tree.xpath("//footer/@data-signature") == [str(SIG)]


def test_missing_term_is_marked():
    doc = DOC.with_translations({"s3": "Said the general."})
    tree = lxml_html.fromstring(bilingual_html(doc))
    assert tree.xpath('//mark[@id="s3-t0-ar"]/@class') == ["term c0 missing"]
    assert tree.xpath('//mark[@id="s3-t0-en"]') == []


def test_article_markdown_and_html_rebuild_the_structure():
    md = article_markdown(DOC, watermark="DRAFT")
    assert md.rstrip("\n").split("\n\n")[:5] == ["> **DRAFT**", "# Title <b>", "*zeina*", "Gen. Brown said <script>. He added.", "## Subhead"]
    tree = lxml_html.fromstring(article_html(DOC))
    assert [e.tag for e in tree.xpath("//article/*")] == ["h1", "p", "p", "h2"]
    assert tree.xpath("//article/p")[1].text_content() == "Gen. Brown said <script>. He added."
