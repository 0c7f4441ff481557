"""Issue 12, the first hour of a new user: offline advice, model folders, the first-run conversion
line, export defaults, file modes, numbers the English adds, Arabic at beam 1, evaluation
output and progress, and model names in exchanged files."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import REPO, SEED, TINY, build_marian

from translate.cli import cli
from translate.doc.model import Signature
from translate.errors import ModelUnavailableError
from translate.engines.resolve import ResolvedModel, looks_like_path, public_model_name, resolve_model

STAND_IN_ADVICE = (
    "  - try the whole workflow offline with a random-weight stand-in (nonsense English, every stage real):\n"
    "      python scripts/random_model.py models/random-opus-mt-ar-en --tiny\n"
    "    then add --model models/random-opus-mt-ar-en\n"
)
ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefe]")
CONVERTING = re.compile(r"Converting (.+) for CTranslate2 \(once, int8\) \.\.\. done in \d+\.\d s\n")


def run(*args, **kwargs):
    return CliRunner().invoke(cli, [str(a) for a in args], **kwargs)


class Recorder:
    """A Progress that records every call."""

    def __init__(self):
        self.calls = []

    def start(self, total, label):
        self.calls.append(("start", label, total))

    def advance(self, n):
        self.calls.append(("advance", n))

    def finish(self):
        self.calls.append(("finish",))

    def note(self, message, *, end="\n"):
        self.calls.append(("note", message + end))

    def bars(self):
        """(label, total, sum of advances) per bar."""
        out = []
        for call in self.calls:
            if call[0] == "start":
                out.append([call[1], call[2], 0])
            elif call[0] == "advance":
                out[-1][2] += call[1]
        return [tuple(b) for b in out]


# 1. offline route -------------------------------------------------------------------------------

def test_offline_advice_names_hf_download_and_the_stand_in(seed_article, isolated_paths):
    result = run("run", seed_article, "--no-glossary")  # the default model: not cached, HF_HUB_OFFLINE=1
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: model 'Helsinki-NLP/opus-mt-tc-big-ar-en' is not in the Hugging Face cache and HF_HUB_OFFLINE is "
        "set. Either:\n"
        "  - pass --model PATH to a local copy of the model;\n"
        "  - fetch it once on a machine with network (hf download Helsinki-NLP/opus-mt-tc-big-ar-en) "
        "and copy the cache (~/.cache/huggingface) here; or\n" + STAND_IN_ADVICE
    )
    assert not (isolated_paths / "corpus").exists()


def test_unreachable_hub_gives_the_same_advice(seed_article, monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # connection refused at once
    result = run("run", seed_article, "--no-glossary", "-m", "Helsinki-NLP/opus-mt-ar-en")
    assert result.exit_code == 1
    assert "is not in the Hugging Face cache and the hub cannot be reached. Either:\n" in result.stderr
    assert result.stderr.endswith(STAND_IN_ADVICE)


def test_the_installed_huggingface_hub_ships_the_hf_command():
    from importlib.metadata import distribution

    scripts = {e.name for e in distribution("huggingface_hub").entry_points if e.group == "console_scripts"}
    assert "hf" in scripts and "huggingface-cli" not in scripts


def test_readme_shows_the_stand_in_before_anything_else():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    stand_in = readme.index("python scripts/random_model.py models/random-opus-mt-ar-en --tiny\n"
                            "translate run corpus/article.ar.txt --model models/random-opus-mt-ar-en\n")
    assert stand_in < readme.index("\n## ")  # before the first section
    assert "huggingface-cli" not in readme and "hf download Helsinki-NLP/opus-mt-tc-big-ar-en" in readme


def test_the_advice_works_as_written(seed_article, tmp_path, isolated_paths):
    """The two commands of the advice, run in a fresh folder, translate the seed."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    built = subprocess.run([sys.executable, str(REPO / "scripts" / "random_model.py"),
                            "models/random-opus-mt-ar-en", "--tiny"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    result = run("run", seed_article, "--no-glossary", "-q", "--model", "models/random-opus-mt-ar-en")
    assert result.exit_code == 0, result.output
    signature = json.loads((isolated_paths / "corpus" / "article" / "bilingual.json").read_text())["signature"]
    assert re.fullmatch(r"random-opus-mt-ar-en@sha:[0-9a-f]{12}", signature["model"])


