"""Finding a model: a local folder, the Hugging Face cache, or (when reachable) the hub.

Offline, ``from_pretrained`` retries for over a minute before failing; this module
looks in the cache first and probes the hub for a few seconds, so a missing model
fails fast with a message that says what to do.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from translate.errors import ModelUnavailableError
from translate.paths import user_cache_root

DEFAULT_MODEL = "Helsinki-NLP/opus-mt-tc-big-ar-en"
KNOWN_MODELS: dict[str, str] = {
    DEFAULT_MODEL: "default: best quality (FLORES-200 devtest BLEU 42.8, chrF 0.672), CC-BY-4.0",
    "Helsinki-NLP/opus-mt-ar-en": "fast and small (FLORES-101 BLEU 33.9), Apache-2.0",
}
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
PROBE_SECONDS = 3.0
STAND_IN = "models/random-opus-mt-ar-en"
_HUB_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9][A-Za-z0-9_.-]*)?")


@dataclass(frozen=True)
class ResolvedModel:
    """A model on disk: what the user asked for, its revision, and the folder."""

    model_id: str
    revision: str
    path: Path
    origin: str  # "local" | "cache" | "hub"

    @property
    def public_name(self) -> str:
        """The name files people exchange carry (:func:`public_model_name`): never a local path."""
        return public_model_name(self)

    def to_dict(self) -> dict[str, str]:
        return {"model_id": self.model_id, "revision": self.revision, "path": str(self.path), "origin": self.origin}


def local_revision(folder: Path) -> str:
    """A stable id for a local folder's content: ``sha:`` and 12 hex digits of the SHA-256 over its
    ``config.json`` and weight files (a model rebuilt with other weights gets another revision)."""
    h = hashlib.sha256((folder / "config.json").read_bytes())
    memo = _DigestMemo()
    for name in sorted(os.listdir(folder)):
        if name.endswith((".safetensors", ".bin")):
            h.update(f"{name}:{memo.digest(folder / name)}".encode())
    memo.save()
    return "sha:" + h.hexdigest()[:12]


class _DigestMemo:
    """Weight files' SHA-256, remembered in ``<cache>/model-digests.json`` by path, size and
    modification time: hashing a 1 GB model on every run would cost seconds."""

    def __init__(self) -> None:
        from translate.paths import cache_dir

        self.path = cache_dir() / "model-digests.json"
        try:
            self.known = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.known = {}
        self.changed = False

    def digest(self, file: Path) -> str:
        st = file.stat()
        key, stamp = str(file.resolve()), [st.st_size, st.st_mtime_ns]
        entry = self.known.get(key)
        if isinstance(entry, dict) and entry.get("stamp") == stamp and isinstance(entry.get("sha256"), str):
            return entry["sha256"]
        h = hashlib.sha256()
        with open(file, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        self.known[key], self.changed = {"stamp": stamp, "sha256": h.hexdigest()}, True
        return h.hexdigest()

    def save(self) -> None:
        if self.changed:
            from translate.textio import atomic_write_json

            try:
                atomic_write_json(self.path, self.known)
            except OSError:  # a read-only cache only costs the hashing next time
                pass


def is_hub_id(value: str) -> bool:
    """``name`` or ``org/name`` in the hub's characters, and not ``models/...`` (see :func:`looks_like_path`)."""
    return bool(_HUB_ID.fullmatch(value)) and not value.startswith("models/")


def looks_like_path(model: str) -> bool:
    """Whether ``--model`` names a local folder (which must then exist) rather than a hub id.

    A hub id is ``name`` or ``org/name``. A value is a folder when it starts with ``.``, ``/`` or
    ``~``, holds a backslash or more than one ``/``, ends with ``/``, starts with ``models/``
    (``huggingface.co/models`` is the hub's model list, never an organisation; the README's
    stand-in lives there), or its first part is a folder here (``mymodels/opus`` when
    ``mymodels/`` exists).
    """
    if model.startswith((".", "/", "~")) or "\\" in model or model.count("/") > 1 or model.endswith("/"):
        return True
    head = model.split("/", 1)[0]
    return "/" in model and (head == "models" or Path(head).is_dir())


