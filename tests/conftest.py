"""Shared fixtures. Every user path points at a temp dir; the network is never used."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TRANSLATE_SHARED", REPO.parent / "shared"))
SEED = SHARED / "seed" / "article.ar.txt"
TOKENIZER_DIR = SHARED / "data" / "opus-mt-ar-en-tokenizer"


@pytest.fixture(autouse=True)
def isolated_paths(tmp_path, monkeypatch):
    """Point corpus, reviews, cache and the HF cache at a temp dir; forbid the hub."""
    home = tmp_path / "home"
    monkeypatch.setenv("TRANSLATE_CORPUS", str(home / "corpus"))
    monkeypatch.setenv("TRANSLATE_REVIEWS", str(home / "reviews"))
    monkeypatch.setenv("TRANSLATE_CACHE", str(home / "cache"))
    monkeypatch.setenv("TRANSLATE_SHARED", str(SHARED))
    monkeypatch.setenv("HF_HOME", str(home / "hf"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.chdir(tmp_path)
    return home


DEFAULT_MODEL_ID = "Helsinki-NLP/opus-mt-tc-big-ar-en"
FAKE_REVISION = "0123456789abcdef0123456789abcdef01234567"
TINY = dict(d_model=32, encoder_layers=2, decoder_layers=2, encoder_attention_heads=2,
            decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64)


def build_marian(folder: Path, seed: int = 0, **overrides) -> Path:
    """A random-weight Marian model on the real opus-mt-ar-en tokenizer, saved as a local folder."""
    import json
    import shutil

    import torch
    from transformers import MarianConfig, MarianMTModel

    config = json.loads((TOKENIZER_DIR / "config.json").read_text())
    config.update(overrides)
    torch.manual_seed(seed)
    model = MarianMTModel(MarianConfig(**config)).eval()
    model.save_pretrained(folder)
    saved = json.loads((folder / "config.json").read_text())
    saved["newsroom_random_weights"] = True  # a stand-in says so (scripts/random_model.py, benchmarks/quality.py)
    (folder / "config.json").write_text(json.dumps(saved, indent=2, sort_keys=True) + "\n")
    for name in ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copy(TOKENIZER_DIR / name, folder / name)
    return folder


def put_in_hf_cache(hf_home: Path, model_dir: Path, model_id: str = DEFAULT_MODEL_ID) -> Path:
    """Lay ``model_dir`` out as the Hugging Face cache does, under ``model_id``."""
    import shutil

    repo = hf_home / "hub" / ("models--" + model_id.replace("/", "--"))
    snapshot = repo / "snapshots" / FAKE_REVISION
    if not snapshot.exists():
        shutil.copytree(model_dir, snapshot)
        (repo / "refs").mkdir(parents=True, exist_ok=True)
        (repo / "refs" / "main").write_text(FAKE_REVISION)
    return snapshot


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    return build_marian(tmp_path_factory.mktemp("tiny") / "tiny-marian", **TINY)


@pytest.fixture(scope="session")
def full_model_dir(tmp_path_factory) -> Path:
    """The full opus-mt-ar-en architecture (77M parameters) with random weights."""
    return build_marian(tmp_path_factory.mktemp("full") / "full-marian")


@pytest.fixture(scope="session")
def model_home(tmp_path_factory, tiny_model_dir) -> Path:
    """A session-wide HF cache holding the tiny model under the default id, and a CT2 cache."""
    home = tmp_path_factory.mktemp("model-home")
    put_in_hf_cache(home / "hf", tiny_model_dir)
    (home / "cache").mkdir()
    return home


@pytest.fixture
def default_model(model_home, monkeypatch):
    """The default model id resolves (offline) to the tiny model; conversions are shared."""
    monkeypatch.setenv("HF_HOME", str(model_home / "hf"))
    monkeypatch.setenv("TRANSLATE_CACHE", str(model_home / "cache"))
    return DEFAULT_MODEL_ID


@pytest.fixture
def seed_article(tmp_path) -> Path:
    """A copy of the seed article named as a newsroom would drop it."""
    path = tmp_path / "article.ar.txt"
    path.write_bytes(SEED.read_bytes())
    return path


# --- tests that need a tool the machine may lack (Chromium...) -----------------------------------

MISSING_TOOLS: dict[str, str] = {}
"""Skip reason -> how to install what is missing; listed once at the end of the run."""
ARTIFACTS: list[Path] = []
"""Files tests leave for people to look at (screenshots); listed at the end of the run."""


def running_in_ci() -> bool:
    """``CI`` read as a boolean (``1``/``true``/``yes``): there a missing tool fails its tests."""
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def skip_for_missing_tool(reason: str, how_to_install: str) -> None:
    """Skip the test (fail it under CI), and tell the developer once, at the end, how to install."""
    if running_in_ci():
        pytest.fail(f"{reason}: CI must run these tests ({how_to_install})", pytrace=False)
    MISSING_TOOLS[reason] = how_to_install
    pytest.skip(reason)


def pytest_terminal_summary(terminalreporter):
    for reason, how in MISSING_TOOLS.items():
        n = sum(1 for rep in terminalreporter.stats.get("skipped", [])
                if isinstance(rep.longrepr, tuple) and rep.longrepr[2].removeprefix("Skipped: ") == reason)
        terminalreporter.write_sep("-", f"{n} test{'s' if n != 1 else ''} skipped: {reason}", yellow=True, bold=True)
        terminalreporter.write_line(f"to run them: {how}")
    if ARTIFACTS:
        folders = sorted({str(p.parent) for p in ARTIFACTS})
        n = len(set(ARTIFACTS))
        terminalreporter.write_line(f"{n} screenshot{'s' if n != 1 else ''} saved in {', '.join(folders)}: "
                                    + ", ".join(sorted({p.name for p in ARTIFACTS})))
