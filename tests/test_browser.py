"""The review page and the bilingual page in a real browser: Debian's Chromium driven by Playwright.

Without Chromium (``/usr/bin/chromium``, or ``$TRANSLATE_CHROMIUM``) or the ``playwright``
package these tests are skipped, and the end of the run says how to install them; under
``CI=true`` (or 1/yes) they fail instead. Screenshots go to ``tests/artifacts/`` (or
``$TRANSLATE_ARTIFACTS``).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest
from helpers import skip_for_missing_tool
from page_helpers import keep_artifact, save_seed_document
from review_helpers import XSS, running_server, save_document

from translate.review.publish import publish
from translate.review.log import ReviewLog, states
from translate.server.app import create_app

CHROMIUM = Path(os.environ.get("TRANSLATE_CHROMIUM") or "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def require_browser() -> None:
    """Skip (fail under CI) unless Chromium and Playwright are both here."""
    if not CHROMIUM.exists():
        skip_for_missing_tool(f"browser tests need Chromium, and {CHROMIUM} does not exist",
                              "sudo apt-get install chromium (Debian/Ubuntu), or point TRANSLATE_CHROMIUM "
                              "at a Chromium binary")
    if importlib.util.find_spec("playwright") is None:
        skip_for_missing_tool("browser tests need the playwright package, which is not installed",
                              "pip install -e '.[dev]'")


@pytest.fixture(scope="module")
def browser():
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(30_000)  # generous: the machine may be busy with other tests
    dialogs: list[str] = []
    errors: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.dialogs, pg.js_errors = dialogs, errors
    yield pg
    context.close()


def screenshot(page, tmp_path: Path, name: str) -> Path:
    """A full-page screenshot, kept in the artifacts folder."""
    path = tmp_path / name
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    return keep_artifact(path)


def name_myself(page, base: str, name: str = "Amal") -> None:
    page.goto(f"{base}/doc/doc-1")
    page.fill("#whoami-name", name)
    page.click("#whoami button[type=submit]")
    page.wait_for_selector("#reviewer-name")
    assert page.inner_text("#reviewer-name") == name
    assert page.url == f"{base}/doc/doc-1"


def test_edit_approve_reload_persists(page, tmp_path):
    doc = save_document()
    with running_server(create_app()) as base:
        name_myself(page, base)
        # keyboard: j three times to s3, e to edit, Ctrl+Enter to save, a to approve
        for _ in range(3):
            page.keyboard.press("j")
        assert page.get_attribute("article.seg.current", "id") == "seg-s3"
        page.keyboard.press("e")
        textarea = page.locator("#seg-s3 details.editor textarea")
        assert textarea.evaluate("el => el === document.activeElement")
        textarea.fill("The American army said the aid reached $725 million.")
        page.keyboard.press("Control+Enter")
        page.wait_for_selector('#seg-s3[data-rev="1"][data-status="edited"]')
        assert page.inner_text("#seg-s3 .badge.qa-error") == "1 QA error"
        assert "glossary term 'US military' missing" in page.inner_text("#seg-s3 ul.issues")
        # approving English with a QA error is refused: the reason box opens instead
        page.keyboard.press("a")
        page.wait_for_selector("#seg-s3 details.overrider[open]")
        assert page.evaluate("document.activeElement.name") == "override"
        assert "QA errors block approval of s3" in page.inner_text("#seg-s3 .conflict")
        assert page.get_attribute("#seg-s3", "data-status") == "edited"
        page.keyboard.press("Escape")  # back to the card; fix the English instead
        assert page.evaluate("document.activeElement.id") == "seg-s3"
        page.keyboard.press("e")
        page.fill("#seg-s3 details.editor textarea", "The US military said the aid reached $725 million.")
        page.keyboard.press("Control+Enter")
        page.wait_for_selector('#seg-s3[data-rev="2"][data-status="edited"]')
        page.keyboard.press("a")
        page.wait_for_selector('#seg-s3[data-status="approved"]')
        assert "s3: approved, rev 2; next: s4" in page.inner_text("#status-line")
        assert page.get_attribute("article.seg.current", "id") == "seg-s4"  # the next that needs work
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowUp")
        assert page.get_attribute("article.seg.current", "id") == "seg-s2"

        page.reload()
        row = page.locator("#seg-s3")
        assert row.get_attribute("data-status") == "approved" and row.get_attribute("data-rev") == "2"
        assert row.locator(".en-text").inner_text() == "The US military said the aid reached $725 million."
        assert "approved by Amal" in row.locator(".seg-head").inner_text()
        shot = screenshot(page, tmp_path, "review-page-small.png")
        assert shot.exists()
    st = states(doc)["s3"]
    assert (st.status, st.rev, st.edited_by, st.approved_by) == ("approved", 2, "Amal", "Amal")
    assert page.dialogs == [] and page.js_errors == []


def test_script_in_arabic_or_in_an_edit_shows_as_text(page, tmp_path):
    save_document()
    with running_server(create_app()) as base:
        name_myself(page, base, "<i>Mallory</i>")
        assert page.inner_text("#reviewer-name") == "<i>Mallory</i>"
        assert XSS in page.inner_text("#seg-s4 .ar") and XSS in page.inner_text("#seg-s4 .en-text")
        page.click("#seg-s2 details.editor summary")
        evil = '<img src=x onerror="alert(2)"><script>alert(3)</script>'
        page.fill("#seg-s2 details.editor textarea", evil)
        page.click("#seg-s2 details.editor button[type=submit]")
        page.wait_for_selector('#seg-s2[data-rev="1"]')
        assert page.inner_text("#seg-s2 .en-text") == evil
        page.click("#seg-s1 details.commenter summary")
        page.fill("#seg-s1 details.commenter textarea", "<b onmouseover=alert(4)>hover</b>")
        page.click("#seg-s1 details.commenter button[type=submit]")
        page.wait_for_selector("#seg-s1 ul.comments")
        page.reload()
        assert page.inner_text("#seg-s2 .en-text") == evil
        assert page.inner_text("#seg-s1 .comment-text") == "<b onmouseover=alert(4)>hover</b>"
        page.hover("#seg-s1 .comment-text")
        assert page.locator("main img, main b, main i, main script").count() == 0
        screenshot(page, tmp_path, "review-xss.png")
    assert page.dialogs == []


def test_stale_edit_shows_a_conflict_and_keeps_the_typed_text(page):
    doc = save_document()
    with running_server(create_app()) as base:
        name_myself(page, base)
        # another reviewer saves s5 while this page still shows rev 0
        ReviewLog.for_document("doc-1").append(doc, reviewer="Bob", segment="s5", action="edit",
                                               text="He made three calls in 2023.", base_rev=0)
        page.click("#seg-s5 details.editor summary")
        page.fill("#seg-s5 details.editor textarea", "He placed 3 calls in 2023.")
        page.keyboard.press("Control+Enter")
        page.wait_for_selector("#seg-s5 .conflict:not([hidden])")
        message = page.inner_text("#seg-s5 .conflict")
        assert "someone else changed this segment" in message
        assert "rev 1 (edited by Bob)" in message and "He made three calls in 2023." in message
        assert page.get_attribute("#seg-s5", "data-rev") == "1"
        assert page.input_value("#seg-s5 details.editor textarea") == "He placed 3 calls in 2023."
        assert page.inner_text("#seg-s5 .en-text") == "He made three calls in 2023."
        # saving again is now based on rev 1 and goes through
        page.keyboard.press("Control+Enter")
        page.wait_for_selector('#seg-s5[data-rev="2"]')
    assert [e.reviewer for e in ReviewLog.for_document("doc-1").events()] == ["Bob", "Amal"]
    assert page.dialogs == [] and page.js_errors == []


def viewport_shot(page, tmp_path: Path, name: str) -> Path:
    """What the reviewer sees in the window."""
    path = tmp_path / name
    page.screenshot(path=str(path))
    return keep_artifact(path)


def current_id(page) -> str | None:
    return page.get_attribute("article.seg.current", "id")


def focused_id(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.tagName")


def progress_text(page) -> str:
    return " ".join(page.inner_text("#progress").split())


def test_review_page_keyboard_model_progress_and_next_segment(page, tmp_path):
    doc = save_seed_document()
    with running_server(create_app()) as base:
        failed: list[str] = []
        page.on("response", lambda r: failed.append(f"{r.status} {r.url}")
                if r.status >= 400 and r.request.method == "GET" else None)  # the favicon too
        page.goto(f"{base}/doc/article")
        page.fill("#whoami-name", "Amal")
        page.click("#whoami button[type=submit]")
        page.wait_for_selector("#reviewer-name")
        # the heading is the article's title; the status bar is not shown while empty
        assert page.inner_text("main h1") == ENGLISH_TITLE
        assert page.locator("#status-line").bounding_box()["height"] == 0
        assert progress_text(page) == "0 of 21 approved (21 draft)"

        page.keyboard.press("j")
        assert current_id(page) == "seg-s1" == focused_id(page)
        page.keyboard.press("a")
        page.wait_for_selector('#seg-s1[data-status="approved"]')
        page.wait_for_function("document.activeElement.id === 'seg-s2'")
        assert current_id(page) == "seg-s2"  # approving moves on to the next segment that needs work
        assert progress_text(page) == "1 of 21 approved (20 draft)"  # live, without a reload
        assert page.locator("#status-line").bounding_box()["height"] > 0

        page.click("#seg-s3 form.act[data-action=approve] button")  # by mouse: s3 approved, on to s4
        page.wait_for_selector('#seg-s3[data-status="approved"]')
        page.wait_for_function("document.activeElement.id === 'seg-s4'")
        page.keyboard.press("k")
        page.keyboard.press("k")
        assert current_id(page) == "seg-s2"
        page.keyboard.press("a")  # s3 is approved already: the cursor skips it
        page.wait_for_selector('#seg-s2[data-status="approved"]')
        page.wait_for_function("document.activeElement.id === 'seg-s4'")
        assert progress_text(page) == "3 of 21 approved (18 draft)"

        # typing in a text field never fires a shortcut: "Blinken" has j, k, e, n...
        page.keyboard.press("c")
        assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"
        page.keyboard.type("Blinken")
        assert page.input_value("#seg-s4 details.commenter textarea") == "Blinken"
        assert current_id(page) == "seg-s4"
        assert page.locator("details.editor[open]").count() == 0
        page.keyboard.press("Escape")
        assert focused_id(page) == "seg-s4" and page.locator("#seg-s4 details.commenter[open]").count() == 0
        # nor on a control (a summary, a button) or in anything editable
        page.focus("#seg-s5 details.editor summary")
        page.keyboard.type("jja")
        assert current_id(page) == "seg-s5" and page.get_attribute("#seg-s5", "data-status") == "draft"
        page.evaluate("""() => { const d = document.createElement('div'); d.id = 'ce';
            d.contentEditable = 'true'; document.querySelector('main').prepend(d); d.focus(); }""")
        page.keyboard.type("Blinken")
        assert page.inner_text("#ce") == "Blinken" and current_id(page) == "seg-s5"
        assert page.locator("details[open]").count() == 0
        assert [e.segment for e in ReviewLog.for_document("article").events()] == ["s1", "s3", "s2"]

        # the address #seg-s16 puts the keyboard cursor there, on load and later
        page.goto(f"{base}/")
        page.goto(f"{base}/doc/article#seg-s16")
        assert current_id(page) == "seg-s16" == focused_id(page)
        page.keyboard.press("j")
        assert current_id(page) == "seg-s17"
        page.evaluate("window.location.hash = '#seg-s9'")
        page.wait_for_function("document.activeElement.id === 'seg-s9'")
        assert current_id(page) == "seg-s9"

        # one colour per glossary entry: "Ukraine" alike everywhere, s3's seven entries all different
        ukraine = page.eval_on_selector_all(
            "mark.term[title*='→ Ukraine (']", "ms => ms.map(m => getComputedStyle(m).backgroundColor)")
        assert len(ukraine) >= 16 and len(set(ukraine)) == 1
        s3 = page.eval_on_selector_all("#seg-s3 .ar mark.term",
                                        "ms => ms.map(m => getComputedStyle(m).backgroundColor)")
        assert len(s3) == 7 and len(set(s3)) == 7

        # a QA error, the reason box, an approval despite it; a comment in Arabic
        page.keyboard.press("j")  # s10
        page.keyboard.press("e")
        page.fill("#seg-s10 details.editor textarea", "The call comes amid rising tensions between Russia and Kyiv.")
        page.keyboard.press("Control+Enter")
        page.wait_for_selector('#seg-s10[data-rev="1"]')
        page.keyboard.press("a")
        page.wait_for_selector("#seg-s10 details.overrider[open]")
        page.keyboard.type("Kyiv is what the desk uses here")
        page.keyboard.press("Enter")
        page.wait_for_selector('#seg-s10[data-status="approved"]')
        assert "approved by Amal despite QA errors: Kyiv is what the desk uses here" in page.inner_text(
            "#seg-s10 .seg-head")
        assert current_id(page) == "seg-s11"
        page.keyboard.press("c")
        page.keyboard.type("راجع الرقم 725 مليون مع المكتب")
        page.keyboard.press("Control+Enter")
        page.wait_for_selector("#seg-s11 ul.comments")
        assert page.locator("#seg-s11 .comment-text bdi[dir=rtl]").count() == 1
        page.goto(f"{base}/")
        page.goto(f"{base}/doc/article")  # a fresh load, at the top
        screenshot(page, tmp_path, "review-page.png")
        page.evaluate("window.location.hash = '#seg-s10'")
        page.wait_for_function("document.activeElement.id === 'seg-s10'")
        viewport_shot(page, tmp_path, "review-page-s10.png")
        assert failed == [] and page.dialogs == [] and page.js_errors == []
    st = states(doc)["s10"]
    assert (st.status, st.override) == ("approved", "Kyiv is what the desk uses here")


def test_bilingual_html_heading_colours_footer(page, tmp_path):
    doc = save_seed_document()
    from translate.paths import corpus_dir

    page.goto((corpus_dir() / "article" / "bilingual.html").resolve().as_uri())
    assert page.inner_text("h1") == ENGLISH_TITLE
    assert page.inner_text("header.doc .ar-title") == doc.segments[0].source
    ukraine = page.eval_on_selector_all(
        "mark.term[title*='→ Ukraine (']", "ms => ms.map(m => getComputedStyle(m).backgroundColor)")
    assert len(ukraine) >= 16 and len(set(ukraine)) == 1
    footer = page.inner_text("footer")
    assert "backend: ctranslate2" in footer and "translated: 2024-12-04 09:30 UTC" in footer and "|" not in footer
    screenshot(page, tmp_path, "bilingual.png")

    # the published proof: statuses in normal type, even in the title row
    log = ReviewLog.for_document("article")
    for seg in doc.segments[:3]:
        log.append(doc, reviewer="alice", segment=seg.id, action="approve")
    folder = corpus_dir() / "article" / "published"
    publish("article", draft=True)
    page.goto((folder / "bilingual.html").resolve().as_uri())
    status = page.locator("tr#s1 .status")
    assert status.inner_text() == "approved by alice"
    assert status.evaluate("e => [getComputedStyle(e).fontSize, getComputedStyle(e).fontWeight]") == ["12.8px", "400"]
    screenshot(page, tmp_path, "bilingual-published.png")
    page.goto((folder / "article.en.html").resolve().as_uri())
    assert "backend" not in page.inner_text("body") and page.locator("footer .signature").count() == 0


ENGLISH_TITLE = "Rare call between U.S. and Russian military leaders amid rising tensions in Ukraine"
