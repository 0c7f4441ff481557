"""``translate batch``: many articles, the documents ``translate run`` writes, resume, failure isolation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import REPO, SEED

from translate.cli import cli
from translate.doc.store import MANIFEST, load_document
from translate.paths import corpus_dir

LINES = SEED.read_text(encoding="utf-8").splitlines(keepends=True)


def articles(folder: Path, count: int = 3, lines: int = 4) -> list[Path]:
    """``count`` different short articles cut from the seed article."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for n in range(count):
        path = folder / f"art{n}.ar.txt"
        path.write_text("".join(LINES[(n * lines) % len(LINES):][:lines]), encoding="utf-8")
        out.append(path)
    return out


def batch(*args: str):
    return CliRunner().invoke(cli, ["batch", *args, "--no-glossary", "--beam", "2"])


def manifests() -> dict[str, tuple[int, int, bytes]]:
    """Each document's manifest (not those of a writer's staging folders, ``.<doc>.staging-*``) as
    what tells one write from another: inode, mtime and bytes (the bytes alone can repeat: the
    manifest's time has one-second resolution, and a re-run writes the same translations)."""
    out = {}
    for path in sorted(corpus_dir().glob(f"*/{MANIFEST}")):
        if not path.parent.name.startswith("."):
            stat = path.stat()
            out[path.parent.name] = (stat.st_ino, stat.st_mtime_ns, path.read_bytes())
    return out


def translations(doc_id: str) -> list[tuple[str, str]]:
    return [(s.id, s.translation) for s in load_document(doc_id).segments]


def test_three_good_one_bad_then_resume_then_force(default_model, tmp_path):
    folder = tmp_path / "desk"
    articles(folder)
    (folder / "bad.ar.txt").write_bytes(b"")
    report = tmp_path / "report.json"
    result = batch(str(folder), "--report", str(report))
    assert result.exit_code == 1, result.output
    bad = folder / "bad.ar.txt"
    w = len(str(folder / "art0.ar.txt"))
    assert result.stdout.splitlines() == [
        f"{'article':<{w}}  status   segments  document or error",
        f"{folder / 'art0.ar.txt'!s:<{w}}  done            4  art0",
        f"{folder / 'art1.ar.txt'!s:<{w}}  done            4  art1",
        f"{folder / 'art2.ar.txt'!s:<{w}}  done            4  art2",
        f"{bad!s:<{w}}  failed          -  {bad}: is empty",
        "4 articles: 3 done (12 segments), 0 skipped (up to date), 1 failed",
        f"report: {report}",
    ]
    assert result.stderr.splitlines()[-1] == f"Error: 1 of 4 articles failed: {bad}"
    assert sorted(manifests()) == ["art0", "art1", "art2"]
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["totals"] | {"seconds": 0} == {"articles": 4, "done": 3, "skipped": 0, "failed": 1, "segments": 12,
                                               "seconds": 0}
    assert data["articles"][3] == {"path": str(bad), "status": "failed", "doc_id": None, "segments": 0,
                                   "seconds": 0.0, "error": f"{bad}: is empty"}
    assert [a["status"] for a in data["articles"]] == ["done", "done", "done", "failed"]
    assert all(a["seconds"] > 0 for a in data["articles"][:3])
    assert data["settings"]["beam"] == 2 and data["settings"]["ray"] is None

    before = manifests()
    again = batch(str(folder))
    assert again.exit_code == 1
    assert again.stdout.splitlines()[1:4] == [
        f"{folder / f'art{n}.ar.txt'!s:<{w}}  skipped         4  art{n}" for n in range(3)]
    assert again.stdout.splitlines()[-1] == "4 articles: 0 done (0 segments), 3 skipped (up to date), 1 failed"
    assert manifests() == before  # nothing rewritten

    bad.unlink()
    forced = batch(str(folder), "--force")
    assert forced.exit_code == 0, forced.output
    assert forced.stdout.splitlines()[-1] == "3 articles: 3 done (12 segments), 0 skipped (up to date), 0 failed"
    assert all(manifests()[k] != before[k] for k in before)  # written again


def test_same_documents_as_translate_run(default_model, tmp_path):
    a, b = articles(tmp_path / "in", 2, lines=6)
    assert batch(str(a), str(b), "--workers", "2").exit_code == 0
    batched = {d: translations(d) for d in ("art0", "art1")}
    signature = load_document("art0").signature
    for path in (a, b):
        result = CliRunner().invoke(cli, ["run", str(path), "--no-glossary", "--beam", "2", "--id", path.name[:4],
                                          "--out", str(tmp_path / "run" / path.name)])
        assert result.exit_code == 0, result.output
    from translate.doc.model import Document

    for n, path in enumerate((a, b)):
        ran = Document.from_dict(json.loads((tmp_path / "run" / path.name / "bilingual.json").read_text()))
        assert [(s.id, s.translation) for s in ran.segments] == batched[f"art{n}"]
        assert str(ran.signature) == str(signature)


