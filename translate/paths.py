"""Where things live. Every location can be moved with an environment variable.

Nothing here touches the disk at import time; each function reads the
environment when called, so tests can point every user path at a temp dir.

| what | variable | default |
|---|---|---|
| documents | ``TRANSLATE_CORPUS`` | ``./corpus`` |
| review logs | ``TRANSLATE_REVIEWS`` | ``./reviews`` |
| converted-model cache | ``TRANSLATE_CACHE`` | ``$XDG_CACHE_HOME/newsroom-translate`` |
| shared data (test sets, schemas) | ``TRANSLATE_SHARED`` | ``<repo>/../shared`` |
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_SAFE_ID = re.compile(r"[^A-Za-z0-9._-]+")


def corpus_dir() -> Path:
    return Path(os.environ.get("TRANSLATE_CORPUS", "corpus"))


def reviews_dir() -> Path:
    return Path(os.environ.get("TRANSLATE_REVIEWS", "reviews"))


def cache_dir() -> Path:
    if "TRANSLATE_CACHE" in os.environ:
        return Path(os.environ["TRANSLATE_CACHE"])
    return user_cache_root() / "newsroom-translate"


def user_cache_root() -> Path:
    """``$XDG_CACHE_HOME``, else ``~/.cache`` (where this tool's and Hugging Face's caches live)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


def shared_dir() -> Path:
    """The ``shared/`` folder beside the repository root (``TRANSLATE_SHARED`` overrides)."""
    if "TRANSLATE_SHARED" in os.environ:
        return Path(os.environ["TRANSLATE_SHARED"])
    return Path(__file__).resolve().parents[1].parent / "shared"


def doc_id_for(path: str | Path) -> str:
    """A safe document id from a file name: ``article.ar.txt`` -> ``article``.

    Only ``[A-Za-z0-9._-]`` survive; the id can never name a path outside ``corpus/``.
    """
    name = Path(path).name
    for suffix in (".txt", ".md"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    if name.lower().endswith(".ar"):
        name = name[:-3]
    safe = _SAFE_ID.sub("-", name).strip(".-_")
    return safe or "document"


def check_doc_id(doc_id: str) -> str:
    """Refuse an id that is not already safe (used where an id comes from the user)."""
    from .errors import DocumentNotFoundError

    if not doc_id or _SAFE_ID.search(doc_id) or doc_id.strip(".") == "":
        raise DocumentNotFoundError(f"invalid document id {doc_id!r}: use letters, digits, '.', '_' and '-'")
    return doc_id


def document_dir(doc_id: str) -> Path:
    return corpus_dir() / check_doc_id(doc_id)
