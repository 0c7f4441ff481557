"""Model resolution and both backends with real random-weight Marian models."""

from __future__ import annotations

import pytest
from helpers import DEFAULT_MODEL_ID, FAKE_REVISION, TINY, build_marian
from local_hub import LocalHub, point_huggingface_hub_at

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


@pytest.fixture
def local_hub(monkeypatch, tiny_model_dir):
    """Start a :class:`LocalHub` holding ``DEFAULT_MODEL_ID``: the tiny model's config and tokenizer
    files plus the weight files the test names (the tiny model's bytes where it has that file,
    else a few dummy bytes); the real ``huggingface_hub`` talks to it, online."""
    hubs = []

    def start(weights):
        files = {f.name: f.read_bytes() for f in tiny_model_dir.iterdir() if f.suffix not in (".safetensors", ".bin")}
        for name in weights:
            files[name] = (tiny_model_dir / name).read_bytes() if (tiny_model_dir / name).is_file() else b"weights"
        hubs.append(LocalHub(DEFAULT_MODEL_ID, FAKE_REVISION, files))
        point_huggingface_hub_at(monkeypatch, hubs[-1].url)
        return hubs[-1]

    yield start
    for hub in hubs:
        hub.close()


@pytest.mark.parametrize("weights,fetched", [
    (["model.safetensors", "pytorch_model.bin", "tf_model.h5"], "model.safetensors"),
    (["pytorch_model.bin"], "pytorch_model.bin"),
])
def test_a_hub_download_fetches_one_copy_of_the_weights_then_the_cache_serves(local_hub, weights, fetched):
    hub = local_hub(weights)
    first = resolve_model()
    assert (first.model_id, first.revision, first.origin) == (DEFAULT_MODEL_ID, FAKE_REVISION, "hub")
    # the config and tokenizer files, and one copy of the weights: never TensorFlow's, never both formats
    wanted = {name for name in hub.files if name.endswith((".json", ".spm", ".txt"))} | {fetched}
    assert sorted(hub.downloaded) == sorted(wanted)
    assert (first.path / "config.json").is_file() and (first.path / "source.spm").is_file()
    asked = len(hub.requests)
    again = resolve_model()
    assert (again.origin, again.path) == ("cache", first.path)
    assert hub.requests[asked:] == []  # not even a look at the hub


def test_a_downloaded_model_resolves_offline_though_the_hub_lists_more_formats(local_hub, monkeypatch):
    # huggingface-hub keeps the repo's file list and calls a snapshot without tf_model.h5 and
    # pytorch_model.bin incomplete; the one copy of the weights we fetched is all a run needs
    from huggingface_hub import constants

    hub = local_hub(["model.safetensors", "pytorch_model.bin", "tf_model.h5"])
    first = resolve_model()
    hub.close()
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    again = resolve_model()
    assert (again.origin, again.path, again.revision) == ("cache", first.path, FAKE_REVISION)
    (first.path / "model.safetensors").unlink()  # without its weights, a snapshot is not a model
    with pytest.raises(ModelUnavailableError, match="HF_HUB_OFFLINE is set"):
        resolve_model()


def test_a_failed_download_names_the_hub_error(local_hub):
    local_hub(["model.safetensors"])
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
