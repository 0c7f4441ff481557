"""What decoding segments of many articles in shared batches would buy ``translate batch``, and
what it would cost (issue #16): one process, one loaded engine, full-size random opus-mt-ar-en.

* ``per article``: :func:`translate_document` on each article in turn, as ``translate run`` and
  ``translate batch`` decode today (each article's own length-sorted batches of 16);
* ``packed B``: the same articles joined into one document (a blank line between articles, so
  every article's segments are kept as they are), decoded in length-sorted batches of ``B``, the
  forcing rounds of all articles together.

Timed with every segment pinned to ``--length`` target pieces (the same work in every way;
random weights never stop on their own), ``--repeats`` interleaved rounds, wall and CPU
seconds (CPU seconds of all threads hold better on a host whose speed varies). Then, lengths
free, how many segments' English differ between ``per article`` and ``packed 64``: a segment
that reaches the length cap (1.6x the longest source of its batch, plus 10 pieces) is cut where
its batch says, so it changes with its neighbours (with random weights, every segment does).

    python benchmarks/batch_packing.py [--articles 6] [--length 48] [--repeats 2] [--work DIR]
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=6)
    parser.add_argument("--length", type=int, default=48)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--work", type=Path, default=Path("/tmp/batch-packing"), help="model, articles and cache")
    args = parser.parse_args()
    from batch import GLOSSARY, ntrex_articles
    from bench_machine import busy_warning, finish, machine_info, machine_line

    info = machine_info(("ctranslate2",))
    os.environ.setdefault("TRANSLATE_CACHE", str(args.work / "cache"))
    model = args.work / "opus-mt-ar-en-random"
    if not (model / "config.json").is_file():
        sys.path.insert(0, str(REPO / "scripts"))
        import random_model

        random_model.build(model)
    from translate import pipeline
    from translate.engines import forcing, load_engine
    from translate.glossary.entries import load_glossaries
    from translate.text.segment import segment_text

    engine = load_engine(str(model), "ctranslate2")
    glossaries = load_glossaries([str(GLOSSARY)])
    texts = [p.read_text(encoding="utf-8") for p in ntrex_articles(args.work / "ntrex", args.articles)]
    joined = "\n\n".join(t.strip() for t in texts) + "\n"
    segments = sum(len(segment_text(t).segments) for t in texts)
    assert len(segment_text(joined).segments) == segments, "joining the articles changed their segments"

    def run(size: int | None, length: int | None) -> list[str]:
        pipeline.decode = functools.partial(forcing.decode, batch_size=size or forcing.BATCH_SIZE)
        pins = {"max_length": length, "min_length": length} if length else {}
        docs = [segment_text(t) for t in texts] if size is None else [segment_text(joined)]
        sources = texts if size is None else [joined]
        return [s.translation for d, t in zip(docs, sources)
                for s in pipeline.translate_document(d, t, engine, glossaries=glossaries, **pins).segments]

    ways = {"per article": None, "packed 16": 16, "packed 32": 32, "packed 64": 64}
    wall: dict[str, list[float]] = {w: [] for w in ways}
    cpu: dict[str, list[float]] = {w: [] for w in ways}
    for _ in range(args.repeats):
        for name, size in ways.items():
            c, t = time.process_time(), time.perf_counter()
            run(size, args.length)
            wall[name].append(time.perf_counter() - t)
            cpu[name].append(time.process_time() - c)
            print(f"  {name}: {wall[name][-1]:.1f} s, {cpu[name][-1]:.1f} CPU s", file=sys.stderr, flush=True)
    alone, packed = run(None, None), run(64, None)
    differ = sum(a != b for a, b in zip(alone, packed))
    finish(info)
    print(machine_line(info))
    print(f"full-size random opus-mt-ar-en, ctranslate2 int8; {args.articles} NTREX-128 articles, {segments} segments; "
          f"beam 4; glossary news-ar-en; every segment exactly {args.length} pieces; {args.repeats} interleaved rounds\n")
    base = statistics.median(cpu["per article"])
    print("| decoding | wall s (median) | CPU s (median) | CPU vs per article |")
    print("|---|---:|---:|---:|")
    for name in ways:
        print(f"| {name} | {statistics.median(wall[name]):.1f} | {statistics.median(cpu[name]):.1f} | "
              f"{base / statistics.median(cpu[name]):.2f}x |")
    print(f"\nlengths free: {differ} of {segments} segments' English differ between per article and packed 64")
    if warning := busy_warning(info):
        print(warning)


if __name__ == "__main__":
    main()
