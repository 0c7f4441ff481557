"""translate.textio in-process: strict reading (exact errors) and the atomic write's promises.

Fast enough for the mutation run (scripts/mutation.sh textio); the same promises are shown with a
real kill and strace in tests/test_promises.py.
"""

from __future__ import annotations

import os
import stat

import pytest

from translate import textio
from translate.errors import InputFileError


def message(path, **kw) -> str:
    with pytest.raises(InputFileError) as err:
        textio.read_text(path, **kw)
    return str(err.value)


def test_read_text_keeps_a_bom_and_crlf(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"\xef\xbb\xbfone\r\ntwo\r\n")
    assert textio.read_text(p) == "\ufeffone\r\ntwo\r\n"
    assert textio.read_lines(p) == ["one", "two"]


def test_read_text_errors_name_the_file_and_line(tmp_path):
    assert message(tmp_path) == f"{tmp_path}: is a directory, not a text file"
    assert message(tmp_path / "nope.txt") == f"{tmp_path / 'nope.txt'}: no such file"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"one\ntwo\nthr\xffee\n")
    assert message(bad) == f"{bad}:3: not valid UTF-8 (byte 0xff at offset 11)"
    first = tmp_path / "first.txt"
    first.write_bytes(b"\xc3")
    assert message(first) == f"{first}:1: not valid UTF-8 (byte 0xc3 at offset 0)"


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b" \r\n\t\n", b"\xef\xbb\xbf  \n"])
def test_an_empty_file_is_refused_unless_allowed(tmp_path, data):
    p = tmp_path / "empty.txt"
    p.write_bytes(data)
    assert message(p) == f"{p}: is empty"
    assert textio.read_text(p, allow_empty=True) == data.decode("utf-8")
    assert textio.read_lines(p, allow_empty=True) == data.decode("utf-8").lstrip("\ufeff").splitlines()


def test_a_file_with_one_letter_is_not_empty(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"\xef\xbb\xbf x\n")
    assert textio.read_text(p) == "\ufeff x\n"
    p.write_bytes(b"XX")  # only the BOM is dropped before the check, not other letters
    assert textio.read_text(p) == "XX"
    assert textio.read_lines(p) == ["XX"]


def test_the_umask_is_read_without_changing_it():
    old = os.umask(0o027)
    try:
        assert textio.current_umask() == 0o027
        assert os.umask(0o027) == 0o027  # still what it was
        assert textio.default_mode() == 0o640
        assert textio.default_mode(folder=True) == 0o750
        assert textio.default_mode(private=True) == 0o600
        assert textio.default_mode(folder=True, private=True) == 0o700
    finally:
        os.umask(old)


def test_the_umask_is_read_from_proc_without_setting_it(monkeypatch):
    def no_umask(mask):
        raise AssertionError("os.umask called: it would briefly apply the wrong mask to other threads")

    expected = os.umask(0o022)
    os.umask(expected)
    monkeypatch.setattr(os, "umask", no_umask)
    assert textio.current_umask() == expected


def test_an_owner_only_folder_keeps_no_bit_for_others():
    old = os.umask(0)
    try:
        assert textio.default_mode(folder=True, private=True) == 0o700
        assert textio.default_mode(private=True) == 0o600
        assert textio.default_mode(folder=True) == 0o777
    finally:
        os.umask(old)


def test_the_umask_without_proc(monkeypatch):
    real_open = open

    def no_proc(path, *a, **kw):
        if str(path).startswith("/proc/"):
            raise FileNotFoundError(path)
        return real_open(path, *a, **kw)

    monkeypatch.setattr("builtins.open", no_proc)
    old = os.umask(0o077)
    try:
        assert textio.current_umask() == 0o077
        assert os.umask(0o077) == 0o077
    finally:
        os.umask(old)


def test_an_atomic_write_replaces_the_file_with_the_usual_mode(tmp_path):
    target = tmp_path / "sub" / "deeper" / "out.txt"  # missing folders are made, parents too
    old = os.umask(0o022)
    try:
        textio.atomic_write_text(target, "نص\n")
        assert target.read_bytes() == "نص\n".encode()
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
        textio.atomic_write_text(target, "secret", private=True)
        assert target.read_text() == "secret" and stat.S_IMODE(target.stat().st_mode) == 0o600
        textio.atomic_write_json(target, {"a": "ب"})
        assert target.read_text(encoding="utf-8") == '{\n  "a": "ب"\n}\n'
    finally:
        os.umask(old)
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]  # no temp file left


def test_an_atomic_write_fsyncs_before_the_rename(tmp_path, monkeypatch):
    target = tmp_path / "out.txt"
    target.write_text("old")
    seen = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (seen.append(("fsync", os.readlink(f"/proc/self/fd/{fd}"))),
                                                 real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (seen.append(("replace", str(a), str(b))), real_replace(a, b))[1])
    textio.atomic_write_bytes(target, b"new")
    [(f, synced), (r, moved, onto)] = seen
    assert (f, r) == ("fsync", "replace") and synced == moved and onto == str(target)
    assert os.path.basename(moved).startswith(".out.txt.") and moved.endswith(".tmp")
    assert os.path.dirname(moved) == str(tmp_path)  # beside the target: a rename, never a copy across disks
    assert target.read_bytes() == b"new"


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    target = tmp_path / "out.txt"
    target.write_text("old")

    def crash(a, b):
        raise KeyboardInterrupt  # any interruption between the write and the rename

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        textio.atomic_write_bytes(target, b"new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_defaults_are_the_strict_and_the_usual(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(InputFileError):
        textio.read_lines(empty)  # empty is refused unless asked for
    old = os.umask(0o022)
    try:
        textio.atomic_write_bytes(tmp_path / "plain.bin", b"x")
        assert stat.S_IMODE((tmp_path / "plain.bin").stat().st_mode) == 0o644  # not owner-only by default
    finally:
        os.umask(old)
