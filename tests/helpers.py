"""What the tests share besides fixtures: paths, the model builder, and skipping for a missing tool.

Test modules import these (``from helpers import SEED``); ``conftest.py`` holds only fixtures and
hooks. Random-weight models come from ``scripts/random_model.py`` (the one builder, also what the
README tells a user without the hub to run).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TRANSLATE_SHARED", REPO.parent / "shared"))
SEED = SHARED / "seed" / "article.ar.txt"
TOKENIZER_DIR = SHARED / "data" / "opus-mt-ar-en-tokenizer"
DEFAULT_MODEL_ID = "Helsinki-NLP/opus-mt-tc-big-ar-en"
FAKE_REVISION = "0123456789abcdef0123456789abcdef01234567"


def _script(name: str):
    spec = importlib.util.spec_from_file_location(f"scripts_{name}", REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_random_model = _script("random_model")
TINY = _random_model.TINY
"""d_model 32, 2+2 layers: a model that builds and runs in seconds."""


def build_marian(folder: Path, seed: int = 0, **overrides) -> Path:
    """A random-weight Marian model on the real opus-mt-ar-en tokenizer, saved as a local folder
    (``build`` of ``scripts/random_model.py``; ``**TINY`` for a tiny one)."""
    return _random_model.build(folder, seed=seed, **overrides)


def put_in_hf_cache(hf_home: Path, model_dir: Path, model_id: str = DEFAULT_MODEL_ID) -> Path:
    """Lay ``model_dir`` out as the Hugging Face cache does, under ``model_id``."""
    repo = hf_home / "hub" / ("models--" + model_id.replace("/", "--"))
    snapshot = repo / "snapshots" / FAKE_REVISION
    if not snapshot.exists():
        shutil.copytree(model_dir, snapshot)
        (repo / "refs").mkdir(parents=True, exist_ok=True)
        (repo / "refs" / "main").write_text(FAKE_REVISION)
    return snapshot


# --- tests that need a tool the machine may lack (Chromium...) -----------------------------------

MISSING_TOOLS: dict[str, str] = {}
"""Skip reason -> how to install what is missing; listed once at the end of the run (conftest.py)."""
ARTIFACTS: list[Path] = []
"""Files tests leave for people to look at (screenshots); listed at the end of the run (conftest.py)."""


def running_in_ci() -> bool:
    """``CI`` read as a boolean (``1``/``true``/``yes``): there a missing tool fails its tests."""
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def skip_for_missing_tool(reason: str, how_to_install: str) -> None:
    """Skip the test (fail it under CI), and tell the developer once, at the end, how to install."""
    if running_in_ci():
        pytest.fail(f"{reason}: CI must run these tests ({how_to_install})", pytrace=False)
    MISSING_TOOLS[reason] = how_to_install
    pytest.skip(reason)
