"""Where a term sits in a segment: one frame, one function (issue 13). ``bilingual.html`` and the
review page both mark terms where translate.doc.model.term_marks puts them, so a term needed
twice is marked twice in each, in the Arabic and in the English."""

from __future__ import annotations

import lxml.html
from starlette.testclient import TestClient

from translate.doc.model import Document, Segment, Term, term_marks
from translate.doc.render import bilingual_html
from translate.doc.store import save_outputs
from translate.paths import corpus_dir
from translate.review.log import ReviewLog
from translate.server.app import create_app

TITLE = "زيارة بايدن"
SENTENCE = "قال بايدن إن بايدن سيزور كييف."
ARTICLE = f"{TITLE}\n{SENTENCE}\n"
ENGLISH = "Biden said Biden will visit Kyiv."


def biden_document(doc_id: str = "biden") -> Document:
    """Two segments; the sentence (article offset 12) needs the glossary's "Biden" twice."""
    start = ARTICLE.index(SENTENCE)
    first = ARTICLE.index("بايدن", start)
    second = ARTICLE.index("بايدن", first + 1)
    terms = tuple(Term("بايدن", (at, at + 5), "Biden", "g.tsv:1", "person") for at in (first, second))
    title = Segment("s1", "title", 0, TITLE, (0, len(TITLE)), "Biden's visit")
    sentence = Segment("s2", "sentence", 1, SENTENCE, (start, start + len(SENTENCE)), terms=terms)
    return Document(doc_id, (title, sentence.with_translation(ENGLISH)))


def test_term_marks_reads_term_spans_in_the_article_frame_and_marks_every_occurrence():
    seg = biden_document().segment("s2")
    marks = term_marks(seg)
    assert [seg.source[a:b] for a, b, _ in marks.source] == ["بايدن", "بايدن"]
    assert [(a, k) for a, _, k in marks.source] == [(4, 0), (13, 1)]
    assert [(ENGLISH[a:b], a, k) for a, b, k in marks.english] == [("Biden", 0, 0), ("Biden", 11, 1)]
    assert marks.missing == frozenset()
    once = term_marks(seg, "Biden said he will visit Kyiv.")  # a post-edit with one "Biden"
    assert [(a, k) for a, _, k in once.english] == [(0, 0)] and once.missing == {1}


def _marked(tree, xpath: str) -> list[tuple[str, str]]:
    """(text before the mark in its parent, the mark's text) for each mark: where each one sits."""
    out = []
    for mark in tree.xpath(xpath):
        parent = mark.getparent()
        before = (parent.text or "") + "".join(
            lxml.html.tostring(e, method="text", encoding="unicode") for e in parent if e is not mark
            and parent.index(e) < parent.index(mark))
        out.append((" ".join(before.split()), mark.text_content()))
    return out


def test_both_views_mark_a_term_needed_twice_in_the_arabic_and_the_english():
    doc = biden_document()
    tree = lxml.html.fromstring(bilingual_html(doc))
    assert _marked(tree, '//tr[@id="s2"]/td[@lang="ar"]/mark') == [("قال", "بايدن"), ("قال بايدن إن", "بايدن")]
    assert _marked(tree, '//tr[@id="s2"]/td[@lang="en"]/mark') == [("s2", "Biden"), ("s2 Biden said", "Biden")]
    assert tree.xpath('//tr[@id="s2"]//mark/@id') == ["s2-t0-en", "s2-t1-en", "s2-t0-ar", "s2-t1-ar"]

    save_outputs(doc, ARTICLE.encode("utf-8"), corpus_dir() / doc.doc_id)
    client = TestClient(create_app())
    page = lxml.html.fromstring(client.get("/doc/biden").text)
    assert _marked(page, '//*[@id="seg-s2"]//p[@class="ar"]/mark') == [("قال", "بايدن"), ("قال بايدن إن", "بايدن")]
    assert _marked(page, '//*[@id="seg-s2"]//p[@class="en-text"]/mark') == [("", "Biden"), ("Biden said", "Biden")]
    assert page.xpath('//*[@id="seg-s2"]//p[@class="en-text"]/mark/@data-term') == ["0", "1"]

    # after a post-edit the page marks the current English, again every occurrence
    ReviewLog.for_document("biden").append(doc, reviewer="amal", segment="s2", action="edit",
                                           text="Biden met Kyiv's mayor; Biden left.", base_rev=0)
    page = lxml.html.fromstring(client.get("/doc/biden").text)
    assert _marked(page, '//*[@id="seg-s2"]//p[@class="en-text"]/mark') == [
        ("", "Biden"), ("Biden met Kyiv's mayor;", "Biden")]
