"""Run a batch: plan, then translate on workers that each load the model once, writing each
document here, as one unit, as soon as its translation comes back.

Workers are in-process (:class:`LocalWorkers`: one engine per worker, each on its share of the
cores, driven by a thread; CTranslate2 and torch release the GIL while they decode) or Ray
actors (:mod:`translate.batch.ray_runner`). Either way this process reads and segments each
article (:func:`~translate.pipeline.prepare_article`), a worker runs
:func:`~translate.pipeline.translate_document` on it, and this process writes it
(:func:`~translate.pipeline.write_article`): the steps of ``translate run``, so the documents
are the same. Up to two articles per worker are in flight, so a worker never waits for a write.
"""

from __future__ import annotations

import os
import queue
import time
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass

from translate.batch.inputs import expand_inputs
from translate.batch.plan import FAILED as PLAN_FAILED
from translate.batch.plan import SKIPPED as PLAN_SKIPPED
from translate.batch.plan import batch_settings, plan_articles
from translate.batch.report import DONE, FAILED, SKIPPED, BatchReport, Outcome
from translate.doc.model import Document
from translate.errors import TranslateError
from translate.pipeline import DEFAULT_BEAM, prepare_article, read_input, translate_document, write_article


@dataclass(frozen=True)
class BatchOptions:
    model: str | None = None
    backend: str | None = None
    beam: int = DEFAULT_BEAM
    glossary_paths: tuple[str, ...] = ()
    force_numbers: bool = True
    use_tm: bool = True
    tm_threshold: int = 75
    workers: int = 1
    threads: int = 0  # cores per worker; 0: this machine's cores shared out (Ray: see ray_runner)
    force: bool = False
    ray: str | None = None  # None: in-process; "local": a local Ray instance; else a cluster's address


@dataclass(frozen=True)
class Job:
    """What a worker needs to translate one article."""

    doc: Document
    text: str
    previous: Document | None
    tm: object | None


@dataclass(frozen=True)
class Translated:
    doc: Document | None
    tokens: int  # target pieces the model wrote (TM pre-fills and carried segments not counted)
    seconds: float
    error: str | None = None


def translate_job(engine, job: Job, glossaries: Sequence, beam: int, force_numbers: bool) -> Translated:
    """A worker's part: :func:`translate_document` on a loaded engine (a refused article is an error)."""
    started = time.perf_counter()
    try:
        doc = translate_document(job.doc, job.text, engine, glossaries=glossaries, beam=beam,
                                 force_numbers=force_numbers, previous=job.previous, tm=job.tm)
    except TranslateError as exc:
        return Translated(None, 0, time.perf_counter() - started, str(exc))
    tokens = sum(len(engine.tokenizer.target(s.translation)) for s in doc.segments if s.origin == "mt")
    return Translated(doc, tokens, time.perf_counter() - started)


