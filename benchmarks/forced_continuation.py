"""What greedy decoding of the forced continuation would buy (issue #18: "beam vs greedy for the
forced continuation"), and what it would change. Not what ``translate run`` does: it continues a
forced prefix with the same beam as the free pass.

On the seed, in one process and one loaded engine (CTranslate2, full-size random opus-mt-ar-en),
every segment pinned to ``--length`` target pieces, ``--repeats`` interleaved rounds of:

* ``free``: nothing forced;
* ``forced, beam continuation``: the shipped glossaries and the source's numbers forced, every
  re-decode with beam 4 (the default path);
* ``forced, greedy continuation``: the same, every re-decode (a call with forced prefixes) with beam 1.

Then, lengths pinned, how many segments' English differ between the two forced ways.

    python benchmarks/forced_continuation.py --model FOLDER [--repeats 7] [--length 48]
    python benchmarks/forced_continuation.py --build DIR     # builds the full-size random model there first
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "benchmarks")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, help="model folder")
    parser.add_argument("--build", type=Path, help="build the full-size random opus-mt-ar-en in this folder")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--length", type=int, default=48)
    args = parser.parse_args()
    if not (args.model or args.build):
        parser.error("give --model or --build")
    model = args.model or args.build / "opus-mt-ar-en"
    if not (model / "config.json").is_file():
        sys.path.insert(0, str(REPO / "scripts"))
        import random_model

        random_model.build(model)
    from bench_machine import busy_warning, finish, machine_info, machine_line

    info = machine_info(("ctranslate2",))
    from translate import pipeline
    from translate.engines import load_engine
    from translate.glossary.entries import load_glossaries
    from translate.paths import shared_dir
    from translate.text.segment import segment_text

    engine = load_engine(str(model), "ctranslate2")
    glossaries = load_glossaries([str(REPO / "glossaries")])
    text = (shared_dir() / "seed" / "article.ar.txt").read_text(encoding="utf-8")
    beam_pieces = engine.translate_pieces
    greedy = {"on": False}

    def translate_pieces(pieces, *, beam, prefixes=None, **options):
        return beam_pieces(pieces, beam=1 if prefixes is not None and greedy["on"] else beam,
                           prefixes=prefixes, **options)

    engine.translate_pieces = translate_pieces

    def run(forced: bool, greedy_continuation: bool) -> tuple[float, list[str]]:
        greedy["on"] = greedy_continuation
        started = time.perf_counter()
        doc = pipeline.translate_document(segment_text(text), text, engine, glossaries=glossaries if forced else (),
                                          force_numbers=forced, max_length=args.length, min_length=args.length)
        return time.perf_counter() - started, [s.translation for s in doc.segments]

    ways = {"free": (False, False), "forced, beam continuation": (True, False),
            "forced, greedy continuation": (True, True)}
    run(True, False)  # warm-up
    seconds: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(args.repeats):
        for name, how in ways.items():
            seconds[name].append(run(*how)[0])
    beam_english, greedy_english = run(True, False)[1], run(True, True)[1]
    finish(info)
    print(machine_line(info))
    print(f"seed ({len(beam_english)} segments), full-size random opus-mt-ar-en ({model.name}), ctranslate2 int8, "
          f"beam 4, every segment exactly {args.length} pieces, {args.repeats} interleaved rounds\n")
    print("| decoding | median s (min-max) | / free |")
    print("|---|---:|---:|")
    free = statistics.median(seconds["free"])
    for name, times in seconds.items():
        median = statistics.median(times)
        print(f"| {name} | {median:.3f} ({min(times):.3f}-{max(times):.3f}) | {median / free:.3f} |")
    differ = sum(a != b for a, b in zip(beam_english, greedy_english))
    print(f"\nsegments whose English differs, beam vs greedy continuation: {differ} of {len(beam_english)}")
    if warning := busy_warning(info):
        print(warning)


if __name__ == "__main__":
    main()
