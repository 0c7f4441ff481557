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

import queue
import time
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict

from translate.batch.inputs import expand_inputs
from translate.batch.plan import FAILED as PLAN_FAILED
from translate.batch.plan import SKIPPED as PLAN_SKIPPED
from translate.batch.plan import batch_settings, plan_articles
from translate.batch.report import DONE, FAILED, SKIPPED, BatchReport, Outcome
from translate.batch.work import (
    BatchOptions,
    Job,
    Translated,
    translate_job,
    worker_threads,
)
from translate.errors import TranslateError
from translate.pipeline import prepare_article, read_input, write_article


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
            pending[workers.submit(job)] = (n, prepared, time.perf_counter() - started)

    progress.start(len(todo))
    feed()
    while pending:
        finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
        for future in finished:
            n, prepared, reading = pending.pop(future)
            result: Translated = future.result()  # a bug in a worker stops the batch, with its traceback
            if result.error is not None:
                fail(n, result.error, reading + result.seconds)
                continue
            started = time.perf_counter()
            try:
                write_article(prepared, result.doc)
            except TranslateError as exc:
                fail(n, str(exc), reading + result.seconds)
                continue
            seconds = reading + result.seconds + time.perf_counter() - started  # not the wait for a worker
            segments = len(result.doc.segments)
            outcomes[n] = Outcome(planned[n].path, DONE, planned[n].doc_id, segments, round(seconds, 3))
            progress.article(segments, result.tokens)
        feed()
