"""Where things live. Every location can be moved with an environment variable.

Nothing here touches the disk at import time; each function reads the
environment when called, so tests can point every user path at a temp dir.

| what | variable | default |
|---|---|---|
| documents | ``TRANSLATE_CORPUS`` | ``./corpus`` |
| review logs | ``TRANSLATE_REVIEWS`` | ``./reviews`` |
| converted-model cache | ``TRANSLATE_CACHE`` | ``$XDG_CACHE_HOME/newsroom-translate`` |
| shared data (test sets, schemas) | ``TRANSLATE_SHARED`` | ``<repo>/../shared`` |
| translation memory (``memory.sqlite`` index, ``imported/`` TMX copies) | ``TRANSLATE_TM`` | ``./tm`` |
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
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


def tm_path() -> Path:
    """The translation-memory folder: ``memory.sqlite`` (an index, rebuilt from the review logs and
    ``imported/``) and ``imported/`` (copies of the TMX files given to ``translate tm import``)."""
    return Path(os.environ.get("TRANSLATE_TM", "tm"))


def shared_dir() -> Path:
    """The ``shared/`` folder beside the repository root (``TRANSLATE_SHARED`` overrides)."""
    if "TRANSLATE_SHARED" in os.environ:
        return Path(os.environ["TRANSLATE_SHARED"])
    return Path(__file__).resolve().parents[1].parent / "shared"


# Arabic (and Persian) letters -> Latin, for readable ids of non-Latin file names: a simple
# letter-for-letter table (no vowels are invented), e.g. خبر-الحرب -> khbr-alhrb.
_TRANSLIT = {
    **dict(zip("ابتثجحخدذرزسشصضطظعغفقكلمنهوي", (
        "a b t th j h kh d dh r z s sh s d t z a gh f q k l m n h w y".split()))),
    "أ": "a", "إ": "i", "آ": "a", "ء": "", "ؤ": "w", "ئ": "y", "ى": "a", "ة": "a",
    "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g", "ک": "k", "ی": "y",
    **{chr(0x0660 + d): str(d) for d in range(10)}, **{chr(0x06F0 + d): str(d) for d in range(10)},
}
MAX_ID_CHARS = 60  # characters of the readable part of a derived id


def _latin(name: str) -> str:
    """``name`` with Arabic letters transliterated and accents dropped (``é`` -> ``e``)."""
    out = []
    for ch in unicodedata.normalize("NFKD", name):
        if unicodedata.combining(ch) or ch == "\u0640":  # harakat, accents, tatweel
            continue
        out.append(_TRANSLIT.get(ch, ch))
    return "".join(out)


def doc_id_for(path: str | Path) -> str:
    """A safe, readable document id from a file name: ``article.ar.txt`` -> ``article``.

    Only ``[A-Za-z0-9._-]`` survive, so the id can never name a path outside ``corpus/``.
    A name that is not all ASCII is transliterated (``خبر-الحرب.ar.txt`` -> ``khbr-alhrb``)
    and gets ``-`` plus 6 hex digits of the SHA-256 of the original name (NFC), so two
    different names never share an id (so does a name cut to its first 60 characters); a
    name with nothing readable becomes ``doc-<hash>``.
    """
    name = Path(path).name
    for suffix in (".txt", ".md", ".docx", ".html", ".htm"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    if name.lower().endswith(".ar"):
        name = name[:-3]
    full = _SAFE_ID.sub("-", _latin(name)).strip(".-_")
    safe = full[:MAX_ID_CHARS].rstrip(".-_")
    if name.isascii() and safe and safe == full:
        return safe
    digest = hashlib.sha256(unicodedata.normalize("NFC", name).encode("utf-8")).hexdigest()[:6]
    return f"{safe or 'doc'}-{digest}"


def check_doc_id(doc_id: str) -> str:
    """Refuse an id that is not already safe (used where an id comes from the user).

    An id cannot start with ``.``: ``corpus/.<id>.*`` are the writer's staging folders.
    """
    from translate.errors import DocumentNotFoundError

    if not doc_id or _SAFE_ID.search(doc_id) or doc_id.strip(".") == "":
        raise DocumentNotFoundError(f"invalid document id {doc_id!r}: use letters, digits, '.', '_' and '-'")
    if doc_id.startswith("."):
        raise DocumentNotFoundError(f"invalid document id {doc_id!r}: it cannot start with '.'")
    return doc_id


def kept_by_the_tool(path: str | Path, *, documents: bool = True) -> str | None:
    """What this tool keeps where ``path`` points, or ``None``: a file the user names for output
    must not replace a document's files (``documents``), a review log or the translation memory.
    The corpus's own top level holds the user's articles, and other folders in it may be the
    user's (a corpus of ``.``), so only its document folders count."""
    try:
        target = Path(path).resolve()
        corpus, reviews, tm = (d.resolve() for d in (corpus_dir(), reviews_dir(), tm_path()))
    except (OSError, RuntimeError):  # a link that loops: nothing of ours lies behind it
        return None
    if documents and target.is_relative_to(corpus) and len(target.relative_to(corpus).parts) > 1:
        # a document's folder (its manifest.json: doc.store.MANIFEST, a layer above this one), or a
        # writer's .staging / .old folder
        folder = target.relative_to(corpus).parts[0]
        if folder.startswith(".") or (corpus / folder / "manifest.json").is_file():
            return f"inside the document folder {corpus_dir() / folder}"
    if target.is_relative_to(reviews):
        return f"inside the review logs' folder {reviews_dir()}"
    if target.is_relative_to(tm):
        return f"inside the translation memory's folder {tm_path()}"
    return None


def check_output_folder(path: str | Path) -> None:
    """Refuse an ``--out`` folder (of a document, of a published article) among the review logs or
    in the translation memory's folder; a document folder of the corpus is where they belong."""
    from translate.errors import OutputPathError

    if where := kept_by_the_tool(Path(path) / "manifest.json", documents=False):
        raise OutputPathError(f"--out {path}: is {where}; give a new or empty folder outside it")


def check_output_file(path: str | Path, option: str) -> None:
    """Refuse an output file named by ``option`` that would replace what the tool keeps
    (:func:`kept_by_the_tool`)."""
    from translate.errors import OutputPathError

    if where := kept_by_the_tool(path):
        raise OutputPathError(f"{option} {path}: is {where}; give a file name outside it")


def document_dir(doc_id: str) -> Path:
    return corpus_dir() / check_doc_id(doc_id)
