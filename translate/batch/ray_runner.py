"""Workers as Ray actors: each loads the model once and translates the articles sent to it.

``--ray local`` starts a Ray instance on this machine (``ray.init(num_cpus=workers * threads)``);
``--ray ADDRESS`` joins a running cluster (``ray start --head`` on one node, ``ray start
--address HEAD:6379`` on the others). Each actor asks for ``threads`` CPUs (CTranslate2 then runs
that many workers of one thread each) and, where the cluster has GPUs, a GPU (a share of one when
there are fewer GPUs than actors). The actors return documents; this process writes them, so
the corpus stays on one file system. Every node needs this package and the model (its
Hugging Face cache, or a folder at the same path). This is the only module that imports ``ray``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path

from translate.batch.work import BatchOptions, Job, translate_job

DEFAULT_CLUSTER_THREADS = 4
"""CPUs per actor on a cluster when ``--threads`` is not given (at most the smallest node's)."""


class _Translator:
    """The actor: one engine, loaded in ``__init__``."""

    def __init__(self, opts: BatchOptions, glossaries: Sequence, threads: int):
        from translate.engines import load_engine

        self.opts, self.glossaries = opts, list(glossaries)
        self.engine = load_engine(opts.model, opts.backend, threads=threads)

    def ready(self) -> str:
        return self.engine.label

    def translate(self, job: Job):
        return translate_job(self.engine, job, self.glossaries, self.opts.beam, self.opts.force_numbers)


def check_address(address: str, timeout: float = 5.0) -> None:
    """``--ray HOST:PORT`` must answer: where nothing listens, fail in seconds with what to do,
    not after Ray's minutes of retries. ``local``, ``auto`` and ``ray://`` addresses are Ray's to check."""
    import socket

    from translate.errors import RayClusterError

    if address in ("local", "auto") or "://" in address:
        return
    host, sep, port = address.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise RayClusterError(f"--ray {address}: give local, or the HOST:PORT that 'ray start --head' printed "
                              "(such as 10.0.0.5:6379)")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout):
            pass
    except OSError as exc:
        raise RayClusterError(f"--ray {address}: no Ray cluster answers there ({exc.strerror or exc}); start one "
                              "with 'ray start --head' and give the address it prints") from None


def _connect(address: str, cpus: int) -> bool:
    """Connect to Ray; True when this call started it (and so shuts it down after)."""
    check_address(address)
    import ray

    if ray.is_initialized():  # the caller (a notebook, a test) already chose the instance
        return False
    if address == "local":
        ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False)
    else:
        ray.init(address=address, log_to_driver=False)
    return True


def _threads(opts: BatchOptions) -> int:
    if opts.threads:
        return opts.threads
    if opts.ray == "local":
        return max(1, (os.cpu_count() or 1) // opts.workers)
    import ray

    nodes = [n["Resources"].get("CPU", 0) for n in ray.nodes() if n.get("Alive")]
    return max(1, int(min([DEFAULT_CLUSTER_THREADS, *nodes])))


class RayWorkers:
    """``opts.workers`` actors; a job goes to the one with the fewest in flight."""

    def __init__(self, opts: BatchOptions, glossaries: Sequence, progress=None):

        model = opts.model
        if model and Path(model).expanduser().is_dir():  # a folder: the same path on every node
            model = str(Path(model).expanduser().resolve())
            opts = replace(opts, model=model)
        local_threads = opts.threads or max(1, (os.cpu_count() or 1) // opts.workers)
        self._started = _connect(opts.ray, opts.workers * local_threads)
        self._actors: list = []
        try:
            self._start(opts, glossaries, progress)
        except BaseException:
            self.close()
            raise

    def _start(self, opts: BatchOptions, glossaries: Sequence, progress) -> None:
        import ray

        threads = _threads(opts)
        gpus = ray.cluster_resources().get("GPU", 0)
        per_actor = {"num_cpus": threads, "num_gpus": (1 if gpus >= opts.workers else gpus / opts.workers) if gpus else 0}
        if progress is not None:
            progress.note(f"Ray: {opts.workers} actor{'s' * (opts.workers != 1)}, {threads} CPU each"
                          + (f", {per_actor['num_gpus']:g} GPU each" if gpus else ""))
        actor = ray.remote(**per_actor)(_Translator)
        first = actor.remote(opts, glossaries, threads)
        self._actors = [first]
        ray.get(first.ready.remote())  # a first-run conversion happens once, in one actor
        self._actors = [first] + [actor.remote(opts, glossaries, threads) for _ in range(opts.workers - 1)]
        self._load = [0] * len(self._actors)
        self._lock = threading.Lock()
        self.capacity = 2 * opts.workers

    def submit(self, job: Job) -> Future:
        with self._lock:
            k = min(range(len(self._actors)), key=self._load.__getitem__)
            self._load[k] += 1
        future = self._actors[k].translate.remote(job).future()

        def done(_: Future) -> None:
            with self._lock:
                self._load[k] -= 1

        future.add_done_callback(done)
        return future

    def close(self) -> None:
        import ray

        for actor in self._actors:
            ray.kill(actor)
        if self._started:
            ray.shutdown()
