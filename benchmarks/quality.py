"""Translation quality of a model on a test set, glossary forcing off and on (issue #18).

One command translates a test set twice with the library's own pipeline (``load_engine`` once,
then :func:`translate.pipeline.translate_document` on one segment per line: nothing forced,
then the glossary's terms and the source's numbers forced as ``translate run`` does) and
scores both with :mod:`translate.evaluate.scores` (sacrebleu's BLEU, chrF++ and TER with their
signatures; WMT21 term accuracy and the number-match rate)::

    # the test sets in ../shared (Arabic is the human translation there; English the original)
    python benchmarks/quality.py --src ../shared/data/tico19-test/tico19-test.ar \\
        --ref ../shared/data/tico19-test/tico19-test.en [--model ID_OR_FOLDER]
    python benchmarks/quality.py --src ../shared/data/ntrex-128/newstest2019-ref.arb.txt \\
        --ref ../shared/data/ntrex-128/newstest2019-src.eng.txt --limit 200
    # downloaded where the network allows
    python benchmarks/quality.py --testset flores200            # FLORES-200 devtest arb_Arab -> eng_Latn
    python benchmarks/quality.py --testset iwslt17 --langpair ar-en   # any sacrebleu test set

The default model's published scores (``PUBLISHED``: its model card) are checked when the
whole test set is translated with nothing forced: ``reproduced`` within ``TOLERANCE`` BLEU.
A random-weight stand-in (``"newsroom_random_weights": true`` in its config.json, as
``scripts/random_model.py`` and the tests write it, or "random" in its folder name) is
named as such above and below the table: its scores mean nothing.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(Path(__file__).resolve().parent)]

from bench_machine import busy_warning, finish, machine_info, machine_line

DEFAULT_GLOSSARIES = REPO / "glossaries"
MARKER = "newsroom_random_weights"
FLORES_URL = "https://dl.fbaipublicfiles.com/nllb/flores200_dataset.tar.gz"
TOLERANCE = 1.0  # BLEU points: int8 weights, CTranslate2's beam search and another sacrebleu version
# The default model's card (huggingface.co/Helsinki-NLP/opus-mt-tc-big-ar-en, "Benchmarks"):
# BLEU on flores101-devtest (FLORES-200's arb_Arab/eng_Latn devtest is that set's 1012 sentences)
# and tico19-test, made by the model's authors with Marian, not by this project.
PUBLISHED = {
    "Helsinki-NLP/opus-mt-tc-big-ar-en": {
        "flores200-devtest": (42.6, "model card: flores101-devtest ara-eng BLEU 42.6"),
        "tico19-test": (44.4, "model card: tico19-test ara-eng BLEU 44.4"),
    },
}
SETTINGS = (("off", "nothing forced"), ("on", "glossary + numbers forced"))


def stand_in(model_path: Path) -> str | None:
    """Why the model is a random-weight stand-in, or None when nothing says so."""
    try:
        config = json.loads((model_path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        config = {}
    if config.get(MARKER):
        return f'its config.json says "{MARKER}": true (built by scripts/random_model.py or the tests)'
    if re.search(r"random", model_path.name, re.IGNORECASE):
        return f"its folder name ({model_path.name}) says so"
    return None


def testset_name(args: argparse.Namespace) -> str:
    """``flores200-devtest``, ``tico19-test``, ``ntrex128``, a sacrebleu name, or the source file's name."""
    if args.testset:
        return "flores200-devtest" if args.testset in ("flores200", "flores101") else args.testset
    path = str(args.src).lower()
    for key, name in (("tico19", "tico19-test"), ("ntrex", "ntrex128"), ("newstest2019", "ntrex128")):
        if key in path:
            return name
    if "flores" in path and "devtest" in path:
        return "flores200-devtest"
    return Path(args.src).name