# 2. a mistyped folder is a folder -----------------------------------------------------------------

def test_a_missing_models_folder_is_no_such_folder_not_hub_advice(seed_article, isolated_paths):
    result = run("run", seed_article, "--no-glossary", "--model", "models/nonexistent")
    assert (result.exit_code, result.stderr) == (1, "Error: no such model folder: models/nonexistent\n")
    assert not (isolated_paths / "corpus").exists()


@pytest.mark.parametrize("value,folder", [
    ("models/nonexistent", True),  # huggingface.co/models is the model list, never an organisation
    ("./opus", True), ("../opus", True), ("/opt/opus", True), ("~/opus", True),
    ("a/b/c", True), ("opus/", True), ("mine\\opus", True),
    ("mine/opus", True),  # mine/ exists here
    ("Helsinki-NLP/opus-mt-ar-en", False), ("opus-mt-ar-en", False), ("theirs/opus", False),
])
def test_the_folder_rule(tmp_path, value, folder):
    (tmp_path / "mine").mkdir()  # the tests run in tmp_path
    assert looks_like_path(value) is folder


def test_a_hub_id_without_a_folder_still_goes_to_the_hub(seed_article):
    result = run("run", seed_article, "--no-glossary", "--model", "Helsinki-NLP/opus-mt-xx-yy")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: model 'Helsinki-NLP/opus-mt-xx-yy' is not in the Hugging Face cache")


def test_a_hub_id_beside_a_folder_of_its_organisation_is_still_read_from_the_cache(tmp_path, default_model):
    (tmp_path / "Helsinki-NLP").mkdir()
    assert resolve_model(default_model).origin == "cache"
    with pytest.raises(ModelUnavailableError, match="^no such model folder: Helsinki-NLP/opus-mt-xx-yy$"):
        resolve_model("Helsinki-NLP/opus-mt-xx-yy")


# 3. the first run's conversion is announced ----------------------------------------------------------

def test_the_first_run_announces_the_conversion_on_stderr(seed_article, tiny_model_dir):
    first = run("run", seed_article, "--no-glossary", "-m", tiny_model_dir)  # not a terminal, not --quiet
    assert first.exit_code == 0, first.output
    assert CONVERTING.fullmatch(first.stderr) and CONVERTING.fullmatch(first.stderr).group(1) == str(tiny_model_dir)
    again = run("run", seed_article, "--no-glossary", "-m", tiny_model_dir)
    assert (again.exit_code, again.stderr) == (0, "")  # converted once


def test_quiet_silences_the_announcement(seed_article, tiny_model_dir):
    result = run("run", seed_article, "--no-glossary", "-m", tiny_model_dir, "--quiet")
    assert (result.exit_code, result.stderr) == (0, "")


def test_the_announcement_comes_before_the_progress_bar(seed_article, tiny_model_dir):
    from translate.pipeline import run_article

    progress = Recorder()
    run_article(seed_article, model=str(tiny_model_dir), progress=progress)
    notes = [c[1] for c in progress.calls[:2]]
    assert notes[0] == f"Converting {tiny_model_dir} for CTranslate2 (once, int8) ... "
    assert re.fullmatch(r"done in \d+\.\d s\n", notes[1])
    assert progress.calls[2][:2] == ("start", "Translating")


# 4. export with default file names -----------------------------------------------------------------

@pytest.fixture
def article():
    from review_helpers import save_document

    return save_document("article")


