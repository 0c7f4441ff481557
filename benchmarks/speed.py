"""Speed of the default path against plain transformers, glossary on and off (issues #6, #3 and #18).

One command builds the full-size opus-mt-ar-en architecture and the tc-big architecture
(random weights, the real tokenizer from ``shared/data/opus-mt-ar-en-tokenizer``), translates
the seed article and the first NTREX-128 Arabic sentences with a fixed output length (every
segment gets exactly ``--length`` target pieces, since random weights never stop on their own),
and prints one table, the ratios the issues ask for, and whether each target holds::

    python benchmarks/speed.py [--quick] [--json FILE] [--work DIR]
    python benchmarks/speed.py --glossary-cost     # issue #3's figure alone (about half a minute)
    python benchmarks/speed.py --only e2e,ceiling,forcing,convert   # issue #18's figures alone
    python benchmarks/speed.py --device cuda       # on a GPU: float16 (not run on these machines)

Issue #18 adds (``speed_e2e.py``, ``speed_ceiling.py``, ``speed_report.py``): ``translate run``
end to end against plain transformers end to end, model load included, on both architectures,
interleaved; the machine's int8 and float32 GEMM ceilings and decoding's share of the int8
one at batch 16, beam 4 (engine settings as variants); forcing cost as distributions over
``--repeats`` interleaved runs, also for a glossary the model already satisfies; the first
run's conversion, announced, timed, with its peak RSS.

Every configuration runs in a fresh process, so peak RSS (``ru_maxrss``) belongs to it alone.
Times are medians of interleaved repeats, end to end: segmentation, tokenisation, decoding,
forcing and alignment for the default path (``load_engine`` + ``translate_document``);
tokenisation, ``generate`` and detokenisation for plain transformers (fp32, default attention,
length-sorted batches of 16, beam 4). Model loading and conversion are timed apart. Steps
after the required ones are skipped once ``--budget`` seconds have passed. "Forced" means what
``translate run`` forces by default: the shipped glossary's terms and the source's numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from translate.engines.names import DEFAULT_BEAM as BEAM  # the default is what is measured

REPO = Path(__file__).resolve().parents[1]
GLOSSARY = REPO / "glossaries" / "news-ar-en.tsv"
BATCH = 16
MODELS = {
    "opus-mt-ar-en": {},
    "tc-big": dict(d_model=1024, encoder_attention_heads=16, decoder_attention_heads=16,
                   encoder_ffn_dim=4096, decoder_ffn_dim=4096, encoder_layers=6, decoder_layers=6),
}
# --tiny: both architectures shrunk, to check the script itself in a minute (the figures mean nothing)
TINY = {"d_model": 32, "encoder_layers": 2, "decoder_layers": 2, "encoder_attention_heads": 2,
        "decoder_attention_heads": 2, "encoder_ffn_dim": 64, "decoder_ffn_dim": 64}


# ---------------------------------------------------------------- the work, done in a child process


def build_model(folder: Path, **overrides) -> float:
    """A random-weight Marian on the real opus-mt-ar-en tokenizer, by ``scripts/random_model.py``
    (the one builder; the tests use it too); returns the seconds it took."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("random_model", REPO / "scripts" / "random_model.py")
    random_model = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(random_model)
    started = time.perf_counter()
    random_model.build(folder, **overrides)
    return time.perf_counter() - started


def article(name: str) -> str:
    """``seed`` or ``ntrex:N`` (the first N sentences, one per line)."""
    from translate.paths import shared_dir

    if name == "seed":
        return (shared_dir() / "seed" / "article.ar.txt").read_text(encoding="utf-8")
    lines = (shared_dir() / "data" / "ntrex-128" / "newstest2019-ref.arb.txt").read_text(encoding="utf-8")
    return "\n".join(lines.splitlines()[: int(name.split(":")[1])]) + "\n"


