"""Reading user files strictly and writing outputs atomically.

Text is decoded from bytes with no newline translation, so character offsets
index the file exactly as the author saved it (CRLF and a BOM included).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from translate.errors import InputFileError


def missing(path: Path) -> str:
    """Why a file that should be read is not there: gone, or a symbolic link to nothing (or a loop)."""
    if path.is_symlink():
        return "is a symbolic link to no file (its target is missing, or the links loop)"
    return "no such file"


def same_file(output: str | Path, given: str | Path | None) -> bool:
    """Whether writing ``output`` would replace the existing file ``given`` (the same file by
    device and inode: links, symbolic or hard, followed)."""
    if given is None:
        return False
    try:
        return os.path.samefile(output, given)
    except OSError:  # either is missing, or a link that loops: no file of anyone's
        return False


def read_text(path: str | Path, *, allow_empty: bool = False) -> str:
    """The file's text, exactly; clear errors for a missing file, a directory, bad UTF-8, no text."""
    p = Path(path)
    if p.is_dir():
        raise InputFileError(p, "is a directory, not a text file")
    if not p.exists():
        raise InputFileError(p, missing(p))
    data = p.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputFileError(p, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})", line) from None
    if not allow_empty and not text.lstrip("\ufeff").strip():
        raise InputFileError(p, "is empty")
    return text


def read_lines(path: str | Path, *, allow_empty: bool = False) -> list[str]:
    """Lines of a line-aligned file: BOM dropped, CRLF or LF, no final empty line."""
    return read_text(path, allow_empty=allow_empty).lstrip("\ufeff").splitlines()


def current_umask() -> int:
    """The process umask, read without changing it where the system tells (Linux ``/proc``):
    setting it to read it back would briefly apply the wrong mask to another thread's files."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def default_mode(*, folder: bool = False, private: bool = False) -> int:
    """The mode ``open()``/``mkdir()`` would give a new file/folder (``0o666``/``0o777`` less the
    umask: 0644/0755 under the usual 022), or owner-only for ``private`` ones (secrets)."""
    base = 0o777 if folder else 0o666
    return (base & 0o700 if private else base) & ~current_umask()


def atomic_write_bytes(path: str | Path, data: bytes, *, private: bool = False) -> None:
    """Write to a temp file beside ``path``, fsync, then rename over it.

    The file gets the mode a plain ``open()`` would give it (the temp file is created 0600,
    so it is widened to ``0o666 & ~umask`` before the rename); ``private`` keeps it owner-only.
    """
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fchmod(fh.fileno(), default_mode(private=private))
            os.fsync(fh.fileno())
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: str | Path, text: str, *, private: bool = False) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), private=private)


def atomic_write_json(path: str | Path, obj: object) -> None:
    atomic_write_text(path, json.dumps(obj, ensure_ascii=False, indent=2) + "\n")