def test_a_changed_article_is_translated_again(default_model, tmp_path):
    a, b = articles(tmp_path / "in", 2)
    assert batch(str(tmp_path / "in")).exit_code == 0
    before = manifests()
    b.write_text("".join(LINES[10:13]), encoding="utf-8")
    result = batch(str(tmp_path / "in"))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "2 articles: 1 done (3 segments), 1 skipped (up to date), 0 failed"
    after = manifests()
    assert after["art0"] == before["art0"] and after["art1"] != before["art1"]
    assert beam_of("art1") == 2
    other_beam = CliRunner().invoke(cli, ["batch", str(a), "--no-glossary", "--beam", "3"])
    assert other_beam.stdout.splitlines()[-1] == "1 article: 1 done (4 segments), 0 skipped (up to date), 0 failed"


def beam_of(doc_id: str) -> int:
    return load_document(doc_id).signature.beam


def test_same_file_name_in_two_folders_is_not_overwritten(default_model, tmp_path):
    first = articles(tmp_path / "a", 1)[0]
    second = tmp_path / "b" / "art0.ar.txt"
    second.parent.mkdir()
    second.write_text("".join(LINES[8:11]), encoding="utf-8")
    result = batch(str(tmp_path / "a"), str(tmp_path / "b"))
    assert result.exit_code == 1
    error = (f"{second}: its document id 'art0' is already that of {first} in this batch; "
             f"translate it on its own with 'translate run {second} --id OTHER'")
    assert result.stdout.splitlines()[2].endswith(f"  failed          -  {error}")
    assert load_document("art0").segments[0].source == LINES[0].strip()
    # a later batch naming only the second file: the folder holds the first article's document
    later = batch(str(second))
    assert later.exit_code == 1
    assert f"{corpus_dir() / 'art0'} already holds the document of {first.resolve()}, not {second}" in later.output
    assert load_document("art0").segments[0].source == LINES[0].strip()


def test_names_that_give_no_article(default_model, tmp_path):
    good = articles(tmp_path / "in", 1)[0]
    empty = tmp_path / "empty"
    empty.mkdir()
    pattern = str(tmp_path / "nothing" / "*.txt")
    result = batch(str(good), pattern, str(tmp_path / "missing.txt"), str(empty), str(tmp_path / "in" / "*.txt"))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [line.split("  ")[-1].strip() for line in lines[1:5]] == [
        "art0", f"{pattern}: no file matches", f"{tmp_path / 'missing.txt'}: no such file or folder",
        f"{empty}: the folder holds no article (.txt, .md, .docx, .html, .htm)"]
    assert lines[-1] == "4 articles: 1 done (4 segments), 0 skipped (up to date), 3 failed"  # art0 once
    assert result.stderr.splitlines()[-1] == f"Error: 3 of 4 articles failed: {pattern}, {tmp_path / 'missing.txt'}, {empty}"


def test_links_to_nothing_fail_alone(default_model, tmp_path):
    """A link that loops or whose target is gone, named on the command line: a failure with its
    reason, not a traceback; a folder's such links are not articles and are passed over."""
    folder = tmp_path / "in"
    good = articles(folder, 1)[0]
    loop_a, loop_b, dangling = folder / "a.ar.txt", folder / "b.ar.txt", folder / "gone.ar.txt"
    loop_a.symlink_to(loop_b)
    loop_b.symlink_to(loop_a)
    dangling.symlink_to(tmp_path / "deleted.ar.txt")
    result = batch(str(loop_a), str(dangling), str(folder))
    assert result.exit_code == 1
    reason = "is a symbolic link to no file (its target is missing, or the links loop)"
    assert result.stderr.splitlines()[-1] == f"Error: 2 of 3 articles failed: {loop_a}, {dangling}"
    assert f"{loop_a}: {reason}" in result.stdout
    assert f"{dangling}: {reason}" in result.stdout
    assert list(manifests()) == [good.name.split(".")[0]]


def test_not_utf8_is_named_with_its_line(default_model, tmp_path):
    folder = tmp_path / "in"
    articles(folder, 1)
    bad = folder / "latin.ar.txt"
    bad.write_bytes("عنوان\n".encode() + b"caf\xe9\n")
    result = batch(str(folder))
    assert result.exit_code == 1
    assert f"{bad}:2: not valid UTF-8 (byte 0xe9 at offset 14)" in result.output


