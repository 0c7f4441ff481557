"""Wall-clock limits the test suite used to assert (issue #14): a loaded machine could break them,
so the tests keep the behaviour and the timings live here::

    python benchmarks/limits.py            # prints each timing and whether its limit holds

* a model missing from the offline cache is refused in under 5 s (no hub wait);
* an unreachable hub (connection refused) is detected in under 5 s;
* matching the shipped glossary over the seed article takes under 50 ms a pass (mean of 10).

Exits 1 when a limit is broken. Offline: nothing leaves the machine (the "hub" is a closed local port).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TRANSLATE_SHARED", REPO.parent / "shared"))


def missing_model() -> float:
    from translate.engines import resolve_model
    from translate.errors import ModelUnavailableError

    started = time.monotonic()
    try:
        resolve_model("Helsinki-NLP/opus-mt-ar-en")
    except ModelUnavailableError:
        return time.monotonic() - started
    raise SystemExit("the model is in the cache here: nothing to time")


def unreachable_hub() -> float:
    from translate.engines import resolve_model
    from translate.errors import ModelUnavailableError

    os.environ.pop("HF_HUB_OFFLINE", None)
    os.environ["HF_ENDPOINT"] = "http://127.0.0.1:9"  # discard port: connection refused at once
    started = time.monotonic()
    try:
        resolve_model("Helsinki-NLP/opus-mt-ar-en")
    except ModelUnavailableError:
        return time.monotonic() - started
    finally:
        os.environ["HF_HUB_OFFLINE"] = "1"
    raise SystemExit("the hub answered: nothing to time")


def glossary_matching() -> float:
    from translate.glossary.entries import Matcher, load_glossaries

    [shipped] = load_glossaries([REPO / "glossaries" / "news-ar-en.tsv"])
    text = (SHARED / "seed" / "article.ar.txt").read_text(encoding="utf-8")
    matcher = Matcher([shipped])
    matcher.find(text)  # warm
    started = time.perf_counter()
    for _ in range(10):
        matcher.find(text)
    return (time.perf_counter() - started) / 10


LIMITS = [  # name, function, limit in seconds
    ("missing model refused", missing_model, 5.0),
    ("unreachable hub detected", unreachable_hub, 5.0),
    ("glossary matching over the seed, a pass", glossary_matching, 0.05),
]


def main() -> int:
    with tempfile.TemporaryDirectory() as home:
        os.environ.update(HF_HOME=str(Path(home) / "hf"), HF_HUB_OFFLINE="1", TRANSLATE_CACHE=str(Path(home) / "cache"))
        broken = 0
        for name, run, limit in LIMITS:
            seconds = run()
            ok = seconds < limit
            broken += not ok
            print(f"{name:<42} {seconds * 1000:9.1f} ms   limit {limit * 1000:7.0f} ms   {'ok' if ok else 'BROKEN'}")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
