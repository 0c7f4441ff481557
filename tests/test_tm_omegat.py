"""Interop with a real CAT tool (issue #15): Debian's OmegaT 3.6 in console mode.

* a TMX written by ``translate tm export``, put in an OmegaT project's ``tm/auto/``, pre-translates
  the article's matching segments (``--mode=console-translate``);
* a TMX written by OmegaT (``--mode=console-createpseudotranslatetmx``: TMX 1.1, ``lang="AR"``,
  upper-case and regional codes) imports with ``translate tm import``.

The project's plain-text filter is told to take each line as a paragraph (``segmentOn=BREAKS``), as
our segmenter does; with OmegaT's default (paragraphs end at empty lines) a heading merges with
the next sentence and its match is lost. Skipped, with the reason, where ``omegat`` is not
installed (failed under CI, which installs it: ``.ci/run``).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import SEED, skip_for_missing_tool
from translate.cli import cli
from translate.paths import corpus_dir
from translate.review.log import ReviewLog
from translate.text.segment import segment_text
from translate.doc.store import save_outputs

OMEGAT = shutil.which("omegat")
pytestmark = pytest.mark.timeout(600)


@pytest.fixture(autouse=True)
def require_omegat():
    """Skip (fail under CI) without OmegaT."""
    if OMEGAT is None:
        skip_for_missing_tool("the OmegaT interop tests need OmegaT, and 'omegat' is not on the PATH",
                              "sudo apt-get install omegat (Debian/Ubuntu; .ci/run installs it)")

PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
    <project version="1.0">
        <source_dir>__DEFAULT__</source_dir>
        <target_dir>__DEFAULT__</target_dir>
        <tm_dir>__DEFAULT__</tm_dir>
        <glossary_dir>__DEFAULT__</glossary_dir>
        <glossary_file>__DEFAULT__</glossary_file>
        <dictionary_dir>__DEFAULT__</dictionary_dir>
        <source_lang>AR</source_lang>
        <target_lang>EN-GB</target_lang>
        <source_tok>org.omegat.tokenizer.LuceneArabicTokenizer</source_tok>
        <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
        <sentence_seg>true</sentence_seg>
        <support_default_translations>true</support_default_translations>
        <remove_tags>false</remove_tags>
    </project>
</omegat>
"""
FILTERS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<filters>
    <filter className="org.omegat.filters2.text.TextFilter" enabled="true">
        <files sourceFilenameMask="*.txt" targetFilenamePattern="${filename}" sourceEncoding="UTF-8"
               targetEncoding="UTF-8"/>
        <option name="segmentOn" value="BREAKS"/>
    </filter>
</filters>
"""
ENGLISH = {  # the reviewers' English of the segments approved (s16 keeps its number for QA)
    "s1": "Rare contact between US and Russian army chiefs as tensions rise over Ukraine",
    "s5": "Security issues discussed",
    "s7": "He added that the two \u201cdiscussed a number of global and regional security issues, including the "
          "ongoing conflict in Ukraine\u201d.",
    "s16": "Secretary of State Antony Blinken on Monday announced a new $725 million military aid package for Ukraine.",
}


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def omegat_project(folder: Path) -> Path:
    for sub in ("source", "target", "tm/auto", "omegat", "glossary", "dictionary"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    (folder / "omegat.project").write_text(PROJECT, encoding="utf-8")
    (folder / "omegat" / "filters.xml").write_text(FILTERS, encoding="utf-8")
    shutil.copy(SEED, folder / "source" / "article.txt")
    return folder


def omegat(project: Path, *args: str) -> None:
    done = subprocess.run([OMEGAT, str(project), *args, f"--config-dir={project.parent / 'omegat-config'}",
                           "--disable-project-locking", "--no-team"],
                          capture_output=True, text=True, timeout=540)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def test_tm_export_pretranslates_an_omegat_project(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    doc = segment_text(text, "article")
    doc = doc.with_translations({seg.id: ENGLISH.get(seg.id, f"draft {seg.id}") for seg in doc.segments})
    save_outputs(doc, SEED.read_bytes(), corpus_dir() / "article")
    log = ReviewLog.for_document("article")
    for seg_id in ENGLISH:
        log.append(doc, reviewer="amal", segment=seg_id, action="approve")
    project = omegat_project(tmp_path / "project")
    result = run("tm", "export", str(project / "tm" / "auto" / "newsroom.tmx"))
    assert result.exit_code == 0 and result.output.endswith(": 4 units\n"), result.output

    omegat(project, "--mode=console-translate")

    lines = (project / "target" / "article.txt").read_text(encoding="utf-8").splitlines()
    source_lines = text.splitlines()
    assert len(lines) == len(source_lines) == 21
    by_line = {1: "s1", 5: "s5", 7: "s7", 16: "s16"}
    for number, (got, arabic) in enumerate(zip(lines, source_lines), 1):
        assert got == (ENGLISH[by_line[number]] if number in by_line else arabic), number


def test_a_tmx_written_by_omegat_imports(tmp_path):
    project = omegat_project(tmp_path / "project")
    pseudo = tmp_path / "omegat-pseudo.tmx"
    omegat(project, "--mode=console-createpseudotranslatetmx", f"--pseudotranslatetmx={pseudo}",
           "--pseudotranslatetype=equal")
    written = pseudo.read_text(encoding="utf-8")
    assert '<tmx version="1.1">' in written and '<tuv lang="AR">' in written and '<tuv lang="EN-GB">' in written
    units = written.count("<tu>")
    assert units == 21  # every line of the seed is one segment with the line filter

    result = run("tm", "import", str(pseudo))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{pseudo}: {units} units imported (TMX 1.1); kept as tm/imported/omegat-pseudo-")
    stats = run("tm", "stats").output.splitlines()
    assert stats[1] == f"units: {units} (0 approved in 0 documents, {units} from 1 imported TMX file)"
    found = run("tm", "search", "مناقشة القضايا الأمنيّة", "--json").output
    assert '"exact": true' in found and '"kind": "tmx"' in found
