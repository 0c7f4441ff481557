"""Finding a model: a local folder, the Hugging Face cache, or (when reachable) the hub.

Offline, ``from_pretrained`` retries for over a minute before failing; this module
looks in the cache first and probes the hub for a few seconds, so a missing model
fails fast with a message that says what to do.
"""

from __future__ import annotations

import hashlib
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from ..errors import ModelUnavailableError
from ..paths import user_cache_root

DEFAULT_MODEL = "Helsinki-NLP/opus-mt-tc-big-ar-en"
KNOWN_MODELS: dict[str, str] = {
    DEFAULT_MODEL: "default: best quality (FLORES-200 devtest BLEU 42.8, chrF 0.672), CC-BY-4.0",
    "Helsinki-NLP/opus-mt-ar-en": "fast and small (FLORES-101 BLEU 33.9), Apache-2.0",
}
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
PROBE_SECONDS = 3.0


@dataclass(frozen=True)
class ResolvedModel:
    """A model on disk: what the user asked for, its revision, and the folder."""

    model_id: str
    revision: str
    path: Path
    origin: str  # "local" | "cache" | "hub"

    def to_dict(self) -> dict[str, str]:
        return {"model_id": self.model_id, "revision": self.revision, "path": str(self.path), "origin": self.origin}


def local_revision(folder: Path) -> str:
    """A stable id for a local folder: digest of its config and weight file sizes."""
    h = hashlib.sha256((folder / "config.json").read_bytes())
    for name in sorted(os.listdir(folder)):
        if name.endswith((".safetensors", ".bin")):
            h.update(f"{name}:{(folder / name).stat().st_size}".encode())
    return "local-" + h.hexdigest()[:12]


def _looks_like_path(model: str) -> bool:
    """Hub ids are ``name`` or ``org/name``; anything else is meant as a folder."""
    return model.startswith((".", "/", "~")) or model.count("/") > 1


def resolve_model(model: str | None = None) -> ResolvedModel:
    """Where ``model`` (a hub id or a folder) is on disk; :class:`ModelUnavailableError` if nowhere."""
    model = model or DEFAULT_MODEL
    folder = Path(model).expanduser()
    if folder.is_dir():
        if not (folder / "config.json").is_file():
            raise ModelUnavailableError(f"{folder}: not a model folder (no config.json)")
        return ResolvedModel(str(folder), local_revision(folder), folder.resolve(), "local")
    if _looks_like_path(model):
        raise ModelUnavailableError(f"{model}: no such model folder")
    cached = _from_cache(model)
    if cached is not None:
        return cached
    return _download(model)


def hf_cache_dir() -> Path:
    """The Hugging Face hub cache, read from the environment now (huggingface_hub reads it at import)."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    return Path(os.environ.get("HF_HOME") or user_cache_root() / "huggingface") / "hub"


def _from_cache(model_id: str) -> ResolvedModel | None:
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        path = Path(snapshot_download(model_id, local_files_only=True, cache_dir=hf_cache_dir()))
    except (LocalEntryNotFoundError, OSError, ValueError):
        return None
    if not (path / "config.json").is_file():
        return None
    return ResolvedModel(model_id, path.name, path, "cache")


def _unavailable(model_id: str, why: str) -> ModelUnavailableError:
    return ModelUnavailableError(
        f"model {model_id!r} is not in the Hugging Face cache and {why}. "
        f"Pass --model PATH to a local copy of the model, or fetch it once on a machine with network "
        f"(huggingface-cli download {model_id}) and copy the cache (~/.cache/huggingface) here."
    )


def hub_reachable(timeout: float = PROBE_SECONDS) -> bool:
    endpoint = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co"))
    host, port = endpoint.hostname or "huggingface.co", endpoint.port or 443
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _download(model_id: str) -> ResolvedModel:
    if os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on"):
        raise _unavailable(model_id, "HF_HUB_OFFLINE is set")
    if not hub_reachable():
        raise _unavailable(model_id, "the hub cannot be reached")
    from huggingface_hub import list_repo_files, snapshot_download

    try:
        files = list_repo_files(model_id)
        weights = "model.safetensors" if "model.safetensors" in files else "pytorch_model.bin"
        patterns = ["*.json", "*.spm", "*.txt", weights]  # one copy of the weights, not every format
        path = Path(snapshot_download(model_id, allow_patterns=patterns, cache_dir=hf_cache_dir()))
    except Exception as exc:  # the hub's own errors are many; all mean "not available"
        raise _unavailable(model_id, f"the download failed ({exc.__class__.__name__})") from exc
    return ResolvedModel(model_id, path.name, path, "hub")


def cached_models() -> list[ResolvedModel]:
    """Seq2seq models present in the Hugging Face cache."""
    from huggingface_hub import scan_cache_dir
    from huggingface_hub.errors import CacheNotFound

    try:
        info = scan_cache_dir(hf_cache_dir())
    except (CacheNotFound, OSError):  # no cache folder yet, or an unreadable one
        return []
    out = []
    for repo in info.repos:
        if repo.repo_type != "model":
            continue
        for rev in repo.revisions:
            if any(f.file_name == "config.json" for f in rev.files):
                out.append(ResolvedModel(repo.repo_id, rev.commit_hash, Path(rev.snapshot_path), "cache"))
    return sorted(out, key=lambda r: r.model_id)
