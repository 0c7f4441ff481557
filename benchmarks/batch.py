"""``translate batch`` on NTREX-128 documents (issue #16), full-size random opus-mt-ar-en.

``shared/data/ntrex-128/DOCUMENT_IDS.tsv`` names the document of each line of
``newstest2019-ref.arb.txt``: consecutive lines with one id are one article (123 of them),
written one sentence a line. Every configuration runs as its own ``python -m translate``
process(es), timed end to end by this script (start-up, model load, reading, translating,
writing), each into a fresh corpus:

* ``run x N``: one ``translate run`` per article, one after another (a shell loop);
* ``batch -w 1`` / ``batch -w 2``: one ``translate batch`` over the same articles;
* ``batch --ray local -w 2``: the same on two Ray actors (Ray's start-up included);
* time per article of ``batch -w 1`` on the first 10, 50 and 123 articles (should stay flat).

Random weights never stop on their own: every segment decodes to the length cap (1.6 times the
batch's longest source plus 10 pieces), the same work for every configuration since the
translations are identical (checked: ``same`` compares every segment's English with the
``run x N`` corpus). A trained model stops earlier, so translating is a smaller share there
and the batch's gain (start-up and model load saved per article) larger. Targets: batch at
least 2x faster than ``run x N``; time per article flat (the largest within 1.3x the smallest).

    python benchmarks/batch.py [--json FILE] [--work DIR] [--articles N]
    python benchmarks/batch.py --tiny --quick     # checks the script in about a minute (figures mean nothing)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
GLOSSARY = REPO / "glossaries" / "news-ar-en.tsv"


def ntrex_articles(folder: Path, limit: int | None = None) -> list[Path]:
    """The NTREX-128 Arabic documents as article files, in corpus order (``limit``: the first ones)."""
    from translate.paths import doc_id_for, shared_dir

    data = shared_dir() / "data" / "ntrex-128"
    ids = (data / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()  # CRLF or LF
    lines = (data / "newstest2019-ref.arb.txt").read_text(encoding="utf-8").splitlines()
    if len(ids) != len(lines):
        raise SystemExit(f"{data}: {len(ids)} document ids for {len(lines)} Arabic lines")
    docs: dict[str, list[str]] = {}
    for doc, line in zip(ids, lines):
        docs.setdefault(doc.strip(), []).append(line.strip())
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for doc, sentences in list(docs.items())[:limit]:
        path = folder / f"{doc_id_for(doc + '.txt')}.ar.txt"
        path.write_text("".join(s + "\n" for s in sentences if s), encoding="utf-8")
        out.append(path)
    return out


def timed(argvs: list[list[str]], env: dict, cwd: Path, length: int | None = None) -> float:
    """Run the commands one after another; seconds for all, end to end (any failure stops the benchmark).
    ``length``: every segment writes exactly that many pieces (``pinned_cli.py``)."""
    started = time.perf_counter()
    head = [sys.executable, "-m", "translate"]
    if length:
        head = [sys.executable, str(REPO / "benchmarks" / "pinned_cli.py"), str(length)]
    for argv in argvs:
        done = subprocess.run([*head, *argv], env=env, cwd=cwd, capture_output=True, text=True,
                              check=False)
        if done.returncode != 0:
            raise SystemExit(f"translate {' '.join(argv[:2])} ... failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return time.perf_counter() - started


def english(corpus: Path) -> dict[str, list[str]]:
    return {p.parent.name: [s["translation"] for s in json.loads(p.read_text(encoding="utf-8"))["segments"]]
            for p in sorted(corpus.glob("*/bilingual.json"))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=123, help="articles for the comparisons [123: all]")
    parser.add_argument("--tiny", action="store_true", help="a tiny random model (checks the script; figures mean nothing)")
    parser.add_argument("--quick", action="store_true", help="4 articles, scaling on 2 and 4")
    parser.add_argument("--sizes", default=None, help="article counts for the scaling rows [10,50,123]")
    parser.add_argument("--no-ray", action="store_true", help="leave out the Ray configuration")
    parser.add_argument("--length", type=int, default=None,
                        help="every segment writes exactly N target pieces, as a trained model would stop (no Ray row)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--work", type=Path, help="keep the model and corpora here [a temp folder]")
    args = parser.parse_args()
    from bench_machine import busy_warning, finish, machine_info, machine_line

    info = machine_info(("ctranslate2", "torch", "ray"))
    work = args.work or Path(tempfile.mkdtemp(prefix="batch-bench-"))
    count = 4 if args.quick else args.articles
    sizes = [2, 4] if args.quick else [10, 50, 123]
    if args.sizes:
        sizes = [int(n) for n in args.sizes.split(",")]
    model = work / ("tiny-marian" if args.tiny else "opus-mt-ar-en-random")
    if not (model / "config.json").is_file():
        sys.path.insert(0, str(REPO / "scripts"))
        import random_model

        random_model.build(model, tiny=args.tiny)
    articles = ntrex_articles(work / "ntrex", max([count, *sizes]))
    base = {k: v for k, v in os.environ.items() if not k.startswith("TRANSLATE_TEST_")}
    cache = work / "cache"
    common = ["--model", str(model), "-q"] + (["-g", str(GLOSSARY)] if GLOSSARY.is_file() else ["--no-glossary"])

    def env(name: str) -> dict:
        home = work / "runs" / name
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        return {**base, "TRANSLATE_CORPUS": str(home / "corpus"), "TRANSLATE_REVIEWS": str(home / "reviews"),
                "TRANSLATE_TM": str(home / "tm"), "TRANSLATE_CACHE": str(cache), "HF_HUB_OFFLINE": "1"}

    timed([["batch", str(articles[0]), *common]], env("convert"), work)  # the CTranslate2 conversion, once
    chosen = [str(p) for p in articles[:count]]
    results: dict[str, dict] = {}

    def measure(name: str, argvs: list[list[str]], n: int) -> float:
        seconds = timed(argvs, env(name), work, args.length)
        results[name] = {"articles": n, "seconds": round(seconds, 2), "per_article": round(seconds / n, 3)}
        print(f"  {name}: {seconds:.1f} s", file=sys.stderr, flush=True)
        return seconds

    runs = measure("run x N", [["run", a, *common] for a in chosen], count)
    configs = [("batch -w 1", []), ("batch -w 2", ["-w", "2"])]
    if not args.no_ray and not args.length:
        configs.append(("batch --ray local -w 2", ["--ray", "local", "-w", "2"]))
    reference = english(work / "runs" / "run x N" / "corpus")
    for name, extra in configs:
        measure(name, [["batch", *chosen, *common, *extra]], count)
        results[name]["same"] = english(work / "runs" / name / "corpus") == reference
    for n in sizes:
        measure(f"batch -w 1, {n} articles", [["batch", *[str(p) for p in articles[:n]], *common]], n)

    finish(info)
    speedup = runs / results["batch -w 1"]["seconds"]
    per = [results[f"batch -w 1, {n} articles"]["per_article"] for n in sizes]
    flat = max(per) / min(per)
    print(machine_line(info))
    print(f"model: {'tiny' if args.tiny else 'full-size'} random opus-mt-ar-en; NTREX-128 articles; beam 4; "
          f"glossary {'news-ar-en' if GLOSSARY.is_file() else 'none'}; "
          + (f"every segment exactly {args.length} pieces\n" if args.length else "each segment to the length cap\n"))
    print("| configuration | articles | seconds | s/article | vs run x N | same English |")
    print("|---|---:|---:|---:|---:|---|")
    for name, r in results.items():
        same = {True: "yes", False: "NO"}.get(r.get("same"), "")
        print(f"| {name} | {r['articles']} | {r['seconds']:.1f} | {r['per_article']:.2f} | "
              f"{runs / r['seconds'] * r['articles'] / count:.2f}x | {same} |")
    print(f"\nbatch -w 1 vs run x N: {speedup:.2f}x faster (target >= 2x: {'met' if speedup >= 2 else 'NOT met'})")
    print(f"time per article over {', '.join(map(str, sizes))} articles: largest/smallest {flat:.2f} "
          f"(target <= 1.3: {'met' if flat <= 1.3 else 'NOT met'})")
    if warning := busy_warning(info):
        print(warning)
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "tiny": args.tiny, "length": args.length, "results": results,
                                         "speedup": round(speedup, 2), "flatness": round(flat, 2)}, indent=2) + "\n")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
