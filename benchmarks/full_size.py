"""The seed through the full opus-mt-ar-en architecture (77M parameters, random weights) on both
backends: the mechanics checked at full size (every forced term realised, counted with plain
``str.count``; the document written, its source byte for byte), and the time each backend takes.

Moved out of the test suite (tests use tiny models; full size belongs to benchmarks):

    python benchmarks/full_size.py [--length 40] [--backend ctranslate2 --backend transformers]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "scripts")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--length", type=int, default=40, help="target pieces per segment (random weights never stop)")
    parser.add_argument("--backend", action="append", choices=("ctranslate2", "transformers"))
    args = parser.parse_args()

    from random_model import build

    from translate.doc.store import save_outputs
    from translate.engines import load_engine
    from translate.glossary.entries import load_glossaries
    from translate.pipeline import translate_document
    from translate.paths import shared_dir
    from translate.text.segment import segment_text

    seed = shared_dir() / "seed" / "article.ar.txt"
    text = seed.read_bytes().decode("utf-8")
    glossaries = load_glossaries([REPO / "glossaries" / "news-ar-en.tsv"])
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        folder = build(Path(tmp) / "full-marian")
        for backend in args.backend or ["ctranslate2", "transformers"]:
            engine = load_engine(str(folder), backend)
            doc = segment_text(text, "article", count_tokens=engine.tokenizer.count)
            started = time.perf_counter()
            doc = translate_document(doc, text, engine, glossaries=glossaries, max_length=args.length)
            spent = time.perf_counter() - started
            out = Path(tmp) / backend
            save_outputs(doc, seed.read_bytes(), out)
            forced = [(s, t) for s in doc.segments for t in s.terms if t.mode == "force"]
            missing = [f"{s.id}: {t.target}" for s, t in forced
                       if s.translation.count(t.target) + s.translation.count(t.target[:1].upper() + t.target[1:])
                       < sum(1 for u in s.terms if u.target == t.target)]
            ok = (out / "source.ar.txt").read_bytes() == seed.read_bytes() and not missing
            failed |= not ok
            print(f"{backend}: {spent:.1f} s for the seed at {args.length} pieces; {len(forced)} forced terms, "
                  f"{'all written' if not missing else 'missing: ' + ', '.join(missing)}; "
                  f"source kept byte for byte: {(out / 'source.ar.txt').read_bytes() == seed.read_bytes()}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