def test_export_xliff_and_tmx_without_file_names_writes_both_defaults(article, tmp_path):
    result = run("export", "article", "--xliff", "--tmx")
    assert result.exit_code == 0, result.output
    assert result.stdout == ("wrote article.en.xlf (XLIFF 2.1, 5 units)\n"
                             "wrote article.tmx (TMX 1.4b, 0 approved segments)\n")
    assert (tmp_path / "article.en.xlf").read_bytes().startswith(b"<?xml")
    assert (tmp_path / "article.tmx").read_bytes().startswith(b"<?xml")
    assert not (tmp_path / "--tmx").exists()


def test_export_names_given_are_used(article, tmp_path):
    result = run("export", "article", "--tmx", "out/a.tmx", "--xliff")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "a.tmx").is_file() and (tmp_path / "article.en.xlf").is_file()


def test_an_option_after_an_equals_sign_is_still_an_option(article, tmp_path):
    result = run("export", "article", "--xliff=--tmx")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["article.en.xlf", "article.tmx"]


@pytest.mark.parametrize("args,message", [
    (["--tmx=-x.tmx"], "No such option '-x'."),
    (["--xliff", "-x.xlf"], "No such option '-x'."),
    (["--xliff", "sub"], "Invalid value for '--xliff': 'sub' is a folder; give a file name, or none for the default"),
    (["--tmx="], "Invalid value for '--tmx': '' is no file name; give a file name, or none for the default"),
])
def test_no_file_is_named_like_an_option_or_nothing(article, tmp_path, args, message):
    (tmp_path / "sub").mkdir()
    result = run("export", "article", *args)
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (2, f"Error: {message}")
    assert not [p for p in tmp_path.iterdir() if p.is_file()]


def test_an_option_like_value_is_refused_with_a_clear_message():
    import click

    from translate.cli.publish_cmds import _refuse_option_like

    with pytest.raises(click.BadParameter, match=r"^'--tmx' looks like an option, not a file name"):
        _refuse_option_like(None, None, "--tmx")


def test_export_without_any_format_says_how(article):
    result = run("export", "article")
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: give --xliff [FILE], --tmx [FILE] and/or --docx [FILE]\n")


# 5. file modes follow the umask ----------------------------------------------------------------------

