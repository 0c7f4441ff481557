"""The review page in a real browser: Debian's Chromium driven by Playwright.

Skipped only where ``/usr/bin/chromium`` is missing and ``CI`` is unset; in CI it must run.
The last screenshot is copied to ``$TRANSLATE_SCREENSHOT_DIR`` when that is set.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from review_helpers import XSS, running_server, save_document

from translate.review import ReviewLog, states
from translate.server import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("no /usr/bin/chromium (apt-get install chromium); required in CI", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    dialogs: list[str] = []
    errors: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.dialogs, pg.js_errors = dialogs, errors
    yield pg
    context.close()


def screenshot(page, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    if os.environ.get("TRANSLATE_SCREENSHOT_DIR"):
        target = Path(os.environ["TRANSLATE_SCREENSHOT_DIR"])
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target / name)
    return path


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
        page.keyboard.press("a")
        page.wait_for_selector('#seg-s3[data-status="approved"]')
        assert "s3: approved, rev 1" in page.inner_text("#status-line")
        page.keyboard.press("ArrowUp")
        assert page.get_attribute("article.seg.current", "id") == "seg-s2"

        page.reload()
        row = page.locator("#seg-s3")
        assert row.get_attribute("data-status") == "approved" and row.get_attribute("data-rev") == "1"
        assert row.locator(".en-text").inner_text() == "The American army said the aid reached $725 million."
        assert "approved by Amal" in row.locator(".seg-head").inner_text()
        shot = screenshot(page, tmp_path, "review-page.png")
        assert shot.exists()
    st = states(doc)["s3"]
    assert (st.status, st.rev, st.edited_by, st.approved_by) == ("approved", 1, "Amal", "Amal")
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
