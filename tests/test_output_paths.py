"""An output file the user names never replaces what the tool keeps: a document's files, a review
log, the translation memory (one rule: :func:`translate.paths.kept_by_the_tool`)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.paths import corpus_dir, kept_by_the_tool, reviews_dir, tm_path


@pytest.mark.parametrize(
    "where,kept",
    [
        ("corpus/article.ar.txt", None),  # the corpus's top level holds the user's articles
        ("corpus/a/bilingual.json", "inside the document folder {corpus}/a"),
        ("corpus/a/not-yet-there.xlf", "inside the document folder {corpus}/a"),
        ("corpus/notes/todo.txt", None),  # a folder of the user's, not a document (no manifest.json)
        ("corpus/.a.staging-1/manifest.json", "inside the document folder {corpus}/.a.staging-1"),
        ("reviews/a.jsonl", "inside the review logs' folder {reviews}"),
        ("tm/memory.sqlite", "inside the translation memory's folder {tm}"),
        ("tm/imported/x.tmx", "inside the translation memory's folder {tm}"),
        ("elsewhere/a.xlf", None),
        ("link-into-a-document", "inside the document folder {corpus}/a"),
    ],
)
def test_what_the_tool_keeps(tmp_path, where, kept):
    (corpus_dir() / "a").mkdir(parents=True)
    (corpus_dir() / "a" / "manifest.json").write_text("{}", encoding="utf-8")
    (corpus_dir() / "notes").mkdir()
    (tmp_path / "link-into-a-document").symlink_to(corpus_dir() / "a" / "bilingual.json")
    paths = {"corpus": corpus_dir(), "reviews": reviews_dir(), "tm": tm_path()}
    head, _, rest = where.partition("/")
    path = paths[head] / rest if head in paths else tmp_path / where
    assert kept_by_the_tool(path) == (kept.format(**paths) if kept else None)


def _protected() -> dict[str, bytes]:
    files = {corpus_dir() / "a" / "manifest.json": b'{"doc": "a"}\n', reviews_dir() / "a.jsonl": b'{"seq": 1}\n',
             tm_path() / "memory.sqlite": b"SQLite format 3\x00"}
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return {str(p): d for p, d in files.items()}


@pytest.mark.parametrize("target", ["document", "review log", "memory"])
@pytest.mark.parametrize(
    "command,option",
    [
        (["export", "a", "--xliff", "{out}"], "--xliff"),
        (["export", "a", "--tmx", "{out}"], "--tmx"),
        (["export", "a", "--docx", "{out}"], "--docx"),
        (["tm", "export", "{out}"], "FILE.tmx"),
        (["evaluate", "--hyp", "{hyp}", "--ref", "{hyp}", "--html", "{out}"], "--html"),
        (["evaluate", "a", "--html", "{out}"], "--html"),
        (["align-ref", "{hyp}", "{hyp}", "--mt", "{hyp}", "--out", "{out}"], "--out"),
        (["batch", "{hyp}", "--report", "{out}"], "--report"),
    ],
)
def test_an_output_over_what_the_tool_keeps_is_refused(tmp_path, command, option, target):
    protected = _protected()
    out = list(protected)[["document", "review log", "memory"].index(target)]
    hyp = tmp_path / "h.txt"
    hyp.write_text("one line\n", encoding="utf-8")
    where = {"document": f"the document folder {corpus_dir() / 'a'}", "review log": f"the review logs' folder {reviews_dir()}",
             "memory": f"the translation memory's folder {tm_path()}"}[target]
    result = CliRunner().invoke(cli, [arg.format(out=out, hyp=hyp) for arg in command])
    assert result.exit_code == 1, result.output
    assert result.output.splitlines()[-1] == f"Error: {option} {out}: is inside {where}; give a file name outside it"
    assert {p: open(p, "rb").read() for p in protected} == protected


@pytest.mark.parametrize("place", ["reviews", "tm", "tm/sub"])
@pytest.mark.parametrize("command", [["run", "{article}", "--model", "unused"], ["publish", "a", "--draft"]])
def test_an_out_folder_among_the_logs_or_the_memory_is_refused(tmp_path, place, command):
    """``--out`` is where a document or a published article goes: never among the review logs or
    in the translation memory's folder (a document folder of the corpus is where they belong)."""
    article = tmp_path / "a.ar.txt"
    article.write_text("مرحبا\n", encoding="utf-8")
    head, _, rest = place.partition("/")
    out = (reviews_dir() if head == "reviews" else tm_path()) / rest
    where = f"the review logs' folder {reviews_dir()}" if head == "reviews" else f"the translation memory's folder {tm_path()}"
    result = CliRunner().invoke(cli, [arg.format(article=article) for arg in command] + ["--out", str(out)])
    assert result.exit_code == 1, result.output
    assert result.output.splitlines()[-1] == f"Error: --out {out}: is inside {where}; give a new or empty folder outside it"
    assert not out.exists() or not any(out.iterdir())
