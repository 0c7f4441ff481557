"""The review page shows a segment's translation-memory matches (issue #15): score, the differing
Arabic words marked, and a key (1-3) or button that takes one as the English."""

from __future__ import annotations

import re
from dataclasses import replace

from review_helpers import running_server
from starlette.testclient import TestClient

from translate.doc.model import Document
from translate.paths import corpus_dir
from translate.review.log import states
from translate.server.app import create_app
from translate.doc.store import save_outputs
from translate.doc.tm_match import TMMatch

ADAPTED = "The U.S. military said the aid had reached $725 million."
MATCH = TMMatch(88, "قال الجيش الأميركي إن المساعدات بلغت ٨٠٠ مليون دولار.", ADAPTED, "older", "s9", "lina",
                "2024-01-01T00:00:00Z", adapted=True, diff=((37, 40),))


def save_with_match() -> Document:
    from review_helpers import make_document

    doc, source = make_document()
    segments = tuple(replace(s, tm_matches=(MATCH,)) if s.id == "s3" else s for s in doc.segments)
    doc = replace(doc, segments=segments)
    save_outputs(doc, source.encode("utf-8"), corpus_dir() / doc.doc_id)
    return doc


def csrf_of(html: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)">', html).group(1)


def test_the_page_lists_matches_with_the_differing_words_marked():
    save_with_match()
    client = TestClient(create_app())
    token = csrf_of(client.get("/").text)
    client.post("/whoami", data={"name": "amal", "csrf": token, "next": "/doc/doc-1"})
    html = client.get("/doc/doc-1").text
    card = html[html.index('id="seg-s3"'):html.index('id="seg-s4"')]
    assert '<details class="tm-matches" data-origin="mt" open>' in card
    assert '<span class="tm-score">88%</span> <span class="tm-adapted">numbers adapted</span>' in card
    assert 'قال الجيش الأميركي إن المساعدات بلغت <mark class="tm-diff">٨٠٠</mark> مليون دولار.' in card
    assert 'data-tm-match="1"' in card and "Use match 1" in card
    assert "tm-matches" not in html[html.index('id="seg-s4"'):]  # only where there are matches


def test_key_1_takes_the_match_as_an_edit():
    from test_browser import CHROMIUM, require_browser

    require_browser()
    from playwright.sync_api import sync_playwright

    doc = save_with_match()
    with sync_playwright() as p, running_server(create_app()) as base:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox"])
        try:
            page = browser.new_page()
            page.set_default_timeout(15_000)
            page.goto(f"{base}/doc/doc-1#seg-s3")
            page.fill("#whoami-name", "Amal")
            page.click("#whoami button[type=submit]")
            page.wait_for_selector("#reviewer-name")
            page.goto(f"{base}/doc/doc-1#seg-s3")
            page.wait_for_function("document.activeElement.id === 'seg-s3'")
            page.keyboard.press("1")
            page.wait_for_selector('#seg-s3[data-status="edited"]')
        finally:
            browser.close()
    state = states(doc)["s3"]
    assert (state.text, state.rev, state.edited_by) == (ADAPTED, 1, "Amal")


def test_a_prefilled_segment_says_so():
    from review_helpers import make_document

    doc, source = make_document()
    exact = replace(MATCH, score=100, exact=True, adapted=False, diff=(), target=doc.segments[2].translation)
    segments = tuple(replace(s, origin="tm", tm_matches=(exact,)) if s.id == "s3" else s for s in doc.segments)
    save_outputs(replace(doc, segments=segments), source.encode("utf-8"), corpus_dir() / doc.doc_id)
    html = TestClient(create_app()).get("/doc/doc-1").text
    card = html[html.index('id="seg-s3"'):html.index('id="seg-s4"')]
    assert '<details class="tm-matches" data-origin="tm">' in card
    assert "<summary>Pre-filled from the translation memory; 1 TM match</summary>" in card
    assert "Use match" not in card  # its English is already the match's
