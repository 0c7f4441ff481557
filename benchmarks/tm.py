"""Translation-memory benchmark (issue #15): 100,000 synthetic segments, lookup time, database size.

    python benchmarks/tm.py [--units 100000] [--queries 600] [--threshold 75] [--json FILE]

The segments are built from the Arabic sides of NTREX-128 and TICO-19 in ``../shared/data``
(4,097 sentences): each synthetic segment is a sentence with 0-3 random edits (a word replaced by
a word of another sentence, a word dropped, a number changed, or the second half taken from
another sentence), paired with that sentence's English. 5% of the sentences are held out of the
TM. Queries, a third each: (a) a TM segment written with vowel signs and tatweel added (an exact
match), (b) a TM segment with one word replaced (a fuzzy match), (c) a held-out sentence (mostly
no match). It times building the database (``Store.replace_source``: match keys, rows, FTS5
index), then each lookup (:func:`translate.tm.match.lookup`, the call ``translate run`` makes per
segment), and reports p50/p99/max (wall clock, and CPU time of this process), the database size,
the hit rates, the load average and a CPU calibration loop (others' work on a shared machine slows
every figure). Runs in a temp folder.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def sentences() -> list[tuple[str, str]]:
    from translate.paths import shared_dir

    data = shared_dir() / "data"
    pairs = []
    for ar, en in ((data / "ntrex-128" / "newstest2019-ref.arb.txt", data / "ntrex-128" / "newstest2019-src.eng.txt"),
                   (data / "tico19-test" / "tico19-test.ar", data / "tico19-test" / "tico19-test.en")):
        a = ar.read_text(encoding="utf-8").splitlines()
        e = en.read_text(encoding="utf-8").splitlines()
        pairs += [(x.strip(), y.strip()) for x, y in zip(a, e) if x.strip() and y.strip()]
    return pairs


def mutate(words: list[str], rng: random.Random, pool: list[list[str]], edits: int) -> list[str]:
    out = list(words)
    for _ in range(edits):
        if len(out) < 3:
            break
        kind = rng.randrange(4)
        k = rng.randrange(len(out))
        if kind == 0:
            out[k] = rng.choice(rng.choice(pool))
        elif kind == 1:
            del out[k]
        elif kind == 2:
            out.insert(k, str(rng.randrange(1, 2000)))
        else:
            other = rng.choice(pool)
            out = out[: len(out) // 2] + other[len(other) // 2:]
    return out


def with_marks(text: str, rng: random.Random) -> str:
    """The same sentence as another writer would type it: a fatha or tatweel after some letters."""
    out = []
    for ch in text:
        out.append(ch)
        if "\u0628" <= ch <= "\u064a" and ch not in "\u0627\u0644" and rng.random() < 0.15:
            out.append(rng.choice(("\u064e", "\u0640")))
    return "".join(out)


def calibrate() -> float:
    """CPU milliseconds of a fixed pure-Python loop (``sum(range(10**7))``; about 150-200 ms on an idle
    core of the machine the README quotes): a busy machine shows here how much it slowed everything."""
    c0 = time.process_time()
    sum(range(10**7))
    return round((time.process_time() - c0) * 1000, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=600)
    parser.add_argument("--threshold", type=int, default=75)
    parser.add_argument("--json", dest="json_path")
    parser.add_argument("--db", type=Path, default=None,
                        help="keep the database in this folder; a later run with the same folder and --units "
                             "times only the lookups (build figures from the run that built it)")
    args = parser.parse_args()

    from translate.tm.match import lookup
    from translate.tm.store import SCHEMA_VERSION, Store
    from translate.tm.values import Unit

    rng = random.Random(15)
    pairs = sentences()
    rng.shuffle(pairs)
    held = pairs[: len(pairs) // 20]
    base = pairs[len(pairs) // 20:]
    pool = [ar.split() for ar, _ in base]
    units = []
    for i in range(args.units):
        ar, en = base[i % len(base)]
        edits = 0 if i < len(base) else rng.randrange(0, 4)
        units.append(Unit(" ".join(mutate(ar.split(), rng, pool, edits)) if edits else ar, en, "tmx", "bench",
                          f"u{i}", "bench", "2024-01-01T00:00:00Z"))

    with contextlib.ExitStack() as stack:
        tmp = args.db or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        tmp.mkdir(parents=True, exist_ok=True)
        built = tmp / "built.json"  # what the run that built the kept database measured
        kept = json.loads(built.read_text()) if built.is_file() else None
        if kept and kept.get("schema") != SCHEMA_VERSION:  # the Store makes an index of another version anew
            kept = None
        if kept and kept["units"] != args.units:
            sys.exit(f"error: {tmp} holds a TM of {kept['units']} units, not {args.units}")
        started, cpu0 = time.perf_counter(), time.process_time()
        with Store(Path(tmp)) as store:
            if kept:
                build_s, build_cpu = kept["build_s"], kept["build_cpu_s"]
            else:
                store.begin()
                store.replace_source("tmx:bench.tmx", "bench", units)
                store.optimize()  # as a sync of this size does (translate.tm.sources.OPTIMIZE_AFTER)
                store.commit()
                build_s, build_cpu = time.perf_counter() - started, time.process_time() - cpu0
                store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                if args.db:
                    built.write_text(json.dumps({"units": args.units, "schema": SCHEMA_VERSION, "build_s": build_s,
                                                  "build_cpu_s": build_cpu}))
            size = sum(p.stat().st_size for p in Path(tmp).iterdir() if p.name != "built.json")

            queries = []
            for q in range(args.queries):
                if q % 3 == 0:
                    queries.append(("exact", with_marks(units[rng.randrange(len(units))].source, rng)))
                elif q % 3 == 1:
                    words = units[rng.randrange(len(base))].source.split()
                    words[rng.randrange(len(words))] = rng.choice(rng.choice(pool))
                    queries.append(("fuzzy", " ".join(words)))
                else:
                    queries.append(("unseen", rng.choice(held)[0]))
            for _, text in queries[:20]:  # warm the page cache
                lookup(store, text, threshold=args.threshold)
            times: dict[str, list[float]] = {"exact": [], "fuzzy": [], "unseen": []}
            cpu: list[float] = []
            hits: dict[str, int] = dict.fromkeys(times, 0)
            load_before = os.getloadavg()[0]
            for kind, text in queries:
                t0, c0 = time.perf_counter(), time.process_time()
                found = lookup(store, text, threshold=args.threshold)
                times[kind].append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
                hits[kind] += bool(found) and (kind != "exact" or found[0].exact)
            load_after = os.getloadavg()[0]

    every = sorted(t for ts in times.values() for t in ts)

    def pct(values: list[float], p: float) -> float:
        values = sorted(values)
        return round(values[min(len(values) - 1, int(p * len(values)))], 2)

    result = {
        "units": args.units, "queries": len(every), "threshold": args.threshold,
        "build_s": round(build_s, 1), "build_cpu_s": round(build_cpu, 1), "db_mb": round(size / 2**20, 1),
        "lookup_ms": {"p50": pct(every, 0.5), "p99": pct(every, 0.99), "max": round(every[-1], 2),
                      "mean": round(statistics.mean(every), 2)},
        "lookup_cpu_ms": {"p50": pct(cpu, 0.5), "p99": pct(cpu, 0.99), "mean": round(statistics.mean(cpu), 2)},
        "load_average": [round(load_before, 2), round(load_after, 2)],
        "calibration_ms": calibrate(),
        "by_kind": {k: {"p50": pct(v, 0.5), "p99": pct(v, 0.99), "hit_rate": round(hits[k] / len(v), 3)}
                    for k, v in times.items()},
        "machine": {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(),
                    "python": platform.python_version(), "sqlite": __import__("sqlite3").sqlite_version},
    }
    print(json.dumps(result, indent=2))
    target = result["lookup_ms"]["p99"] < 20
    print(f"lookup p99 {result['lookup_ms']['p99']} ms: {'meets' if target else 'misses'} the < 20 ms target")
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
