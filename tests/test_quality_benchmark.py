"""benchmarks/quality.py (issue #18) on a few lines with the tiny random model: the table's rows and
columns, sacrebleu signatures, term accuracy with forcing on and off, and the stand-in warning."""

from __future__ import annotations

import importlib.util
import json

import pytest
from helpers import REPO, SEED

HEADER = "| glossary forcing | lines | BLEU | chrF++ | TER | term accuracy | number accuracy | s/sentence |"


@pytest.fixture(scope="module")
def quality():
    spec = importlib.util.spec_from_file_location("quality_benchmark", REPO / "benchmarks" / "quality.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def test_set(tmp_path):
    """Four seed paragraphs (names, ranks, a date: glossary hits and a number) with made-up references."""
    lines = [line for line in SEED.read_text(encoding="utf-8").splitlines() if len(line) > 60][:4]
    src, ref = tmp_path / "test.ar", tmp_path / "test.en"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ref.write_text("The U.S. military said on Wednesday that Gen. Charles Q. Brown spoke to Valery Gerasimov.\n"
                   "It was the first such call between Brown and Gerasimov.\n"
                   "A spokesman said the call took place on Nov. 27.\n"
                   "They discussed the conflict in Ukraine.\n", encoding="utf-8")
    return src, ref


def test_table_rows_columns_and_stand_in_warning(quality, tiny_model_dir, test_set, tmp_path, capsys):
    src, ref = test_set
    out = tmp_path / "quality.json"
    code = quality.main(["--src", str(src), "--ref", str(ref), "--model", str(tiny_model_dir), "--limit", "3",
                         "--json", str(out), "--hyp-dir", str(tmp_path / "hyps")])
    printed = capsys.readouterr().out
    assert code == 0
    lines = printed.splitlines()
    assert lines[0].startswith("machine: ") and " cores " in lines[0]
    warning = next(line for line in lines if "RANDOM-WEIGHT STAND-IN" in line)
    assert warning.startswith(f"WARNING: {tiny_model_dir} is a RANDOM-WEIGHT STAND-IN (its config.json says "
                              '"newsroom_random_weights": true')
    assert lines.count(warning) == 2  # above and below the table
    table = lines[lines.index(HEADER):]
    assert table[1] == "|---|---:|---:|---:|---:|---:|---:|---:|"
    off, on = table[2].split(" | "), table[3].split(" | ")
    assert off[0] == "| off (nothing forced)" and on[0] == "| on (glossary + numbers forced)"
    assert len(off) == len(on) == 8 and off[1] == on[1] == "3"
    assert any(line.startswith("BLEU nrefs:1|case:mixed|eff:no|tok:13a") for line in lines)
    assert any(line.startswith("chrF++ nrefs:1|case:mixed|eff:yes|nc:6|nw:2") for line in lines)
    assert any(line.startswith("TER nrefs:1|case:lc|tok:tercom") for line in lines)

    result = json.loads(out.read_text())
    assert result["lines"] == 3 and result["lines_in_set"] == 4 and result["stand_in"]
    off_row, on_row = result["rows"]
    assert off_row["terms"] == on_row["terms"] > 0
    assert on_row["term_accuracy"] == 1.0 > off_row["term_accuracy"]  # forcing writes every forced term
    assert on[5].startswith("100.0 % (")
    assert on_row["numbers"] == 0 or on_row["number_accuracy"] == 1.0
    assert 0 <= off_row["bleu"] < 5 and off_row["s_per_sentence"] > 0
    hyps = (tmp_path / "hyps" / "test.ar.on.en.txt").read_text(encoding="utf-8").splitlines()
    assert len(hyps) == 3 and "Gerasimov" in " ".join(hyps)


def test_lines_that_do_not_align_are_an_error_naming_the_files(quality, tiny_model_dir, test_set, capsys):
    src, ref = test_set
    ref.write_text("only one line\n", encoding="utf-8")
    code = quality.main(["--src", str(src), "--ref", str(ref), "--model", str(tiny_model_dir)])
    assert code == 1
    assert capsys.readouterr().err.strip() == (
        f"error: {src}: has 4 lines but {ref} has 1; the files must be line-aligned")


def test_a_trained_model_gets_no_warning(quality, tmp_path):
    folder = tmp_path / "opus-mt-tc-big-ar-en"
    folder.mkdir()
    (folder / "config.json").write_text('{"model_type": "marian"}')
    assert quality.stand_in(folder) is None
    (tmp_path / "my-random-model").mkdir()
    (tmp_path / "my-random-model" / "config.json").write_text("{}")
    assert quality.stand_in(tmp_path / "my-random-model") == "its folder name (my-random-model) says so"
