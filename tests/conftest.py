"""Shared fixtures and hooks only (shared values and helpers: ``helpers.py``). Every user path points
at a temp dir; the network is never used."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import (
    ARTIFACTS,
    DEFAULT_MODEL_ID,
    MISSING_TOOLS,
    SEED,
    SHARED,
    TINY,
    build_marian,
    put_in_hf_cache,
)


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


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    return build_marian(tmp_path_factory.mktemp("tiny") / "tiny-marian", **TINY)


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
