"""The review page and the bilingual pages as served and written (issue 12 points 8, 9, 11, 14):
title heading, live progress, one colour per glossary entry, the QA-override reason box,
stale statuses, Arabic isolated inside English, the published article without the MT
signature, and browser tests that say how to install a missing Chromium."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import lxml.html
import pytest
from helpers import REPO, running_in_ci
from page_helpers import ENGLISH, save_seed_document, seed_document
from review_helpers import make_document, save_document
from starlette.testclient import TestClient

from translate.doc.model import Document, Signature
from translate.paths import corpus_dir
from translate.doc.render import (
    PALETTE,
    article_html,
    article_markdown,
    bilingual_html,
    draft_markdown,
    isolate_html,
    isolate_text,
    term_colours,
)
from translate.review.log import ReviewLog, states
from translate.server.app import create_app
from translate.doc.store import save_outputs

TITLE = ENGLISH[0]


def csrf_of(html: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)">', html).group(1)


def named(app, name: str = "amal", doc: str = "doc-1") -> tuple[TestClient, str]:
    client = TestClient(app)
    client.post("/whoami", data={"name": name, "csrf": csrf_of(client.get("/").text)})
    return client, csrf_of(client.get(f"/doc/{doc}").text)


def json_post(client, url: str, csrf: str, **fields):
    return client.post(url, data={k: str(v) for k, v in fields.items()},
                       headers={"Accept": "application/json", "X-CSRF-Token": csrf})


def text_of(html: str, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in lxml.html.fromstring(html).xpath(xpath)]


DOC_HEAD = '//main/header[@class="doc"]'
MARKS = '//mark[contains(@class, "term")]'


# --- the review page ----------------------------------------------------------------------------

def test_page_heading_is_the_title_with_progress_icon_and_no_empty_status_bar():
    save_seed_document()
    html = TestClient(create_app()).get("/doc/article").text
    assert text_of(html, DOC_HEAD + "/h1") == [TITLE]
    assert text_of(html, DOC_HEAD + '/p[@class="ar-title"]') == [seed_document()[0].segments[0].source]
    assert text_of(html, DOC_HEAD + '/p[@class="doc-id"]') == ["document article"]
    assert "<title>" + TITLE + " · translate</title>" in html
    assert text_of(html, '//*[@id="progress"]') == ["0 of 21 approved (21 draft)"]
    assert '<link rel="icon" href="/favicon.ico" type="image/svg+xml">' in html
    assert '<p id="status-line" role="status" aria-live="polite"></p>' in html  # empty: not drawn (review.css)
    assert text_of(html, '//p[@class="signature"]') == [
        "MT: model Helsinki-NLP/opus-mt-tc-big-ar-en · revision 0123456789ab · backend ctranslate2 · beam 4 · "
        "glossaries news-ar-en@0123abcd4567 · version 0.1.0 · translated 2024-12-04 09:30 UTC"]


def test_every_write_returns_the_live_progress_line():
    save_seed_document()
    client, csrf = named(create_app(), doc="article")
    r = json_post(client, "/doc/article/s1/approve", csrf, base_rev=0)
    body = r.json()
    assert body["progress"]["counts"]["approved"] == 1 and body["progress"]["total"] == 21
    assert text_of(body["progress_html"], '//*[@id="progress"]') == ["1 of 21 approved (20 draft)"]
    r = json_post(client, "/doc/article/s2/edit", csrf, base_rev=0, text="By Zeina")
    assert text_of(r.json()["progress_html"], '//*[@id="progress"]') == ["1 of 21 approved (19 draft, 1 edited)"]


def test_terms_have_one_colour_per_glossary_entry_across_the_page():
    save_seed_document()
    html = lxml.html.fromstring(TestClient(create_app()).get("/doc/article").text)
    ukraine = {m.get("class") for m in html.xpath(MARKS) if "→ Ukraine (" in m.get("title")}
    assert len(ukraine) == 1  # s1, s7, s10, s11, s13, s14, s16, s19, s20, s21: one colour
    s3 = [m.get("class") for m in html.xpath('//*[@id="seg-s3"]//p[@class="ar"]/mark')]
    assert len(s3) == 7 and len(set(s3)) == 7
    # a row re-rendered after a write keeps the page's colours
    client, csrf = named(create_app(), doc="article")
    row = json_post(client, "/doc/article/s20/approve", csrf, base_rev=0).json()["row"]
    assert {m.get("class") for m in lxml.html.fromstring(row).xpath(MARKS)
            if "→ Ukraine (" in m.get("title")} == ukraine


def test_a_refused_approval_offers_the_reason_box_and_an_override_is_shown():
    save_document()
    client, csrf = named(create_app())
    json_post(client, "/doc/doc-1/s3/edit", csrf, base_rev=0, text="The army said the aid reached $725 million.")
    page = client.get("/doc/doc-1").text
    box = lxml.html.fromstring(page).xpath('//*[@id="seg-s3"]//details[@class="overrider"]/form')[0]
    assert box.get("action") == "/doc/doc-1/s3/approve" and box.xpath('.//input[@name="override"][@required]')
    assert not lxml.html.fromstring(page).xpath('//*[@id="seg-s1"]//details[@class="overrider"]')  # QA-clean
    r = json_post(client, "/doc/doc-1/s3/approve", csrf, base_rev=1)
    assert r.status_code == 422 and r.json()["needs_override"] is True
    assert r.json()["error"].startswith("QA errors block approval of s3")
    assert 'data-status="edited"' in r.json()["row"]
    plain = client.post("/doc/doc-1/s3/approve", data={"csrf": csrf, "base_rev": "1"})
    assert plain.status_code == 422 and "give a reason in the box" in plain.text
    r = json_post(client, "/doc/doc-1/s3/approve", csrf, base_rev=1, override="the desk says army")
    assert r.status_code == 200 and r.json()["state"]["override"] == "the desk says army"
    assert text_of(r.json()["row"], '//header[@class="seg-head"]/span[@class="by"]') == [
        "approved by amal despite QA errors: the desk says army"]
    assert states(make_document()[0])["s3"].status == "approved"


def test_a_stale_approval_shows_its_reason_and_can_be_approved_again():
    doc = save_document()
    ReviewLog.for_document("doc-1").append(doc, reviewer="amal", segment="s5", action="approve")
    changed = doc.with_translations({"s5": "He made three calls in 2023."})  # new MT under the approval
    save_outputs(changed, make_document()[1].encode("utf-8"), corpus_dir() / "doc-1")
    html = TestClient(create_app()).get("/doc/doc-1").text
    assert text_of(html, '//*[@id="seg-s5"]//span[@class="badge status"]') == ["stale: translation changed"]
    assert text_of(TestClient(create_app()).get("/").text, '//td[@class="count-stale"]') == ["1"]
    client, csrf = named(create_app())
    page = lxml.html.fromstring(client.get("/doc/doc-1").text)
    assert page.xpath('//*[@id="seg-s5"]//form[@data-action="approve"]')


def test_arabic_inside_english_is_isolated_on_the_page():
    save_document()
    client, csrf = named(create_app(), name="أمل")
    json_post(client, "/doc/doc-1/s1/comment", csrf, note="راجع الرقم 725 مليون (725000000) مع المكتب")
    json_post(client, "/doc/doc-1/s3/edit", csrf, base_rev=0, text="The US military said the aid reached $725.")
    html = client.get("/doc/doc-1").text
    assert '<bdi class="by">أمل</bdi>' in html and "edited by <bdi>أمل</bdi>" in html
    assert ('<span class="comment-text"><bdi dir="rtl" lang="ar">راجع الرقم 725 مليون</bdi> (725000000) '
            '<bdi dir="rtl" lang="ar">مع المكتب</bdi></span>') in html
    assert 'number <bdi dir="rtl" lang="ar">٧٢٥ مليون</bdi> (725000000) missing' in html


# --- isolation, colours, the bilingual and published pages ----------------------------------------

def test_isolate_keeps_arabic_numbers_with_their_words():
    assert isolate_html("number 725 مليون (725000000) <missing>") == (
        'number <bdi dir="rtl" lang="ar">725 مليون</bdi> (725000000) &lt;missing&gt;')
    assert isolate_html("no Arabic, 59/2721") == "no Arabic, 59/2721"
    assert isolate_text("براون → Brown: الجنرال براون") == "\u2067براون\u2069 → Brown: \u2067الجنرال براون\u2069"


def test_term_colours_follow_the_entry_in_order_of_appearance():
    doc, _ = seed_document()
    colours = term_colours(doc)
    entries = list(dict.fromkeys(t.entry for s in doc.segments for t in s.terms))
    assert list(colours) == entries and len(entries) > PALETTE
    assert [colours[e] for e in entries] == [i % PALETTE for i in range(len(entries))]
    page = lxml.html.fromstring(bilingual_html(doc))
    ukraine = {m.get("class") for m in page.xpath(MARKS) if "→ Ukraine (" in m.get("title")}
    assert ukraine == {f"term c{colours[next(t.entry for t in doc.segments[0].terms)]}"}


def test_bilingual_html_heading_is_the_title_and_statuses_are_plain_text():
    doc, _ = seed_document()
    page = lxml.html.fromstring(bilingual_html(doc))
    assert [h.text_content() for h in page.xpath("//h1")] == [TITLE]
    assert page.findtext(".//title") == TITLE
    assert [p.text_content() for p in page.xpath('//header[@class="doc"]/p[@class="doc-id"]')] == ["document article"]
    untitled = Document(doc_id="notes", segments=doc.segments[1:2], signature=None)
    assert lxml.html.fromstring(bilingual_html(untitled)).xpath("//h1")[0].text_content() == "notes"
    assert lxml.html.fromstring(bilingual_html(untitled)).xpath("//footer//li")[0].text_content() == (
        "signature: unsigned")
    css = bilingual_html(doc)
    assert ".status{font-size:.8rem;font-weight:400;font-style:normal" in css  # not title-sized in a title row


def test_published_article_has_no_signature_but_the_draft_and_proof_do():
    doc, _ = seed_document()
    sig = doc.signature
    assert isinstance(sig, Signature)
    html = article_html(doc)
    assert sig.model not in html and "backend" not in html and "<footer" not in html
    assert "<footer><p class=\"watermark\">DRAFT</p></footer>" in article_html(doc, watermark="DRAFT")
    assert sig.model not in article_markdown(doc) and article_markdown(doc).endswith(".\n")
    assert draft_markdown(doc).endswith(f"<small>{sig}</small>\n")
    assert sig.model in bilingual_html(doc)


# --- browser tests without a browser ---------------------------------------------------------------

@pytest.mark.parametrize(("value", "ci"), [("1", True), ("true", True), (" Yes ", True), ("TRUE", True),
                                           ("0", False), ("false", False), ("no", False), ("", False)])
def test_ci_is_read_as_a_boolean(monkeypatch, value, ci):
    monkeypatch.setenv("CI", value)
    assert running_in_ci() is ci


def run_browser_tests(ci: str | None, *workers: str) -> subprocess.CompletedProcess:
    """``tests/test_browser.py`` in a pytest of its own, with no Chromium; ``workers``: e.g. ``-n 0``
    (without it, the project's default: pytest-xdist on every core)."""
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["TRANSLATE_CHROMIUM"] = str(REPO / "no-such-chromium")
    if ci is not None:
        env["CI"] = ci
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *workers,
                           "tests/test_browser.py"], cwd=REPO, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize(("ci", "workers"), [(None, ()), ("0", ("-n", "0"))], ids=["xdist", "CI=0-serial"])
def test_without_chromium_browser_tests_skip_and_say_once_how_to_install(ci, workers):
    result = run_browser_tests(ci, *workers)
    out = result.stdout
    assert result.returncode == 0, out
    n = len(re.findall(r"^def test_", (REPO / "tests" / "test_browser.py").read_text(), flags=re.M))
    reason = f"browser tests need Chromium, and {REPO / 'no-such-chromium'} does not exist"
    assert f"{n} skipped" in out.splitlines()[-1]
    assert re.search(rf"^-+ {n} tests skipped: {re.escape(reason)} -+$", out, flags=re.M), out
    assert out.count("sudo apt-get install chromium") == 1
    assert "to run them: sudo apt-get install chromium (Debian/Ubuntu)" in out


def test_under_ci_a_missing_chromium_fails_the_browser_tests():
    result = run_browser_tests("true", "-n", "0")
    assert result.returncode == 1, result.stdout
    assert "CI must run these tests" in result.stdout and "skipped" not in result.stdout.splitlines()[-1]
