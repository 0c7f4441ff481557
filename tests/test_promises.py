"""Promises that only a broken build would show: each test here fails when one deliberate bug
(issue #14: the mutants the suite used to miss) is put back into the library.

Real parts throughout: random-weight Marian models on both backends, the real CLI, sacrebleu
itself as the yardstick, strace for what only a crash would show. Realised terms are counted
with plain ``str.count`` here, never with the library's own ``occurrences``/``assign_targets``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from fakes import FakeEngine
from helpers import REPO, SEED, TINY, TOKENIZER_DIR, build_marian

from translate.cli import cli
from translate.engines import load_engine
from translate.engines.align import source_piece_spans
from translate.engines.base import Hypothesis, detokenize
from translate.engines.forcing import (
    Item,
    TermRequest,
    decode,
    plan_prefix,
    satisfied_terms,
)
from translate.glossary.entries import load_glossaries
from translate.pipeline import translate_document
from translate.text.segment import segment_text

SOURCE = "قال الجيش الأميركي إن الجنرال براون تحدث مع غيراسيموف الأسبوع الماضي."
BROWN = SOURCE.index("براون")
GERASIMOV = SOURCE.index("غيراسيموف")
BACKENDS = ["ctranslate2", "transformers"]


def item(engine, source=SOURCE, terms=()):
    pieces = engine.tokenizer.source(source)
    return Item(source, pieces, source_piece_spans(source, pieces), list(terms))


def contains(tokens, seq) -> bool:
    tokens, seq = list(tokens), list(seq)
    return any(tokens[i : i + len(seq)] == seq for i in range(len(tokens) - len(seq) + 1))


# --- suppression reaches the decoder on both backends (ct2.py suppress_sequences; hf.py banned) -------


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_banned_sequence_the_model_would_write_is_gone(tiny_model_dir, backend):
    engine = load_engine(str(tiny_model_dir), backend)
    sources = [engine.tokenizer.source(SOURCE), engine.tokenizer.source("وتشمل المساعدات ذخائر لنظام صواريخ هيمارس.")]
    free = engine.translate_pieces(sources, beam=4, max_length=30)
    for n in (1, 2):  # one piece, and a sequence of two (a multi-piece term)
        banned = [list(h.tokens[3 : 3 + n]) for h in free]
        assert all(contains(h.tokens, b) for h, b in zip(free, banned))  # what the model writes unconstrained
        hyps = engine.translate_pieces(sources, beam=4, max_length=30, suppress=[[b] for b in banned])
        for hyp, bans in zip(hyps, banned):
            assert not contains(hyp.tokens, bans), (backend, bans, hyp.tokens)
            assert len(hyp.tokens) >= 20  # still a translation, not an empty row


# --- a term already placed is never written again (forcing.satisfied_terms) -----------------------


def test_satisfied_terms_are_the_terms_the_prefix_holds_as_often_as_the_source():
    fake = FakeEngine(TOKENIZER_DIR)
    it = item(fake, terms=[TermRequest(BROWN, BROWN + 5, "Brown"), TermRequest(GERASIMOV, GERASIMOV + 9, "Gerasimov")])
    it.prefix = fake.tokenizer.target("w0 w1 Brown")
    assert satisfied_terms(it, fake.tokenizer) == [fake.tokenizer.target("Brown")]
    twice = item(fake, terms=[TermRequest(BROWN, BROWN + 5, "Brown"), TermRequest(GERASIMOV, GERASIMOV + 9, "Brown")])
    twice.prefix = fake.tokenizer.target("w0 w1 Brown")
    assert satisfied_terms(twice, fake.tokenizer) == []  # the source has it twice: once is not enough


def test_a_model_that_repeats_a_forced_term_writes_it_once():
    # the fake writes the prefix's last word again after it, unless that is suppressed, as real
    # models often do after a forced name
    fake = FakeEngine(TOKENIZER_DIR, repeat=True)
    [hyp] = decode(fake, [item(fake, terms=[TermRequest(BROWN, BROWN + 5, "Brown")])])
    assert hyp.text.count("Brown") == 1, hyp.text
    assert fake.calls[-1].suppress == [[fake.tokenizer.target("Brown")]]


# --- a term the model wrote itself after the last placed one is locked into the prefix -------------


def test_a_term_the_model_wrote_itself_is_locked_into_the_prefix():
    fake = FakeEngine(TOKENIZER_DIR)
    it = item(fake, terms=[TermRequest(BROWN, BROWN + 5, "Brown"),
                           TermRequest(GERASIMOV, GERASIMOV + 9, "Valery Gerasimov")])
    tokens = tuple(fake.tokenizer.target("w0 w1 w2 w3 w4 w5 w6")) + tuple(fake.tokenizer.target("Valery Gerasimov"))
    tokens += tuple(fake.tokenizer.target("w9 w10"))
    flat = np.full((len(tokens), len(it.pieces)), 1.0 / len(it.pieces), dtype="float32")
    plan = plan_prefix(it, Hypothesis(tokens, flat), fake.tokenizer)
    text = detokenize(plan.pieces)[0]
    assert text.count("Brown") == 1 and text.count("Valery Gerasimov") == 1, text
    assert text.endswith("Valery Gerasimov")  # kept, so that a re-decode cannot lose it
    assert plan.rest == len(fake.tokenizer.target("w9 w10"))


# --- glossary terms in a long sentence cut into pieces, realised end to end ------------------------


def test_terms_in_a_long_sentence_cut_into_pieces_are_all_realised(tiny_model_dir):
    engine = load_engine(str(tiny_model_dir), "ctranslate2")
    clause = "قال المتحدث إن الجيش أرسل المزيد من المعدات العسكرية إلى المنطقة"
    named = ["أرسلت واشنطن صواريخ هيمارس إلى أوكرانيا", "وتحدث براون مع غيراسيموف"]
    text = "، ".join([clause] * 20 + named + [clause] * 20 + named) + ".\n"
    glossary = Path("terms.tsv")
    glossary.write_text("هيمارس\tHIMARS\tweapon\nأوكرانيا\tUkraine\tplace\nبراون\tBrown\tperson\n"
                        "غيراسيموف\tGerasimov\tperson\n", encoding="utf-8")
    doc = segment_text(text, "long", count_tokens=engine.tokenizer.count, max_tokens=150)
    [seg] = doc.segments
    assert len(seg.pieces) >= 3
    with_terms = [k for k, (s, e) in enumerate(seg.pieces) if "هيمارس" in text[s:e]]
    assert len(with_terms) == 2 and with_terms[0] > 0  # terms in more than one piece, not only the first
    out = translate_document(doc, text, engine, glossaries=load_glossaries([glossary]), max_length=60,
                             force_numbers=False)
    english = out.segments[0].translation
    for term in ("HIMARS", "Ukraine", "Brown", "Gerasimov"):
        assert english.count(term) == 2, (term, english)  # the source has each twice


# --- source.ar.txt is the article byte for byte (BOM and CRLF kept) --------------------------------


def test_translate_run_keeps_a_bom_and_crlf_source_byte_for_byte(default_model, tmp_path):
    data = b"\xef\xbb\xbf" + SEED.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    article = tmp_path / "crlf.ar.txt"
    article.write_bytes(data)
    result = CliRunner().invoke(cli, ["run", str(article), "--no-glossary", "--out", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.output
    stored = (tmp_path / "out" / "source.ar.txt").read_bytes()
    assert stored == data and stored.startswith(b"\xef\xbb\xbf") and stored.count(b"\r\n") == data.count(b"\n")
    doc = json.loads((tmp_path / "out" / "bilingual.json").read_text(encoding="utf-8"))
    text = stored.decode("utf-8")
    for seg in doc["segments"]:
        start, end = seg["source_span"]
        assert text[start:end] == seg["source"]


# --- per-segment scores are sacrebleu's sentence scores ---------------------------------------------


def test_per_segment_scores_equal_sacrebleus_sentence_scores():
    from sacrebleu import sentence_bleu, sentence_chrf

    from translate.evaluate.scores import segment_scores

    hyps = ["The army said.", "Brown spoke with Gerasimov last week", "Kyiv.", "HIMARS rockets were sent to Ukraine ."]
    refs = ["The army said so.", "Brown talked to Gerasimov last week.", "Kyiv.", "HIMARS rockets went to Ukraine."]
    scores = segment_scores(hyps, [refs])
    for s, hyp, ref in zip(scores, hyps, refs):
        assert s.bleu == pytest.approx(sentence_bleu(hyp, [ref]).score, abs=1e-9)
        assert s.chrf == pytest.approx(sentence_chrf(hyp, [ref], word_order=2).score, abs=1e-9)
    assert 0 < scores[0].bleu < 100 and scores[2].bleu == pytest.approx(100.0)  # short lines: effective order


def test_evaluate_writes_sacrebleus_sentence_scores(tmp_path):
    from sacrebleu import sentence_bleu, sentence_chrf

    hyps = ["The army said.", "Brown spoke with Gerasimov last week", "Kyiv."]  # 2 tokens: effective order
    refs = ["The army said so.", "Brown talked to Gerasimov last week.", "Kyiv."]
    (tmp_path / "mt.txt").write_text("\n".join(hyps) + "\n", encoding="utf-8")
    (tmp_path / "ref.txt").write_text("\n".join(refs) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["evaluate", "--hyp", str(tmp_path / "mt.txt"), "--ref", str(tmp_path / "ref.txt"),
                                      "--no-glossary", "--bootstrap", "0", "--trials", "0", "--json", "-q"])
    assert result.exit_code == 0, result.output
    segments = json.loads(result.stdout)["segments"]
    assert [round(s["bleu"], 6) for s in segments] == [round(sentence_bleu(h, [r]).score, 6) for h, r in zip(hyps, refs)]
    assert [round(s["chrf"], 6) for s in segments] == [
        round(sentence_chrf(h, [r], word_order=2).score, 6) for h, r in zip(hyps, refs)]


# --- align-ref without --mt translates the source with the model, for real -------------------------


@pytest.fixture(scope="module")
def sharp_model(tmp_path_factory) -> Path:
    """A tiny random model whose cross-attention is sharpened, so that its English depends on the
    Arabic enough for the aligner's MT similarity to matter (a plain random model writes one
    sentence for all)."""
    import torch
    from transformers import MarianMTModel

    folder = build_marian(tmp_path_factory.mktemp("sharp") / "sharp", **TINY)
    model = MarianMTModel.from_pretrained(folder)
    with torch.no_grad():
        for layer in model.model.decoder.layers:
            layer.encoder_attn.q_proj.weight.mul_(200)
    model.save_pretrained(folder)
    return folder


def test_align_ref_without_mt_translates_the_source(sharp_model, tmp_path):
    from translate.evaluate.refalign import align
    from translate.evaluate.refalign_files import pairs_tsv
    from translate.pipeline import translate_sentences

    text = SEED.read_bytes().decode("utf-8")
    sources = [s.source for s in segment_text(text, "a").segments if len(s.source) > 60][:10]
    mt = translate_sentences(sources, model=str(sharp_model), backend="ctranslate2")
    refs = [mt[i] for i in (0, 1, 3, 4, 5, 7, 8, 9)]  # a "reference" the MT alone can align
    with_mt, without = pairs_tsv(align(sources, refs, mt), sources, refs), pairs_tsv(align(sources, refs), sources, refs)
    assert with_mt != without  # the test can tell a translated source from an untranslated one
    (tmp_path / "src.txt").write_text("\n".join(sources) + "\n", encoding="utf-8")
    (tmp_path / "ref.txt").write_text("\n".join(refs) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["align-ref", str(tmp_path / "src.txt"), str(tmp_path / "ref.txt"),
                                      "--out", str(tmp_path / "pairs.tsv"), "--model", str(sharp_model), "-q"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "pairs.tsv").read_text(encoding="utf-8") == with_mt


# --- what only a crash shows: fsync after an append, temp file + rename -----------------------------

STRACE = shutil.which("strace")


def strace(tmp_path, code: str, *options: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    """Run ``code`` in a child Python under strace (paths of file descriptors shown); its trace lines."""
    if STRACE is None:
        from helpers import skip_for_missing_tool

        skip_for_missing_tool("no strace (fsync and rename are checked with it)", "apt-get install strace")
    log = tmp_path / "strace.log"
    proc = subprocess.run([STRACE, "-f", "-y", "-o", str(log), *options, sys.executable, "-c", code], check=False,
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    return proc, log.read_text().splitlines()


def test_a_review_append_is_written_then_fsynced(tmp_path):
    code = (
        "import sys; sys.path.insert(0, 'tests')\n"
        "from review_helpers import save_document\n"
        "from translate.review.log import ReviewLog\n"
        "doc = save_document('doc-1')\n"
        "log = ReviewLog.for_document('doc-1')\n"
        "log.append(doc, reviewer='amal', segment=doc.segments[1].id, action='edit', text='Edited.')\n"
        "log.append(doc, reviewer='amal', segment=doc.segments[1].id, action='approve')\n"
        "print(log.path)\n"
    )
    proc, trace = strace(tmp_path, code, "-e", "trace=write,fsync,fdatasync")
    assert proc.returncode == 0, proc.stderr
    path = proc.stdout.strip().splitlines()[-1]
    on_log = [line.split("(", 1)[0].split()[-1] for line in trace if f"<{path}>" in line]
    assert on_log == ["write", "fsync", "write", "fsync"], trace  # each append: its write, then fsync


def test_an_atomic_write_fsyncs_a_temp_file_then_renames_it(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old\n")
    code = f"from translate.textio import atomic_write_text\natomic_write_text({str(target)!r}, 'new\\n')\n"
    proc, trace = strace(tmp_path, code, "-e", "trace=write,fsync,fdatasync,rename,renameat,renameat2")
    assert proc.returncode == 0, proc.stderr
    calls = [line for line in trace if str(tmp_path / ".out.txt.") in line or f"<{target}>" in line]
    names = [line.split("(", 1)[0].split()[-1] for line in calls]
    assert names == ["write", "fsync", names[2]] and names[2].startswith("rename"), calls
    assert f'"{target}"' in calls[2]
    assert target.read_text() == "new\n"


def test_a_writer_killed_before_its_rename_leaves_the_old_file_intact(tmp_path):
    # strace kills the writer (SIGKILL) the moment it asks for the rename: data written and fsynced
    target = tmp_path / "pairs.tsv"
    target.write_bytes(b"old\tversion\n")
    code = f"from translate.textio import atomic_write_text\natomic_write_text({str(target)!r}, 'new\\n' * 1000)\n"
    proc, trace = strace(tmp_path, code, "-e", "trace=rename,renameat,renameat2", "-e",
                         "inject=rename,renameat,renameat2:signal=KILL")
    assert proc.returncode == -9 or proc.returncode == 137, (proc.returncode, proc.stderr)
    assert any("rename" in line for line in trace)  # it did get as far as the rename
    assert target.read_bytes() == b"old\tversion\n"
    [tmp] = [p for p in tmp_path.iterdir() if p.name.startswith(".pairs.tsv.")]
    assert tmp.read_bytes() == b"new\n" * 1000  # the new version was complete, only not in place yet
