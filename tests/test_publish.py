"""``translate publish``: refuses until every segment is approved and QA-clean; then the article."""

from __future__ import annotations

import json
import re
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from helpers import SEED
from publish_helpers import SIGNATURE, approve_all, demo_document, save, seed_document

import translate.cli.publish_cmds  # noqa: F401  (registers the commands)
from translate import __version__
from translate.cli import cli
from translate.errors import PublishRefusedError
from translate.paths import corpus_dir
from translate.doc.store import load_document
from translate.review.publish import FILES, WATERMARK, publish, publish_problems
from translate.review.log import ReviewLog, states


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def review(doc, sid, action, reviewer="amal", **kw):
    return ReviewLog.for_document(doc.doc_id).append(doc, reviewer=reviewer, segment=sid, action=action, **kw)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


def test_refuses_listing_every_problem_in_document_order():
    doc = save(demo_document())
    review(doc, "s1", "approve")
    review(doc, "s3", "edit", text="Discussing the security issues", base_rev=0)
    review(doc, "s4", "edit", text="The general said the call took place.", base_rev=0)  # QA: approval refused
    review(doc, "s5", "reject", note="too loose")
    review(doc, "s6", "edit", text="Blinken announced new aid.", base_rev=0)
    result = run("publish", "demo")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: cannot publish 'demo': 7 problems (approve every segment and fix QA errors, or use --draft):\n"
        "  s2: draft (not approved)\n"
        "  s3: edited (not approved)\n"
        "  s4: edited (not approved)\n"
        "  s4: terms: glossary term 'Brown' missing (for 'براون')\n"
        "  s5: rejected (not approved)\n"
        "  s6: edited (not approved)\n"
        "  s6: numbers: number 725 مليون (725000000) missing from the English\n"
    )
    assert not (corpus_dir() / "demo" / "published").exists()


def test_refusal_carries_the_problems_and_keeps_an_earlier_publication():
    doc = save(demo_document())
    approve_all(doc)
    folder = corpus_dir() / "demo" / "published"
    assert publish("demo") == [folder / name for name in FILES]
    before = snapshot(folder)
    review(doc, "s6", "edit", text="Blinken announced aid.", base_rev=0)
    with pytest.raises(PublishRefusedError) as err:
        publish("demo")
    assert err.value.problems == [
        "s6: edited (not approved)", "s6: numbers: number 725 مليون (725000000) missing from the English"]
    assert snapshot(folder) == before


def test_publish_writes_article_bilingual_and_provenance(tmp_path):
    doc = save(demo_document())
    approve_all(doc, reviewer="amal")
    review(doc, "s5", "edit", reviewer="omar", text="He added that such calls are rare.", base_rev=0)
    review(doc, "s5", "approve", reviewer="lina", base_rev=1)
    out = tmp_path / "site"
    result = run("publish", "demo", "--out", out)
    assert (result.exit_code, result.output) == (0, "".join(f"wrote {out / name}\n" for name in FILES))

    html = lxml.html.fromstring((out / "article.en.html").read_text(encoding="utf-8"))
    paragraphs = [[span.get("id") for span in p.iter("span")] for p in html.iterfind(".//article/p")]
    assert paragraphs == [["s2"], ["s4", "s5"], ["s6"]]
    assert html.findtext(".//article/p[@id]") is None
    assert html.get_element_by_id("s5").text == "He added that such calls are rare."
    assert html.find(".//footer") is None and "backend" not in html.text_content()  # no MT signature in public
    assert "He added that such calls are rare." in (out / "article.en.md").read_text(encoding="utf-8")
    bilingual = (out / "bilingual.html").read_text(encoding="utf-8")
    assert "He added that such calls are rare." in bilingual and "approved by <bdi>lina</bdi>" in bilingual
    for name in (n for n in FILES if not n.endswith(".docx")):  # the .docx: tests/test_docx.py
        assert WATERMARK not in (out / name).read_text(encoding="utf-8")

    record = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    assert record.pop("published_at").endswith("Z")
    at = {sid: st.approved_at for sid, st in states(doc).items()}  # the appends may straddle a second
    assert record == {
        "doc_id": "demo",
        "signature": str(SIGNATURE),
        "model": SIGNATURE.to_dict(),
        "glossaries": ["newsroom@sha256:0123abcd"],
        "version": __version__,
        "draft": False,
        "overrides": [],
        "segments": [
            {"id": sid, "kind": kind, "status": "approved", "approved_by": who, "approved_at": at, "rev": rev,
             "edited": rev > 0}
            for sid, kind, who, at, rev in [
                ("s1", "title", "amal", at["s1"], 0), ("s2", "byline", "amal", at["s2"], 0),
                ("s3", "heading", "amal", at["s3"], 0), ("s4", "sentence", "amal", at["s4"], 0),
                ("s5", "sentence", "lina", at["s5"], 1), ("s6", "sentence", "amal", at["s6"], 0),
            ]
        ],
    }


