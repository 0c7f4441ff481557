"""Issue #18's part of ``speed.py``'s report: end to end against plain transformers, the GEMM
ceilings and decoding's share of the int8 one, the forcing-cost distributions, the first run's
conversion; each with its target."""

from __future__ import annotations

import statistics

from speed_ceiling import FLOPS_NOTE
from speed_e2e import distribution, paired_ratios

TARGETS = {
    "e2e": 5.0,  # translate run (glossary + numbers) at least 5x plain transformers, model load included
    "share": 0.35,  # decoding at batch 16, beam 4: at least 35 % of the int8 ceiling
    "forcing": 1.3,  # median forced / unforced, random weights
    "own": (0.9, 1.1),  # model already wrote every term: about 1.0, and nothing re-decoded
    "convert_mb": 1536,  # tc-big's first-run conversion peak RSS
}


def summarise18(results: list[dict]) -> dict:
    out: dict = {"e2e": {}, "forcing": None, "own": None, "ceiling": None, "share": None, "convert": {}}
    for model in sorted({r["model"] for r in results if r["job"] in ("e2e-run", "e2e-plain")}):
        run = [r for r in results if r["job"] == "e2e-run" and r["model"] == model]
        plain = [r for r in results if r["job"] == "e2e-plain" and r["model"] == model]
        pairs = [p["wall_s"] / r["wall_s"] for r, p in zip(run, plain)]
        out["e2e"][model] = {"run_s": [r["wall_s"] for r in run], "plain_s": [p["wall_s"] for p in plain],
                             "run_median_s": round(statistics.median([r["wall_s"] for r in run]), 2) if run else None,
                             "plain_median_s": round(statistics.median([p["wall_s"] for p in plain]), 2) if plain else None,
                             "run_rss_mb": max((r["rss_mb"] for r in run), default=None),
                             "plain_rss_mb": max((p["rss_mb"] for p in plain), default=None),
                             "ratio": distribution(pairs)}
    seed = next((r for r in results if r["job"] == "ctranslate2" and r["model"] == "opus-mt-ar-en"
                 and not r.get("variant") and any(run["input"] == "seed" for run in r.get("runs", ()))), None)
    if seed:
        times = {run["glossary"]: run["times"] for run in seed["runs"] if run["input"] == "seed"}
        if True in times and False in times:
            out["forcing"] = paired_ratios(times[True], times[False])
    own = next((r for r in results if r["job"] == "own-glossary"), None)
    if own:
        out["own"] = {k: own[k] for k in ("entries", "terms_realised", "rows_redecoded", "ratio")}
    ceiling = next((r for r in results if r["job"] == "ceiling"), None)
    if ceiling:
        out["ceiling"] = {k: ceiling[k] for k in ("threads", "n", "gflops", "int8_ceiling", "int8_ceiling_from")}
    share = next((r for r in results if r["job"] == "decoding"), None)
    if share:
        top = (ceiling or {}).get("int8_ceiling")
        variants = {name: {**v, "share": round(v["gflops"] / top, 3) if top else None}
                    for name, v in share["variants"].items()}
        out["share"] = {"model": share["model"], "sentences": share["sentences"], "vmap_size": share["vmap_size"],
                        "variants": variants}
    for r in results:
        if r["job"] == "convert" and r.get("announced"):  # else already converted: not a first run
            out["convert"][r["model"]] = {"convert_s": r["convert_s"], "rss_mb": r["rss_mb"],
                                          "announced": r["announced"]}
    return out


