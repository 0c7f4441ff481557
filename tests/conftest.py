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
