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


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """What the end-of-run summary needs rides on the report (under pytest-xdist the summary is
    written by the controller, which never saw the workers' ``MISSING_TOOLS``/``ARTIFACTS``)."""
    outcome = yield
    rep = outcome.get_result()
    if rep.skipped and isinstance(rep.longrepr, tuple):
        reason = rep.longrepr[2].removeprefix("Skipped: ")
        if reason in MISSING_TOOLS:
            rep.user_properties.append(("how_to_install", [reason, MISSING_TOOLS[reason]]))
    shown = item.config.stash.setdefault(_ARTIFACTS_SHOWN, [0])  # ARTIFACTS is one list per process
    for path in ARTIFACTS[shown[0]:]:
        rep.user_properties.append(("artifact", str(path)))
    shown[0] = len(ARTIFACTS)


_ARTIFACTS_SHOWN = pytest.StashKey[list]()


def pytest_terminal_summary(terminalreporter):
    missing: dict[str, str] = {}
    artifacts: set[Path] = set()
    for reports in terminalreporter.stats.values():
        for rep in reports:
            for key, value in getattr(rep, "user_properties", ()):
                if key == "how_to_install":
                    missing[value[0]] = value[1]
                elif key == "artifact":
                    artifacts.add(Path(value))
    for reason, how in missing.items():
        n = sum(1 for rep in terminalreporter.stats.get("skipped", [])
                if isinstance(rep.longrepr, tuple) and rep.longrepr[2].removeprefix("Skipped: ") == reason)
        terminalreporter.write_sep("-", f"{n} test{'s' if n != 1 else ''} skipped: {reason}", yellow=True, bold=True)
        terminalreporter.write_line(f"to run them: {how}")
    if artifacts:
        folders = sorted({str(p.parent) for p in artifacts})
        terminalreporter.write_line(f"{len(artifacts)} screenshot{'s' if len(artifacts) != 1 else ''} saved in "
                                    f"{', '.join(folders)}: " + ", ".join(sorted({p.name for p in artifacts})))
