"""Translation engines, loaded lazily: importing this package imports neither torch nor ctranslate2."""

from __future__ import annotations

from translate.errors import UnknownBackendError
from translate.engines.names import BACKENDS, DEFAULT_BACKEND, DEFAULT_BEAM
from translate.engines.resolve import DEFAULT_MODEL, KNOWN_MODELS, ResolvedModel, cached_models, resolve_model

__all__ = [
    "BACKENDS",
    "DEFAULT_BACKEND",
    "DEFAULT_BEAM",
    "DEFAULT_MODEL",
    "KNOWN_MODELS",
    "ResolvedModel",
    "cached_models",
    "load_engine",
    "resolve_model",
]


def check_backend(backend: str | None) -> str:
    backend = backend or DEFAULT_BACKEND
    if backend not in BACKENDS:
        raise UnknownBackendError(f"unknown backend {backend!r}: choose one of {', '.join(BACKENDS)}")
    return backend


def load_engine(model: str | None = None, backend: str | None = None, *, device: str = "auto", threads: int = 0,
                progress=None):
    """Resolve ``model`` (hub id or folder) and load it on ``backend``; ``progress.note`` hears of
    a first-run conversion (:class:`translate.progress.Progress`)."""
    backend = check_backend(backend)
    resolved = resolve_model(model)
    if backend == "ctranslate2":
        from translate.engines.ct2 import CTranslate2Engine

        return CTranslate2Engine(resolved, device=device, threads=threads, progress=progress)
    from translate.engines.hf import TransformersEngine

    return TransformersEngine(resolved, device=device, threads=threads)
