"""Replacing a folder as one unit: staging, manifest last, two renames, under a lock.

:func:`replace_folder` writes and fsyncs every file into ``.<name>.staging-XXXX`` beside the
folder, the manifest last, then swaps the folders with two renames (``<name>`` ->
``.<name>.old``, staging -> ``<name>``) and removes the old one. Writers hold ``.<name>.lock``
exclusively, readers share it (:func:`locked`). A writer killed between the renames leaves
only ``.<name>.old``; the next write (:func:`recover`) puts it back first, and removes leftover
staging folders. Anything else in the folder is carried into the new version as hard links.
What the files are (a document's, :mod:`translate.doc.store`) is the caller's business.

Test hook: ``TRANSLATE_TEST_CRASH_AT=<point>`` (one of :data:`CRASH_POINTS`) makes the writer
``os._exit(137)`` there, so a test can kill it before, between and after the renames.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import os
import secrets
import shutil
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path

from translate.errors import OutputPathError

CRASH_POINTS = ("before-manifest", "before-swap", "between-renames", "before-cleanup")


def _crash(point: str) -> None:
    if os.environ.get("TRANSLATE_TEST_CRASH_AT") == point:
        os._exit(137)


def old_path(folder: Path) -> Path:
    return folder.parent / f".{folder.name}.old"


def _staging_folders(folder: Path) -> list[Path]:
    return [Path(p) for p in glob.glob(glob.escape(str(folder.parent / f".{folder.name}.staging-")) + "*")]


@contextlib.contextmanager
def locked(folder: Path, exclusive: bool) -> Iterator[None]:
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
    old = old_path(folder)
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
    if old_path(folder).exists() or _staging_folders(folder):
        with locked(folder, exclusive=True):
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


def _carry_extras(folder: Path, staging: Path, ours: Collection[str]) -> None:
    """What is in ``folder`` besides the files named ``ours`` moves on with it (hard links)."""
    for entry in folder.iterdir():
        name = entry.name
        if name in ours or (name.startswith(".") and name.endswith(".tmp")):
            continue  # ours, or an atomic write's leftover
        if entry.is_symlink():
            os.symlink(os.readlink(entry), staging / name)
        elif entry.is_dir():
            shutil.copytree(entry, staging / name, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(entry, staging / name)


def replace_folder(folder: Path, contents: Mapping[str, bytes], manifest_name: str, manifest: bytes,
                   ours: Collection[str]) -> None:
    """Replace ``folder`` with ``contents`` (name -> bytes) and ``manifest_name`` written last, as
    one unit; what the old folder holds besides the names in ``ours`` is carried over."""
    with locked(folder, exclusive=True):
        _recover(folder)
        if folder.exists() and not folder.is_dir():
            raise OutputPathError(f"{folder}: is a file, not a folder")
        staging = _new_staging(folder)
        try:
            for name, data in contents.items():
                _write_synced(staging / name, data)
            if folder.is_dir():
                _carry_extras(folder, staging, ours)
            _crash("before-manifest")
            _write_synced(staging / manifest_name, manifest)
            _fsync_dir(staging)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        _crash("before-swap")
        old = old_path(folder)
        if folder.exists():
            os.rename(folder, old)
            _fsync_dir(folder.parent)
        _crash("between-renames")
        os.rename(staging, folder)
        _fsync_dir(folder.parent)
        _crash("before-cleanup")
        if old.exists() or old.is_symlink():
            _remove(old)