def worker_threads(opts: BatchOptions) -> int:
    return opts.threads or max(1, (os.cpu_count() or 1) // opts.workers)


class LocalWorkers:
    """``opts.workers`` engines in this process, each used by one thread at a time."""

    def __init__(self, opts: BatchOptions, glossaries: Sequence, progress=None):
        from translate.engines import load_engine

        self.opts, self.glossaries = opts, list(glossaries)
        self.capacity = 2 * opts.workers
        self._engines: queue.Queue = queue.Queue()
        for _ in range(opts.workers):  # one after another: a first-run conversion happens once
            self._engines.put(load_engine(opts.model, opts.backend, threads=worker_threads(opts), progress=progress))
        self._pool = ThreadPoolExecutor(max_workers=opts.workers, thread_name_prefix="translate-batch")

    def _run(self, job: Job) -> Translated:
        engine = self._engines.get()
        try:
            return translate_job(engine, job, self.glossaries, self.opts.beam, self.opts.force_numbers)
        finally:
            self._engines.put(engine)

    def submit(self, job: Job) -> Future:
        return self._pool.submit(self._run, job)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _workers(opts: BatchOptions, glossaries: Sequence, progress):
    if opts.ray is None:
        return LocalWorkers(opts, glossaries, progress)
    from translate.batch.ray_runner import RayWorkers  # the only place ray is imported

    return RayWorkers(opts, glossaries, progress)


def run_batch(names: Sequence[str], opts: BatchOptions, progress=None) -> BatchReport:
    """Translate the articles ``names`` give (files, folders, globs) into ``corpus/``; see the module doc.

    ``progress`` (:class:`translate.batch.progress.BatchProgress`) hears of each finished article.
    A bad article is an outcome, not an exception; a :class:`TranslateError` raised here is about
    the whole batch (an unknown model, a damaged glossary).
    """
    from translate.batch.progress import BatchProgress
    from translate.engines.base import Tokenizer
    from translate.engines.resolve import resolve_model
    from translate.glossary.entries import load_glossaries

    started = time.perf_counter()
    progress = progress or BatchProgress(False)
    glossaries = load_glossaries(opts.glossary_paths) if opts.glossary_paths else []
    settings = batch_settings(opts.model, opts.backend, opts.beam, glossaries)
    planned = plan_articles(expand_inputs(names), settings, force=opts.force)
    outcomes: list[Outcome | None] = [None] * len(planned)
    for n, p in enumerate(planned):
        if p.status == PLAN_SKIPPED:
            outcomes[n] = Outcome(p.path, SKIPPED, p.doc_id, p.segments)
        elif p.status == PLAN_FAILED:
            outcomes[n] = Outcome(p.path, FAILED, p.doc_id, error=p.error)
    todo = [n for n, o in enumerate(outcomes) if o is None]
    if todo:
        count = Tokenizer(resolve_model(opts.model).path).count  # this process segments
        workers = _workers(opts, glossaries, progress)
        try:
            _drive(todo, planned, outcomes, workers, count, opts, progress)
        finally:
            workers.close()
            progress.finish()
    info = {**asdict(settings), "glossaries": list(settings.glossaries), "workers": opts.workers, "ray": opts.ray}
    return BatchReport(tuple(o for o in outcomes if o is not None), time.perf_counter() - started, info)


def _drive(todo, planned, outcomes, workers, count, opts: BatchOptions, progress) -> None:
    pending: dict[Future, tuple[int, object, float]] = {}
    upcoming = iter(todo)

    def fail(n: int, error: str, seconds: float = 0.0) -> None:
        outcomes[n] = Outcome(planned[n].path, FAILED, planned[n].doc_id, seconds=round(seconds, 3), error=error)
        progress.article(0, 0)

    def feed() -> None:
        while len(pending) < workers.capacity:
            n = next(upcoming, None)
            if n is None:
                return
            started = time.perf_counter()
            try:  # read again: the plan kept no text, so a batch of any size fits in memory
                prepared = prepare_article(read_input(planned[n].path), count, use_tm=opts.use_tm,
                                           tm_threshold=opts.tm_threshold)
            except TranslateError as exc:
                fail(n, str(exc))
                continue
            job = Job(prepared.doc, prepared.input.text, prepared.previous, prepared.tm)
            pending[workers.submit(job)] = (n, prepared, started)

    progress.start(len(todo))
    feed()
    while pending:
        finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
        for future in finished:
            n, prepared, started = pending.pop(future)
            result: Translated = future.result()  # a bug in a worker stops the batch, with its traceback
            if result.error is not None:
                fail(n, result.error, time.perf_counter() - started)
                continue
            try:
                write_article(prepared, result.doc)
            except TranslateError as exc:
                fail(n, str(exc), time.perf_counter() - started)
                continue
            segments = len(result.doc.segments)
            outcomes[n] = Outcome(planned[n].path, DONE, planned[n].doc_id, segments,
                                  round(time.perf_counter() - started, 3))
            progress.article(segments, result.tokens)
        feed()
