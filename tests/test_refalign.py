"""Reference alignment: the DP aligner on NTREX-128 and TICO-19 made non-parallel, and ``align-ref``."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import SHARED

from translate.cli import cli
from translate.evaluate.refalign import AlignedPair, align
from translate.evaluate.refalign_files import pairs_tsv
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from refalign_scramble import precision_recall, scramble  # noqa: E402  (a benchmark helper, not shipped)
from translate.textio import read_lines

SETS = {
    "ntrex": ("ntrex-128/newstest2019-ref.arb.txt", "ntrex-128/newstest2019-src.eng.txt"),
    "tico": ("tico19-test/tico19-test.ar", "tico19-test/tico19-test.en"),
}
SAMPLE = 300


def sample(name: str, seed: int) -> tuple[list[str], list[str]]:
    """SAMPLE consecutive lines from a random place in the set (CRLF read by ``splitlines``)."""
    ar, en = (read_lines(SHARED / "data" / p) for p in SETS[name])
    start = random.Random(seed).randrange(len(ar) - SAMPLE)
    return ar[start:start + SAMPLE], en[start:start + SAMPLE]


def scrambled(name: str, seed: int):
    ar, en = sample(name, seed)
    s = scramble(len(ar), seed=seed)
    sources = [" ".join(ar[i] for i in u) for u in s.src_units]
    refs = [" ".join(en[i] for i in u) for u in s.ref_units]
    own_mt = [" ".join(en[i] for i in u) for u in s.src_units]
    return s, sources, refs, own_mt, en


def useless(units: int, words: list[str], seed: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(words) for _ in range(rng.randint(3, 40))) for _ in range(units)]


CASES = [(name, seed) for name in SETS for seed in (0, 1)]


@pytest.mark.parametrize("name,seed", CASES)
def test_scramble_makes_every_kind_of_step(name, seed):
    s, sources, refs, _, _ = scrambled(name, seed)
    kinds = {(len(p.src), len(p.ref)) for p in s.gold}
    assert kinds == {(1, 1), (2, 1), (1, 2)}
    assert len(sources) != len(refs) or len(s.gold) < len(sources)
    aligned_src = {i for p in s.gold for i in p.src}
    assert len(aligned_src) < len(sources)  # some source sentences lost their reference


@pytest.mark.parametrize("name,seed", CASES)
def test_reference_as_mt_aligns_exactly(name, seed):
    s, sources, refs, own_mt, _ = scrambled(name, seed)
    pairs = align(sources, refs, own_mt)
    assert precision_recall(pairs, s.gold) == (1.0, 1.0)


@pytest.mark.parametrize("name,seed", CASES)
def test_useless_mt_falls_back_to_length_and_numbers(name, seed):
    s, sources, refs, _, en = scrambled(name, seed)
    words = sorted({w for line in en for w in line.split()})
    p, r = precision_recall(align(sources, refs, useless(len(sources), words, seed)), s.gold)
    assert p >= 0.9 and r >= 0.9


@pytest.mark.parametrize("name,seed", CASES)
def test_length_only(name, seed):
    s, sources, refs, _, _ = scrambled(name, seed)
    p, r = precision_recall(align(sources, refs, None, use_numbers=False), s.gold)
    assert p >= 0.88 and r >= 0.88


def test_every_sentence_is_covered_once_in_order():
    s, sources, refs, own_mt, _ = scrambled("tico", 3)
    pairs = align(sources, refs, own_mt)
    assert [i for p in pairs for i in p.src] == list(range(len(sources)))
    assert [j for p in pairs for j in p.ref] == list(range(len(refs)))


MT = ["The army said on Wednesday.", "Brown called Gerasimov.", "They talked about Ukraine.", "Nothing else."]


@pytest.mark.parametrize(
    "refs,expected",
    [
        (MT, [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), (3,))]),
        ([f"{MT[0]} {MT[1]}", MT[2], MT[3]], [((0, 1), (0,)), ((2,), (1,)), ((3,), (2,))]),
        ([MT[0], "Brown", "called Gerasimov.", MT[2], MT[3]],
         [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,)), ((3,), (4,))]),
        ([MT[0], MT[2], MT[3]], [((0,), (0,)), ((1,), ()), ((2,), (1,)), ((3,), (2,))]),
        ([MT[0], "An extra sentence about something quite different.", MT[1], MT[2], MT[3]],
         [((0,), (0,)), ((), (1,)), ((1,), (2,)), ((2,), (3,)), ((3,), (4,))]),
    ],
    ids=["1-1", "2-1", "1-2", "1-0", "0-1"],
)
def test_each_step(refs, expected):
    sources = ["قال الجيش يوم الأربعاء.", "اتصل براون بغيراسيموف.", "تحدثا عن أوكرانيا.",
               "لا شيء آخر."]
    got = [(p.src, p.ref) for p in align(sources, refs, MT)]
    assert got == expected


def test_numbers_anchor_a_length_only_alignment():
    sources = ["قتل ١٢ شخصا في الهجوم", "وأصيب 40 آخرون",
               "وقالت الشرطة إن 3 مشتبه بهم اعتقلوا"]
    refs = ["Twelve people died in the attack and 40 were hurt", "Police said 3 suspects were arrested"]
    got = [(p.src, p.ref) for p in align(sources, refs)]
    assert got == [((0, 1), (0,)), ((2,), (1,))]


def test_empty_sides():
    assert align([], ["a"]) == [AlignedPair((), (0,))]
    assert align(["ا"], []) == [AlignedPair((0,), ())]


def test_pairs_tsv_joins_merged_sides_and_skips_unaligned():
    pairs = [AlignedPair((0, 1), (0,)), AlignedPair((2,), ()), AlignedPair((), (1,)), AlignedPair((3,), (2, 3))]
    tsv = pairs_tsv(pairs, ["أ", "ب", "ج", "د\tه"], ["A B", "X", "D", "E"])
    assert tsv == "أ ب\tA B\nد ه\tD E\n"


# --- the align-ref command -------------------------------------------------------------------

def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def files(tmp_path):
    s, sources, refs, own_mt, _ = scrambled("ntrex", 5)
    src = tmp_path / "src.ar.txt"
    src.write_bytes(("\r\n".join(sources[:60]) + "\r\n").encode())  # CRLF, as NTREX ships
    last_ref = max(j for p in s.gold if max(p.src) < 60 for j in p.ref)
    ref = tmp_path / "ref.en.txt"
    ref.write_bytes(("\ufeff" + "\n".join(refs[:last_ref + 1]) + "\n").encode())  # with a BOM
    mt = tmp_path / "mt.txt"
    mt.write_text("\n".join(own_mt[:60]) + "\n", encoding="utf-8")
    gold = [p for p in s.gold if max(p.src) < 60]
    expected = "".join(
        " ".join(sources[i] for i in p.src) + "\t" + " ".join(refs[j] for j in p.ref) + "\n"
        for p in sorted(gold, key=lambda p: p.src)
    )
    return src, ref, mt, expected, gold


def test_align_ref_with_mt(files, tmp_path):
    src, ref, mt, expected, gold = files
    result = invoke("align-ref", src, ref, "--mt", mt, "--out", tmp_path / "pairs.tsv")
    assert result.exit_code == 0, result.output
    kinds = {k: sum(1 for p in gold if (len(p.src), len(p.ref)) == k) for k in ((1, 1), (2, 1), (1, 2))}
    detail = ", ".join(f"{n} {a}-{b}" for (a, b), n in kinds.items() if n)
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{len(gold)} pairs ({detail}); not aligned: ")
    assert lines[1] == str(tmp_path / "pairs.tsv")
    assert (tmp_path / "pairs.tsv").read_text(encoding="utf-8") == expected


def test_align_ref_translates_the_source_without_mt(files, tmp_path, monkeypatch):
    import translate.pipeline

    src, ref, mt, expected, _ = files
    own_mt = read_lines(mt)
    calls = []

    def fake(sentences, *, model=None, backend=None, beam=4, quiet=True):
        calls.append((list(sentences), model, backend, beam))
        return own_mt

    monkeypatch.setattr(translate.pipeline, "translate_sentences", fake)
    result = invoke("align-ref", src, ref, "--out", tmp_path / "pairs.tsv", "--model", "some/model",
                    "--beam", "2", "-q")
    assert result.exit_code == 0, result.output
    assert calls == [(read_lines(src), "some/model", "ctranslate2", 2)]
    assert (tmp_path / "pairs.tsv").read_text(encoding="utf-8") == expected


@pytest.mark.parametrize(
    "make,args,message",
    [
        ("empty-ref", ["src.ar.txt", "empty.txt", "--mt", "mt.txt"], "Error: empty.txt: is empty"),
        ("", ["src.ar.txt", "folder", "--mt", "mt.txt"], "Error: folder: is a directory, not a text file"),
        ("short-mt", ["src.ar.txt", "ref.en.txt", "--mt", "short.txt"],
         "Error: short.txt: has 2 lines but src.ar.txt has 60; the MT must be line-aligned with the source"),
        ("", ["src.ar.txt", "ref.en.txt", "--mt", "mt.txt", "--out", "folder"],
         "Error: folder: is a directory; give a file name for the pairs"),
        ("", ["src.ar.txt", "ref.en.txt", "--mt", "mt.txt", "--out", "ref.en.txt"],
         "Error: ref.en.txt: is an input file; give another --out"),
        ("", ["src.ar.txt", "missing.txt", "--mt", "mt.txt"], "Error: missing.txt: no such file"),
    ],
)
def test_align_ref_bad_input(files, tmp_path, make, args, message):
    (tmp_path / "folder").mkdir()
    if make == "empty-ref":
        (tmp_path / "empty.txt").write_text("\n \n", encoding="utf-8")
    if make == "short-mt":
        (tmp_path / "short.txt").write_text("a\nb\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    if "--out" not in args:
        args = args + ["--out", "pairs.tsv"]
    result = invoke("align-ref", *args)
    assert result.exit_code == 1
    assert result.stderr.strip() == message
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before
