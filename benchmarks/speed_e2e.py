"""End-to-end and forcing-cost jobs of ``speed.py`` (issue #18), each run in a fresh child process.

* ``e2e-run``: the real ``translate run ARTICLE --model FOLDER --out DIR -q`` through the click
  group, from the repository root (so the default glossaries and number forcing apply), with
  one change: every segment gets exactly ``length`` target pieces, as on the plain side
  (random weights never stop on their own). The parent times the whole child process:
  interpreter start, imports, model load (conversion cached), translation, writing.
* ``e2e-plain``: plain transformers, as a user without this package would: import
  transformers, ``from_pretrained`` (float32), the same segments, length-sorted batches of
  16, ``generate(num_beams=4)`` with exactly ``length`` new tokens, decode, write the English.
* ``own-glossary``: forcing when the model already wrote every term: a glossary built from
  the model's own unforced output (an Arabic word found once in the article -> an English
  word its segment's translation has), then forced and unforced runs interleaved,
  counting the rows sent back to the model (none should be).
"""

from __future__ import annotations

import functools
import os
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ARABIC_WORD = re.compile(r"[\u0621-\u064A]{4,}")
ENGLISH_WORD = re.compile(r"(?<![\w-])[A-Za-z]{4,}(?![\w-])")


def e2e_run(spec: dict) -> dict:
    """``translate run`` in this process, lengths pinned; the parent times the process."""
    from translate import pipeline

    pipeline.translate_document = functools.partial(pipeline.translate_document, max_length=spec["length"],
                                                    min_length=spec["length"])
    from translate.cli import cli

    os.chdir(REPO)  # the default glossaries are those of ./glossaries/, as for a newsroom running it there
    argv = ["run", spec["article"], "--model", spec["folder"], "--out", spec["out"], "-q"]
    argv += ["--device", spec["device"]] if spec.get("device", "auto") != "auto" and _has_device_option() else []
    cli.main(argv, standalone_mode=False)
    return {"files": sorted(p.name for p in Path(spec["out"]).iterdir())}


def _has_device_option() -> bool:
    from translate.cli import cli

    return any(p.name == "device" for p in cli.commands["run"].params)


