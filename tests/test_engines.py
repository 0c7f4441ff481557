"""Model resolution and both backends with real random-weight Marian models."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import DEFAULT_MODEL_ID, FAKE_REVISION, TINY, build_marian

from translate.engines import load_engine, resolve_model
from translate.engines.ct2 import converted_dir
from translate.errors import ModelUnavailableError, UnknownBackendError

SOURCE = "قال الجيش الأميركي يوم الأربعاء إن قائد الأركان المشتركة أجرى مكالمة هاتفية نادرة."


def test_default_model_resolves_from_the_hf_cache_offline(default_model):
    resolved = resolve_model()
    assert resolved.model_id == DEFAULT_MODEL_ID
    assert resolved.revision == FAKE_REVISION
    assert resolved.origin == "cache"
    assert (resolved.path / "config.json").is_file()


def test_local_folder_resolves_with_a_stable_revision(tiny_model_dir):
    a, b = resolve_model(str(tiny_model_dir)), resolve_model(str(tiny_model_dir))
    assert a.origin == "local" and a.revision == b.revision and a.revision.startswith("sha:")


def test_missing_model_fails_with_advice():  # how fast: benchmarks/limits.py
    with pytest.raises(ModelUnavailableError) as err:
        resolve_model("Helsinki-NLP/opus-mt-ar-en")
    assert str(err.value) == (
        "model 'Helsinki-NLP/opus-mt-ar-en' is not in the Hugging Face cache and HF_HUB_OFFLINE is set. Either:\n"
        "  - pass --model PATH to a local copy of the model;\n"
        "  - fetch it once on a machine with network (hf download Helsinki-NLP/opus-mt-ar-en) "
        "and copy the cache (~/.cache/huggingface) here; or\n"
        "  - try the whole workflow offline with a random-weight stand-in (nonsense English, every stage real):\n"
        "      python scripts/random_model.py models/random-opus-mt-ar-en --tiny\n"
        "    then add --model models/random-opus-mt-ar-en"
    )


def test_unreachable_hub_is_detected(monkeypatch):  # how fast: benchmarks/limits.py
    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # discard port: connection refused at once
    with pytest.raises(ModelUnavailableError, match="the hub cannot be reached"):
        resolve_model("Helsinki-NLP/opus-mt-ar-en")


class FakeHub:
    """``list_repo_files`` and ``snapshot_download`` of a hub that holds one model: a download
    copies ``model_dir`` into the cache under ``FAKE_REVISION`` (only the asked-for files)."""

    def __init__(self, monkeypatch, model_dir, files):
        import huggingface_hub

        self.model_dir, self.files, self.downloads = model_dir, files, []
        self.real_snapshot_download = huggingface_hub.snapshot_download
        monkeypatch.delenv("HF_HUB_OFFLINE")
        monkeypatch.setattr("translate.engines.resolve.hub_reachable", lambda timeout=3.0: True)
        monkeypatch.setattr(huggingface_hub, "list_repo_files", self.list_repo_files)
        monkeypatch.setattr(huggingface_hub, "snapshot_download", self.snapshot_download)

    def list_repo_files(self, repo_id):
        import httpx
        from huggingface_hub.errors import RepositoryNotFoundError

        if repo_id != DEFAULT_MODEL_ID:
            url = f"https://huggingface.co/api/models/{repo_id}"
            raise RepositoryNotFoundError("404 Client Error", response=httpx.Response(404, request=httpx.Request("GET", url)))
        return self.files

    def snapshot_download(self, repo_id, *, allow_patterns=None, cache_dir=None, local_files_only=False):
        import fnmatch
        import shutil

        if local_files_only:
            return self.real_snapshot_download(repo_id, local_files_only=True, cache_dir=cache_dir)
        self.downloads.append(allow_patterns)
        repo = Path(cache_dir) / ("models--" + repo_id.replace("/", "--"))
        snapshot = repo / "snapshots" / FAKE_REVISION
        snapshot.mkdir(parents=True)
        for f in self.model_dir.iterdir():
            if any(fnmatch.fnmatch(f.name, pat) for pat in allow_patterns):
                shutil.copy(f, snapshot / f.name)
        (repo / "refs").mkdir()
        (repo / "refs" / "main").write_text(FAKE_REVISION)
        return str(snapshot)


@pytest.mark.parametrize("files,weights", [
    (["config.json", "model.safetensors", "pytorch_model.bin", "tf_model.h5", "source.spm"], "model.safetensors"),
    (["config.json", "pytorch_model.bin", "source.spm"], "pytorch_model.bin"),
])
def test_a_hub_download_fetches_one_copy_of_the_weights_then_the_cache_serves(monkeypatch, tiny_model_dir, files,
                                                                               weights):
    hub = FakeHub(monkeypatch, tiny_model_dir, files)
    first = resolve_model()
    assert (first.model_id, first.revision, first.origin) == (DEFAULT_MODEL_ID, FAKE_REVISION, "hub")
    assert hub.downloads == [["*.json", "*.spm", "*.txt", weights]]
    assert (first.path / "config.json").is_file() and (first.path / "source.spm").is_file()
    again = resolve_model()
    assert (again.origin, again.path) == ("cache", first.path) and len(hub.downloads) == 1


def test_a_failed_download_names_the_hub_error(monkeypatch, tiny_model_dir):
    FakeHub(monkeypatch, tiny_model_dir, ["config.json"])
    with pytest.raises(ModelUnavailableError) as err:
        resolve_model("Helsinki-NLP/opus-mt-xx-yy")
    assert str(err.value).startswith(
        "model 'Helsinki-NLP/opus-mt-xx-yy' is not in the Hugging Face cache and the download failed "
        "(RepositoryNotFoundError). Either:\n  - pass --model PATH")


@pytest.mark.parametrize("path,message", [
    ("./no/such/folder", "no such model folder: ./no/such/folder"),
    ("/tmp/nowhere/at/all", "no such model folder: /tmp/nowhere/at/all"),
])
def test_missing_folder(path, message):
    with pytest.raises(ModelUnavailableError) as err:
        resolve_model(path)
    assert str(err.value) == message


def test_folder_without_config(tmp_path):
    (tmp_path / "m").mkdir()
    with pytest.raises(ModelUnavailableError, match="not a model folder"):
        resolve_model(str(tmp_path / "m"))


def test_unknown_backend():
    with pytest.raises(UnknownBackendError) as err:
        load_engine(None, "marian-cpp")
    assert str(err.value) == "unknown backend 'marian-cpp': choose one of ctranslate2, transformers"


@pytest.mark.parametrize("backend", ["ctranslate2", "transformers"])
def test_backends_translate_with_attention(tiny_model_dir, backend):
    engine = load_engine(str(tiny_model_dir), backend)
    batch = [engine.tokenizer.source(SOURCE), engine.tokenizer.source("براون")]
    assert batch[0][-1] == "</s>"
    hyps = engine.translate_pieces(batch, beam=4)
    assert len(hyps) == 2
    for src, hyp in zip(batch, hyps):
        assert 0 < len(hyp.tokens) <= engine.default_max_length(batch)
        assert hyp.attention.shape == (len(hyp.tokens), len(src))
        assert "</s>" not in hyp.tokens and "<pad>" not in hyp.tokens
        # each row is a distribution over this row's own source pieces: none left on the padding
        # of the shorter row, none lost by a shifted or truncated slice
        assert hyp.attention.min() >= 0
        assert abs(hyp.attention.sum(axis=1) - 1).max() < 0.02, hyp.attention.sum(axis=1)


@pytest.mark.parametrize("backend", ["ctranslate2", "transformers"])
def test_backends_honour_prefixes_per_row(tiny_model_dir, backend):
    engine = load_engine(str(tiny_model_dir), backend)
    batch = [engine.tokenizer.source(SOURCE), engine.tokenizer.source(SOURCE)]
    prefix = engine.tokenizer.target("Charles Q. Brown")
    hyps = engine.translate_pieces(batch, beam=4, prefixes=[prefix, None])
    assert list(hyps[0].tokens[: len(prefix)]) == prefix
    assert list(hyps[1].tokens[: len(prefix)]) != prefix


def test_ctranslate2_conversion_is_cached_by_model_and_revision(tiny_model_dir):
    first = load_engine(str(tiny_model_dir), "ctranslate2")
    folder = converted_dir(first.model, "int8")
    assert first.folder == folder and (folder / "model.bin").is_file()
    stamp = (folder / "model.bin").stat().st_mtime_ns
    second = load_engine(str(tiny_model_dir), "ctranslate2")
    assert (second.folder / "model.bin").stat().st_mtime_ns == stamp
    assert first.label == "ctranslate2-int8-vmap"
    leftovers = [p.name for p in folder.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_vmap_keeps_arabic_pieces_out_of_the_english(tiny_model_dir):
    engine = load_engine(str(tiny_model_dir), "ctranslate2")
    hyps = engine.translate_pieces([engine.tokenizer.source(SOURCE)], beam=2)
    arabic = [p for p in hyps[0].tokens if any("\u0600" <= ch <= "\u06ff" for ch in p)]
    assert arabic == []


def test_both_backends_read_the_same_attention(tmp_path):
    # the mean of the last decoder layer's heads on both (CTranslate2's default is its first head);
    # the cross-attention is sharpened so that the heads differ, as a trained model's do
    import torch
    from transformers import MarianMTModel

    folder = build_marian(tmp_path / "sharp", **TINY)
    model = MarianMTModel.from_pretrained(folder)
    with torch.no_grad():
        model.model.decoder.layers[-1].encoder_attn.q_proj.weight.mul_(200)
    model.save_pretrained(folder)
    ct2, hf = load_engine(str(folder), "ctranslate2"), load_engine(str(folder), "transformers")
    src = ct2.tokenizer.source(SOURCE)
    a = ct2.translate_pieces([src], beam=1, max_length=12, min_length=12)[0]
    b = hf.translate_pieces([src], beam=1, prefixes=[list(a.tokens)], max_length=12, min_length=12)[0]
    assert a.tokens == b.tokens
    assert a.attention.max() > 0.3  # sharp enough to tell heads apart (one head alone differs by 0.3)
    assert abs(a.attention - b.attention).max() < 0.05  # int8 against float32
