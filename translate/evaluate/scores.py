"""Scoring translations with sacrebleu: corpus BLEU, chrF++ and TER, per-segment scores,
paired significance tests, and (from :mod:`translate.evaluate.term_accuracy`) term accuracy and the
number-match rate.

Inputs are line-aligned files read the way the ``sacrebleu`` command reads them (split at
``\\n``, trailing whitespace and a CR stripped), so :func:`evaluate_files` prints the same
scores as ``sacrebleu REF -i HYP -m bleu chrf ter --chrf-word-order 2``. A UTF-8 BOM is
dropped (``sacrebleu`` would keep it as text in line 1). Significance comes from
:class:`sacrebleu.significance.PairedTest` (seed ``SACREBLEU_SEED``, default 12345).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from translate import __version__
from translate.errors import EvaluationError
from translate.progress import NoProgress, Progress
from translate.evaluate.term_accuracy import TermAccuracy, glossary_targets, term_accuracy
from translate.textio import read_text

__all__ = ["Evaluation", "MetricScore", "PairedResult", "SegmentScore", "TermAccuracy", "evaluate_files",
           "evaluate_lines", "glossary_targets", "paired_significance", "read_segments", "term_accuracy"]
TESTS = {"bs": "paired bootstrap resampling", "ar": "approximate randomisation"}


@dataclass(frozen=True)
class MetricScore:
    """A corpus score as ``sacrebleu`` reports it."""

    name: str
    score: float
    signature: str
    verbose: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> MetricScore:
        return cls(d["name"], float(d["score"]), d["signature"], d.get("verbose", ""))


@dataclass(frozen=True)
class SegmentScore:
    """Sentence chrF++ and BLEU of one line (``line`` counts from 1)."""

    line: int
    hypothesis: str
    references: tuple[str, ...]
    chrf: float
    bleu: float
    source: str = ""
    id: str = ""  # the document's segment id (``evaluate DOC``)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "references": list(self.references)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SegmentScore:
        return cls(int(d["line"]), d["hypothesis"], tuple(d["references"]), float(d["chrf"]), float(d["bleu"]),
                   d.get("source", ""), d.get("id", ""))


@dataclass(frozen=True)
class PairedResult:
    """One metric of one paired test; ``*_ci`` is the half-width of the 95 % interval around ``*_mean``."""

    metric: str
    test: str  # "bs" | "ar"
    samples: int
    signature: str
    baseline: float
    system: float
    p_value: float
    baseline_mean: float | None = None
    baseline_ci: float | None = None
    system_mean: float | None = None
    system_ci: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PairedResult:
        return cls(**d)


@dataclass(frozen=True)
class Evaluation:
    """Everything ``translate evaluate --hyp --ref`` reports; ``signature`` is the tool's own provenance."""

    bleu: MetricScore
    chrf: MetricScore
    ter: MetricScore
    segments: tuple[SegmentScore, ...]
    signature: str
    terms: TermAccuracy | None = None
    significance: tuple[PairedResult, ...] = ()
    inputs: tuple[tuple[str, str], ...] = ()  # (role, path) for hyp, ref, src, baseline, glossary

    def to_dict(self) -> dict[str, Any]:
        return {
            "bleu": self.bleu.to_dict(),
            "chrf": self.chrf.to_dict(),
            "ter": self.ter.to_dict(),
            "segments": [s.to_dict() for s in self.segments],
            "terms": self.terms.to_dict() if self.terms else None,
            "significance": [r.to_dict() for r in self.significance],
            "signature": self.signature,
            "inputs": [list(i) for i in self.inputs],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Evaluation:
        return cls(
            bleu=MetricScore.from_dict(d["bleu"]),
            chrf=MetricScore.from_dict(d["chrf"]),
            ter=MetricScore.from_dict(d["ter"]),
            segments=tuple(SegmentScore.from_dict(s) for s in d["segments"]),
            signature=d["signature"],
            terms=TermAccuracy.from_dict(d["terms"]) if d.get("terms") else None,
            significance=tuple(PairedResult.from_dict(r) for r in d.get("significance", ())),
            inputs=tuple((a, b) for a, b in d.get("inputs", ())),
        )


def read_segments(path: str | Path) -> list[str]:
    """One segment per line, as ``sacrebleu`` reads them; a missing/empty/binary file is an error."""
    text = read_text(path).lstrip("\ufeff")
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line.rstrip() for line in lines]