def e2e_plain(spec: dict) -> dict:
    """Plain transformers from import to written English."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    from translate.engines.names import DEFAULT_BEAM
    from translate.text.segment import segment_text

    device = "cuda" if spec.get("device") == "cuda" else "cpu"
    torch.set_num_threads(os.cpu_count() or 1)
    model = AutoModelForSeq2SeqLM.from_pretrained(spec["folder"]).eval().to(device)
    tokenizer = AutoTokenizer.from_pretrained(spec["folder"])
    text = Path(spec["article"]).read_text(encoding="utf-8")
    sources = [s.source for s in segment_text(text).segments]
    order = sorted(range(len(sources)), key=lambda i: len(tokenizer(sources[i]).input_ids))
    english = [""] * len(sources)
    for i in range(0, len(order), 16):
        rows = order[i : i + 16]
        batch = tokenizer([sources[r] for r in rows], return_tensors="pt", padding=True).to(device)
        with torch.inference_mode():
            out = model.generate(**batch, num_beams=DEFAULT_BEAM, max_new_tokens=spec["length"], min_new_tokens=spec["length"],
                                 do_sample=False)
        for r, line in zip(rows, tokenizer.batch_decode(out, skip_special_tokens=True)):
            english[r] = line
    Path(spec["out"]).mkdir(parents=True, exist_ok=True)
    (Path(spec["out"]) / "draft.en.txt").write_text("\n".join(english) + "\n", encoding="utf-8")
    return {"segments": len(sources), "attention": model.config._attn_implementation}


# ---------------------------------------------------------------- forcing when the model wrote every term


def own_glossary(text: str, doc, engine, length: int, out: Path) -> tuple[Path, int]:
    """A glossary the unforced output already satisfies: per segment up to two Arabic words found
    once in the article, each rendered as an English word its segment's translation has (a
    different one for every entry, so that no target is needed twice)."""
    from translate.glossary.entries import Matcher, load_glossaries
    from translate.pipeline import translate_document

    done = translate_document(doc, text, engine, glossaries=(), force_numbers=False, max_length=length,
                              min_length=length)
    arabic_counts: dict[str, int] = {}
    for word in ARABIC_WORD.findall(text):
        arabic_counts[word] = arabic_counts.get(word, 0) + 1
    rows, used = [], set()
    for seg in done.segments:
        english = list(dict.fromkeys(ENGLISH_WORD.findall(seg.translation)))  # a random model repeats itself
        arabic = [w for w in dict.fromkeys(ARABIC_WORD.findall(seg.source)) if arabic_counts[w] == 1]
        for ar, en in list(zip(arabic, [w for w in english if w.lower() not in used]))[:2]:
            rows.append((ar, en))
            used.add(en.lower())
    out.write_text("ar\ten\tcategory\tnote\n" + "".join(f"{ar}\t{en}\tterm\t\n" for ar, en in rows), encoding="utf-8")
    # keep only entries that match exactly once in the article (normalisation and proclitics can widen a match)
    matcher = Matcher(load_glossaries([out]))
    hits: dict[str, int] = {}
    for m in matcher.find(text):
        hits[m.entry.en] = hits.get(m.entry.en, 0) + 1
    rows = [(ar, en) for ar, en in rows if hits.get(en) == 1]
    out.write_text("ar\ten\tcategory\tnote\n" + "".join(f"{ar}\t{en}\tterm\t\n" for ar, en in rows), encoding="utf-8")
    return out, len(rows)


def own_glossary_job(spec: dict) -> dict:
    """Unforced vs forced with a glossary of the model's own words, interleaved; rows re-decoded counted."""
    from translate.engines import load_engine
    from translate.glossary.entries import load_glossaries
    from translate.pipeline import translate_document
    from translate.text.segment import segment_text

    engine = load_engine(spec["folder"], "ctranslate2", device=spec.get("device", "auto"))
    text = Path(spec["article"]).read_text(encoding="utf-8")
    doc = segment_text(text, "seed", count_tokens=engine.tokenizer.count)
    path, entries = own_glossary(text, doc, engine, spec["length"], Path(spec["work"]) / "own-glossary.tsv")
    glossaries = load_glossaries([path])
    redecoded = []
    original = engine.translate_pieces

    def counting(batch, **kwargs):
        if kwargs.get("prefixes"):
            redecoded.append(sum(1 for p in kwargs["prefixes"] if p))
        return original(batch, **kwargs)

    engine.translate_pieces = counting
    times: dict[str, list[float]] = {"unforced": [], "forced": []}
    realised = 0
    for _ in range(spec.get("repeats", 10)):
        for key, spent in times.items():
            started = time.perf_counter()
            done = translate_document(doc, text, engine, glossaries=glossaries if key == "forced" else (),
                                      force_numbers=False, max_length=spec["length"], min_length=spec["length"])
            spent.append(time.perf_counter() - started)
            if key == "forced":
                realised = sum(t.realized for s in done.segments for t in s.terms)
    ratios = [f / u for f, u in zip(times["forced"], times["unforced"])]
    return {"entries": entries, "terms_realised": realised, "rows_redecoded": sum(redecoded),
            "times": {k: [round(x, 3) for x in v] for k, v in times.items()},
            "ratio": distribution(ratios)}


def distribution(values: list[float]) -> dict:
    """Median, min, max and every value (rounded) of a list of ratios."""
    if not values:
        return {}
    return {"median": round(statistics.median(values), 3), "min": round(min(values), 3),
            "max": round(max(values), 3), "runs": len(values), "values": [round(v, 3) for v in values]}


def paired_ratios(forced: list[float], unforced: list[float]) -> dict:
    """Forced / unforced per interleaved repeat (the i-th forced run against the i-th unforced run)."""
    return distribution([f / u for f, u in zip(forced, unforced)])


if __name__ == "__main__":  # pragma: no cover - run through speed.py
    sys.exit("run benchmarks/speed.py")
