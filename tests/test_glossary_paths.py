"""One meaning of a glossary path for every command: ``-g DIR`` (and the default ``./glossaries/``)
is the same glossary files for ``run``, ``glossary match``, ``glossary check`` and ``evaluate``;
a broken path fails every command with the same message."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.glossary.paths import resolve_glossary_paths

HEADER = "ar\ten\tcategory\tnote\n"
ARTICLE = "قال بايدن إن أوكرانيا تلقت الدعم.\n"
SIGNATURE = re.compile(r"glossary:a@[0-9a-f]{12}\+b@[0-9a-f]{12}")


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def folder() -> Path:
    """``glossaries/`` holding two glossaries, an examples side file and notes."""
    gl = Path("glossaries")
    gl.mkdir()
    (gl / "a.tsv").write_text(HEADER + "بايدن\tBiden\tperson\t\n", encoding="utf-8")
    (gl / "b.tsv").write_text(HEADER + "أوكرانيا\tUkraine\tplace\t\n", encoding="utf-8")
    (gl / "a.examples.tsv").write_text("ar\ten\texpect\tsentence\nبايدن\t\tmatch\tقال بايدن.\n", encoding="utf-8")
    (gl / "README.md").write_text("# notes\n", encoding="utf-8")
    Path("article.ar.txt").write_text(ARTICLE, encoding="utf-8")
    return gl


def test_a_folder_is_its_glossary_files(folder):
    assert resolve_glossary_paths([folder]) == [folder / "a.tsv", folder / "b.tsv"]
    assert resolve_glossary_paths() == [folder / "a.tsv", folder / "b.tsv"]  # nothing named: ./glossaries/


@pytest.mark.parametrize("named", [["-g", "glossaries"], []], ids=["-g DIR", "default"])
def test_match_sees_both_files(folder, monkeypatch, named):
    monkeypatch.delenv("TRANSLATE_GLOSSARIES", raising=False)
    result = invoke("glossary", "match", "article.ar.txt", *named, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(m["en"], m["entry"]) for m in data["matches"]] == [("Biden", "a.tsv:2"), ("Ukraine", "b.tsv:2")]
    assert [g.split("@")[0] for g in data["glossaries"]] == ["a", "b"]


def test_check_sees_both_files(folder):
    result = invoke("glossary", "check", "glossaries")
    assert (result.exit_code, result.stdout) == (
        0, "glossaries/a.tsv: 1 entry, 1 example, no problems\nglossaries/b.tsv: 1 entry, no problems\n")


@pytest.mark.parametrize("named", [["-g", "glossaries"], []], ids=["-g DIR", "default"])
def test_evaluate_sees_both_files(folder, monkeypatch, named):
    monkeypatch.delenv("TRANSLATE_GLOSSARIES", raising=False)
    Path("src.ar").write_text(ARTICLE, encoding="utf-8")
    Path("hyp.en").write_text("Biden said Ukraine got support.\n", encoding="utf-8")
    result = invoke("evaluate", "--hyp", "hyp.en", "--ref", "hyp.en", "--src", "src.ar", *named, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["terms"]["terms"], data["terms"]["terms_matched"]) == (2, 2)
    assert [p for role, p in data["inputs"] if role == "glossary"] == ["glossaries/a.tsv", "glossaries/b.tsv"]
    assert SIGNATURE.search(data["signature"])


@pytest.mark.parametrize("named", [["-g", "glossaries"], []], ids=["-g DIR", "default"])
def test_run_sees_both_files(folder, default_model, monkeypatch, named):
    monkeypatch.delenv("TRANSLATE_GLOSSARIES", raising=False)
    result = invoke("run", "article.ar.txt", *named, "-q", "--no-tm")
    assert result.exit_code == 0, result.output
    assert "(2 glossary, 0 numbers)" in result.stdout.splitlines()[0]
    assert SIGNATURE.search(result.stdout.splitlines()[1])
    bilingual = next(p for p in result.stdout.splitlines() if p.endswith("bilingual.json"))
    doc = json.loads(Path(bilingual).read_text(encoding="utf-8"))
    assert [t["entry"] for s in doc["segments"] for t in s["terms"]] == ["a.tsv:2", "b.tsv:2"]


def test_no_glossary_means_none_even_with_a_default_folder(folder, default_model, monkeypatch):
    monkeypatch.delenv("TRANSLATE_GLOSSARIES", raising=False)
    result = invoke("run", "article.ar.txt", "--no-glossary", "-q", "--no-tm")
    assert result.exit_code == 0, result.output
    assert "glossary:none" in result.stdout.splitlines()[1]


COMMANDS = {
    "run": lambda p: ["run", "article.ar.txt", "-g", p, "-q"],
    "glossary match": lambda p: ["glossary", "match", "article.ar.txt", "-g", p],
    "glossary check": lambda p: ["glossary", "check", p],
    "evaluate": lambda p: ["evaluate", "--hyp", "hyp.en", "--ref", "hyp.en", "--src", "src.ar", "-g", p],
}
NO_FILES = "no glossary file in this folder (.tsv, .csv, .txt, .tbx; *.examples.tsv are examples)"


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(("case", "message"), [
    ("empty", f"Error: empty: {NO_FILES}\n"),
    ("others", f"Error: others: {NO_FILES}\n"),
    ("missing", "Error: missing: no such file or folder\n"),
])
def test_a_broken_path_fails_every_command_alike(command, case, message):
    Path("article.ar.txt").write_text(ARTICLE, encoding="utf-8")
    Path("src.ar").write_text(ARTICLE, encoding="utf-8")
    Path("hyp.en").write_text("Biden said Ukraine got support.\n", encoding="utf-8")
    Path("empty").mkdir()
    Path("others").mkdir()
    (Path("others") / "README.md").write_text("# notes\n", encoding="utf-8")
    (Path("others") / "g.examples.tsv").write_text("ar\ten\texpect\tsentence\n", encoding="utf-8")
    (Path("others") / "sub.tsv").mkdir()  # a folder is never a glossary file, whatever its name
    result = invoke(*COMMANDS[command](case))
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", message)


def test_the_environment_names_files_or_folders(folder, monkeypatch, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "c.csv").write_text("كييف,Kyiv\n", encoding="utf-8")
    monkeypatch.setenv("TRANSLATE_GLOSSARIES", f"{other}:glossaries/b.tsv")
    assert resolve_glossary_paths() == [other / "c.csv", folder / "b.tsv"]
    monkeypatch.setenv("TRANSLATE_GLOSSARIES", "")
    assert resolve_glossary_paths() == []  # set but empty: none, even with ./glossaries/
    monkeypatch.setenv("TRANSLATE_GLOSSARIES", "nope")
    result = invoke("glossary", "match", "article.ar.txt")
    assert (result.exit_code, result.stderr) == (1, "Error: nope: no such file or folder\n")