def check_parallel(named: Sequence[tuple[str | Path, Sequence[str]]]) -> None:
    """All files have as many lines as the first (the hypothesis); else name the one that differs."""
    (first, lines), *rest = named
    for path, other in rest:
        if len(other) != len(lines):
            raise EvaluationError(
                f"{path}: has {len(other)} lines but {first} has {len(lines)}; the files must be line-aligned"
            )


def tool_signature(glossaries: Sequence[Any] = (), parts: Sequence[str] = ()) -> str:
    """``translate:<version>|glossary:<name@digest+...>`` (``parts`` when no glossary objects are at hand)."""
    named = "+".join([g.signature_part for g in glossaries] or list(parts)) or "none"
    return f"translate:{__version__}|glossary:{named}"


def _metrics() -> dict[str, Any]:
    from sacrebleu.metrics import BLEU, CHRF, TER

    return {"bleu": BLEU(), "chrf": CHRF(word_order=2), "ter": TER()}


def corpus_scores(hyps: Sequence[str], refs: Sequence[Sequence[str]], *,
                  on_metric=None) -> dict[str, MetricScore]:
    """BLEU, chrF++ and TER of ``hyps`` against reference streams ``refs`` (``{"bleu": ..., ...}``);
    ``on_metric(1)`` after each."""
    out = {}
    for key, metric in _metrics().items():
        score = metric.corpus_score(list(hyps), [list(r) for r in refs])
        sig = str(metric.get_signature())
        verbose = getattr(score, "_verbose", "")
        out[key] = MetricScore(score.name, float(score.score), sig, verbose)
        if on_metric:
            on_metric(1)
    return out


def segment_scores(
    hyps: Sequence[str], refs: Sequence[Sequence[str]], sources: Sequence[str] = (), ids: Sequence[str] = (),
    *, on_line=None,
) -> list[SegmentScore]:
    """Sentence chrF++ and sentence BLEU (effective order) of each line; ``on_line(1)`` after each."""
    from sacrebleu.metrics import BLEU, CHRF

    chrf, bleu = CHRF(word_order=2), BLEU(effective_order=True)
    out = []
    for i, hyp in enumerate(hyps):
        these = tuple(r[i] for r in refs)
        out.append(
            SegmentScore(
                line=i + 1,
                hypothesis=hyp,
                references=these,
                chrf=float(chrf.sentence_score(hyp, list(these)).score),
                bleu=float(bleu.sentence_score(hyp, list(these)).score),
                source=sources[i] if sources else "",
                id=ids[i] if ids else "",
            )
        )
        if on_line:
            on_line(1)
    return out


