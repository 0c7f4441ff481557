"""What a batch worker does, in-process or as a Ray actor: the options, a job, its result,
and :func:`translate_job` (imported by :mod:`.runner` and :mod:`.ray_runner` alike)."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass

from translate.doc.model import Document
from translate.engines.names import DEFAULT_BEAM
from translate.errors import TranslateError
from translate.pipeline import translate_document


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