def targets18(s: dict) -> dict:
    """``{target: (value, met)}``; ``met`` is None when the value was not measured."""

    def check(value, ok):
        return {"value": value, "met": None if value is None else bool(ok(value))}

    out = {}
    for model, e in s["e2e"].items():
        out[f"translate run >= {TARGETS['e2e']}x plain transformers end to end, {model}"] = check(
            e["ratio"].get("median"), lambda v: v >= TARGETS["e2e"])
    default = (s["share"] or {}).get("variants", {}).get("engine default: workers x 1 thread, vmap, attention")
    out[f"decoding >= {TARGETS['share']:.0%} of the int8 ceiling (batch 16, beam 4)"] = check(
        default["share"] if default else None, lambda v: v >= TARGETS["share"])
    out[f"forced / unforced median <= {TARGETS['forcing']} (seed, random weights)"] = check(
        (s["forcing"] or {}).get("median"), lambda v: v <= TARGETS["forcing"])
    lo, hi = TARGETS["own"]
    own = s["own"] or {}
    out[f"model already wrote every term: ratio {lo}-{hi}, nothing re-decoded"] = check(
        (own["ratio"].get("median"), own["rows_redecoded"]) if own else None,
        lambda v: v[0] is not None and lo <= v[0] <= hi and v[1] == 0)
    big = s["convert"].get("tc-big")
    out[f"tc-big first-run conversion peak RSS < {TARGETS['convert_mb']} MB"] = check(
        big["rss_mb"] if big else None, lambda v: v < TARGETS["convert_mb"])
    return out


def _spread(d: dict) -> str:
    return f"{d['median']} (min {d['min']}, max {d['max']}, {d['runs']} runs)" if d else "n/a"


def render18(s: dict) -> list[str]:
    lines = ["", "### End to end: `translate run` against plain transformers (model load included)", "",
             ("| model | translate run s (median) | plain transformers s (median) | plain / run (median, min-max) "
              "| peak RSS MB run / plain |"), "|---|---:|---:|---:|---:|"]
    for model, e in s["e2e"].items():
        r = e["ratio"]
        lines.append(f"| {model} | {e['run_median_s']} | {e['plain_median_s']} | "
                     f"{r.get('median')} ({r.get('min')}-{r.get('max')}, {r.get('runs')} pairs) "
                     f"| {e['run_rss_mb']} / {e['plain_rss_mb']} |")
    if s["ceiling"]:
        c = s["ceiling"]
        lines += ["", f"### GEMM ceilings ({c['n']}x{c['n']}x{c['n']}, {c['threads']} threads; best of repeats)", "",
                  "| GEMM | GFLOP/s |", "|---|---:|"]
        lines += [f"| {name} | {rate} |" for name, rate in c["gflops"].items()]
        lines.append(f"\nint8 ceiling: {c['int8_ceiling']} GFLOP/s ({c['int8_ceiling_from']})")
    if s["share"]:
        sh = s["share"]
        lines += ["", (f"### Decoding's share of the int8 ceiling ({sh['model']}, {sh['sentences']} NTREX "
                       f"sentences, batches of 16, beam 4 unless said; V = {sh['vmap_size']} with the vmap)"), "",
                  "| variant | median s (min-max) | target tok/s | GFLOP/token | GFLOP/s | share of int8 ceiling |",
                  "|---|---:|---:|---:|---:|---:|"]
        for name, v in sh["variants"].items():
            share = f"{100 * v['share']:.1f} %" if v["share"] is not None else "n/a"
            lines.append(f"| {name} | {v['median_s']} ({v['min_s']}-{v['max_s']}) | {v['tok_s']} | "
                         f"{v['gflop_per_token']} | {v['gflops']} | {share} |")
        lines.append(f"\n{FLOPS_NOTE}")
    lines += ["", "### Forcing cost (interleaved runs)", ""]
    lines.append(f"forced / unforced, seed, glossary + numbers: {_spread(s['forcing'])}")
    if s["own"]:
        o = s["own"]
        lines.append(f"model already wrote every term ({o['entries']} glossary entries from its own output, "
                     f"{o['terms_realised']} realised): {_spread(o['ratio'])}; rows re-decoded: {o['rows_redecoded']}")
    for model, c in s["convert"].items():
        said = "; ".join(c["announced"]) or "nothing (already converted?)"
        lines.append(f"first run, {model}: conversion {c['convert_s']} s, peak RSS {c['rss_mb']} MB; announced: {said}")
    return lines