def paired_significance(
    hyps: Sequence[str],
    baseline: Sequence[str],
    refs: Sequence[Sequence[str]],
    *,
    bootstrap: int = 1000,
    trials: int = 10000,
    progress: Progress | None = None,
) -> list[PairedResult]:
    """Paired bootstrap resampling and approximate randomisation, by sacrebleu's own ``PairedTest``.

    Each metric is tested alone (one ``PairedTest`` per test and metric, so that ``progress``
    advances between them); sacrebleu draws the same resamples for every metric from its seed,
    so the results equal one test of the three metrics together."""
    from sacrebleu.significance import PairedTest

    progress = progress or NoProgress()
    tests = [(test, n) for test, n in (("bs", bootstrap), ("ar", trials)) if n > 0]
    results = []
    progress.start(len(tests) * len(_metrics()), "Significance")
    try:
        for test, n in tests:
            named = [("baseline", list(baseline)), ("system", list(hyps))]
            ref_streams = [list(r) for r in refs]
            conf = -1 if test == "bs" else bootstrap or -1
            for key, metric in _metrics().items():
                sigs, scores = PairedTest(named, {key: metric}, ref_streams, test_type=test, n_samples=n,
                                          n_ar_confidence=conf)()
                for name, sig in sigs.items():
                    base, system = scores[name]
                    results.append(
                        PairedResult(name, test, n, str(sig), float(base.score), float(system.score),
                                     float(system.p_value), _float(base.mean), _float(base.ci), _float(system.mean),
                                     _float(system.ci))
                    )
                progress.advance(1)
    finally:
        progress.finish()
    return results


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def evaluate_lines(
    hyps: Sequence[str],
    refs: Sequence[Sequence[str]],
    *,
    sources: Sequence[str] = (),
    baseline: Sequence[str] | None = None,
    glossaries: Sequence[Any] = (),
    targets: Sequence[Sequence[str]] | None = None,
    bootstrap: int = 1000,
    trials: int = 10000,
    signature: str | None = None,
    inputs: Sequence[tuple[str, str]] = (),
    ids: Sequence[str] = (),
    progress: Progress | None = None,
) -> Evaluation:
    """Score line-aligned lists (the library entry point behind :func:`evaluate_files`);
    ``progress`` shows the scoring, then the significance tests."""
    if not hyps:
        raise EvaluationError("nothing to evaluate: no segments")
    progress = progress or NoProgress()
    progress.start(len(_metrics()) + len(hyps), "Scoring")
    try:
        scores = corpus_scores(hyps, refs, on_metric=progress.advance)
        segments = tuple(segment_scores(hyps, refs, sources, ids, on_line=progress.advance))
    finally:
        progress.finish()
    terms = None
    if sources:  # numbers always; terms when there are glossaries or given targets
        terms = term_accuracy(hyps, targets if targets is not None else glossary_targets(sources, glossaries), sources)
    sig = (paired_significance(hyps, baseline, refs, bootstrap=bootstrap, trials=trials, progress=progress)
           if baseline is not None else [])
    return Evaluation(
        bleu=scores["bleu"],
        chrf=scores["chrf"],
        ter=scores["ter"],
        segments=segments,
        signature=signature or tool_signature(glossaries),
        terms=terms,
        significance=tuple(sig),
        inputs=tuple(inputs),
    )


def evaluate_files(
    hyp: str | Path,
    refs: Sequence[str | Path],
    *,
    src: str | Path | None = None,
    glossary_paths: Sequence[str | Path] = (),
    use_glossary: bool = True,
    baseline: str | Path | None = None,
    bootstrap: int = 1000,
    trials: int = 10000,
    progress: Progress | None = None,
) -> Evaluation:
    """``translate evaluate --hyp H --ref R...``: read, check alignment, score.

    With ``src``, term accuracy uses the glossaries of ``glossary_paths`` (files or folders; none
    named: the default glossaries, as ``translate run``; :func:`translate.glossary.entries.load_glossaries`),
    none with ``use_glossary=False``; each glossary file is listed in ``inputs``."""
    if not refs:
        raise EvaluationError("give at least one reference (--ref)")
    hyps = read_segments(hyp)
    named: list[tuple[str | Path, list[str]]] = [(hyp, hyps)] + [(r, read_segments(r)) for r in refs]
    sources = read_segments(src) if src else []
    base = read_segments(baseline) if baseline else None
    check_parallel(named + ([(src, sources)] if src else []) + ([(baseline, base)] if base is not None else []))
    if glossary_paths and not src:
        raise EvaluationError("term accuracy needs the source: give --src with --glossary")
    glossaries = []
    if src and use_glossary:
        from translate.glossary.entries import load_glossaries

        glossaries = load_glossaries(glossary_paths)
    inputs = [("hyp", str(hyp))] + [("ref", str(r)) for r in refs]
    inputs += ([("src", str(src))] if src else []) + ([("baseline", str(baseline))] if baseline else [])
    inputs += [("glossary", g.path) for g in glossaries]
    return evaluate_lines(hyps, [lines for _, lines in named[1:]], sources=sources, baseline=base,
                          glossaries=glossaries, bootstrap=bootstrap, trials=trials, inputs=inputs, progress=progress)

