"""Backend names and decoding defaults, defined once.

Imports nothing, so the CLI, the server and the benchmarks can name them (option choices,
defaults shown in ``--help``) without loading an engine.
"""

from __future__ import annotations

BACKENDS = ("ctranslate2", "transformers")
"""The engines :func:`translate.engines.load_engine` can load."""
DEFAULT_BACKEND = "ctranslate2"
DEFAULT_BEAM = 4
"""Beam size of every translation unless told otherwise (``run``, ``align-ref``, the engines)."""
