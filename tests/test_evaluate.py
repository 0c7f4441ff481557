"""``translate evaluate``: sacrebleu scores and significance, term accuracy, numbers, bad input."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import SHARED

from translate.cli import cli
from translate.evaluate.scores import Evaluation, evaluate_files, read_segments, term_accuracy

TICO = SHARED / "data" / "tico19-test"
NTREX = SHARED / "data" / "ntrex-128"
SACREBLEU = [sys.executable, "-m", "sacrebleu"]


def degrade(lines: list[str], seed: int, rate: float) -> list[str]:
    """A stand-in MT: words dropped or swapped at random."""
    rng = random.Random(seed)
    out = []
    for line in lines:
        words = line.split()
        words = [w for w in words if rng.random() > rate / 2]
        if len(words) > 2 and rng.random() < rate:
            i = rng.randrange(len(words) - 1)
            words[i], words[i + 1] = words[i + 1], words[i]
        out.append(" ".join(words))
    return out


def write(path, lines, newline="\n", bom=False):
    path.write_bytes(((("\ufeff" if bom else "") + newline.join(lines) + newline).encode("utf-8")))
    return path


@pytest.fixture
def tico(tmp_path):
    """150 lines of TICO-19: Arabic source, English reference, two degraded systems."""
    ar = read_segments(TICO / "tico19-test.ar")[:150]
    en = read_segments(TICO / "tico19-test.en")[:150]
    return {
        "src": write(tmp_path / "src.ar", ar),
        "ref": write(tmp_path / "ref.en", en),
        "ref2": write(tmp_path / "ref2.en", degrade(en, 7, 0.1)),
        "hyp": write(tmp_path / "hyp.en", degrade(en, 1, 0.3)),
        "base": write(tmp_path / "base.en", degrade(en, 2, 0.5)),
    }


def run(*args: str):
    return CliRunner().invoke(cli, list(map(str, args)))


def sacrebleu_json(refs, hyp) -> list[dict]:
    cmd = SACREBLEU + [str(r) for r in refs] + ["-i", str(hyp), "-m", "bleu", "chrf", "ter",
                                               "--chrf-word-order", "2", "-w", "4", "-f", "json"]
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)


@pytest.mark.parametrize("refs", [["ref"], ["ref", "ref2"]], ids=["one-ref", "two-refs"])
def test_scores_equal_the_sacrebleu_command(tico, refs):
    args = ["evaluate", "--hyp", tico["hyp"]] + [x for r in refs for x in ("--ref", tico[r])] + ["--json"]
    result = run(*args)
    assert result.exit_code == 0, result.output
    ours = json.loads(result.stdout)
    theirs = {d["name"]: d for d in sacrebleu_json([tico[r] for r in refs], tico["hyp"])}
    for key, name in (("bleu", "BLEU"), ("chrf", "chrF2++"), ("ter", "TER")):
        assert ours[key]["name"] == name
        assert float(f"{ours[key]['score']:.4f}") == theirs[name]["score"]
        assert ours[key]["signature"] == theirs[name]["signature"]
    assert len(ours["segments"]) == 150
    assert ours["signature"] == "translate:0.1.0|glossary:none"


def test_text_output_is_sacrebleus_text_format(tico):
    result = run("evaluate", "--hyp", tico["hyp"], "--ref", tico["ref"])
    assert result.exit_code == 0, result.output
    cmd = SACREBLEU + [str(tico["ref"]), "-i", str(tico["hyp"]), "-m", "bleu", "chrf", "ter",
                       "--chrf-word-order", "2", "-f", "text"]
    theirs = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()
    assert result.stdout.splitlines()[:3] == [line.strip() for line in theirs]
    assert result.stdout.splitlines()[3] == "signature: translate:0.1.0|glossary:none"


@pytest.mark.parametrize("newline,bom", [("\r\n", False), ("\n", True), ("\r\n", True)],
                         ids=["crlf", "bom", "crlf+bom"])
def test_crlf_and_bom_read_like_clean_files(tico, tmp_path, newline, bom):
    hyp = write(tmp_path / "hyp-dos.en", read_segments(tico["hyp"]), newline, bom)
    ref = write(tmp_path / "ref-dos.en", read_segments(tico["ref"]), newline, bom)
    dos = evaluate_files(hyp, [ref])
    clean = evaluate_files(tico["hyp"], [tico["ref"]])
    assert (dos.bleu, dos.chrf, dos.ter) == (clean.bleu, clean.chrf, clean.ter)
    assert [s.hypothesis for s in dos.segments] == [s.hypothesis for s in clean.segments]


def _p_values(text: str) -> list[float]:
    return [float(p) for p in re.findall(r"\(p = ([0-9.]+)\)", text)]


def test_significance_p_values_are_sacrebleus(tico):
    ev = evaluate_files(tico["hyp"], [tico["ref"]], baseline=tico["base"], bootstrap=1000, trials=2000)
    ours = {(r.test, r.metric): r for r in ev.significance}
    assert sorted(ours) == sorted((t, m) for t in ("bs", "ar") for m in ("BLEU", "chrF2++", "TER"))
    for test, flags in (("bs", ["--paired-bs"]), ("ar", ["--paired-ar", "--paired-ar-n", "2000"])):
        cmd = SACREBLEU + [str(tico["ref"]), "-i", str(tico["base"]), str(tico["hyp"]), "-m", "bleu", "chrf", "ter",
                           "--chrf-word-order", "2", "-w", "4", "-f", "text"] + flags
        theirs = _p_values(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        assert [round(ours[(test, m)].p_value, 4) for m in ("BLEU", "chrF2++", "TER")] == theirs
    bs = ours[("bs", "BLEU")]
    assert bs.samples == 1000 and "bs:1000|seed:12345" in bs.signature
    assert bs.system_ci > 0 and bs.baseline_ci > 0 and bs.system > bs.baseline  # less damage, higher BLEU
    assert bs.p_value < 0.05


def test_significance_in_the_cli_text(tico):
    result = run("evaluate", "--hyp", tico["hyp"], "--ref", tico["ref"], "--baseline", tico["base"], "--trials", "0")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[3] == (f"paired bootstrap resampling (1000) against the baseline {tico['base']}; "
                        "score (mean ± 95% CI of the bootstrap resamples); * p < 0.05:")
    assert [line.split()[0] for line in lines[4:7]] == ["BLEU", "chrF2++", "TER"]
    assert all(re.search(r"p = 0\.\d{4}", line) for line in lines[4:7])
    assert "approximate randomisation" not in result.stdout


@pytest.mark.parametrize(
    "hyp,targets,matched",
    [
        ("General Charles Q. Brown called", ["Charles Q. Brown"], 1),
        ("general charles q. brown called", ["Charles Q. Brown"], 1),  # case-insensitive
        ("Charles  Q.\tBrown", ["Charles Q. Brown"], 1),  # any whitespace between words
        ("Browning said", ["Brown"], 0),  # whole words only
        ("the Brown-led staff", ["Brown"], 1),
        ("Brown met Gerasimov", ["Brown", "Brown"], 1),  # twice in the source, once here
        ("Brown met Brown", ["Brown", "Brown"], 2),
        ("HIMARS and ATACMS", ["HIMARS", "Storm Shadow", "ATACMS"], 2),
        ("nothing", [], 0),
    ],
)
def test_term_accuracy_exact_match(hyp, targets, matched):
    acc = term_accuracy([hyp], [targets])
    assert (acc.terms, acc.terms_matched) == (len(targets), matched)
    assert acc.accuracy == (matched / len(targets) if targets else None)
    assert len(acc.misses) == len(targets) - matched
    assert all(kind == "term" and text in targets for _, kind, text in acc.misses)


@pytest.mark.parametrize(
    "source,hyp,numbers,matched",
    [
        ("قتل ١٢ شخصا", "12 people were killed", 1, 1),
        ("قتل 12 شخصا", "twelve people were killed", 1, 1),
        ("بلغت 725 مليون دولار", "reached $725 million", 1, 1),
        ("بلغت ٢٫٥ مليار", "2.5 billion", 1, 1),
        ("في 27 نوفمبر 2024", "on November 27, 2024", 2, 2),
        ("في 27 نوفمبر 2024", "on November 26, 2024", 2, 1),
        ("قال إن", "he said", 0, 0),
    ],
)
def test_number_match(source, hyp, numbers, matched):
    acc = term_accuracy([hyp], [[]], [source])
    assert (acc.numbers, acc.numbers_matched) == (numbers, matched)


GLOSSARY = "ar\ten\tcategory\tnote\nهيمارس\tHIMARS\tweapon\t\nغيراسيموف\tGerasimov\tperson\t\n"


def test_term_accuracy_and_numbers_in_the_cli(tmp_path):
    src = write(tmp_path / "src.ar", ["أرسلت واشنطن 20 منظومة هيمارس", "اتصل براون بغيراسيموف",
                                      "لا شيء هنا"])
    hyp = write(tmp_path / "hyp.en", ["Washington sent 20 HIMARS systems", "Brown called Gerasimoff", "nothing here"])
    ref = write(tmp_path / "ref.en", ["Washington sent 20 HIMARS systems", "Brown called Gerasimov", "nothing here"])
    gloss = tmp_path / "g.tsv"
    gloss.write_text(GLOSSARY, encoding="utf-8")
    result = run("evaluate", "--hyp", hyp, "--ref", ref, "--src", src, "-g", gloss, "--json")
    assert result.exit_code == 0, result.output
    terms = json.loads(result.stdout)["terms"]
    assert terms == {"terms": 2, "terms_matched": 1, "numbers": 1, "numbers_matched": 1,
                     "misses": [[2, "term", "Gerasimov"]], "accuracy": 0.5, "number_match_rate": 1.0}
    text = run("evaluate", "--hyp", hyp, "--ref", ref, "--src", src, "-g", gloss).stdout.splitlines()
    assert text[3:5] == ["term accuracy: 1/2 = 50.0%", "number match: 1/1 = 100.0%"]
    assert re.fullmatch(r"signature: translate:0\.1\.0\|glossary:g@[0-9a-f]{12}", text[5])


def test_source_without_glossary_gives_the_number_match_only(tmp_path):
    src = write(tmp_path / "src.ar", ["أرسلت واشنطن ٢٠ منظومة", "قتل 3 أشخاص"])
    hyp = write(tmp_path / "hyp.en", ["Washington sent 20 systems", "Two people died"])
    result = run("evaluate", "--hyp", hyp, "--ref", hyp, "--src", src, "--no-glossary")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[3:] == ["number match: 1/2 = 50.0%", "signature: translate:0.1.0|glossary:none"]


def test_json_round_trip(tico):
    ev = evaluate_files(tico["hyp"], [tico["ref"]], src=tico["src"], baseline=tico["base"], bootstrap=100, trials=100)
    assert Evaluation.from_dict(json.loads(json.dumps(ev.to_dict()))) == ev


MISMATCH = "Error: three.en: has 3 lines but good.en has 2; the files must be line-aligned"


def _bad_inputs(tmp_path):
    good = write(tmp_path / "good.en", ["a b c", "d e f"])
    three = write(tmp_path / "three.en", ["a", "b", "c"])
    empty = tmp_path / "empty.en"
    empty.write_text("\n\n", encoding="utf-8")
    latin1 = tmp_path / "latin1.en"
    latin1.write_bytes("caf\xe9\n".encode("latin-1"))
    folder = tmp_path / "folder"
    folder.mkdir()
    return good, three, empty, latin1, folder


@pytest.mark.parametrize(
    "args,message,code",
    [
        (["--hyp", "good.en", "--ref", "three.en"], MISMATCH, 1),
        (["--hyp", "good.en", "--ref", "good.en", "--src", "three.en"], MISMATCH, 1),
        (["--hyp", "good.en", "--ref", "good.en", "--baseline", "three.en"], MISMATCH, 1),
        (["--hyp", "empty.en", "--ref", "good.en"], "Error: empty.en: is empty", 1),
        (["--hyp", "good.en", "--ref", "folder"], "Error: folder: is a directory, not a text file", 1),
        (["--hyp", "good.en", "--ref", "missing.en"], "Error: missing.en: no such file", 1),
        (["--hyp", "latin1.en", "--ref", "good.en"], "Error: latin1.en:1: not valid UTF-8 (byte 0xe9 at offset 3)", 1),
        (["--hyp", "good.en", "--ref", "good.en", "-g", "g.tsv"],
         "Error: term accuracy needs the source: give --src with --glossary", 1),
        (["--hyp", "good.en"], "Error: --hyp needs at least one --ref", 2),
        ([], "Error: give a document id DOC, or --hyp HYP --ref REF", 2),
        (["doc", "--hyp", "good.en", "--ref", "good.en"],
         "Error: give either DOC or --hyp/--ref/--src/--baseline, not both", 2),
        (["--hyp", "good.en", "--ref", "good.en", "--html", "folder"],
         "Error: folder: is a directory; give a file name for the report", 1),
    ],
)
def test_bad_input_is_a_clear_error_and_writes_nothing(tmp_path, args, message, code):
    _bad_inputs(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run("evaluate", *args, "--html", "report.html") if "--html" not in args else run("evaluate", *args)
    assert result.exit_code == code
    assert result.stderr.strip().splitlines()[-1] == message
    assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no report, nothing else


@pytest.mark.parametrize("role", ["--hyp", "--ref", "--src", "--baseline"])
def test_an_html_report_over_an_input_file_is_refused(tmp_path, role):
    """``--html`` naming a file being scored would replace it with the report: refused first."""
    _bad_inputs(tmp_path)
    victim = write(tmp_path / "victim.txt", ["a b c", "d e f"])
    before = victim.read_bytes()
    files = {"--hyp": "good.en", "--ref": "good.en", "--src": None, "--baseline": None, role: "victim.txt"}
    args = [arg for option, name in files.items() if name for arg in (option, name)]
    result = run("evaluate", *args, "--html", "victim.txt")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == "Error: victim.txt: is an input file; give another --html"
    assert victim.read_bytes() == before


# --- evaluate DOC: a reviewed seed document --------------------------------------------------

REVIEWER = "Amal"


def seed_document(doc_id: str = "article"):
    """The seed, segmented, with an MT draft that renders only every other glossary term."""
    from helpers import REPO, SEED

    from translate.doc.model import Signature
    from translate.glossary.entries import Matcher, load_glossaries
    from translate.paths import corpus_dir
    from translate.text.segment import segment_text
    from translate.doc.store import save_outputs

    text = SEED.read_bytes().decode("utf-8")
    glossaries = load_glossaries([REPO / "glossaries" / "news-ar-en.tsv"])
    matcher = Matcher(glossaries)
    doc = segment_text(text, doc_id)
    segs, finals = [], {}
    for seg in doc.segments:
        hits = matcher.find(text, *seg.source_span)
        targets = [h.entry.en for h in hits]
        mt = f"Draft {seg.id}: " + "; ".join(targets[::2])
        finals[seg.id] = (f"Final {seg.id}: " + "; ".join(targets)) if len(targets) > 1 else mt
        segs.append((seg, mt, tuple(h.to_term() for h in hits)))
    from dataclasses import replace

    doc = replace(doc, segments=tuple(replace(s, translation=mt, terms=terms) for s, mt, terms in segs),
                  signature=Signature("test/model", "rev0", "fake", 4,
                                      tuple(g.signature_part for g in glossaries), "0.1.0"))
    save_outputs(doc, SEED.read_bytes(), corpus_dir() / doc_id)
    return doc, finals


def review_all(doc, finals) -> None:
    for seg in doc.segments:
        if finals[seg.id] != seg.translation:
            result = run("review", "edit", doc.doc_id, seg.id, "--text", finals[seg.id], "--reviewer", REVIEWER)
            assert result.exit_code == 0, result.output
    result = run("review", "approve", doc.doc_id, "--all", "--reviewer", REVIEWER,
                 "--override", "evaluation fixture: QA is not under test")  # the MT misses terms on purpose
    assert result.exit_code == 0, result.output


def test_evaluate_a_reviewed_seed_document():
    from sacrebleu.metrics import TER

    doc, finals = seed_document()
    review_all(doc, finals)
    mt = [s.translation for s in doc.segments]
    post = [finals[s.id] for s in doc.segments]
    edited = sum(a != b for a, b in zip(mt, post))
    # term accuracy scores the forced glossary terms (a suggested one is not forced); the MT has every other term
    n_terms = sum(t.mode == "force" for s in doc.segments for t in s.terms)
    n_mt_terms = sum(k % 2 == 0 and t.mode == "force" for s in doc.segments for k, t in enumerate(s.terms))
    hter = TER().corpus_score(mt, [post]).score

    result = run("evaluate", "article", "--json")
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    assert (got["segments"], got["approved"], got["edited"]) == (21, 21, edited)
    assert edited == 12
    assert got["hter"]["score"] == pytest.approx(hter) and got["hter"]["name"] == "TER" and hter > 10
    assert (got["terms"]["mt"]["terms"], got["terms"]["mt"]["terms_matched"]) == (n_terms, n_mt_terms)
    assert (got["terms"]["post_edit"]["terms"], got["terms"]["post_edit"]["terms_matched"]) == (n_terms, n_terms)
    assert got["document_signature"] == str(doc.signature)
    assert got["signature"] == f"translate:0.1.0|glossary:{doc.signature.glossaries[0]}|document:{doc.signature}"
    assert got["reference"] is None
    assert [s["id"] for s in got["post_edit"]["segments"]] == [s.id for s in doc.segments]

    text = run("evaluate", "article").stdout.splitlines()
    assert text[:2] == [f"document: article ({doc.signature})",
                        f"approved: 21 of 21 segments; edited: 12 ({100 * 12 / 21:.1f}%)"]
    assert text[2].startswith(f"HTER: {hter:.1f} (TER|nrefs:1|case:lc|tok:tercom|")
    assert text[3] == (f"term accuracy: MT {n_mt_terms}/{n_terms} = {100 * n_mt_terms / n_terms:.1f}%, "
                       f"post-edit {n_terms}/{n_terms} = 100.0%")


def test_document_terms_from_a_given_glossary(tmp_path):
    doc, finals = seed_document()
    review_all(doc, finals)
    gloss = tmp_path / "people.tsv"
    gloss.write_text("ar\ten\tcategory\tnote\nغيراسيموف\tGerasimov\tperson\t\n", encoding="utf-8")
    got = json.loads(run("evaluate", "article", "-g", gloss, "--json").stdout)
    # the seed names Gerasimov in s3 and s4; the draft has "Valery Gerasimov" in s3 but only "Brown" in s4
    assert [s.id for s in doc.segments if "غيراسيموف" in s.source] == ["s3", "s4"]
    assert (got["terms"]["mt"]["terms"], got["terms"]["mt"]["terms_matched"]) == (2, 1)
    assert (got["terms"]["post_edit"]["terms"], got["terms"]["post_edit"]["terms_matched"]) == (2, 2)
    # misses count the evaluated (approved) segments from 1: here all 21, so line 4 is s4
    assert got["terms"]["mt"]["misses"] == [[4, "term", "Gerasimov"], [16, "number", "725 مليون"]]
    assert re.fullmatch(r"translate:0\.1\.0\|glossary:people@[0-9a-f]{12}\|document:.*", got["signature"])


def test_only_approved_segments_count():
    doc, finals = seed_document()
    assert run("review", "edit", "article", "s3", "--text", finals["s3"], "--reviewer", REVIEWER).exit_code == 0
    assert run("review", "approve", "article", "s3", "s4", "--reviewer", REVIEWER,
               "--override", "QA is not under test").exit_code == 0
    got = json.loads(run("evaluate", "article", "--json").stdout)
    assert (got["approved"], got["edited"]) == (2, 1)
    assert [s["id"] for s in got["post_edit"]["segments"]] == ["s3", "s4"]


@pytest.mark.parametrize("layout", ["lines", "aligned"])
def test_reference_scores_mt_and_post_edit(layout):
    from translate.paths import corpus_dir

    doc, finals = seed_document()
    review_all(doc, finals)
    lines = [finals[s.id] for s in doc.segments]
    if layout == "aligned":  # s3+s4 merged into one line, s10 missing
        lines = [lines[0], lines[1], f"{lines[2]} {lines[3]}"] + lines[4:9] + lines[10:]
    (corpus_dir() / "article" / "reference.en.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    got = json.loads(run("evaluate", "article", "--json", "--trials", "1000").stdout)
    assert got["reference_alignment"] == layout
    pe, mt = got["reference"]["post_edit"], got["reference"]["mt"]
    assert pe["bleu"]["score"] == pytest.approx(100) and pe["ter"]["score"] == pytest.approx(0)
    assert mt["bleu"]["score"] < 60 < pe["chrf"]["score"]
    assert len(pe["segments"]) == (21 if layout == "lines" else 19)
    if layout == "aligned":
        assert pe["segments"][2]["id"] == "s3+s4"
    assert {(r["test"], r["metric"]) for r in pe["significance"]} >= {("bs", "BLEU"), ("ar", "TER")}
    text = run("evaluate", "article", "--trials", "0").stdout
    assert f"against {corpus_dir() / 'article' / 'reference.en.txt'} ({layout}):" in text


@pytest.mark.parametrize(
    "setup,args,message",
    [
        ("none", ["nope"], "Error: no document 'nope': "),
        ("none", ["../x"], "Error: invalid document id '../x': use letters, digits, '.', '_' and '-'"),
        ("seed", ["article"],
         "Error: article: no approved segment yet; approve post-edits first (translate review approve article ...)"),
    ],
)
def test_document_errors(setup, args, message):
    if setup == "seed":
        seed_document()
    result = run("evaluate", *args, "--html", "r.html")
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(message)
    assert not (Path.cwd() / "r.html").exists()
