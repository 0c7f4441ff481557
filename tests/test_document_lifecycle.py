"""A document's life across re-runs (issue 10): ids carried by content, readable unique document
ids, one file into one id, a document written and read as one unit, odd input that must not crash."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import SEED
from publish_helpers import demo_document

from translate.cli import cli
from translate.doc.model import Document, Segment
from translate.paths import corpus_dir, doc_id_for, reviews_dir
from translate.doc.rerun import carry_ids, logged_segment_ids
from translate.text.segment import segment_text
from translate.doc.store import list_documents, load_document, save_outputs

CHANGED = "القرار سيئ جدا ومرفوض."
INSERTED = "وقال مسؤول آخر إن الاجتماع المقبل سيعقد في الشهر القادم."


def invoke(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def doc_of(*sources: str, ids: list[str] | None = None) -> Document:
    segs = [Segment(ids[n] if ids else f"s{n + 1}", "sentence", n, s, (0, len(s))) for n, s in enumerate(sources)]
    return Document("d", tuple(segs))


def status(doc_id: str) -> dict[str, dict]:
    result = invoke("review", "status", doc_id, "--json")
    assert result.exit_code == 0, result.output
    return {s["segment"]: s for s in json.loads(result.stdout)["segments"]}


# ---------------------------------------------------------------- ids carried by content


def test_an_unchanged_rerun_keeps_every_id():
    old = doc_of("a", "b", "c")
    new, summary = carry_ids(old, doc_of("a", "b", "c"))
    assert [s.id for s in new.segments] == ["s1", "s2", "s3"]
    assert str(summary) == "3 segments: 3 kept, 0 changed, 0 new"


def test_a_changed_sentence_gets_a_fresh_id_and_the_others_keep_theirs():
    new, summary = carry_ids(doc_of("a", "b", "c"), doc_of("a", "B!", "c"))
    assert [s.id for s in new.segments] == ["s1", "s4", "s3"]
    assert str(summary) == "3 segments: 2 kept, 1 changed, 0 new"


def test_an_inserted_sentence_moves_no_id():
    new, summary = carry_ids(doc_of("a", "b", "c"), doc_of("a", "x", "b", "c"))
    assert [(s.id, s.source) for s in new.segments] == [("s1", "a"), ("s4", "x"), ("s2", "b"), ("s3", "c")]
    assert str(summary) == "4 segments: 3 kept, 0 changed, 1 new"


def test_removed_moved_and_duplicate_sentences():
    old = doc_of("t", "same", "b", "same", "gone", "moved")
    new, summary = carry_ids(old, doc_of("t", "moved", "same", "b", "same", "same"))
    assert [(s.id, s.source) for s in new.segments] == [
        ("s1", "t"), ("s6", "moved"), ("s2", "same"), ("s3", "b"), ("s4", "same"), ("s7", "same")]
    assert str(summary) == "6 segments: 5 kept, 1 changed, 0 new"  # "same" took the place of "gone"
    new, summary = carry_ids(old, doc_of("t", "same", "b", "same"))
    assert [s.id for s in new.segments] == ["s1", "s2", "s3", "s4"]
    assert str(summary) == "4 segments: 4 kept, 0 changed, 0 new, 2 removed"


def test_fresh_ids_avoid_every_id_in_the_old_document_and_the_log():
    old = doc_of("a", "b", ids=["s1", "intro"])
    new, _ = carry_ids(old, doc_of("a", "c", "d"), used={"s9", "s10", "x"})
    assert [s.id for s in new.segments] == ["s1", "s11", "s12"]


def test_the_log_is_read_line_by_line_whatever_it_holds():
    path = reviews_dir() / "d.jsonl"
    path.parent.mkdir(parents=True)
    path.write_bytes(
        b'{"seq": 1, "segment": "s7", "action": "approve", "some_future_field": [1, 2]}\n'
        b'not json at all\n'
        b'{"segment": 12}\n'
        b'["s99"]\n'
        b'{"seq": 2, "segment": "s30", "action": "ed'  # a torn last line
    )
    assert logged_segment_ids("d") == {"s7"}
    assert logged_segment_ids("no-such-doc") == set()


# ---------------------------------------------------------------- document ids


def test_arabic_file_names_get_readable_different_ids():
    war, economy = doc_id_for("خبر-الحرب.ar.txt"), doc_id_for("/news/تقرير-الاقتصاد.ar.txt")
    assert war == "khbr-alhrb-" + hashlib.sha256("خبر-الحرب".encode()).hexdigest()[:6]
    assert economy.startswith("tqryr-alaqtsad-") and economy != war
    assert doc_id_for(unicodedata.normalize("NFD", "خبر-الحرب.ar.txt")) == war  # as macOS spells it
    assert doc_id_for("article.ar.txt") == "article"
    assert doc_id_for("....ar.txt").startswith("doc-") and doc_id_for("新闻.txt").startswith("doc-")


@pytest.mark.parametrize("bad,message", [
    ("../x", "Error: invalid document id '../x': use letters, digits, '.', '_' and '-'\n"),
    (".demo.old", "Error: invalid document id '.demo.old': it cannot start with '.'\n"),
])
def test_run_refuses_an_invalid_id(tmp_path, bad, message):
    article = tmp_path / "a.ar.txt"
    article.write_bytes(SEED.read_bytes())
    result = invoke("run", article, "--id", bad, "--no-glossary")
    assert (result.exit_code, result.stderr) == (1, message)


def test_a_different_file_into_an_existing_id_is_refused_naming_both(tmp_path):
    first, second = tmp_path / "desk1" / "article.ar.txt", tmp_path / "desk2" / "article.ar.txt"
    for path, text in ((first, "عنوان أول\nجملة أولى."), (second, "عنوان ثان\nجملة ثانية.")):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
    doc = segment_text(first.read_text(encoding="utf-8"), "article")
    save_outputs(doc, first.read_bytes(), corpus_dir() / "article", source_path=first.resolve())
    before = (corpus_dir() / "article" / "bilingual.json").read_bytes()
    result = invoke("run", second, "--no-glossary", "--model", "/no/such/model")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {corpus_dir() / 'article'} already holds the document of {first.resolve()}, not {second}: "
        f"to keep both, pass --id OTHER; to replace it with {second}, pass --id article\n"
    )
    assert (corpus_dir() / "article" / "bilingual.json").read_bytes() == before
    # an explicit --id is the user's choice: it goes on (here to the model, which is missing)
    result = invoke("run", second, "--id", "article", "--no-glossary", "--model", "/no/such/model")
    assert result.exit_code == 1 and "already holds" not in result.stderr and "/no/such/model" in result.stderr


# ---------------------------------------------------------------- the document as one unit


def test_the_manifest_lists_every_file_and_records_the_source_path_only_there(tmp_path):
    doc = demo_document("demo")
    files = save_outputs(doc, b"source", corpus_dir() / "demo", source_path=tmp_path / "x.ar.txt")
    assert [p.name for p in files] == ["source.ar.txt", "bilingual.json", "bilingual.html", "draft.en.md",
                                       "manifest.json"]
    manifest = json.loads(files[-1].read_text(encoding="utf-8"))
    assert manifest["source_path"] == str(tmp_path / "x.ar.txt") and manifest["version"] == "0.1.0"
    for path in files[:-1]:
        data = path.read_bytes()
        assert manifest["files"][path.name] == {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    assert str(tmp_path) not in files[1].read_text(encoding="utf-8")


@pytest.mark.parametrize("damage,what", [
    (lambda f: (f / "bilingual.json").write_text((f / "bilingual.json").read_text().replace("Zeina", "Zayna")),
     "bilingual.json does not match manifest.json"),
    (lambda f: (f / "source.ar.txt").write_bytes(b"another article"), "source.ar.txt does not match manifest.json"),
    (lambda f: (f / "draft.en.md").unlink(), "draft.en.md is missing"),
    (lambda f: (f / "manifest.json").unlink(), "manifest.json is missing"),
    (lambda f: (f / "manifest.json").write_text("{"), "manifest.json is not valid JSON: "),
])
def test_a_mismatched_document_is_refused_by_every_command(tmp_path, damage, what):
    save_outputs(demo_document("demo"), b"source", corpus_dir() / "demo")
    folder = corpus_dir() / "demo"
    damage(folder)
    for args in (["review", "status", "demo"], ["publish", "demo", "--draft"], ["export", "demo", "--tmx", "t.tmx"]):
        result = invoke(*args)
        assert result.exit_code == 1
        assert result.stderr.startswith(f"Error: {folder}: incomplete or mismatched document ({what}")
        assert result.stderr.endswith("); re-run 'translate run ARTICLE --id demo'\n")
    assert not (tmp_path / "t.tmx").exists()


def test_a_rewrite_keeps_what_else_is_in_the_folder():
    doc = demo_document("demo")
    folder = corpus_dir() / "demo"
    save_outputs(doc, b"one", folder)
    assert invoke("publish", "demo", "--draft").exit_code == 0
    published = {p.name: p.read_bytes() for p in (folder / "published").iterdir()}
    (folder / "notes.txt").write_text("a note", encoding="utf-8")
    save_outputs(doc, b"two", folder)
    assert {p.name: p.read_bytes() for p in (folder / "published").iterdir()} == published
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "a note"
    assert (folder / "source.ar.txt").read_bytes() == b"two"
    assert list_documents() == ["demo"] and load_document("demo") == doc


def test_out_onto_an_existing_file_is_a_clear_error(tmp_path):
    target = tmp_path / "taken.txt"
    target.write_text("keep me", encoding="utf-8")
    result = invoke("run", SEED, "--out", target, "--no-glossary")
    assert (result.exit_code, result.stderr) == (1, f"Error: --out {target}: is a file, not a folder\n")
    assert target.read_text(encoding="utf-8") == "keep me"
    (tmp_path / "desk").mkdir()
    (tmp_path / "desk" / "mine.txt").write_text("x")
    result = invoke("run", SEED, "--out", tmp_path / "desk", "--no-glossary")
    assert result.stderr == (f"Error: --out {tmp_path / 'desk'}: the folder holds other files and no document; "
                             "give a new or empty folder\n")


# ---------------------------------------------------------------- invisible marks


def test_lines_of_only_invisible_marks_are_blank():
    text = "عنوان\n\u200f\n\u200e \u200b\n\ufeff\u2066\u2069\t\nجملة أولى. \u200f\n\u2067\u2069"
    doc = segment_text(text)
    assert [(s.kind, s.source) for s in doc.segments] == [("title", "عنوان"), ("sentence", "جملة أولى.")]
    assert all(text[s.source_span[0]:s.source_span[1]] == s.source for s in doc.segments)


def test_a_file_of_only_invisible_marks_is_refused_before_loading_a_model(tmp_path):
    article = tmp_path / "marks.ar.txt"
    article.write_text("\u200f\n\u200e\u200b\n", encoding="utf-8")
    result = invoke("run", article, "--no-glossary", "--model", "/no/such/model")
    assert (result.exit_code, result.stderr) == (
        1, f"Error: {article}: has no text to translate (every line is blank or only invisible marks)\n")


# ---------------------------------------------------------------- with a model: the "Why" of issue 10


def run_ok(*args) -> list[str]:
    result = invoke("run", *args, "--no-glossary", "-q")
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def test_rerun_with_a_changed_or_inserted_sentence(default_model, seed_article):
    """Approve everything; change one sentence: only it needs review again and publish refuses;
    insert a sentence: every approval stays on the Arabic it was given for."""
    assert run_ok(seed_article)[0] == "21 segments, 1/1 terms realised (0 glossary, 1 number)"
    first = {s.id: s for s in load_document("article").segments}
    assert invoke("review", "approve", "article", "--all", "--reviewer", "amal", "--override", "test model").exit_code == 0

    lines = lines_of(seed_article)
    lines[6] = CHANGED  # s7
    seed_article.write_text("\n".join(lines), encoding="utf-8")
    assert run_ok(seed_article)[0] == "21 segments: 20 kept, 1 changed, 0 new"
    doc = load_document("article")
    assert [s.id for s in doc.segments] == [f"s{n}" for n in range(1, 7)] + ["s22"] + [f"s{n}" for n in range(8, 22)]
    states = status("article")
    assert states["s22"]["status"] == "draft"
    assert all(st["status"] == "approved" for sid, st in states.items() if sid != "s22"), states
    result = invoke("publish", "article")
    assert result.exit_code == 1 and "  s22: draft (not approved)" in result.stderr.splitlines()

    lines.insert(3, INSERTED)
    seed_article.write_text("\n".join(lines), encoding="utf-8")
    assert run_ok(seed_article)[0] == "22 segments: 21 kept, 0 changed, 1 new"
    doc = load_document("article")
    assert [s.id for s in doc.segments][2:5] == ["s3", "s23", "s4"]
    states = status("article")
    approved = [sid for sid, st in states.items() if st["status"] == "approved"]
    assert len(approved) == 20 and all(doc.segment(sid).source == first[sid].source for sid in approved)
    assert (states["s22"]["status"], states["s23"]["status"]) == ("draft", "draft")
    assert doc.source_name == "article.ar.txt"


def test_a_beam_change_makes_the_approval_of_unedited_mt_stale(default_model, seed_article):
    run_ok(seed_article)
    before = load_document("article")
    assert invoke("review", "edit", "article", "s3", "--text", "A reviewer's English.", "--reviewer", "amal").exit_code == 0
    assert invoke("review", "approve", "article", "--all", "--reviewer", "amal", "--override", "test model").exit_code == 0
    assert run_ok(seed_article, "--beam", "1")[0] == "21 segments: 21 kept, 0 changed, 0 new"
    after = load_document("article")
    fresh = [s.id for s, t in zip(before.segments, after.segments) if s.translation != t.translation and s.id != "s3"]
    assert fresh  # a random model's beam-1 MT differs from its beam-4 MT
    states = status("article")
    assert states["s3"]["status"] == "approved"  # the reviewer's own English still holds
    for sid in fresh:
        assert (states[sid]["status"], states[sid]["reason"]) == ("stale", "translation changed")
    result = invoke("publish", "article")
    assert result.exit_code == 1 and all(sid in result.stderr for sid in fresh)


def test_two_arabic_named_files_and_one_id_per_file(default_model, tmp_path):
    war, economy = tmp_path / "خبر-الحرب.ar.txt", tmp_path / "تقرير-الاقتصاد.ar.txt"
    war.write_bytes("خبر الحرب\n\u200f\n\u200e\u200b\nقال الجيش إن الهجوم بدأ.\n".encode())
    economy.write_text("تقرير الاقتصاد\nارتفعت الأسعار.\n", encoding="utf-8")
    run_ok(war)
    run_ok(economy)
    ids = sorted(p.name for p in corpus_dir().iterdir() if not p.name.startswith("."))
    assert ids == sorted([doc_id_for(war), doc_id_for(economy)]) and "document" not in ids
    war_doc = load_document(doc_id_for(war))
    assert [s.source for s in war_doc.segments] == ["خبر الحرب", "قال الجيش إن الهجوم بدأ."]  # no mark-only segment
    assert (corpus_dir() / doc_id_for(war) / "source.ar.txt").read_bytes() == war.read_bytes()
    assert war_doc.source_name == "خبر-الحرب.ar.txt"

    # the same bytes from another path are the same article; --id chooses, to keep both or to replace
    copy = tmp_path / "copy" / war.name
    copy.parent.mkdir()
    copy.write_bytes(war.read_bytes())
    assert run_ok(copy)[0] == "2 segments: 2 kept, 0 changed, 0 new"
    assert invoke("run", economy, "--out", corpus_dir() / doc_id_for(war), "--no-glossary").exit_code == 1
    run_ok(economy, "--id", "economy-2")
    run_ok(economy, "--id", doc_id_for(war))
    assert load_document(doc_id_for(war)).source_name == "تقرير-الاقتصاد.ar.txt"
    assert sorted(list_documents()) == sorted([doc_id_for(war), doc_id_for(economy), "economy-2"])