def flores200(cache: Path) -> tuple[Path, Path]:
    """FLORES-200 devtest arb_Arab and eng_Latn, downloaded once into ``cache``."""
    import tarfile
    import urllib.request

    folder = cache / "testsets" / "flores200"
    src, ref = folder / "arb_Arab.devtest", folder / "eng_Latn.devtest"
    if src.is_file() and ref.is_file():
        return src, ref
    folder.mkdir(parents=True, exist_ok=True)
    archive = folder / "flores200_dataset.tar.gz"
    try:
        urllib.request.urlretrieve(FLORES_URL, archive)  # a fixed https URL
    except OSError as exc:
        sys.exit(f"error: cannot download FLORES-200 from {FLORES_URL} ({exc}); give the devtest files "
                 "with --src .../devtest/arb_Arab.devtest --ref .../devtest/eng_Latn.devtest")
    with tarfile.open(archive) as tar:
        for member, target in (("flores200_dataset/devtest/arb_Arab.devtest", src),
                               ("flores200_dataset/devtest/eng_Latn.devtest", ref)):
            data = tar.extractfile(member)
            target.write_bytes(data.read())
    archive.unlink()
    return src, ref


def test_files(args: argparse.Namespace) -> tuple[Path, Path]:
    if args.src and args.ref:
        return Path(args.src), Path(args.ref)
    if args.testset in ("flores200", "flores101"):
        from translate.paths import cache_dir

        return flores200(cache_dir())
    from sacrebleu.utils import get_reference_files, get_source_file

    try:
        return Path(get_source_file(args.testset, args.langpair)), Path(get_reference_files(args.testset, args.langpair)[0])
    except (Exception, SystemExit) as exc:  # noqa: BLE001 (sacrebleu raises or exits on an unknown set, no network)
        sys.exit(f"error: sacrebleu cannot give {args.testset} {args.langpair} ({exc}); use --src/--ref")


def line_document(lines: list[str], count_tokens):
    """One sentence segment per test-set line (a line longer than the model takes is cut into
    pieces as ``translate run`` cuts a long sentence), over the lines joined by newlines."""
    from translate.doc.model import Document, Segment
    from translate.text.segment import split_long

    text, segments, start = "\n".join(lines) + "\n", [], 0
    for n, line in enumerate(lines):
        end = start + len(line)
        pieces = split_long(text, start, end, count_tokens) if line.strip() else [(start, end)]
        segments.append(Segment(id=f"s{n + 1}", kind="sentence", paragraph=n, source=line,
                                source_span=(start, end), pieces=tuple(pieces) if len(pieces) > 1 else ()))
        start = end + 1
    return Document(doc_id="testset", segments=tuple(segments)), text


def translate_lines(engine, lines: list[str], *, glossaries, force_numbers: bool, beam: int) -> tuple[list[str], float]:
    from translate.pipeline import translate_document

    doc, text = line_document(lines, engine.tokenizer.count)
    started = time.perf_counter()
    doc = translate_document(doc, text, engine, glossaries=glossaries, beam=beam, force_numbers=force_numbers)
    return [seg.translation for seg in doc.segments], time.perf_counter() - started


def forced_targets(sources: list[str], glossaries) -> list[list[str]]:
    """The English of every glossary hit the pipeline forces (mode ``force``; a ``suggest`` entry is
    only shown to the reviewer), per source line: what term accuracy is scored against."""
    from translate.glossary.entries import Matcher

    if not glossaries:
        return [[] for _ in sources]
    matcher = Matcher(glossaries)
    return [[m.entry.en for m in matcher.find(src) if getattr(m.entry, "mode", "force") == "force"] for src in sources]