def default_runner(spec: dict):
    """``load_engine`` + ``translate_document``, as ``translate run`` does (the engine loads once)."""
    from translate.engines import load_engine
    from translate.engines.ct2 import CTranslate2Engine
    from translate.engines.resolve import resolve_model
    from translate.glossary.entries import load_glossaries
    from translate.pipeline import translate_document
    from translate.text.segment import segment_text

    started = time.perf_counter()
    if spec["job"] == "ctranslate2" and not spec.get("vmap", True):
        engine = CTranslate2Engine(resolve_model(spec["folder"]), vmap=False)
    else:
        engine = load_engine(spec["folder"], spec["job"], device=spec.get("device", "auto"))
    loaded = time.perf_counter() - started
    glossaries = load_glossaries([GLOSSARY])

    def translate(name: str, glossary: bool) -> int:
        text = article(name)
        doc = segment_text(text, name.replace(":", "-"), count_tokens=engine.tokenizer.count)
        # forced: what `translate run` forces by default (glossary terms and numbers); else nothing
        numbers = glossary and spec.get("numbers", True)
        translate_document(doc, text, engine, glossaries=glossaries if glossary else (), force_numbers=numbers,
                           beam=BEAM, max_length=spec["length"], min_length=spec["length"])
        return len(doc.segments)

    return engine.label, loaded, translate