@contextmanager
def umask(mask):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.parametrize("mask,mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_written_files_get_the_umask_mode(tmp_path, mask, mode):
    from translate.textio import atomic_write_text

    with umask(mask):
        atomic_write_text(tmp_path / "new.txt", "x")
        (tmp_path / "old.txt").write_text("y")
        os.chmod(tmp_path / "old.txt", 0o600)  # written by an earlier version
        atomic_write_text(tmp_path / "old.txt", "z")
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == mode
    assert stat.S_IMODE((tmp_path / "old.txt").stat().st_mode) == mode


def test_private_files_stay_owner_only(tmp_path):
    from translate.textio import atomic_write_text

    with umask(0o022):
        atomic_write_text(tmp_path / "tokens", "alice\thash\n", private=True)
    assert stat.S_IMODE((tmp_path / "tokens").stat().st_mode) == 0o600


def test_reviewer_token_files_stay_owner_only(tmp_path):
    from translate.server.auth import add_reviewer

    with umask(0o022):
        add_reviewer(tmp_path / "reviewers.tsv", "alice")
    assert stat.S_IMODE((tmp_path / "reviewers.tsv").stat().st_mode) == 0o600


def test_exports_and_the_corpus_are_readable_by_colleagues(article, tmp_path, isolated_paths):
    with umask(0o022):
        assert run("export", "article", "--xliff", "--tmx").exit_code == 0
        assert run("publish", "article", "--draft").exit_code == 0
    written = [tmp_path / "article.en.xlf", tmp_path / "article.tmx"]
    written += [p for p in (isolated_paths / "corpus" / "article").rglob("*") if p.is_file()]
    assert {oct(stat.S_IMODE(p.stat().st_mode)) for p in written} == {oct(0o644)}


# 6. numbers the English adds --------------------------------------------------------------------------

def added(arabic, english, terms=()):
    from translate.review.qa import check_segment

    return [(i.severity, i.message) for i in check_segment(arabic, english, terms) if i.check == "added-numbers"]


def test_an_edit_adding_a_year_is_a_warning():
    assert added("قال الجيش الأميركي إن المساعدات بلغت ٧٢٥ مليون دولار.",
                 "The US military said in 2019 the aid reached $725 million.") == [
        ("warning", "number 2019 in the English has no counterpart in the Arabic")]


def test_invented_numbers_are_each_flagged():
    assert added("وأضاف أنها كانت نادرة.", "He added that it was rare (59/2721).") == [
        ("warning", "number 59 in the English has no counterpart in the Arabic"),
        ("warning", "number 2721 in the English has no counterpart in the Arabic")]


@pytest.mark.parametrize("arabic,english", [
    ("بلغت ٧٢٥ مليون دولار", "It reached $725 million"),
    ("بلغت ٧٢٥ مليون دولار", "It reached $725m"),
    ("بلغت ٧٢٥ مليون دولار", "It reached $725,000,000"),
    ("3 ملايين و500 ألف نسمة", "3.5 million people"),
    ("3 ملايين و500 ألف نسمة", "3 million and 500,000 people"),
    ("في 5/12/2022", "on December 5, 2022"),
    ("طائرات إف-16", "F-16 jets"),
    ("قتل ثلاثة جنود", "3 soldiers were killed"),
    ("ثلاثة عشر جنديا", "13 soldiers"),
    ("خمسة وعشرون عاما", "25 years"),
    ("ثلاثة آلاف", "3,000"),
    ("قمة مجموعة السبع", "the G7 summit"),
    ("تحطم الطائرة", "the MH17 crash"),  # digits glued to letters are a name
    ("ارتفع 50٪", "rose 50%"),
    ("أجرى 3 مكالمات", "he made three calls, one of them in May"),  # number words are not checked
])
def test_numbers_with_a_counterpart_are_not_flagged(arabic, english):
    assert added(arabic, english) == []


def test_a_number_inside_a_glossary_term_is_the_glossarys():
    from translate.doc.model import Term

    term = Term("القرار الأممي", (0, 13), "Resolution 2254", "القرار", "document")
    assert added("القرار الأممي", "Resolution 2254", (term,)) == []
    assert added("القرار الأممي", "Resolution 2254") != []


def test_an_added_number_does_not_block_approval_or_publish():
    from translate.review.qa import check_segment, has_errors

    issues = check_segment("وأضاف أنها كانت نادرة.", "In 2019 he added that it was rare.")
    assert [i.check for i in issues] == ["added-numbers"] and not has_errors(issues)


def test_review_edit_shows_the_added_number(article):
    result = run("review", "edit", "article", "s5", "--text", "He made 3 calls in 2023 and 2019.", "--reviewer", "amal")
    assert result.exit_code == 0, result.output
    assert "    warning: added-numbers: number 2019 in the English has no counterpart in the Arabic\n" in result.stdout


# 10. no Arabic in the English, at any beam ----------------------------------------------------------

SOURCES = [
    "قال الجيش الأميركي يوم الأربعاء إن قائد الأركان المشتركة أجرى مكالمة هاتفية نادرة.",
    "براون",
    "وصل وزير الخارجية الأمريكي أنتوني بلينكن إلى كييف يوم الثلاثاء في زيارة غير معلنة، وأعلن عن ٧٢٥ مليون دولار.",
]


@pytest.mark.parametrize("backend", ["ctranslate2", "transformers"])
def test_beam_1_writes_no_arabic_script(tiny_model_dir, backend):
    # before the fix, CTranslate2 at beam 1 wrote "ح" here: the English SentencePiece model
    # holds ~80 Arabic-script pieces and the vocabulary map let them all through
    from translate.engines import load_engine

    engine = load_engine(str(tiny_model_dir), backend)
    for beam in (1, 2):
        hyps = engine.translate_pieces([engine.tokenizer.source(s) for s in SOURCES], beam=beam)
        assert all(len(h.tokens) > 5 for h in hyps)
        assert [p for h in hyps for p in h.tokens if ARABIC_SCRIPT.search(p)] == []


def test_the_vocabulary_map_has_no_arabic_piece(tiny_model_dir):
    from translate.engines import load_engine

    engine = load_engine(str(tiny_model_dir), "ctranslate2")
    pieces = (engine.folder / "vmap.txt").read_text(encoding="utf-8").strip("\t\n").split(" ")
    assert len(pieces) > 30000 and "▁the" in pieces
    assert [p for p in pieces if ARABIC_SCRIPT.search(p)] == []


def test_a_run_at_beam_1_has_no_arabic_in_the_english(seed_article, tiny_model_dir, isolated_paths):
    result = run("run", seed_article, "--no-glossary", "-q", "-m", tiny_model_dir, "--beam", "1")
    assert result.exit_code == 0, result.output
    doc = json.loads((isolated_paths / "corpus" / "article" / "bilingual.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in doc["segments"] if ARABIC_SCRIPT.search(s["translation"])] == []


# 12. evaluation -------------------------------------------------------------------------------------

def write_lines(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def small_eval(tmp_path):
    src = write_lines(tmp_path / "src.ar", ["أرسلت واشنطن 20 منظومة هيمارس", "اتصل براون بغيراسيموف", "لا شيء هنا"])
    hyp = write_lines(tmp_path / "hyp.en", ["Washington sent 20 HIMARS systems", "Brown called Gerasimoff",
                                           "nothing here"])
    ref = write_lines(tmp_path / "ref.en", ["Washington sent 20 HIMARS systems", "Brown called Gerasimov",
                                           "nothing here"])
    base = write_lines(tmp_path / "base.en", ["Washington sent systems", "Brown called", "nothing"])
    glossaries = tmp_path / "glossaries"
    glossaries.mkdir()
    (glossaries / "news.tsv").write_text("ar\ten\tcategory\tnote\nهيمارس\tHIMARS\tweapon\t\n"
                                         "غيراسيموف\tGerasimov\tperson\t\n", encoding="utf-8")
    return {"src": src, "hyp": hyp, "ref": ref, "base": base}


def test_src_without_glossary_uses_the_default_glossaries_and_says_so(small_eval):
    result = run("evaluate", "--hyp", small_eval["hyp"], "--ref", small_eval["ref"], "--src", small_eval["src"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[3:5] == ["term accuracy: 1/2 = 50.0%; default glossaries: glossaries/news.tsv (-g to choose)",
                          "number match: 1/1 = 100.0%"]
    assert re.fullmatch(r"signature: translate:[0-9.]+\|glossary:news@[0-9a-f]{12}", lines[5])


def test_no_glossary_gives_the_number_match_only(small_eval):
    result = run("evaluate", "--hyp", small_eval["hyp"], "--ref", small_eval["ref"], "--src", small_eval["src"],
                 "--no-glossary")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[3:5] == ["number match: 1/1 = 100.0%", "signature: translate:0.1.0|glossary:none"]


def test_no_default_glossary_is_said(small_eval, tmp_path):
    (tmp_path / "glossaries" / "news.tsv").unlink()
    (tmp_path / "glossaries").rmdir()
    result = run("evaluate", "--hyp", small_eval["hyp"], "--ref", small_eval["ref"], "--src", small_eval["src"])
    assert result.stdout.splitlines()[3] == "term accuracy: n/a (no default glossary found; give -g GLOSSARY)"


def test_no_glossary_with_a_glossary_is_a_usage_error(small_eval):
    result = run("evaluate", "--hyp", small_eval["hyp"], "--ref", small_eval["ref"], "--src", small_eval["src"],
                 "--no-glossary", "-g", "glossaries/news.tsv")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: --no-glossary goes with --src, without --glossary (DOC uses its recorded terms)\n")


def test_the_bootstrap_interval_is_labelled(small_eval):
    result = run("evaluate", "--hyp", small_eval["hyp"], "--ref", small_eval["ref"], "--baseline", small_eval["base"],
                 "--bootstrap", "50", "--trials", "50")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    label = "score (mean ± 95% CI of the bootstrap resamples); * p < 0.05:"
    assert lines[3] == f"paired bootstrap resampling (50) against the baseline {small_eval['base']}; {label}"
    assert lines[7] == f"approximate randomisation (50) against the baseline {small_eval['base']}; {label}"
    assert re.fullmatch(r"  BLEU +baseline [0-9.]+ \([0-9.]+ ± [0-9.]+\)  system [0-9.]+ \([0-9.]+ ± [0-9.]+\)"
                        r"  p = [0-9.]+( \*)?", lines[4])


def test_randomisation_alone_has_no_interval_and_does_not_crash(small_eval):
    result = run("evaluate", "--hyp", small_eval["hyp"], "--ref", small_eval["ref"], "--baseline", small_eval["base"],
                 "--bootstrap", "0", "--trials", "50")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[3] == f"approximate randomisation (50) against the baseline {small_eval['base']}; * p < 0.05:"
    assert re.fullmatch(r"  BLEU +baseline [0-9.]+  system [0-9.]+  p = [0-9.]+( \*)?", lines[4])


def test_evaluation_reports_progress(small_eval):
    from translate.evaluate.scores import evaluate_files

    progress = Recorder()
    evaluate_files(small_eval["hyp"], [small_eval["ref"]], baseline=small_eval["base"], bootstrap=20, trials=20,
                   progress=progress)
    assert progress.bars() == [("Scoring", 6, 6), ("Significance", 6, 6)]
    assert progress.calls[-1] == ("finish",)


def test_significance_per_metric_equals_one_test_of_all_metrics(small_eval):
    from sacrebleu.significance import PairedTest

    from translate.evaluate.scores import _metrics, paired_significance, read_segments

    hyp, ref, base = (read_segments(small_eval[k]) for k in ("hyp", "ref", "base"))
    ours = paired_significance(hyp, base, [ref], bootstrap=30, trials=30)
    for test in ("bs", "ar"):
        sigs, scores = PairedTest([("baseline", base), ("system", hyp)], _metrics(), [ref], test_type=test,
                                  n_samples=30, n_ar_confidence=-1 if test == "bs" else 30)()
        for r in (r for r in ours if r.test == test):
            base_score, system = scores[r.metric]
            assert (r.p_value, r.system_mean, r.system_ci, r.baseline_ci, r.signature) == (
                system.p_value, system.mean, system.ci, base_score.ci, str(sigs[r.metric]))


def test_no_progress_bar_when_not_a_terminal(small_eval, tmp_path):
    result = run("evaluate", "--hyp", small_eval["hyp"], "--ref", small_eval["ref"], "--baseline", small_eval["base"],
                 "--bootstrap", "20", "--trials", "20", "--html", tmp_path / "r.html")
    assert (result.exit_code, result.stderr) == (0, f"report: {tmp_path / 'r.html'}\n")


def test_the_most_edited_segments_are_only_edited_ones(article):
    from translate.evaluate.document import evaluate_document
    from translate.evaluate.report import document_html

    assert run("review", "edit", "article", "s3", "--text", "The US military said aid hit $725 million.",
               "--reviewer", "amal").exit_code == 0
    assert run("review", "approve", "article", "--all", "--reviewer", "amal").exit_code == 0
    html = document_html(evaluate_document("article", bootstrap=0, trials=0))
    table = html.split("most edited segments")[1].split("</table>")[0]
    assert "<h2>The 1 most edited segments (lowest chrF++ of the MT against its post-edit)</h2>" in html
    assert re.findall(r"<tr><td class=num>(s\d)</td>", table) == ["s3"]


def test_nothing_edited_says_so(article):
    from translate.evaluate.document import evaluate_document
    from translate.evaluate.report import document_html

    assert run("review", "approve", "article", "s1", "s2", "--reviewer", "amal").exit_code == 0
    html = document_html(evaluate_document("article", bootstrap=0, trials=0))
    assert "<h2>Most edited segments</h2><p>None: every approved segment is the MT as it was.</p>" in html


# 13. no local path in exchanged files ---------------------------------------------------------------

def test_public_names(tmp_path, tiny_model_dir):
    local = resolve_model(str(tiny_model_dir))
    assert re.fullmatch(r"sha:[0-9a-f]{12}", local.revision)
    assert public_model_name(local) == f"{tiny_model_dir.name}@{local.revision}" == local.public_name
    cached = ResolvedModel("Helsinki-NLP/opus-mt-ar-en", "0123abc", tmp_path, "cache")
    assert public_model_name(cached) == "Helsinki-NLP/opus-mt-ar-en"


@pytest.mark.parametrize("declared,public", [
    ("Helsinki-NLP/opus-mt-ar-en", "Helsinki-NLP/opus-mt-ar-en"),  # a downloaded copy names its hub id
    ("/tmp/Helsinki-NLP/opus-mt-ar-en", None),  # where its makers saved it: not a hub id
    ("models/opus", None),
])
def test_a_local_folder_named_by_its_config(tmp_path, declared, public):
    folder = tmp_path / "copy"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"_name_or_path": declared}))
    model = resolve_model(str(folder))
    assert public_model_name(model) == (public or f"copy@{model.revision}")


def test_the_revision_follows_the_weights_not_their_size(tmp_path):
    a = build_marian(tmp_path / "a", seed=1, **TINY)
    b = build_marian(tmp_path / "b", seed=2, **TINY)
    assert (a / "model.safetensors").stat().st_size == (b / "model.safetensors").stat().st_size
    assert resolve_model(str(a)).revision != resolve_model(str(b)).revision
    assert resolve_model(str(a)).revision == resolve_model(str(a)).revision


@pytest.mark.parametrize("model,public", [
    ("/home/alice/models/random-opus-mt-ar-en", "random-opus-mt-ar-en@local-0123456789ab"),
    ("./models/x/", "x@local-0123456789ab"),
    ("models/random-opus-mt-ar-en", "random-opus-mt-ar-en@local-0123456789ab"),
    ("C:\\Users\\alice\\opus", "opus@local-0123456789ab"),
    ("Helsinki-NLP/opus-mt-ar-en", "Helsinki-NLP/opus-mt-ar-en"),
    ("random-opus-mt-ar-en@sha:1a2b3c4d5e6f", "random-opus-mt-ar-en@sha:1a2b3c4d5e6f"),
])
def test_a_signature_never_carries_a_local_path(model, public):
    sig = Signature(model, "local-0123456789ab", "ctranslate2-int8", 4)
    assert sig.model == public
    assert Signature.from_dict({**sig.to_dict(), "model": model}).model == public  # documents written before


def test_exchanged_files_name_the_model_not_the_file_system(tiny_model_dir, isolated_paths, tmp_path):
    article = tmp_path / "article.ar.txt"  # short lines: a random model's English stays short
    article.write_text("اتصال نادر\n\nقال براون.\n", encoding="utf-8")
    result = run("run", article, "--no-glossary", "-q", "-m", tiny_model_dir)
    assert result.exit_code == 0, result.output
    folder = str(tiny_model_dir.parent)
    revision = resolve_model(str(tiny_model_dir)).revision
    assert f"signature: model:{tiny_model_dir.name}@{revision}|rev:{revision}|" in result.stdout
    assert run("export", "article", "--xliff", "--tmx").exit_code == 0
    assert run("publish", "article", "--draft").exit_code == 0
    corpus = isolated_paths / "corpus" / "article"
    files = [corpus / "bilingual.json", corpus / "bilingual.html", tmp_path / "article.en.xlf", tmp_path / "article.tmx"]
    files += [p for p in (corpus / "published").iterdir() if p.suffix in (".json", ".html", ".md")]
    assert corpus / "published" / "provenance.json" in files
    for path in files:
        text = path.read_bytes().decode("utf-8", "replace")
        assert folder not in text, path
        assert f"{tiny_model_dir.name}@{revision}" in text or path.name.startswith("article.en"), path
