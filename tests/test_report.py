"""The HTML evaluation report: content, escaping, self-containment, and rendering in Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import REPO, running_in_ci

from translate.cli import cli
from translate.evaluate.report import chrf_plot, evaluation_html
from translate.evaluate.scores import evaluate_lines

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
XSS = "<script>alert(1)</script>"

REFS = ["The general called his Russian counterpart.", "They discussed Ukraine.", "The call was rare.",
        "Washington sent 20 HIMARS.", "Nothing else was said."]
HYPS = ["The general called his Russian counterpart.", f"They talked about {XSS}.", "A rare call.",
        "Washington sent 20 HIMARS.", "Nothing more."]
BASE = ["A general called.", "They discussed Ukraine.", "The call was rare.", "Washington sent HIMARS.", "Nothing."]
SRC = ["اتصل الجنرال بنظيره الروسي.", "ناقشا أوكرانيا.", "كانت المكالمة نادرة.", "أرسلت واشنطن 20 هيمارس.",
       "لم يقل شيء آخر."]


@pytest.fixture
def evaluation():
    return evaluate_lines(HYPS, [REFS], sources=SRC, baseline=BASE, targets=[[], ["Ukraine"], [], ["HIMARS"], []],
                          bootstrap=200, trials=200, inputs=[("hyp", "hyp.en"), ("ref", "ref.en")])


def test_report_content(evaluation):
    html = evaluation_html(evaluation)
    assert html.startswith("<!DOCTYPE html>")
    assert html.count("<svg") == 1 and "<figure><svg" in html
    for metric in (evaluation.bleu, evaluation.chrf, evaluation.ter):
        assert metric.signature in html
    for result in evaluation.significance:
        assert result.signature in html and f"{result.p_value:.4f}" in html
    assert "translate: translate:0.1.0|glossary:none" in html
    assert "term accuracy (exact match): 1/2 = 50.0 %" in html
    assert "line 2: term <q>Ukraine</q> missing" in html
    assert XSS not in html and "They talked about &lt;script&gt;alert(1)&lt;/script&gt;." in html
    assert '<td lang="ar" dir="rtl">كانت المكالمة نادرة.</td>' in html
    # worst segments first, by sentence chrF++
    worst = re.findall(r'<tr><td class=num>(\d+)</td><td class=num>([\d.]+)</td>', html)
    scores = [float(s) for _, s in worst]
    assert scores == sorted(scores) and len(worst) == 5
    assert worst[-1][0] in {"1", "4"}  # identical to the reference


def test_report_is_self_contained(evaluation):
    html = evaluation_html(evaluation)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)
    assert "<script" not in html and "@import" not in html
    assert re.findall(r"url\((.)", html) and not re.search(r"url\((?!#)", html)  # only the SVG's own clip paths
    assert "<metadata>" not in html and "<?xml" not in html


def test_plot_is_inline_svg_and_reproducible():
    a, b = chrf_plot([10.0, 55.5, 99.0]), chrf_plot([10.0, 55.5, 99.0])
    assert a.startswith('<svg role="img" aria-label="histogram of per-segment chrF++"')
    assert a == b  # no dates or random ids: the report of the same inputs is the same file
    assert a != chrf_plot([10.0, 20.0, 30.0])


def test_importing_the_package_loads_no_heavy_library():
    code = ("import sys, translate.cli, translate.evaluate.scores, translate.evaluate.document, translate.evaluate.refalign, "
            "translate.evaluate.report, translate.evaluate.term_accuracy; "
            "print(sorted(m for m in ('matplotlib', 'sacrebleu', 'torch', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_cli_writes_the_report_and_keeps_stdout_clean(tmp_path):
    hyp, ref, base = write(tmp_path / "h.en", HYPS), write(tmp_path / "r.en", REFS), write(tmp_path / "b.en", BASE)
    result = CliRunner().invoke(cli, ["evaluate", "--hyp", str(hyp), "--ref", str(ref), "--baseline", str(base),
                                      "--json", "--html", "report.html", "--trials", "500"])
    assert result.exit_code == 0, result.output
    assert result.stderr == "report: report.html\n"
    assert json.loads(result.stdout)["bleu"]["name"] == "BLEU"
    html = Path("report.html").read_text(encoding="utf-8")
    assert "<svg" in html and "approximate randomisation (500)" in html


def test_document_report(tmp_path):
    from test_evaluate import review_all, seed_document

    doc, finals = seed_document()
    review_all(doc, finals)
    result = CliRunner().invoke(cli, ["evaluate", "article", "--html", "doc.html"])
    assert result.exit_code == 0, result.output
    html = Path("doc.html").read_text(encoding="utf-8")
    assert "<title>Evaluation of article</title>" in html and "<svg" in html
    assert f"document: {doc.signature}" in html
    assert "12 of 21 approved" in html
    assert re.search(r"<b>MT</b> term accuracy \(exact match\): \d+/\d+ = [\d.]+ %", html)
    assert "<li>segment s3: term <q>Wednesday</q> missing</li>" in html  # the draft keeps every other term


# --- in a real browser --------------------------------------------------------------------------

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists() and not running_in_ci(),
                                    reason="no /usr/bin/chromium (apt-get install chromium); required in CI")


@needs_chromium
def test_report_renders_in_chromium(evaluation, tmp_path):
    from playwright.sync_api import sync_playwright

    path = tmp_path / "report.html"
    path.write_text(evaluation_html(evaluation), encoding="utf-8")
    requests, errors, dialogs = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            box = page.locator("figure svg").bounding_box()
            assert box and box["width"] > 400 and box["height"] > 150
            assert page.locator("figure svg path").count() > 20  # bars, axes and glyphs drawn
            assert page.inner_text("h1") == "Translation evaluation"
            assert f"They talked about {XSS}." in page.inner_text("body")
            assert page.locator("table").count() == 3
            shot = tmp_path / "report.png"
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert requests == [path.as_uri()]  # nothing fetched but the page itself
    assert errors == [] and dialogs == []
    assert shot.stat().st_size > 20_000
    if os.environ.get("TRANSLATE_SCREENSHOT_DIR"):
        target = Path(os.environ["TRANSLATE_SCREENSHOT_DIR"])
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, target / "evaluation-report.png")


def test_no_source_column_without_a_source():
    ev = evaluate_lines(HYPS, [REFS], bootstrap=0, trials=0)
    html = evaluation_html(ev)
    assert "<th>source</th>" not in html and 'lang="ar"' not in html
    assert "No baseline given" in html
