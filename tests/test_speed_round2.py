"""Issue #18's overhead cuts: the tokenizer files read without transformers (same pieces and ids as
MarianTokenizer), and a CTranslate2 ``translate run`` that imports neither transformers nor torch."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest
from helpers import REPO, SEED, SHARED, TOKENIZER_DIR

from translate.engines.marian_files import MarianFiles, marian_tokenizer


def _lines(path, n):
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()][:n]


@pytest.fixture(scope="module")
def both():
    from transformers import MarianTokenizer

    return MarianFiles(TOKENIZER_DIR), MarianTokenizer.from_pretrained(str(TOKENIZER_DIR))


def test_source_and_target_pieces_match_marian_tokenizer(both):
    ours, theirs = both
    arabic = (_lines(SHARED / "data" / "ntrex-128" / "newstest2019-ref.arb.txt", 150)
              + _lines(SHARED / "data" / "tico19-test" / "tico19-test.ar", 150) + _lines(SEED, 40)
              + ["", "  ", "«اقتباس» — “quoted” … ١٢٣٫٥ %", "tab\there"])
    for text in arabic:
        assert ours.normalize(text) == theirs.normalize(text), text
        assert ours.spm_source.encode(ours.normalize(text), out_type=str) == \
            theirs.spm_source.encode(theirs.normalize(text), out_type=str), text
    english = _lines(SHARED / "data" / "ntrex-128" / "newstest2019-src.eng.txt", 100) + ["HIMARS", "Gen. Brown's"]
    for text in english:
        assert ours.spm_target.encode(text, out_type=str) == theirs.spm_target.encode(text, out_type=str)
    assert (ours.eos_token, ours.pad_token, ours.unk_token) == (theirs.eos_token, theirs.pad_token, theirs.unk_token)


def test_ids_and_pieces_match_marian_tokenizer(both):
    ours, theirs = both
    pieces = ours.spm_target.encode("The Pentagon said 725 million", out_type=str) + ["</s>", "<pad>", "no-such-piece"]
    assert ours.convert_tokens_to_ids(pieces) == theirs.convert_tokens_to_ids(pieces)
    ids = list(range(0, 62834, 997)) + [62833, 0, 1]
    assert ours.convert_ids_to_tokens(ids) == theirs.convert_ids_to_tokens(ids)
    assert ours.encoder == theirs.encoder


def test_tokens_added_beside_the_vocabulary_fall_back_to_marian_tokenizer(tmp_path):
    folder = tmp_path / "tok"
    shutil.copytree(TOKENIZER_DIR, folder)
    assert isinstance(marian_tokenizer(folder), MarianFiles)
    config = json.loads((folder / "tokenizer_config.json").read_text())
    config["added_tokens_decoder"] = {"62834": {"content": "<extra>", "special": True}}
    (folder / "tokenizer_config.json").write_text(json.dumps(config))
    assert type(marian_tokenizer(folder)).__name__ == "MarianTokenizer"


def test_ctranslate2_run_imports_neither_transformers_nor_torch(tiny_model_dir, tmp_path, monkeypatch):
    """Once converted, ``translate run`` on CTranslate2 needs no transformers (seconds of imports)."""
    from translate.engines import load_engine

    monkeypatch.setenv("TRANSLATE_CACHE", str(tmp_path / "cache"))
    load_engine(str(tiny_model_dir), "ctranslate2")  # the conversion, here: this process has torch already
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    code = textwrap.dedent(f"""
        import sys
        from translate.cli import cli
        cli.main(["run", {str(SEED)!r}, "--model", {str(tiny_model_dir)!r}, "--out", {str(tmp_path / "doc")!r},
                  "-q"], standalone_mode=False)
        print(sorted(m for m in ("transformers", "torch") if m in sys.modules))
    """)
    proc = subprocess.run([sys.executable, "-c", code], env=env, check=False, capture_output=True, text=True,
                          cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]"
    assert (tmp_path / "doc" / "bilingual.json").is_file()


def test_low_memory_conversion_writes_the_same_model_and_hands_pages_back(tiny_model_dir, tmp_path, monkeypatch):
    """One weight at a time, its float32 pages handed back: the same model.bin, byte for byte."""
    from translate.engines import ct2, ct2_lowmem
    from translate.engines.resolve import resolve_model

    if not ct2_lowmem.ENABLED:
        pytest.skip("the low-memory conversion is Linux only")
    given = []
    quantize = ct2_lowmem.quantize_low_memory
    monkeypatch.setattr(ct2_lowmem, "quantize_low_memory", lambda spec, q: given.append(quantize(spec, q)) or given[-1])
    model = resolve_model(str(tiny_model_dir))
    folders = {}
    for enabled in (False, True):
        monkeypatch.setattr(ct2_lowmem, "ENABLED", enabled)
        monkeypatch.setenv("TRANSLATE_CACHE", str(tmp_path / f"cache-{enabled}"))
        folders[enabled] = ct2.convert(model, "int8")
    assert len(given) == 1 and given[0] >= 4 * 2**20  # the 8 MB embedding's pages at least
    assert (folders[True] / "model.bin").read_bytes() == (folders[False] / "model.bin").read_bytes()
    assert (folders[True] / "config.json").read_text() == (folders[False] / "config.json").read_text()