def test_report_path_that_is_a_folder_is_refused_before_any_work(default_model, tmp_path):
    good = articles(tmp_path / "in", 1)[0]
    result = batch(str(good), "--report", str(tmp_path))
    assert result.exit_code == 1
    assert result.output == (f"Error: --report {tmp_path}: is a folder; give a file name such as "
                             f"{tmp_path / 'batch-report.json'}\n")
    assert manifests() == {}


@pytest.mark.parametrize("how", ["named", "in a folder", "through a link", "through a hard link"])
def test_a_report_path_that_is_an_article_of_the_batch_is_refused(default_model, tmp_path, how):
    """``--report`` on one of the articles would replace the newsroom's text with JSON."""
    folder = tmp_path / "in"
    first, second = articles(folder, 2)
    before = second.read_bytes()
    report = second
    if how == "through a link":
        report = tmp_path / "report.json"
        report.symlink_to(second)
    if how == "through a hard link":
        report = tmp_path / "report.json"
        report.hardlink_to(second)
    inputs = [str(folder)] if how == "in a folder" else [str(first), str(second)]
    result = batch(*inputs, "--report", str(report))
    assert result.exit_code == 1
    assert result.output == (f"Error: --report {report}: is the article {second} of this batch; "
                             "give another file name, such as batch-report.json\n")
    assert second.read_bytes() == before
    assert manifests() == {}


def test_a_report_path_inside_a_document_folder_is_refused(default_model, tmp_path):
    good = articles(tmp_path / "in", 1)[0]
    assert batch(str(good)).exit_code == 0
    written = manifests()
    inside = corpus_dir() / "art0" / "bilingual.json"
    before = inside.read_bytes()
    result = batch(str(good), "--force", "--report", str(inside))
    assert result.exit_code == 1
    assert result.output == (f"Error: --report {inside}: is inside the document folder {corpus_dir() / 'art0'}; "
                             "give a file name outside it\n")
    assert inside.read_bytes() == before
    assert manifests() == written


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("address,message", [
    ("127.0.0.1:{port}", "no Ray cluster answers there (Connection refused); start one with 'ray start --head' "
                         "and give the address it prints"),
    ("head-node", "give local, or the HOST:PORT that 'ray start --head' printed (such as 10.0.0.5:6379)"),
    (":6379", "give local, or the HOST:PORT that 'ray start --head' printed (such as 10.0.0.5:6379)"),
])
def test_a_ray_address_nothing_answers_fails_at_once(default_model, tmp_path, address, message):
    """Ray itself retries for minutes, printing its own logs; the batch says what is wrong first."""
    good = articles(tmp_path / "in", 1)[0]
    address = address.format(port=_closed_port())
    result = batch(str(good), "--ray", address)
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == f"Error: --ray {address}: {message}"
    assert manifests() == {}


def test_ctrl_c_says_how_to_resume(default_model, tmp_path, monkeypatch):
    """A real SIGINT mid-batch leaves whole documents and nothing staged (as SIGKILL does:
    ``test_batch_kill.py``); the command says so and exits 130, as an interrupted program does."""
    import translate.batch.runner

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(translate.batch.runner, "run_batch", interrupted)
    result = batch(str(articles(tmp_path / "in", 1)[0]))
    assert result.exit_code == 130
    assert result.stderr == ("\nInterrupted: the documents written so far are complete and kept; run the same "
                             "command again to resume.\n")


def test_a_docx_article(default_model, tmp_path):
    from docx_helpers import seed_docx

    path = seed_docx(tmp_path / "word.docx")
    result = batch(str(path))
    assert result.exit_code == 0, result.output
    folder = corpus_dir() / "word"
    assert (folder / "original.docx").read_bytes() == path.read_bytes()
    assert batch(str(path)).stdout.splitlines()[1].split()[1] == "skipped"


def test_without_ray_the_batch_never_imports_it(default_model, tmp_path):
    good = articles(tmp_path / "in", 1)[0]
    code = ("import sys; from translate.cli import cli\n"
            "try:\n    cli(['batch', sys.argv[1], '--no-glossary', '--beam', '1', '-q'])\n"
            "except SystemExit as exc:\n    assert exc.code in (0, None), exc.code\n"
            "print('ray' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(good)], capture_output=True, text=True, cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=240, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1] == "False"


@pytest.mark.parametrize("quiet", [False, True])
def test_progress_line(quiet):
    import io

    from translate.batch.progress import BatchProgress

    stream = io.StringIO()
    progress = BatchProgress(not quiet, stream)
    progress.start(4)
    progress.article(10, 300)
    progress.finish()
    if quiet:
        assert stream.getvalue() == ""
    else:
        last = stream.getvalue().split("\r\x1b[2K")[-1]
        assert last.startswith("articles 1/4  segments 10  ") and " target tokens/s  elapsed 0:00  ETA 0:00" in last
