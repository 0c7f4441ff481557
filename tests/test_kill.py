"""A document is replaced as one unit: a writer killed at any point (before, between and after
the folder renames, or by a real SIGKILL at a random moment) leaves a document that every
command reads consistently (the old version or the new one) or refuses clearly, and the next
write puts things right."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import REPO
from publish_helpers import approve_all, demo_document

from translate.cli import cli
from translate.doc.model import Document
from translate.errors import IncompleteDocumentError
from translate.paths import corpus_dir
from translate.doc.store import CRASH_POINTS, load_document, recover, save_outputs

WRITER = (
    "import json, sys; from pathlib import Path; from translate.doc.model import Document; "
    "from translate.doc.store import save_outputs; "
    "docs = [(Document.from_dict(json.loads(Path(p).read_text(encoding='utf-8'))), Path(p).with_suffix('.txt')"
    ".read_bytes()) for p in sys.argv[2:]]\n"
    "print('ready', flush=True)\n"
    "while True:\n"
    "    for doc, source in docs:\n"
    "        save_outputs(doc, source, Path(sys.argv[1]))\n"
    "    if len(docs) == 1: break\n"
)


def source_of(doc: Document) -> bytes:
    return "\n".join(s.source for s in doc.segments).encode("utf-8")


def version_a() -> Document:
    return demo_document("demo")


def version_b() -> Document:
    a = version_a()
    changed = replace(a.segments[4], source="وأضاف أنها كانت نادرة جدا.", translation="He added that it was very rare.")
    segs = list(a.segments[:4]) + [changed] + list(a.segments[5:])
    offset, fixed = 0, []
    for seg in segs:  # spans index the source of this version
        fixed.append(replace(seg, source_span=(offset, offset + len(seg.source))))
        offset += len(seg.source) + 1
    return replace(a, segments=tuple(fixed))


def dump(doc: Document, folder: Path, name: str) -> Path:
    path = folder / f"{name}.json"
    path.write_text(json.dumps(doc.to_dict(), ensure_ascii=False), encoding="utf-8")
    path.with_suffix(".txt").write_bytes(source_of(doc))
    return path


def writer(tmp_path: Path, *docs: Document, crash_at: str | None = None) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.pop("TRANSLATE_TEST_CRASH_AT", None)
    if crash_at:
        env["TRANSLATE_TEST_CRASH_AT"] = crash_at
    files = [str(dump(doc, tmp_path, f"v{n}")) for n, doc in enumerate(docs)]
    return subprocess.Popen([sys.executable, "-c", WRITER, str(corpus_dir() / "demo"), *files], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def read_all(tmp_path: Path) -> dict[str, object]:
    """What ``review status``, ``publish --draft`` and ``export`` make of the document now."""
    runner = CliRunner()
    out = {}
    for name, args in [("status", ["review", "status", "demo", "--json"]),
                       ("publish", ["publish", "demo", "--draft", "--out", str(tmp_path / "pub")]),
                       ("export", ["export", "demo", "--xliff", str(tmp_path / "demo.xlf")])]:
        result = runner.invoke(cli, args)
        out[name] = (result.exit_code, result.stdout if result.exit_code == 0 else result.stderr)
    return out


def assert_consistent(tmp_path: Path, expected: Document) -> None:
    """Every command reads ``expected``: the same segments and English, nothing mixed."""
    outcome = read_all(tmp_path)
    assert {name: code for name, (code, _) in outcome.items()} == {"status": 0, "publish": 0, "export": 0}, outcome
    status = json.loads(outcome["status"][1])
    assert [(s["segment"], s["mt"]) for s in status["segments"]] == [(s.id, s.translation) for s in expected.segments]
    assert load_document("demo") == expected
    article = (tmp_path / "pub" / "article.en.md").read_text(encoding="utf-8")
    assert all(s.translation in article for s in expected.segments if s.kind == "sentence")


def assert_refused_as_interrupted(tmp_path: Path) -> None:
    folder = corpus_dir() / "demo"
    message = (f"Error: {folder}: a 'translate run' was killed while replacing this document; the previous version "
               f"is in {folder.parent / '.demo.old'}. Re-run 'translate run ARTICLE --id demo' (it puts the "
               "previous version back first, then replaces it)\n")
    assert read_all(tmp_path) == {"status": (1, message), "publish": (1, message), "export": (1, message)}


def leftovers() -> list[str]:
    return sorted(p.name for p in corpus_dir().iterdir() if p.name.startswith(".") and p.name != ".demo.lock")


@pytest.mark.parametrize("point", CRASH_POINTS)
def test_a_writer_killed_at_each_point_leaves_old_or_new_or_a_clear_refusal(tmp_path, point):
    a, b = version_a(), version_b()
    save_outputs(a, source_of(a), corpus_dir() / "demo")
    approve_all(a)
    proc = writer(tmp_path, b, crash_at=point)
    assert proc.wait(timeout=60) == 137, proc.stderr.read()
    if point in ("before-manifest", "before-swap"):
        assert_consistent(tmp_path, a)  # the old version, untouched
        assert [n.split("-")[0] for n in leftovers()] == [".demo.staging"]
    elif point == "between-renames":
        assert_refused_as_interrupted(tmp_path)
        assert [n.split("-")[0] for n in leftovers()] == [".demo.old", ".demo.staging"]
    else:  # before-cleanup: the new version is in place, the old one not yet removed
        assert_consistent(tmp_path, b)
        assert leftovers() == [".demo.old"]
    # the next write cleans up whatever was left, and its result is what every command reads
    save_outputs(b, source_of(b), corpus_dir() / "demo")
    assert leftovers() == []
    assert_consistent(tmp_path, b)


def test_the_next_write_first_puts_the_old_version_back(tmp_path):
    a, b = version_a(), version_b()
    save_outputs(a, source_of(a), corpus_dir() / "demo")
    assert writer(tmp_path, b, crash_at="between-renames").wait(timeout=60) == 137
    with pytest.raises(IncompleteDocumentError):
        load_document("demo")
    # a second writer killed before its own swap: the restored old version is what remains
    assert writer(tmp_path, b, crash_at="before-swap").wait(timeout=60) == 137
    assert load_document("demo") == a
    recover(corpus_dir() / "demo")
    assert leftovers() == []
    assert load_document("demo") == a


def test_a_real_sigkill_at_random_moments(tmp_path):
    """A writer replacing the document over and over (A, B, A, ...) is SIGKILLed at random moments."""
    a, b = version_a(), version_b()
    save_outputs(a, source_of(a), corpus_dir() / "demo")
    rng = random.Random(1234)
    seen = set()
    for _ in range(6):
        proc = writer(tmp_path, a, b)
        assert proc.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0.0, 0.3))  # a write takes a few milliseconds
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=60) == -signal.SIGKILL
        try:
            doc = load_document("demo")
        except IncompleteDocumentError as exc:  # only ever the clearly reported half-swap
            assert "a 'translate run' was killed while replacing this document" in str(exc)
            seen.add("interrupted")
        else:
            assert doc in (a, b)
            seen.add("a" if doc == a else "b")
        recover(corpus_dir() / "demo")
        assert leftovers() == []
        assert load_document("demo") in (a, b)
    assert seen & {"a", "b"}


def test_translate_run_killed_between_its_renames(default_model, seed_article):
    """The real command, killed half-way through replacing the document: every reader refuses
    clearly, and the next run puts the old version back, then carries its ids as usual."""
    runner = CliRunner()
    assert runner.invoke(cli, ["run", str(seed_article), "--no-glossary", "-q"]).exit_code == 0
    lines = seed_article.read_text(encoding="utf-8").split("\n")
    lines[6] = "القرار سيئ جدا ومرفوض."
    seed_article.write_text("\n".join(lines), encoding="utf-8")
    env = dict(os.environ, TRANSLATE_TEST_CRASH_AT="between-renames")
    proc = subprocess.run([sys.executable, "-m", "translate", "run", str(seed_article), "--no-glossary", "-q"],
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 137, proc.stderr
    folder = corpus_dir() / "article"
    for args in (["review", "status", "article"], ["publish", "article", "--draft"], ["export", "article", "--tmx", "t.tmx"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 1
        assert result.stderr.startswith(f"Error: {folder}: a 'translate run' was killed while replacing this document")
    result = runner.invoke(cli, ["run", str(seed_article), "--no-glossary", "-q"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "21 segments: 20 kept, 1 changed, 0 new"
    assert runner.invoke(cli, ["review", "status", "article"]).exit_code == 0
    assert sorted(p.name for p in corpus_dir().iterdir()) == [".article.lock", "article"]