def plain_runner(spec: dict):
    """Plain transformers: ``from_pretrained`` (fp32, default attention) and ``generate``."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    from translate.text.segment import segment_text

    torch.set_num_threads(os.cpu_count() or 1)
    started = time.perf_counter()
    device = "cuda" if spec.get("device") == "cuda" else "cpu"
    model = AutoModelForSeq2SeqLM.from_pretrained(spec["folder"]).eval().to(device)
    tokenizer = AutoTokenizer.from_pretrained(spec["folder"])
    loaded = time.perf_counter() - started

    def translate(name: str, glossary: bool) -> int:
        text = article(name)
        sources = [s.source for s in segment_text(text).segments]
        sources.sort(key=lambda s: len(tokenizer(s).input_ids))
        for i in range(0, len(sources), BATCH):
            batch = tokenizer(sources[i : i + BATCH], return_tensors="pt", padding=True).to(device)
            with torch.inference_mode():
                out = model.generate(**batch, num_beams=BEAM, max_new_tokens=spec["length"],
                                     min_new_tokens=spec["length"], do_sample=False)
            tokenizer.batch_decode(out, skip_special_tokens=True)
        return len(sources)

    label = f"transformers-fp32-{model.config._attn_implementation}"
    return label, loaded, translate


def child(spec: dict) -> dict:
    """Run one configuration; the result is printed as the last line of stdout."""
    if spec["job"] == "build":
        folders = {name: Path(spec["work"]) / name for name in spec["models"]}
        sizes = {name: {**MODELS[name], **(TINY if spec.get("tiny") else {})} for name in folders}
        return {"build_s": {name: 0.0 if (folder / "config.json").is_file() else
                            round(build_model(folder, **sizes[name]), 2) for name, folder in folders.items()}}
    if spec["job"] == "convert":
        from translate.engines import load_engine

        announced: list[str] = []

        class Notes:  # what `translate run` shows while it converts (translate.progress.Progress.note)
            def note(self, message: str, *, end: str = "\n") -> None:
                announced.append(message)

        started = time.perf_counter()
        try:
            load_engine(spec["folder"], "ctranslate2", device=spec.get("device", "auto"), progress=Notes())
        except TypeError:  # a load_engine without progress
            load_engine(spec["folder"], "ctranslate2", device=spec.get("device", "auto"))
        return {"convert_s": round(time.perf_counter() - started, 2), "rss_mb": peak_rss_mb(), "announced": announced}
    if spec["job"] in ("e2e-run", "e2e-plain", "own-glossary", "ceiling", "decoding"):
        import speed_ceiling
        import speed_e2e

        from translate.paths import shared_dir

        spec = {**spec, "article": str(shared_dir() / "seed" / "article.ar.txt")}
        if spec["job"] == "decoding":
            spec["lines"] = article(spec["input"]).splitlines()
        jobs = {"e2e-run": speed_e2e.e2e_run, "e2e-plain": speed_e2e.e2e_plain, "own-glossary": speed_e2e.own_glossary_job,
                "ceiling": speed_ceiling.ceilings, "decoding": speed_ceiling.decoding}
        return {**jobs[spec["job"]](spec), "rss_mb": peak_rss_mb()}
    label, loaded, translate = plain_runner(spec) if spec["job"] == "plain" else default_runner(spec)
    translate("ntrex:2", False)  # warm-up: first-call allocations are not what a newsroom waits on
    runs = [{"input": name, "glossary": glossary, "times": []} for name, glossary in spec["runs"]]
    for _ in range(spec.get("repeats", 1)):  # interleaved, so that a busy moment hits every run alike
        for run in runs:
            started = time.perf_counter()
            run["segments"] = translate(run["input"], run["glossary"])
            run["times"].append(round(time.perf_counter() - started, 3))
    return {"label": label, "load_s": round(loaded, 2), "runs": runs, "rss_mb": peak_rss_mb()}


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# ---------------------------------------------------------------- the plan, run by the parent


def plan(quick: bool, glossary_cost: bool, repeats: int = 10, only: set[str] | None = None) -> list[dict]:
    """The steps in order; those after the first ``None`` are skipped when time runs short.
    ``only``: just these groups (e2e, ceiling, forcing, convert, table)."""
    n, k = (100, 1) if quick else (400, 5)
    k18 = 3 if quick else repeats  # issue #18: at least 10 interleaved runs for a distribution
    seed = {"runs": [["seed", False], ["seed", True]], "repeats": k}
    base, big = {"model": "opus-mt-ar-en"}, {"model": "tc-big"}
    if glossary_cost:  # issue #3's figure alone
        return [{"job": "build", "models": ["opus-mt-ar-en"]}, {"job": "convert", **base},
                {"job": "ctranslate2", **base, **seed, "repeats": k18}]
    e2e = [{"job": job, **m, "group": "e2e"} for _ in range(1 if quick else 3) for m in (base, big)
           for job in ("e2e-run", "e2e-plain")]  # interleaved: a busy moment hits both sides alike
    steps18 = [
        {"job": "build", "models": list(MODELS), "group": "always"},
        {"job": "convert", **base, "group": "convert"},
        {"job": "convert", **big, "group": "convert"},
        {"job": "ctranslate2", **base, **seed, "repeats": k18, "env": {"CT2_VERBOSE": "1"}, "group": "forcing"},
        {"job": "own-glossary", **base, "repeats": k18, "group": "forcing"},
        *e2e,
        {"job": "ceiling", "n": 1024 if quick else 2048, "repeats": 5, "group": "ceiling"},
        {"job": "decoding", **base, "input": f"ntrex:{32 if quick else 64}", "repeats": 1 if quick else 3,
         "group": "ceiling"},
    ]
    if only:
        only = only | ({"convert"} if "e2e" in only else set())  # end to end means a warm conversion cache
        return [step for step in steps18 if step["group"] in only or step["group"] == "always"] + (
            [] if "table" not in only else plan(quick, False, repeats)[len(steps18):])
    steps = [
        *steps18,
        {"job": "plain", **base, "runs": [["seed", False]], "repeats": 1 if quick else 3},
        {"job": "ctranslate2", **base, "runs": [[f"ntrex:{n // 2}", False], [f"ntrex:{n}", False],
                                                [f"ntrex:{n}", True]], "repeats": 1 if quick else 2},
        {"job": "ctranslate2", **big, **seed, "repeats": min(k, 3)},
    ]
    if not quick:
        steps += [
            None,
            {"job": "ctranslate2", **base, **seed, "vmap": False, "variant": "no vmap"},
            {"job": "ctranslate2", **base, **seed, "env": {"CT2_FORCE_CPU_ISA": "AVX512"}, "variant": "AVX512 forced"},
            {"job": "transformers", **base, "runs": [["seed", False], ["seed", True]]},
            {"job": "plain", **base, "runs": [[f"ntrex:{n // 8}", False]]},
            {"job": "plain", **big, "runs": [["seed", False]]},
        ]
    return steps


def run_child(spec: dict, work: Path) -> dict:
    spec = {**spec, "work": str(work)}
    if "model" in spec:
        spec["folder"] = str(work / spec["model"])
    env = {**os.environ, "TRANSLATE_CACHE": str(work / "cache"), "HF_HUB_OFFLINE": "1", **spec.get("env", {})}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), str(REPO / "benchmarks"), env.get("PYTHONPATH")]))
    if spec["job"].startswith("e2e"):
        spec["out"] = tempfile.mkdtemp(prefix=f"{spec['job']}-", dir=work)
    started = time.perf_counter()  # the whole child process: what a user waits for, for the e2e jobs
    proc = subprocess.run([sys.executable, __file__, "--child", json.dumps(spec)], env=env, check=False,
                          capture_output=True, text=True)
    wall = round(time.perf_counter() - started, 3)
    if proc.returncode != 0:
        sys.exit(f"benchmark step {spec['job']} {spec.get('model', '')} failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    isa = [line.split("] ")[-1].strip(" -") for line in proc.stderr.splitlines() if "ISA" in line or "GEMM_S8" in line]
    return {**spec, **result, "wall_s": wall, **({"ct2_log": isa} if isa else {})}


def machine() -> dict:
    from bench_machine import machine_info

    return machine_info(("ctranslate2", "torch", "transformers"))


# ---------------------------------------------------------------- summary and table


def rows(results: list[dict], length: int) -> list[dict]:
    out = []
    for r in results:
        for run in r.get("runs", ()):
            median = statistics.median(run["times"])
            label = r["label"] + (f" ({r['variant']})" if r.get("variant") else "")
            out.append({"path": label, "job": r["job"], "variant": r.get("variant", ""), "model": r["model"],
                        "input": run["input"], "glossary": run["glossary"], "segments": run["segments"],
                        "forced": ("glossary+numbers" if r.get("numbers", True) else "glossary") if run["glossary"] else "none",
                        "median_s": round(median, 2), "runs": len(run["times"]),
                        "tok_s": round(run["segments"] * length / median, 1),
                        "rss_mb": r["rss_mb"], "load_s": r["load_s"]})
    return out


def summarise(results: list[dict], length: int) -> dict:
    table = rows(results, length)

    def find(job, text, glossary=False, variant="", model="opus-mt-ar-en"):
        return next((r for r in table if (r["job"], r["model"], r["input"], r["glossary"], r["variant"])
                     == (job, model, text, glossary, variant)), None)

    def ratio(a, b, key="median_s"):
        return round(a[key] / b[key], 2) if a and b else None

    ntrex = sorted({r["input"] for r in table if r["input"].startswith("ntrex:") and r["job"] == "ctranslate2"},
                   key=lambda s: int(s.split(":")[1])) or ["ntrex:N"]
    small, large = ntrex[0], ntrex[-1]
    plain, on, off = find("plain", "seed"), find("ctranslate2", "seed", True), find("ctranslate2", "seed")
    plain_ntrex = next((r for r in table if r["job"] == "plain" and r["input"].startswith("ntrex:")), None)
    big = find("ctranslate2", "seed", model="tc-big")
    speedup, cost = ratio(plain, on), ratio(on, off)
    linear, rss = ratio(find("ctranslate2", large), find("ctranslate2", small)), big and big["rss_mb"]
    ratios = {
        "default (glossary + numbers forced) vs plain transformers, seed": speedup,
        "default (nothing forced) vs plain transformers, seed": ratio(plain, off),
        "forced / unforced, seed (issue #3)": cost,
        "vmap off / on, seed": ratio(find("ctranslate2", "seed", variant="no vmap"), off),
        "AVX512 forced / CTranslate2's choice, seed": ratio(find("ctranslate2", "seed", variant="AVX512 forced"), off),
        "project transformers backend vs plain, seed": ratio(plain, find("transformers", "seed")),
        f"{large} / {small} time (linearity)": linear,
        f"forced / unforced, {large}": ratio(find("ctranslate2", large, True), find("ctranslate2", large)),
        "default vs plain transformers, NTREX (tokens/s)": ratio(find("ctranslate2", large), plain_ntrex, "tok_s"),
        "tc-big peak RSS, default path (MB)": rss,
    }
    targets = {
        "default >= 3x plain transformers (seed, beam 4, glossary on)": (speedup, lambda v: v >= 3),
        "glossary-forced <= 1.5x unforced (seed)": (cost, lambda v: v <= 1.5),
        "tc-big peak RSS <= 1.5 GB": (rss, lambda v: v <= 1536),
        f"{large} takes 1.8x-2.2x the time of {small if small != large else 'ntrex:N/2'}":
            (linear, lambda v: 1.8 <= v <= 2.2),
    }
    from speed_report import summarise18, targets18

    issue18 = summarise18(results)
    return {"table": table, "ratios": ratios, "issue18": issue18,
            "targets": {**targets18(issue18),
                        **{k: {"value": v, "met": None if v is None else bool(ok(v))} for k, (v, ok) in targets.items()}}}


def render(info: dict, results: list[dict], summary: dict) -> str:
    head = "| path | model | input | forced | segments | median s (runs) | target tok/s | peak RSS MB | load s |"
    lines = [head, "|---|---|---|---|---:|---:|---:|---:|---:|"]
    for r in summary["table"]:
        lines.append(f"| {r['path']} | {r['model']} | {r['input']} | {r['forced']} "
                     f"| {r['segments']} | {r['median_s']} ({r['runs']}) | {r['tok_s']} | {r['rss_mb']} | {r['load_s']} |")
    lines.append("")
    for r in results:
        if r["job"] == "build":
            lines.append("build (random weights; 0 = reused): " + ", ".join(f"{k} {v} s" for k, v in r["build_s"].items()))
        if r["job"] == "convert" and r.get("announced", True):
            lines.append(f"conversion to CTranslate2 int8 + vmap, {r['model']}: {r['convert_s']} s "
                         f"(peak RSS {r['rss_mb']} MB, once per model revision, cached)")
        elif r["job"] == "convert":
            lines.append(f"{r['model']}: already converted in {r['work']}/cache (no first-run figure)")
        if r.get("ct2_log") and "variant" not in r:
            lines.append("CTranslate2: " + "; ".join(r["ct2_log"]))
    from speed_report import render18

    lines += render18(summary["issue18"])
    lines += ["", "| ratio | value |", "|---|---:|"]
    lines += [f"| {k} | {v} |" for k, v in summary["ratios"].items() if v is not None]
    lines += ["", "| target | value | met |", "|---|---:|---|"]
    lines += [f"| {k} | {t['value']} | {'yes' if t['met'] else 'no' if t['met'] is False else 'n/a'} |"
              for k, t in summary["targets"].items()]
    from bench_machine import busy_warning, machine_line

    lines += ["", f"{machine_line(info)}; total {info['total_s']} s; --device {info.get('device', 'auto')}"]
    if warning := busy_warning(info):
        lines.append(f"{warning} (plain transformers' OpenMP threads suffer most)")
    if info.get("skipped"):
        lines.append(f"skipped for time (--budget): {', '.join(info['skipped'])}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one repeat, 100 NTREX sentences, fewer variants")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--work", type=Path, help="keep models and conversions here (default: a temp dir, removed)")
    parser.add_argument("--length", type=int, default=48, help="target pieces per segment (default 48)")
    parser.add_argument("--glossary-cost", action="store_true", help="only issue #3's figure: the seed, forced and not")
    parser.add_argument("--no-numbers", action="store_true", help="forced runs force the glossary only, not numbers")
    parser.add_argument("--budget", type=float, default=480, help="skip the optional steps once this many seconds "
                        "have passed (default 480, so that a run stays under 10 minutes)")
    parser.add_argument("--only", help="comma-separated groups: e2e, ceiling, forcing, convert, table "
                        "(default: everything)")
    parser.add_argument("--repeats", type=int, default=10, help="interleaved runs of the forcing-cost "
                        "distributions (default 10)")
    parser.add_argument("--device", default="auto", help="auto, cpu or cuda (float16 there; see the README)")
    parser.add_argument("--tiny", action="store_true", help="tiny random models: checks the script, figures mean nothing")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return
    started = time.perf_counter()
    work = args.work.resolve() if args.work else Path(tempfile.mkdtemp(prefix="translate-speed-"))
    work.mkdir(parents=True, exist_ok=True)
    info, results, optional = machine(), [], False
    try:
        only = set(args.only.split(",")) if args.only else None
        info["device"] = args.device
        for spec in plan(args.quick, args.glossary_cost, args.repeats, only):
            optional = optional or spec is None
            if spec is None or (optional and time.perf_counter() - started > args.budget):
                info.setdefault("skipped", []).extend([] if spec is None else [f"{spec['job']} {spec['model']}"])
                continue
            print(f"[{time.perf_counter() - started:6.1f} s] {spec['job']} {spec.get('model', '')} "
                  f"{spec.get('variant', '')}", file=sys.stderr, flush=True)
            results.append(run_child({**spec, "length": args.length, "numbers": not args.no_numbers,
                                      "device": args.device, "tiny": args.tiny}, work))
            if args.json:  # so far: a run cut short keeps what it measured
                args.json.write_text(json.dumps({"machine": info, "results": results, "partial": True}, indent=2))
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    from bench_machine import finish

    finish(info)
    info["total_s"] = round(time.perf_counter() - started, 1)
    summary = summarise(results, args.length)
    print(render(info, results, summary))
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "results": results, **summary}, indent=2) + "\n")


if __name__ == "__main__":
    main()
