"""A batch killed at any point resumes: every document ends complete, none is translated twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from click.testing import CliRunner
from helpers import REPO
from test_batch import LINES, manifests

from translate.cli import cli
from translate.doc.store import load_document
from translate.paths import corpus_dir

COUNT = 12


def desk(folder):
    """``COUNT`` different articles: a numbered title, then a few of the seed's lines."""
    folder.mkdir()
    for n in range(COUNT):
        body = "".join(LINES[2 + n % 12:][:3])
        (folder / f"a{n:02d}.ar.txt").write_text(f"المقال رقم {n}\n{body}", encoding="utf-8")
    return folder


def start(folder, *extra, crash_at=None):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("TRANSLATE_TEST_CRASH_AT", None)
    if crash_at:
        env["TRANSLATE_TEST_CRASH_AT"] = crash_at
    return subprocess.Popen([sys.executable, "-m", "translate", "batch", str(folder), "--no-glossary", "--beam", "2",
                             "-q", *extra], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def resume(folder):
    result = CliRunner().invoke(cli, ["batch", str(folder), "--no-glossary", "--beam", "2"])
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()[-1]


def test_sigkill_mid_batch_then_resume(default_model, tmp_path):
    folder = desk(tmp_path / "desk")
    proc = start(folder)
    deadline = time.monotonic() + 240
    while len(manifests()) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the batch ended before the kill: give it more articles"
    written = manifests()
    assert 2 <= len(written) < COUNT
    for doc_id in written:
        load_document(doc_id)  # complete: every file matches its manifest
    done = COUNT - len(written)
    assert resume(folder) == (f"{COUNT} articles: {done} done ({4 * done} segments), "
                              f"{len(written)} skipped (up to date), 0 failed")
    after = manifests()
    assert sorted(after) == [f"a{n:02d}" for n in range(COUNT)]
    assert {d: after[d] for d in written} == written  # translated once
    for doc_id in after:
        load_document(doc_id)
    assert not list(corpus_dir().glob(".*.staging-*")) and not list(corpus_dir().glob(".*.old"))


def test_crash_between_renames_of_a_forced_rewrite(default_model, tmp_path):
    folder = desk(tmp_path / "desk")
    resume(folder)
    before = manifests()
    proc = start(folder, "--force", crash_at="between-renames")
    proc.communicate(timeout=240)
    assert proc.returncode == 137
    assert (corpus_dir() / ".a00.old").is_dir() and not (corpus_dir() / "a00").exists()
    # the previous version is put back: it is complete and up to date, so nothing is redone
    assert resume(folder) == f"{COUNT} articles: 0 done (0 segments), {COUNT} skipped (up to date), 0 failed"
    assert manifests() == before


def test_crash_before_the_manifest_of_a_first_write(default_model, tmp_path):
    folder = desk(tmp_path / "desk")
    proc = start(folder, crash_at="before-manifest")
    proc.communicate(timeout=240)
    assert proc.returncode == 137
    assert manifests() == {} and list(corpus_dir().glob(".a00.staging-*"))
    assert resume(folder) == f"{COUNT} articles: {COUNT} done ({4 * COUNT} segments), 0 skipped (up to date), 0 failed"
    assert not list(corpus_dir().glob(".*.staging-*"))
