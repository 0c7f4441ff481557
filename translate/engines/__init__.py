"""Translation engines, loaded lazily: importing this package imports neither torch nor ctranslate2.

This package owns the model and what decoding does with it:

| module | owns |
|---|---|
| :mod:`~translate.engines.names` | ``BACKENDS``, ``DEFAULT_BACKEND``, ``DEFAULT_BEAM``: the defaults, defined once |
| :mod:`~translate.engines.resolve` | finding a model: a folder, the Hugging Face cache, the hub |
| :mod:`~translate.engines.base` | the tokenizer, :class:`Hypothesis` and the engine contract both backends share |
| :mod:`~translate.engines.ct2`, :mod:`~translate.engines.ct2_lowmem`, :mod:`~translate.engines.hf` | the CTranslate2 and transformers backends |
| :mod:`~translate.engines.marian_files` | a Marian model's tokenizer files, read without transformers |
| :mod:`~translate.engines.items` | what forcing sends to the model (:class:`Item`, :class:`TermRequest`) |
| :mod:`~translate.engines.forcing` | decoding with glossary terms guaranteed (prefix forcing) |
| :mod:`~translate.engines.spelling`, :mod:`~translate.engines.respell` | what the vocabulary can write; stand-ins and the exact English back |
| :mod:`~translate.engines.align` | word alignment from cross-attention |

Here: :func:`load_engine` and :func:`check_backend`. May import :mod:`translate.text`,
:mod:`translate.doc` and the foundation (:mod:`translate.errors`, :mod:`translate.paths`,
:mod:`translate.textio`, :mod:`translate.progress`); never the glossary (the pipeline turns
glossary hits into term requests) or anything above. torch, transformers, ctranslate2
and numpy load only when a backend or forcing module is imported.
"""

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
