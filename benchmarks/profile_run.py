"""Where the time of one ``translate run`` goes, stage by stage (issue #18).

Runs the real command in-process (``translate run ARTICLE --model FOLDER --out DIR -q``,
through the click group) with timers around the functions of each stage, and prints the
wall clock per stage, exclusive (an import inside model loading counts as an import, the
tokenisation of a forced term inside forcing counts as tokenisation)::

    python benchmarks/profile_run.py --model /tmp/opus-mt-ar-en          # a model folder
    python benchmarks/profile_run.py --build /tmp/speed-work              # builds the full-size
                                                                          # random opus-mt-ar-en there first
    python benchmarks/profile_run.py --model M --cprofile run.prof --top 25

Stages: interpreter start (measured by a child ``python -c pass``), imports (every ``import``
statement, outermost only), model load (resolve, the CTranslate2 conversion check, the
translator), tokenizer load, glossary load, segmentation, term matching, tokenisation,
decoding (``Engine.translate_pieces``: all the time spent in CTranslate2), forcing (the rest
of :func:`translate.engines.forcing.decode`: checking, placing, planning), alignment, rendering
(JSON, HTML, Markdown), writing (the folder swap, fsyncs) and "other" (the command itself,
what no timer covers). The model's conversion is done before the timed run (warm cache).
"""

from __future__ import annotations

import argparse
import builtins
import cProfile
import functools
import json
import os
import platform
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

# (stage, module, attribute path): the attribute is wrapped when the module has it
PROBES = (
    ("model load", "translate.engines", "load_engine"),
    ("tokenizer load", "translate.engines.base", "Tokenizer.__init__"),
    ("glossary load", "translate.glossary.entries", "load_glossaries"),
    ("segmentation", "translate.pipeline", "segment_text"),
    ("term matching", "translate.pipeline", "find_hits"),
    ("tokenisation", "translate.engines.base", "Tokenizer.source"),
    ("tokenisation", "translate.engines.base", "Tokenizer.target"),
    ("forcing", "translate.pipeline", "decode"),
    ("decoding", "translate.engines.ct2", "CTranslate2Engine.translate_pieces"),
    ("decoding", "translate.engines.hf", "TransformersEngine.translate_pieces"),
    ("alignment", "translate.pipeline", "word_alignment"),
    ("rendering", "translate.doc.render", "bilingual_html"),
    ("rendering", "translate.doc.render", "draft_markdown"),
    ("rendering", "translate.doc.model", "Document.to_dict"),
    ("writing", "translate.doc.store", "save_outputs"),
)
STAGES = ("interpreter start", "imports", "model load", "tokenizer load", "glossary load", "segmentation",
          "term matching", "tokenisation", "decoding", "forcing", "alignment", "rendering", "writing", "other")


class Clock:
    """Exclusive wall time per stage: a stage entered inside another is taken out of the outer one."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = {}
        self.cpu: dict[str, float] = {}  # this thread's CPU time: robust on a busy machine
        self.calls: dict[str, int] = {}
        self.stack: list[list] = []  # [stage, started, cpu started, nested wall, nested cpu]

    def enter(self, stage: str) -> None:
        self.stack.append([stage, time.perf_counter(), time.thread_time(), 0.0, 0.0])

    def leave(self) -> None:
        stage, started, cpu_started, nested, nested_cpu = self.stack.pop()
        spent, cpu = time.perf_counter() - started, time.thread_time() - cpu_started
        self.totals[stage] = self.totals.get(stage, 0.0) + spent - nested
        self.cpu[stage] = self.cpu.get(stage, 0.0) + cpu - nested_cpu
        self.calls[stage] = self.calls.get(stage, 0) + 1
        if self.stack:
            self.stack[-1][3] += spent
            self.stack[-1][4] += cpu

    def wrap(self, stage: str, func):
        @functools.wraps(func)
        def timed(*args, **kwargs):
            if self.stack and self.stack[-1][0] == stage:  # a stage calling itself counts once
                return func(*args, **kwargs)
            self.enter(stage)
            try:
                return func(*args, **kwargs)
            finally:
                self.leave()

        return timed


def install(clock: Clock) -> list[str]:
    """Wrap the probes that exist (modules move; a missing one is reported, not fatal)."""
    import importlib

    missing = []
    for stage, module, attr in PROBES:
        try:
            owner = importlib.import_module(module)
        except ImportError:
            missing.append(f"{module}.{attr}")
            continue
        *path, name = attr.split(".")
        for part in path:
            owner = getattr(owner, part, None)
        if owner is None or not hasattr(owner, name):
            missing.append(f"{module}.{attr}")
            continue
        setattr(owner, name, clock.wrap(stage, getattr(owner, name)))
    return missing


def time_imports(clock: Clock) -> None:
    """Every ``import`` statement from now on counts as "imports" (outermost only)."""
    original = builtins.__import__

    def timed_import(name, globals=None, locals=None, fromlist=(), level=0):
        if clock.stack and clock.stack[-1][0] == "imports":
            return original(name, globals, locals, fromlist, level)
        if name in sys.modules and not fromlist:  # already there: not worth a timer
            return original(name, globals, locals, fromlist, level)
        clock.enter("imports")
        try:
            return original(name, globals, locals, fromlist, level)
        finally:
            clock.leave()

    builtins.__import__ = timed_import


def interpreter_start() -> float:
    """Seconds for ``python -c pass`` with this interpreter (what any command pays first)."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        best = min(best, time.perf_counter() - started)
    return best


