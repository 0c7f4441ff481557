"""The corpus on disk: ``corpus/<doc-id>/`` with the four outputs of ``translate run``.

| file | what |
|---|---|
| ``source.ar.txt`` | the article, byte-identical |
| ``bilingual.json`` | the canonical record (:class:`~translate.document.Document`) |
| ``bilingual.html`` | side-by-side view |
| ``draft.en.md`` | the English draft with the article's structure |
"""

from __future__ import annotations

import json
from pathlib import Path

from .document import Document
from .errors import DocumentNotFoundError, InputFileError
from .paths import corpus_dir, document_dir
from .textio import atomic_write_bytes, atomic_write_json, atomic_write_text

SOURCE = "source.ar.txt"
BILINGUAL_JSON = "bilingual.json"
BILINGUAL_HTML = "bilingual.html"
DRAFT_MD = "draft.en.md"


def save_outputs(doc: Document, source_bytes: bytes, out_dir: Path) -> list[Path]:
    """Write the four files (each atomically) and return their paths."""
    from .render import bilingual_html, draft_markdown

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / name for name in (SOURCE, BILINGUAL_JSON, BILINGUAL_HTML, DRAFT_MD)]
    atomic_write_bytes(paths[0], source_bytes)
    atomic_write_json(paths[1], doc.to_dict())
    atomic_write_text(paths[2], bilingual_html(doc))
    atomic_write_text(paths[3], draft_markdown(doc))
    return paths


def list_documents() -> list[str]:
    root = corpus_dir()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / BILINGUAL_JSON).is_file())


def load_document(doc_id: str) -> Document:
    path = document_dir(doc_id) / BILINGUAL_JSON
    if not path.is_file():
        raise DocumentNotFoundError(
            f"no document {doc_id!r}: {path} does not exist (run 'translate run ARTICLE' first)"
        )
    try:
        return Document.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError) as exc:
        raise InputFileError(path, f"not a valid bilingual document ({exc})") from None


def load_source(doc_id: str) -> str:
    path = document_dir(doc_id) / SOURCE
    if not path.is_file():
        raise DocumentNotFoundError(f"no source for document {doc_id!r}: {path} does not exist")
    return path.read_bytes().decode("utf-8")