def run(args: argparse.Namespace) -> dict:
    """Translate and score; everything the table and the JSON show."""
    from translate.engines import load_engine, resolve_model
    from translate.evaluate.scores import check_parallel, evaluate_lines, read_segments
    from translate.glossary.entries import load_glossaries, resolve_glossary_paths

    src_path, ref_path = test_files(args)
    sources, refs = read_segments(src_path), read_segments(ref_path)
    check_parallel([(ref_path, refs), (src_path, sources)])
    total = len(sources)
    if args.limit:
        sources, refs = sources[: args.limit], refs[: args.limit]
    glossaries = load_glossaries(resolve_glossary_paths(args.glossary or [DEFAULT_GLOSSARIES]))
    resolved = resolve_model(args.model)
    started = time.perf_counter()
    from translate.progress import NotesOnly

    engine = load_engine(args.model, args.backend, device=args.device, progress=NotesOnly())  # says so if it converts
    load_s = time.perf_counter() - started
    translate_lines(engine, sources[:1], glossaries=(), force_numbers=False, beam=args.beam)  # warm-up
    targets = forced_targets(sources, glossaries)
    rows, hyps = [], {}
    for key, label in SETTINGS:
        forced = key == "on"
        hyps[key], seconds = translate_lines(engine, sources, glossaries=glossaries if forced else (),
                                             force_numbers=forced and not args.no_numbers, beam=args.beam)
        ev = evaluate_lines(hyps[key], [refs], sources=sources, glossaries=glossaries, targets=targets,
                            bootstrap=0, trials=0)
        terms = ev.terms
        rows.append({"setting": key, "label": label if not (forced and args.no_numbers) else "glossary forced",
                     "lines": len(sources), "bleu": round(ev.bleu.score, 2), "chrf": round(ev.chrf.score, 2),
                     "ter": round(ev.ter.score, 2), "terms": terms.terms, "terms_matched": terms.terms_matched,
                     "term_accuracy": terms.accuracy, "numbers": terms.numbers,
                     "numbers_matched": terms.numbers_matched, "number_accuracy": terms.number_match_rate,
                     "s_per_sentence": round(seconds / len(sources), 4), "seconds": round(seconds, 2),
                     "signatures": {"bleu": ev.bleu.signature, "chrf": ev.chrf.signature, "ter": ev.ter.signature}})
    significance = []
    if args.bootstrap:
        paired = evaluate_lines(hyps["on"], [refs], baseline=hyps["off"], bootstrap=args.bootstrap, trials=0)
        significance = [r.to_dict() for r in paired.significance]
    name = testset_name(args)
    published = PUBLISHED.get(resolved.model_id, {}).get(name)
    check = None
    if published:
        ours = rows[0]["bleu"]
        whole = len(sources) == total
        check = {"published_bleu": published[0], "source": published[1], "ours": ours,
                 "delta": round(ours - published[0], 2), "tolerance": TOLERANCE,
                 "reproduced": whole and abs(ours - published[0]) <= TOLERANCE, "whole_set": whole}
    if args.hyp_dir:
        from translate.textio import atomic_write_text

        Path(args.hyp_dir).mkdir(parents=True, exist_ok=True)
        for key, lines in hyps.items():
            atomic_write_text(Path(args.hyp_dir) / f"{name}.{key}.en.txt", "\n".join(lines) + "\n")
    return {"model": resolved.model_id, "revision": resolved.revision, "backend": engine.label, "beam": args.beam,
            "device": getattr(engine, "device", "cpu"), "testset": name, "src": str(src_path), "ref": str(ref_path),
            "lines": len(sources), "lines_in_set": total, "load_s": round(load_s, 2),
            "glossaries": [g.signature_part for g in glossaries], "stand_in": stand_in(resolved.path),
            "rows": rows, "significance": significance, "published": check}


def _pct(part: int, whole: int, rate: float | None) -> str:
    return "n/a (none)" if rate is None else f"{100 * rate:.1f} % ({part}/{whole})"


