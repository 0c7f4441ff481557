"""The corpus on disk: ``corpus/<doc-id>/`` with the outputs of ``translate run``, replaced as one unit.

| file | what |
|---|---|
| ``source.ar.txt`` | the article, byte-identical |
| ``bilingual.json`` | the canonical record (:class:`~translate.document.Document`) |
| ``bilingual.html`` | side-by-side view |
| ``draft.en.md`` | the English draft with the article's structure |
| ``original.docx`` / ``original.html`` | the article as given, when it came as Word or a web page |
| ``manifest.json`` | written last: SHA-256 and size of each file above, source path, package version |

:func:`save_outputs` writes and fsyncs every file into ``.<doc>.staging-XXXX`` beside the
folder, ``manifest.json`` last, then swaps the folders with two renames (``<doc>`` ->
``.<doc>.old``, staging -> ``<doc>``) and removes the old one. Writers hold ``.<doc>.lock``
exclusively, readers share it. Every read checks the manifest: a missing or changed file is
:class:`~translate.errors.IncompleteDocumentError`. A writer killed between the renames leaves
only ``.<doc>.old``: reads say so, and the next write (:func:`recover`) puts it back first;
leftover staging folders are removed by the next write. Anything else in the folder
(``published/``, someone's notes) is carried into the new version as hard links.

Test hook: ``TRANSLATE_TEST_CRASH_AT=<point>`` (one of :data:`CRASH_POINTS`) makes the writer
``os._exit(137)`` there, so a test can kill it before, between and after the renames.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import __version__
from .document import Document
from .errors import DocumentNotFoundError, IncompleteDocumentError, InputFileError, OutputPathError
from .paths import corpus_dir, document_dir

SOURCE = "source.ar.txt"
BILINGUAL_JSON = "bilingual.json"
BILINGUAL_HTML = "bilingual.html"
DRAFT_MD = "draft.en.md"
MANIFEST = "manifest.json"
FILES = (SOURCE, BILINGUAL_JSON, BILINGUAL_HTML, DRAFT_MD)
ORIGINALS = ("original.docx", "original.html")
"""The article as given when it was not text (:mod:`translate.article_extract`); replaced by each run."""
CRASH_POINTS = ("before-manifest", "before-swap", "between-renames", "before-cleanup")


def _crash(point: str) -> None:
    if os.environ.get("TRANSLATE_TEST_CRASH_AT") == point:
        os._exit(137)


def _old(folder: Path) -> Path:
    return folder.parent / f".{folder.name}.old"


def _staging_folders(folder: Path) -> list[Path]:
    return [Path(p) for p in glob.glob(glob.escape(str(folder.parent / f".{folder.name}.staging-")) + "*")]


@contextlib.contextmanager
def _locked(folder: Path, exclusive: bool) -> Iterator[None]:
    """``.<doc>.lock`` beside the folder: exclusive for a writer, shared for a reader (a reader
    never creates it: without it no writer has ever run, so none is running)."""
    lock = folder.parent / f".{folder.name}.lock"
    fd = None
    if exclusive:
        folder.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    else:
        with contextlib.suppress(FileNotFoundError):
            fd = os.open(lock, os.O_RDONLY)
    try:
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield
    finally:
        if fd is not None:
            os.close(fd)  # closing releases the lock


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _remove(old: Path) -> None:
    """Remove the replaced version (only the link when the document folder was a symlink)."""
    if old.is_symlink():
        old.unlink()
    else:
        shutil.rmtree(old)


def _recover(folder: Path) -> None:
    """Under the writer's lock: put back a version a killed writer left as ``.<doc>.old``
    (or drop it when the new one is in place) and remove leftover staging folders."""
    old = _old(folder)
    if old.is_dir():
        if folder.exists():
            _remove(old)
        else:
            os.rename(old, folder)
        _fsync_dir(folder.parent)
    for leftover in _staging_folders(folder):
        shutil.rmtree(leftover, ignore_errors=True)


def recover(folder: str | Path) -> None:
    """What the next write does first, for a caller that reads the folder before writing it.

    Takes the lock (and so creates anything) only when a killed writer left something behind.
    """
    folder = Path(folder)
    if _old(folder).exists() or _staging_folders(folder):
        with _locked(folder, exclusive=True):
            _recover(folder)


def _new_staging(folder: Path) -> Path:
    """An empty ``.<doc>.staging-XXXX`` beside ``folder`` (made as ``mkdir`` makes folders: the
    umask decides its mode, as for the folder it replaces)."""
    while True:
        staging = folder.parent / f".{folder.name}.staging-{secrets.token_hex(4)}"
        with contextlib.suppress(FileExistsError):
            os.mkdir(staging)
            return staging


def _link_or_copy(src: str | Path, dst: str | Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _carry_extras(folder: Path, staging: Path) -> None:
    """What is in ``folder`` besides the document's files moves on with it (hard links)."""
    for entry in folder.iterdir():
        name = entry.name
        if name in FILES or name in ORIGINALS or name == MANIFEST or (name.startswith(".") and name.endswith(".tmp")):
            continue  # ours, or an atomic write's leftover
        if entry.is_symlink():
            os.symlink(os.readlink(entry), staging / name)
        elif entry.is_dir():
            shutil.copytree(entry, staging / name, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(entry, staging / name)


def _json_bytes(obj: object) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def save_outputs(doc: Document, source_bytes: bytes, out_dir: Path, *, source_path: str | Path | None = None,
                 original: tuple[str, bytes] | None = None) -> list[Path]:
    """Replace ``out_dir`` with the document's files as one unit; return their paths (manifest last).

    ``source_path`` (the article's resolved path) is recorded in ``manifest.json`` only.
    ``original``: (name, bytes) of the file the article came from when it was a .docx or .html
    (``original.docx``/``original.html`` beside ``source.ar.txt``; in the manifest too).
    """
    from .render import bilingual_html, draft_markdown

    folder = Path(out_dir)
    contents = {
        SOURCE: source_bytes,
        BILINGUAL_JSON: _json_bytes(doc.to_dict()),
        BILINGUAL_HTML: bilingual_html(doc).encode("utf-8"),
        DRAFT_MD: draft_markdown(doc).encode("utf-8"),
    }
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
    with _locked(folder, exclusive=True):
        _recover(folder)
        if folder.exists() and not folder.is_dir():
            raise OutputPathError(f"{folder}: is a file, not a folder")
        staging = _new_staging(folder)
        try:
            for name, data in contents.items():
                _write_synced(staging / name, data)
            if folder.is_dir():
                _carry_extras(folder, staging)
            _crash("before-manifest")
            _write_synced(staging / MANIFEST, _json_bytes(manifest))
            _fsync_dir(staging)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        _crash("before-swap")
        old = _old(folder)
        if folder.exists():
            os.rename(folder, old)
            _fsync_dir(folder.parent)
        _crash("between-renames")
        os.rename(staging, folder)
        _fsync_dir(folder.parent)
        _crash("before-cleanup")
        if old.exists() or old.is_symlink():
            _remove(old)
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
    with _locked(folder, exclusive=False):
        if not folder.is_dir():
            if _old(folder).is_dir():
                raise IncompleteDocumentError(
                    f"{folder}: a 'translate run' was killed while replacing this document; the previous "
                    f"version is in {_old(folder)}. Re-run 'translate run ARTICLE --id {folder.name}' "
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


def load_source(doc_id: str) -> str:
    folder = document_dir(doc_id)
    return read_verified(folder, doc_id)[SOURCE].decode("utf-8")


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
