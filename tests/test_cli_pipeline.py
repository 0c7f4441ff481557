"""``translate segment``, ``run`` and ``models`` through click, with exact output and errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from helpers import SEED

from translate.cli import cli


@pytest.fixture
def runner():
    return CliRunner()


def test_segment_prints_a_table_and_a_summary(runner):
    result = runner.invoke(cli, ["segment", str(SEED)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 22
    assert lines[1] == "  s2  byline       77-82     zeina"
    assert lines[-1] == "21 segments: 1 title, 1 byline, 4 heading, 15 sentence"


def test_segment_json(runner):
    result = runner.invoke(cli, ["segment", str(SEED), "--json"])
    data = json.loads(result.stdout)
    assert [d["kind"] for d in data[:3]] == ["title", "byline", "sentence"]
    text = SEED.read_bytes().decode("utf-8")
    assert all(text[d["source_span"][0] : d["source_span"][1]] == d["source"] for d in data)


def write(path, data: bytes):
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize("command", ["segment", "run"])
@pytest.mark.parametrize("case,expected", [
    ("missing", "Error: {p}: no such file\n"),
    ("empty", "Error: {p}: is empty\n"),
    ("blank", "Error: {p}: is empty\n"),
    ("latin1", "Error: {p}:2: not valid UTF-8 (byte 0xe9 at offset 14)\n"),
    ("directory", "Error: {p}: is a directory, not a text file\n"),
])
def test_bad_input_files(runner, tmp_path, command, case, expected):
    path = tmp_path / f"{case}.ar.txt"
    if case == "empty":
        write(path, b"")
    elif case == "blank":
        write(path, b"\xef\xbb\xbf \r\n\n")
    elif case == "latin1":
        write(path, "عنوان\ncaf\xe9".encode("utf-8")[:11] + b"caf\xe9\n")
    elif case == "directory":
        path.mkdir()
    result = runner.invoke(cli, [command, str(path), "--no-glossary"] if command == "run" else [command, str(path)])
    assert result.exit_code == 1
    assert result.stderr == expected.format(p=path)


def test_unknown_backend(runner):
    result = runner.invoke(cli, ["run", str(SEED), "--backend", "marian"])
    assert result.exit_code == 2
    assert "Error: Invalid value for '--backend' / '-b': 'marian' is not one of 'ctranslate2', 'transformers'." in result.stderr


def test_unavailable_model_fails_fast_and_writes_nothing(runner, seed_article, isolated_paths):
    result = runner.invoke(cli, ["run", str(seed_article), "--model", "Helsinki-NLP/opus-mt-ar-en", "--no-glossary"])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: model 'Helsinki-NLP/opus-mt-ar-en' is not in the Hugging Face cache and HF_HUB_OFFLINE is set. Either:\n"
        "  - pass --model PATH to a local copy of the model;\n"
        "  - fetch it once on a machine with network (hf download Helsinki-NLP/opus-mt-ar-en) "
        "and copy the cache (~/.cache/huggingface) here; or\n"
        "  - try the whole workflow offline with a random-weight stand-in (nonsense English, every stage real):\n"
        "      python scripts/random_model.py models/random-opus-mt-ar-en --tiny\n"
        "    then add --model models/random-opus-mt-ar-en\n"
    )
    assert not (isolated_paths / "corpus").exists()


def test_bad_glossary_stops_before_any_translation(runner, seed_article, tmp_path, isolated_paths):
    bad = tmp_path / "bad.tsv"
    bad.write_text("ar\ten\tcategory\tnote\nهيمارس\t\tweapon\t\n", encoding="utf-8")
    result = runner.invoke(cli, ["run", str(seed_article), "-g", str(bad), "--model", "/no/such/model"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {bad}:2: ")
    assert not (isolated_paths / "corpus").exists()


def test_run_writes_the_four_files_with_the_default_model(runner, default_model, seed_article, isolated_paths):
    result = runner.invoke(cli, ["run", str(seed_article), "--no-glossary", "--quiet"])
    assert result.exit_code == 0, result.output
    folder = isolated_paths / "corpus" / "article"
    lines = result.stdout.splitlines()
    assert lines[0] == "21 segments, 1/1 terms realised (0 glossary, 1 number)"
    assert lines[1].startswith(f"signature: model:{default_model}|rev:0123456789abcdef")
    assert "|backend:ctranslate2-int8-vmap|beam:4|glossary:none|version:" in lines[1]
    files = ("source.ar.txt", "bilingual.json", "bilingual.html", "draft.en.md", "manifest.json")
    assert lines[2:] == [str(folder / n) for n in files]
    assert result.stderr == ""  # no progress bar when not on a terminal


def test_run_without_numbers(runner, default_model, seed_article, isolated_paths):
    result = runner.invoke(cli, ["run", str(seed_article), "--no-glossary", "--no-numbers", "-q"])
    assert result.stdout.splitlines()[0] == "21 segments, 0/0 terms realised (0 glossary, 0 numbers)"


def test_run_never_writes_outside_the_corpus(runner, default_model, tmp_path, isolated_paths):
    article = tmp_path / "..evil name;.ar.txt"
    article.write_bytes(SEED.read_bytes())
    result = runner.invoke(cli, ["run", str(article), "--no-glossary", "-q"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (isolated_paths / "corpus").iterdir()) == [".evil-name.lock", "evil-name"]


def test_models_lists_known_and_cached(runner, default_model):
    result = runner.invoke(cli, ["models"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Known models:"
    assert lines[1].startswith("  Helsinki-NLP/opus-mt-tc-big-ar-en  [cached]  default")
    assert lines[2].startswith("  Helsinki-NLP/opus-mt-ar-en  [not cached]  fast and small")
    assert lines[4].startswith("  Helsinki-NLP/opus-mt-tc-big-ar-en@0123456789ab  ")


def test_python_dash_m_translate_works():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "translate", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("translate, version ")