def render(result: dict, info: dict) -> str:
    warn = (f"WARNING: {result['model']} is a RANDOM-WEIGHT STAND-IN ({result['stand_in']}): its English is "
            "nonsense and these scores say nothing about translation quality") if result["stand_in"] else None
    lines = [machine_line(info)]
    lines += [warn, ""] if warn else [""]
    lines.append(f"model {result['model']}@{result['revision'][:12]}, {result['backend']} on {result['device']}, "
                 f"beam {result['beam']}; test set {result['testset']}: {result['lines']} of "
                 f"{result['lines_in_set']} lines ({result['src']} -> {result['ref']}); "
                 f"glossaries {', '.join(result['glossaries']) or 'none'}; model load {result['load_s']} s")
    lines += ["", "| glossary forcing | lines | BLEU | chrF++ | TER | term accuracy | number accuracy | s/sentence |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in result["rows"]:
        lines.append(f"| {r['setting']} ({r['label']}) | {r['lines']} | {r['bleu']} | {r['chrf']} | {r['ter']} "
                     f"| {_pct(r['terms_matched'], r['terms'], r['term_accuracy'])} "
                     f"| {_pct(r['numbers_matched'], r['numbers'], r['number_accuracy'])} | {r['s_per_sentence']} |")
    sig = result["rows"][0]["signatures"]
    lines += ["", ("term accuracy: WMT21 exact match over the glossary hits forcing forces (suggest-only "
                   "entries left out); number accuracy: the source's numbers whose value is in the English"),
              f"BLEU {sig['bleu']}", f"chrF++ {sig['chrf']}", f"TER {sig['ter']}"]
    for r in result["significance"]:
        lines.append(f"paired {r['test']} ({r['samples']}) {r['metric']}: off {r['baseline']:.2f} -> on "
                     f"{r['system']:.2f}, p = {r['p_value']:.4f}")
    check = result["published"]
    if check:
        verdict = ("reproduced" if check["reproduced"] else
                   "NOT reproduced" if check["whole_set"] else "not checked (translate the whole set: no --limit)")
        lines.append(f"published: {check['source']}; ours {check['ours']} (nothing forced), delta {check['delta']:+}, "
                     f"tolerance +-{check['tolerance']}: {verdict}")
    if warn:
        lines.append(warn)
    if busy := busy_warning(info):
        lines.append(busy)
    return "\n".join(lines)


def parser() -> argparse.ArgumentParser:
    from translate.engines.names import BACKENDS, DEFAULT_BACKEND, DEFAULT_BEAM

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--src", type=Path, help="Arabic source, one sentence per line")
    p.add_argument("--ref", type=Path, help="English reference, line-aligned with --src")
    p.add_argument("--testset", help="instead of --src/--ref: flores200 (FLORES-200 devtest, downloaded) or a "
                   "sacrebleu test set name (downloaded by sacrebleu)")
    p.add_argument("--langpair", default="ar-en", help="sacrebleu language pair for --testset (default ar-en)")
    p.add_argument("--model", help="hub id or folder (default: the default model)")
    p.add_argument("--backend", default=DEFAULT_BACKEND, choices=BACKENDS)
    p.add_argument("--device", default="auto", help="auto, cpu or cuda (float16 on cuda)")
    p.add_argument("--beam", type=int, default=DEFAULT_BEAM)
    p.add_argument("--limit", type=int, default=0, help="only the first N lines")
    p.add_argument("--glossary", action="append", help="glossary file or folder (repeatable; default glossaries/)")
    p.add_argument("--no-numbers", action="store_true", help="the forced run forces the glossary only")
    p.add_argument("--bootstrap", type=int, default=0, help="paired bootstrap resamples, forced vs not (default 0: none)")
    p.add_argument("--hyp-dir", type=Path, help="also write both translations here (for translate evaluate)")
    p.add_argument("--json", type=Path, help="also write the results as JSON here")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not args.testset and not (args.src and args.ref):
        parser().error("give --src and --ref, or --testset")
    from translate.errors import TranslateError

    info = machine_info()
    try:
        result = run(args)
    except TranslateError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finish(info)
    print(render(result, info))
    if args.json:
        from translate.textio import atomic_write_json

        atomic_write_json(args.json, {"machine": info, **result})
    return 0


if __name__ == "__main__":
    sys.exit(main())
