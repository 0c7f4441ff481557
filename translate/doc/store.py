"""The corpus on disk: ``corpus/<doc-id>/`` with the outputs of ``translate run``, replaced as one unit.

| file | what |
|---|---|
| ``source.ar.txt`` | the article, byte-identical |
| ``bilingual.json`` | the canonical record (:class:`~translate.doc.model.Document`) |
| ``bilingual.html`` | side-by-side view |
| ``draft.en.md`` | the English draft with the article's structure |
| ``original.docx`` / ``original.html`` | the article as given, when it came as Word or a web page |
| ``manifest.json`` | written last: SHA-256 and size of each file above, source path, package version |

:func:`save_outputs` writes the files it is given (the record, the source, and the views
:func:`translate.doc.render.document_files` renders) as one unit with
:func:`translate.doc.swap.replace_folder`: staging beside the folder, ``manifest.json`` last,
two renames, under ``.<doc>.lock``. Every read checks the manifest: a missing or changed file is
:class:`~translate.errors.IncompleteDocumentError`. A writer killed between the renames leaves
only ``.<doc>.old``: reads say so, and the next write (:func:`recover`) puts it back first.
Anything else in the folder (``published/``, someone's notes) is carried into the new version.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from translate import __version__
from translate.doc.model import Document
from translate.doc.render import BILINGUAL_HTML, DRAFT_MD, document_files
from translate.doc.swap import CRASH_POINTS, locked, old_path, recover, replace_folder
from translate.errors import DocumentNotFoundError, IncompleteDocumentError, InputFileError
from translate.paths import corpus_dir, document_dir

__all__ = ["CRASH_POINTS", "FILES", "list_documents", "load_document", "previous_document", "read_manifest",
           "read_verified", "recover", "save_outputs"]

SOURCE = "source.ar.txt"
BILINGUAL_JSON = "bilingual.json"
MANIFEST = "manifest.json"
FILES = (SOURCE, BILINGUAL_JSON, BILINGUAL_HTML, DRAFT_MD)
ORIGINALS = ("original.docx", "original.html")
"""The article as given when it was not text (:mod:`translate.interchange.extract`); replaced by each run."""


def _json_bytes(obj: object) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def save_outputs(doc: Document, source_bytes: bytes, out_dir: Path, *, source_path: str | Path | None = None,
                 original: tuple[str, bytes] | None = None) -> list[Path]:
    """Replace ``out_dir`` with the document's files as one unit; return their paths (manifest last).

    ``source_path`` (the article's resolved path) is recorded in ``manifest.json`` only.
    ``original``: (name, bytes) of the file the article came from when it was a .docx or .html
    (``original.docx``/``original.html`` beside ``source.ar.txt``; in the manifest too).
    """
    folder = Path(out_dir)
    contents = {SOURCE: source_bytes, BILINGUAL_JSON: _json_bytes(doc.to_dict()), **document_files(doc)}
    if original is not None:
        contents[original[0]] = original[1]
    manifest = {
        "format": 1,
        "doc_id": doc.doc_id,
        "version": __version__,
        "written": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "source_path": str(source_path) if source_path is not None else None,
        "files": {name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                  for name, data in contents.items()},
    }
    replace_folder(folder, contents, MANIFEST, _json_bytes(manifest), (*FILES, *ORIGINALS, MANIFEST))
    return [folder / name for name in (*FILES, *(original[:1] if original else ()), MANIFEST)]


def list_documents() -> list[str]:
    """Document ids in the corpus, including one a killed writer left half-replaced (its
    read then says so)."""
    root = corpus_dir()
    if not root.is_dir():
        return []
    names = set()
    for p in root.iterdir():
        if not p.name.startswith("."):
            if p.is_dir() and ((p / BILINGUAL_JSON).is_file() or (p / MANIFEST).is_file()):
                names.add(p.name)
        elif p.name.endswith(".old") and p.is_dir() and len(p.name) > 5 and not (root / p.name[1:-4]).exists():
            names.add(p.name[1:-4])
    return sorted(names)


def _damaged(folder: Path, what: str) -> IncompleteDocumentError:
    return IncompleteDocumentError(
        f"{folder}: incomplete or mismatched document ({what}); re-run 'translate run ARTICLE --id {folder.name}'"
    )


def _listed(manifest: Any, name: str) -> tuple[str, int] | None:
    entry = manifest.get("files", {}).get(name) if isinstance(manifest, dict) else None
    if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str) or not isinstance(entry.get("size"), int):
        return None
    return entry["sha256"], entry["size"]


def read_verified(folder: Path, doc_id: str) -> dict[str, bytes]:
    """Every file of the document in ``folder``, each checked against ``manifest.json``."""
    with locked(folder, exclusive=False):
        if not folder.is_dir():
            if old_path(folder).is_dir():
                raise IncompleteDocumentError(
                    f"{folder}: a 'translate run' was killed while replacing this document; the previous "
                    f"version is in {old_path(folder)}. Re-run 'translate run ARTICLE --id {folder.name}' "
                    "(it puts the previous version back first, then replaces it)"
                )
            raise DocumentNotFoundError(
                f"no document {doc_id!r}: {folder / BILINGUAL_JSON} does not exist (run 'translate run ARTICLE' first)"
            )
        try:
            manifest = json.loads((folder / MANIFEST).read_bytes())
        except FileNotFoundError:
            raise _damaged(folder, f"{MANIFEST} is missing") from None
        except ValueError as exc:
            raise _damaged(folder, f"{MANIFEST} is not valid JSON: {exc}") from None
        files = {}
        for name in FILES + tuple(n for n in ORIGINALS if _listed(manifest, n)):
            listed = _listed(manifest, name)
            if listed is None:
                raise _damaged(folder, f"{MANIFEST} does not list {name}")
            try:
                data = (folder / name).read_bytes()
            except FileNotFoundError:
                raise _damaged(folder, f"{name} is missing") from None
            if len(data) != listed[1] or hashlib.sha256(data).hexdigest() != listed[0]:
                raise _damaged(folder, f"{name} does not match {MANIFEST}")
            files[name] = data
        return files


def _parse(path: Path, data: bytes) -> Document:
    try:
        return Document.from_dict(json.loads(data.decode("utf-8")))
    except (ValueError, KeyError, TypeError) as exc:
        raise InputFileError(path, f"not a valid bilingual document ({exc})") from None


def load_document(doc_id: str) -> Document:
    folder = document_dir(doc_id)
    return _parse(folder / BILINGUAL_JSON, read_verified(folder, doc_id)[BILINGUAL_JSON])


def previous_document(folder: Path) -> Document | None:
    """The document now in ``folder`` for a re-run to carry ids from, read WITHOUT the manifest
    check (the re-run replaces a damaged one); ``None`` when there is none or it cannot be parsed."""
    try:
        return _parse(folder / BILINGUAL_JSON, (folder / BILINGUAL_JSON).read_bytes())
    except (OSError, InputFileError):
        return None


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """``folder``'s manifest as recorded, or ``None`` when it is missing or unreadable."""
    try:
        manifest = json.loads((folder / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None