def test_draft_is_watermarked_everywhere_and_names_the_unapproved():
    doc = save(demo_document())
    review(doc, "s1", "approve")
    review(doc, "s6", "edit", text="Blinken announced aid.", base_rev=0)
    result = run("publish", "demo", "--draft")
    folder = corpus_dir() / "demo" / "published"
    assert (result.exit_code, result.output) == (0, "".join(f"wrote {folder / name}\n" for name in FILES))
    for name in (n for n in FILES if not n.endswith(".docx")):  # the .docx: tests/test_docx.py
        assert WATERMARK in (folder / name).read_text(encoding="utf-8"), name
    record = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
    assert (record["draft"], record["watermark"]) == (True, "DRAFT — not approved")
    assert record["unapproved"] == ["s2", "s3", "s4", "s5", "s6"]
    assert record["problems"][-1] == "s6: numbers: number 725 مليون (725000000) missing from the English"


@pytest.mark.parametrize(
    "args, output",
    [
        (["publish", "nope"], "Error: no document 'nope': {corpus}/nope/bilingual.json does not exist "
                              "(run 'translate run ARTICLE' first)\n"),
        (["publish", "../etc"], "Error: invalid document id '../etc': use letters, digits, '.', '_' and '-'\n"),
    ],
)
def test_publish_errors(isolated_paths, args, output):
    result = run(*args)
    assert (result.exit_code, result.output) == (1, output.format(corpus=isolated_paths / "corpus"))


def test_seed_article_after_approval_has_its_structure():
    doc = save(seed_document(), source=SEED.read_text(encoding="utf-8"))
    with pytest.raises(PublishRefusedError) as err:
        publish("seed")
    assert len(err.value.problems) == 21
    approve_all(doc)
    paths = publish("seed")
    html = lxml.html.fromstring(paths[1].read_text(encoding="utf-8"))
    article = html.find(".//article")
    assert [h.text_content() for h in article.iter("h1")] == ["English line 1."]
    assert [p.text_content() for p in article.find_class("byline")] == ["English line 2."]
    assert [h.text_content() for h in article.iter("h2")] == [f"English line {n}." for n in (5, 9, 15, 18)]
    body = [p for p in article.iter("p") if p.get("class") != "byline"]
    sentences = [n for n in range(3, 22) if n not in (5, 9, 15, 18)]
    assert len(sentences) == 15
    assert [[s.get("id") for s in p.iter("span")] for p in body] == [[f"s{n}"] for n in sentences]
    assert [child.tag for child in article] == ["h1", "p", "p", "p", "h2", "p", "p", "p", "h2", "p", "p", "p", "p",
                                                "p", "h2", "p", "p", "h2", "p", "p", "p"]

    markdown = paths[0].read_text(encoding="utf-8").rstrip("\n").split("\n\n")
    assert markdown[0] == "# English line 1."
    assert markdown[1] == "*English line 2.*"
    assert [b for b in markdown if b.startswith("## ")] == [f"## English line {n}." for n in (5, 9, 15, 18)]
    assert [b for b in markdown if b.startswith("English line")] == [
        f"English line {n}." + (" Worth 725 million dollars." if n == 16 else "") for n in sentences]


