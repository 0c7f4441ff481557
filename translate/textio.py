"""Reading user files strictly and writing outputs atomically.

Text is decoded from bytes with no newline translation, so character offsets
index the file exactly as the author saved it (CRLF and a BOM included).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from .errors import InputFileError


def read_text(path: str | Path, *, allow_empty: bool = False) -> str:
    """The file's text, exactly; clear errors for a missing file, a directory, bad UTF-8, no text."""
    p = Path(path)
    if p.is_dir():
        raise InputFileError(p, "is a directory, not a text file")
    if not p.exists():
        raise InputFileError(p, "no such file")
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


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write to a temp file beside ``path``, fsync, then rename over it."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: str | Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: str | Path, obj: object) -> None:
    atomic_write_text(path, json.dumps(obj, ensure_ascii=False, indent=2) + "\n")
