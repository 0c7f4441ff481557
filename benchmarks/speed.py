"""Speed of the default path against plain transformers, glossary on and off (issues #6 and #3).

One command builds the full-size opus-mt-ar-en architecture and the tc-big architecture
(random weights, the real tokenizer from ``shared/data/opus-mt-ar-en-tokenizer``), translates
the seed article and the first NTREX-128 Arabic sentences with a fixed output length (every
segment gets exactly ``--length`` target pieces, since random weights never stop on their own),
and prints one table, the ratios the issues ask for, and whether each target holds::

    python benchmarks/speed.py [--quick] [--json FILE] [--work DIR]
    python benchmarks/speed.py --glossary-cost     # issue #3's figure alone (about half a minute)

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
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GLOSSARY = REPO / "glossaries" / "news-ar-en.tsv"
BEAM, BATCH = 4, 16
MODELS = {
    "opus-mt-ar-en": {},
    "tc-big": dict(d_model=1024, encoder_attention_heads=16, decoder_attention_heads=16,
                   encoder_ffn_dim=4096, decoder_ffn_dim=4096, encoder_layers=6, decoder_layers=6),
}


# ---------------------------------------------------------------- the work, done in a child process


def build_model(folder: Path, **overrides) -> float:
    """A random-weight Marian on the real opus-mt-ar-en tokenizer (as tests/conftest.py builds it)."""
    import torch
    from transformers import MarianConfig, MarianMTModel

    from translate.paths import shared_dir

    started = time.perf_counter()
    tokenizer = shared_dir() / "data" / "opus-mt-ar-en-tokenizer"
    config = json.loads((tokenizer / "config.json").read_text())
    config.update(overrides)
    torch.manual_seed(0)
    MarianMTModel(MarianConfig(**config)).eval().save_pretrained(folder)
    saved = json.loads((folder / "config.json").read_text())
    saved["newsroom_random_weights"] = True  # a stand-in says so (scripts/random_model.py)
    (folder / "config.json").write_text(json.dumps(saved, indent=2, sort_keys=True) + "\n")
    for name in ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copy(tokenizer / name, folder / name)
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
    from translate.glossary import load_glossaries
    from translate.pipeline import translate_document
    from translate.segment import segment_text

    started = time.perf_counter()
    if spec["job"] == "ctranslate2" and not spec.get("vmap", True):
        engine = CTranslate2Engine(resolve_model(spec["folder"]), vmap=False)
    else:
        engine = load_engine(spec["folder"], spec["job"])
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

    from translate.segment import segment_text

    torch.set_num_threads(os.cpu_count() or 1)
    started = time.perf_counter()
    model = AutoModelForSeq2SeqLM.from_pretrained(spec["folder"]).eval()
    tokenizer = AutoTokenizer.from_pretrained(spec["folder"])
    loaded = time.perf_counter() - started

    def translate(name: str, glossary: bool) -> int:
        text = article(name)
        sources = [s.source for s in segment_text(text).segments]
        sources.sort(key=lambda s: len(tokenizer(s).input_ids))
        for i in range(0, len(sources), BATCH):
            batch = tokenizer(sources[i : i + BATCH], return_tensors="pt", padding=True)
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
        return {"build_s": {name: 0.0 if (folder / "config.json").is_file() else
                            round(build_model(folder, **MODELS[name]), 2) for name, folder in folders.items()}}
    if spec["job"] == "convert":
        from translate.engines import load_engine

        started = time.perf_counter()
        load_engine(spec["folder"], "ctranslate2")
        return {"convert_s": round(time.perf_counter() - started, 2), "rss_mb": peak_rss_mb()}
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


def plan(quick: bool, glossary_cost: bool) -> list[dict]:
    """The steps in order; those after the first ``None`` are skipped when time runs short."""
    n, k = (100, 1) if quick else (400, 5)
    seed = {"runs": [["seed", False], ["seed", True]], "repeats": k}
    base, big = {"model": "opus-mt-ar-en"}, {"model": "tc-big"}
    if glossary_cost:  # issue #3's figure alone
        return [{"job": "build", "models": ["opus-mt-ar-en"]}, {"job": "convert", **base},
                {"job": "ctranslate2", **base, **seed}]
    steps = [
        {"job": "build", "models": list(MODELS)},
        {"job": "convert", **base},
        {"job": "ctranslate2", **base, **seed, "env": {"CT2_VERBOSE": "1"}},
        {"job": "plain", **base, "runs": [["seed", False]], "repeats": 1 if quick else 3},
        {"job": "ctranslate2", **base, "runs": [[f"ntrex:{n // 2}", False], [f"ntrex:{n}", False],
                                                [f"ntrex:{n}", True]], "repeats": 1 if quick else 2},
        {"job": "convert", **big},
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
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    proc = subprocess.run([sys.executable, __file__, "--child", json.dumps(spec)], env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"benchmark step {spec['job']} {spec.get('model', '')} failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    isa = [line.split("] ")[-1].strip(" -") for line in proc.stderr.splitlines() if "ISA" in line or "GEMM_S8" in line]
    return {**spec, **result, **({"ct2_log": isa} if isa else {})}


def machine() -> dict:
    import ctranslate2
    import torch
    import transformers

    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").is_file() else ""
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")),
               platform.processor())
    flags = [f for f in ("avx2", "avx512f", "avx512_vnni", "amx_int8") if f" {f} " in cpuinfo]
    return {"cpu": cpu, "cores": os.cpu_count(), "flags": flags, "python": platform.python_version(),
            "ctranslate2": ctranslate2.__version__, "torch": torch.__version__,
            "transformers": transformers.__version__, "load_before": [round(x, 1) for x in os.getloadavg()]}


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
    return {"table": table, "ratios": ratios,
            "targets": {k: {"value": v, "met": None if v is None else bool(ok(v))} for k, (v, ok) in targets.items()}}


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
        if r["job"] == "convert":
            lines.append(f"conversion to CTranslate2 int8 + vmap, {r['model']}: {r['convert_s']} s "
                         f"(peak RSS {r['rss_mb']} MB, once per model revision, cached)")
        if r.get("ct2_log") and "variant" not in r:
            lines.append("CTranslate2: " + "; ".join(r["ct2_log"]))
    lines += ["", "| ratio | value |", "|---|---:|"]
    lines += [f"| {k} | {v} |" for k, v in summary["ratios"].items() if v is not None]
    lines += ["", "| target | value | met |", "|---|---:|---|"]
    lines += [f"| {k} | {t['value']} | {'yes' if t['met'] else 'no' if t['met'] is False else 'n/a'} |"
              for k, t in summary["targets"].items()]
    lines += ["", f"machine: {info['cpu']}, {info['cores']} cores ({', '.join(info['flags'])}); "
              f"Python {info['python']}, CTranslate2 {info['ctranslate2']}, torch {info['torch']}, "
              f"transformers {info['transformers']}; load average before {info['load_before']}, "
              f"after {info['load_after']}; total {info['total_s']} s"]
    if max(info["load_before"][0], info["load_after"][0]) > 0.5:
        lines.append("WARNING: other processes were running (load average above): times are inflated, "
                     "plain transformers' OpenMP threads most of all; rerun on an idle machine")
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
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return
    started = time.perf_counter()
    work = args.work or Path(tempfile.mkdtemp(prefix="translate-speed-"))
    work.mkdir(parents=True, exist_ok=True)
    info, results, optional = machine(), [], False
    try:
        for spec in plan(args.quick, args.glossary_cost):
            optional = optional or spec is None
            if spec is None or (optional and time.perf_counter() - started > args.budget):
                info.setdefault("skipped", []).extend([] if spec is None else [f"{spec['job']} {spec['model']}"])
                continue
            print(f"[{time.perf_counter() - started:6.1f} s] {spec['job']} {spec.get('model', '')} "
                  f"{spec.get('variant', '')}", file=sys.stderr, flush=True)
            results.append(run_child({**spec, "length": args.length, "numbers": not args.no_numbers}, work))
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    info["load_after"] = [round(x, 1) for x in os.getloadavg()]
    info["total_s"] = round(time.perf_counter() - started, 1)
    summary = summarise(results, args.length)
    print(render(info, results, summary))
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "results": results, **summary}, indent=2) + "\n")


if __name__ == "__main__":
    main()