def warm(model: str, backend: str) -> None:
    """Convert the model once (in a child, so this process imports nothing yet)."""
    code = f"from translate.engines import load_engine; load_engine({model!r}, {backend!r})"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO,
                   env={**os.environ, "PYTHONPATH": str(REPO)})


def build(work: Path) -> str:
    folder = work / "opus-mt-ar-en"
    if not (folder / "config.json").is_file():
        subprocess.run([sys.executable, str(REPO / "scripts" / "random_model.py"), str(folder)], check=True)
    return str(folder)


def profile(args: argparse.Namespace) -> dict:
    clock = Clock()
    out = Path(tempfile.mkdtemp(prefix="translate-profile-")) / "doc"
    argv = ["run", str(args.article), "--model", args.model, "--backend", args.backend, "--out", str(out), "-q"]
    argv += ["--no-glossary"] if args.no_glossary else []
    profiler = cProfile.Profile() if args.cprofile else None
    started = time.perf_counter()
    time_imports(clock)
    clock.enter("other")
    import translate.cli  # noqa: F401  (what `translate` imports first)

    missing = install(clock)
    from translate.cli import cli

    if profiler:
        profiler.enable()
    try:
        cli.main(argv, standalone_mode=False)
    finally:
        if profiler:
            profiler.disable()
        clock.leave()
    wall = time.perf_counter() - started
    if profiler:
        profiler.dump_stats(args.cprofile)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"wall_s": wall, "stages": clock.totals, "cpu": clock.cpu, "calls": clock.calls, "missing": missing,
            "argv": argv, "process_cpu_s": usage.ru_utime + usage.ru_stime}


def render(result: dict, start: float, info: str) -> str:
    total = result["wall_s"] + start
    stages = {"interpreter start": start, **result["stages"]}
    lines = [info, f"translate {' '.join(result['argv'])}", "",
             "| stage | wall s | share | main-thread CPU s | calls |", "|---|---:|---:|---:|---:|"]
    for stage in STAGES:
        if stage in stages:
            calls = result["calls"].get(stage, 1)
            cpu = result["cpu"].get(stage)
            lines.append(f"| {stage} | {stages[stage]:.3f} | {100 * stages[stage] / total:.1f} % "
                         f"| {'' if cpu is None else f'{cpu:.3f}'} | {calls} |")
    lines.append(f"| **total** (start + in-process wall) | {total:.3f} | 100 % | "
                 f"{result['process_cpu_s']:.3f} (process, all threads) | |")
    lines.append(f"\nnot decoding: {total - stages.get('decoding', 0):.3f} s of {total:.3f} s "
                 f"({100 * (total - stages.get('decoding', 0)) / total:.0f} %)")
    if result["missing"]:
        lines.append("not probed (moved or gone): " + ", ".join(result["missing"]))
    return "\n".join(lines)


def machine_line() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").is_file() else ""
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")),
               platform.processor())
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"machine: {cpu}, {os.cpu_count()} cores; Python {platform.python_version()}; "
            f"{datetime.now(UTC).isoformat(timespec='seconds')}; load average {load}")


def main(argv: list[str] | None = None) -> None:
    from translate.engines.names import BACKENDS, DEFAULT_BACKEND

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="model folder (default: --build's)")
    parser.add_argument("--build", type=Path, help="build the full-size random opus-mt-ar-en in this folder")
    parser.add_argument("--article", type=Path, help="default: the seed article from ../shared/seed")
    parser.add_argument("--backend", default=DEFAULT_BACKEND, choices=BACKENDS)
    parser.add_argument("--no-glossary", action="store_true")
    parser.add_argument("--cprofile", help="also write cProfile stats here")
    parser.add_argument("--top", type=int, default=0, help="print the N functions with most cumulative time")
    parser.add_argument("--json", type=Path, help="also write the stage times as JSON here")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build:
        args.model = args.model or build(args.build)
    if not args.model:
        parser.error("give --model FOLDER or --build DIR")
    if args.article is None:
        from translate.paths import shared_dir

        args.article = shared_dir() / "seed" / "article.ar.txt"
    if args.child:  # the measured process: nothing imported before the clock starts
        print(json.dumps(profile(args)))
        return
    warm(args.model, args.backend)
    start = interpreter_start()
    child = [sys.executable, __file__, "--child", "--model", args.model, "--article", str(args.article),
             "--backend", args.backend] + (["--no-glossary"] if args.no_glossary else [])
    child += ["--cprofile", args.cprofile] if args.cprofile else []
    proc = subprocess.run(child, check=False, capture_output=True, text=True, cwd=Path.cwd())
    if proc.returncode:
        sys.exit(proc.stderr[-3000:])
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    print(render(result, start, machine_line()))
    if args.cprofile and args.top:
        print()
        pstats.Stats(args.cprofile).sort_stats("cumulative").print_stats(args.top)
    if args.json:
        args.json.write_text(json.dumps({"interpreter_start_s": start, **result}, indent=2) + "\n")


if __name__ == "__main__":
    main()