def public_model_name(model: ResolvedModel) -> str:
    """What exchanged files (``bilingual.json``, XLIFF, TMX, ``provenance.json``) call a model.

    A model from the hub or its cache is its hub id. A local folder is its config's
    ``_name_or_path`` when that is a hub id (a downloaded copy), else the folder's name and its
    content revision: ``random-opus-mt-ar-en@sha:1a2b3c4d5e6f``. Never the user's file system.
    """
    if model.origin != "local":
        return model.model_id
    try:
        declared = json.loads((model.path / "config.json").read_text(encoding="utf-8")).get("_name_or_path")
    except (OSError, ValueError, AttributeError):
        declared = None
    if isinstance(declared, str) and "/" in declared and is_hub_id(declared):
        return declared
    return f"{model.path.name}@{model.revision}"


def resolve_model(model: str | None = None) -> ResolvedModel:
    """Where ``model`` (a hub id or a folder) is on disk; :class:`ModelUnavailableError` if nowhere."""
    model = model or DEFAULT_MODEL
    folder = Path(model).expanduser()
    if folder.is_dir():
        if not (folder / "config.json").is_file():
            raise ModelUnavailableError(f"{folder}: not a model folder (no config.json)")
        return ResolvedModel(str(folder), local_revision(folder), folder.resolve(), "local")
    if looks_like_path(model):
        cached = _from_cache(model) if is_hub_id(model) else None  # org/name beside a folder named org
        if cached is None:
            raise ModelUnavailableError(f"no such model folder: {model}")
        return cached
    cached = _from_cache(model)
    if cached is not None:
        return cached
    return _download(model)


def hf_cache_dir() -> Path:
    """The Hugging Face hub cache, read from the environment now (huggingface_hub reads it at import)."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    return Path(os.environ.get("HF_HOME") or user_cache_root() / "huggingface") / "hub"


WEIGHTS = ("model.safetensors", "pytorch_model.bin")
"""The weight files a download fetches (the first the hub has; one copy, not every format)."""


def _from_cache(model_id: str) -> ResolvedModel | None:
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        path = Path(snapshot_download(model_id, local_files_only=True, cache_dir=hf_cache_dir()))
    except LocalEntryNotFoundError as exc:
        # huggingface-hub >= 1.x keeps the repo's file list and calls a snapshot without every file
        # incomplete (IncompleteSnapshotError, with its path); ours is, on purpose: _download
        # fetches one format of the weights, not all of them
        if not getattr(exc, "snapshot_path", None):
            return None
        path = Path(exc.snapshot_path)
        if not any((path / name).is_file() for name in WEIGHTS):
            return None
    except (OSError, ValueError):
        return None
    if not (path / "config.json").is_file():
        return None
    return ResolvedModel(model_id, path.name, path, "cache")


def _unavailable(model_id: str, why: str) -> ModelUnavailableError:
    # huggingface-hub >= 1 ships the ``hf`` command (``huggingface-cli`` is gone)
    return ModelUnavailableError(
        f"model {model_id!r} is not in the Hugging Face cache and {why}. Either:\n"
        f"  - pass --model PATH to a local copy of the model;\n"
        f"  - fetch it once on a machine with network (hf download {model_id}) "
        f"and copy the cache (~/.cache/huggingface) here; or\n"
        f"  - try the whole workflow offline with a random-weight stand-in (nonsense English, every stage real):\n"
        f"      python scripts/random_model.py {STAND_IN} --tiny\n"
        f"    then add --model {STAND_IN}"
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
        weights = WEIGHTS[0] if WEIGHTS[0] in files else WEIGHTS[1]
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