def test_an_override_publishes_past_a_qa_error_and_provenance_names_it():
    doc = save(demo_document())
    approve_all(doc)
    review(doc, "s6", "edit", reviewer="omar", text="Blinken announced aid.", base_rev=0)
    review(doc, "s4", "edit", reviewer="omar", text="The general said the call took place.", base_rev=0)
    review(doc, "s4", "approve", reviewer="lina", base_rev=1, override="the name is in the previous sentence")
    with pytest.raises(PublishRefusedError) as err:  # s6 has no override: its QA error still blocks
        publish("demo")
    assert err.value.problems == [
        "s6: edited (not approved)", "s6: numbers: number 725 مليون (725000000) missing from the English"]
    review(doc, "s6", "approve", reviewer="lina", base_rev=1, override="the sum is in the headline")
    publish("demo")
    record = json.loads((corpus_dir() / "demo" / "published" / "provenance.json").read_text(encoding="utf-8"))
    at = {sid: states(doc)[sid].approved_at for sid in ("s4", "s6")}
    assert record["overrides"] == [
        {"segment": "s4", "approved_by": "lina", "approved_at": at["s4"],
         "reason": "the name is in the previous sentence",
         "qa_errors": ["terms: glossary term 'Brown' missing (for 'براون')"]},
        {"segment": "s6", "approved_by": "lina", "approved_at": at["s6"], "reason": "the sum is in the headline",
         "qa_errors": ["numbers: number 725 مليون (725000000) missing from the English"]},
    ]
    assert [(s["id"], s["status"], s["edited"]) for s in record["segments"] if s["edited"]] == [
        ("s4", "approved", True), ("s6", "approved", True)]


def test_one_problem_is_one_problem():
    doc = save(demo_document())
    approve_all(doc)
    review(doc, "s5", "reject", note="too loose")
    result = run("publish", "demo")
    assert (result.exit_code, result.stderr) == (1, (
        "Error: cannot publish 'demo': 1 problem (approve every segment and fix QA errors, or use --draft):\n"
        "  s5: rejected (not approved)\n"))


def test_an_override_stops_counting_once_the_segment_is_edited_again():
    doc = save(demo_document())
    approve_all(doc)
    review(doc, "s4", "edit", text="The general said the call took place.", base_rev=0)
    review(doc, "s4", "approve", base_rev=1, override="the name is in the previous sentence")
    review(doc, "s4", "edit", text="The general said that the call took place.", base_rev=1)
    with pytest.raises(PublishRefusedError) as err:
        publish("demo")
    assert err.value.problems == ["s4: edited (not approved)", "s4: terms: glossary term 'Brown' missing (for 'براون')"]


def test_a_document_without_a_signature_publishes_with_an_empty_provenance_model(tmp_path):
    doc = save(replace(demo_document(), signature=None))
    approve_all(doc)
    publish("demo", tmp_path)
    record = json.loads((tmp_path / "provenance.json").read_text(encoding="utf-8"))
    assert (record["signature"], record["model"], record["glossaries"]) == (None, None, [])


def test_published_at_is_utc_whatever_the_machines_time_zone(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Riyadh")  # UTC+3, no daylight saving
    time.tzset()
    try:
        doc = save(demo_document())
        approve_all(doc)
        before = datetime.now(timezone.utc).replace(microsecond=0)
        publish("demo", tmp_path)
        after = datetime.now(timezone.utc)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    stamp = json.loads((tmp_path / "provenance.json").read_text(encoding="utf-8"))["published_at"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp)
    assert before <= datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc) <= after


def test_an_override_stops_counting_once_the_approval_goes_stale():
    doc = save(demo_document())
    approve_all(doc)
    review(doc, "s4", "edit", text="The general said the call took place.", base_rev=0)
    review(doc, "s4", "approve", base_rev=1, override="the name is in the previous sentence")
    changed = [replace(s, source=s.source.replace("جرت", "تمت")) if s.id == "s4" else s
               for s in doc.segments]
    save(replace(doc, segments=tuple(changed)))  # a re-run after the author changed a word of s4 (same length: the spans hold)
    now = load_document("demo")
    state = states(now)["s4"]
    # a stale approval keeps neither its override nor the English it approved: the MT is back
    assert (state.status, state.override, state.text) == ("stale", None, "Brown said the call took place.")
    assert [p for p in publish_problems(now, states(now)) if p.startswith("s4")] == ["s4: stale: source changed"]
