"""What a batch did: one :class:`Outcome` per article, a table for the terminal, JSON for ``--report``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

DONE, SKIPPED, FAILED = "done", "skipped", "failed"
TABLE_ROWS = 100
"""Above this many articles, the terminal table lists only the failed ones (the JSON has all)."""


@dataclass(frozen=True)
class Outcome:
    path: str  # the article as named
    status: str  # DONE, SKIPPED or FAILED
    doc_id: str | None = None
    segments: int = 0
    seconds: float = 0.0  # reading, translating and writing it, not waiting for a worker (0: skipped)
    error: str | None = None  # FAILED: the message, naming the file

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class BatchReport:
    outcomes: tuple[Outcome, ...]
    seconds: float  # the whole batch, model loading included
    settings: dict  # model, revision, backend, beam, glossaries, version; workers; ray

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == FAILED]

    def to_dict(self) -> dict:
        return {
            "format": 1,
            "settings": self.settings,
            "totals": {"articles": len(self.outcomes), DONE: self.count(DONE), SKIPPED: self.count(SKIPPED),
                       FAILED: self.count(FAILED), "segments": sum(o.segments for o in self.outcomes if o.status == DONE),
                       "seconds": round(self.seconds, 3)},
            "articles": [o.to_dict() for o in self.outcomes],
        }


def table(report: BatchReport) -> list[str]:
    """The terminal summary: a row per article (only the failed ones above :data:`TABLE_ROWS`),
    then the totals. No timings, so the same batch prints the same lines."""
    rows = list(report.outcomes) if len(report.outcomes) <= TABLE_ROWS else report.failed
    width = max([len("article")] + [len(o.path) for o in rows])
    lines = [f"{'article':<{width}}  {'status':<7}  {'segments':>8}  document or error"] if rows else []
    for o in rows:
        what = o.error if o.status == FAILED else o.doc_id
        segments = str(o.segments) if o.status != FAILED else "-"
        lines.append(f"{o.path:<{width}}  {o.status:<7}  {segments:>8}  {what}")
    if len(rows) < len(report.outcomes):
        lines.append(f"({len(report.outcomes) - len(rows)} articles done or skipped: see the report)")
    done = [o for o in report.outcomes if o.status == DONE]
    lines.append(f"{len(report.outcomes)} article{'s' * (len(report.outcomes) != 1)}: {len(done)} done "
                 f"({sum(o.segments for o in done)} segments), {report.count(SKIPPED)} skipped (up to date), "
                 f"{report.count(FAILED)} failed")
    return lines


def failure_line(report: BatchReport) -> str | None:
    """The last line when any article failed (the command exits non-zero with it)."""
    failed: Sequence[Outcome] = report.failed
    if not failed:
        return None
    names = ", ".join(o.path for o in failed[:3]) + (f" and {len(failed) - 3} more" if len(failed) > 3 else "")
    return f"{len(failed)} of {len(report.outcomes)} articles failed: {names}"


def check_report_path(path: str | Path, inputs: Sequence[str] = ()) -> Path:
    """``--report`` must name a file that can be written without losing anything (checked before
    any work): not a folder, not one of the batch's articles (``inputs`` as given), nothing the
    tool keeps (:func:`translate.paths.check_output_file`)."""
    from translate.batch.inputs import expand_inputs
    from translate.errors import OutputPathError
    from translate.paths import check_output_file
    from translate.textio import same_file

    p = Path(path)
    if p.is_dir():
        raise OutputPathError(f"--report {path}: is a folder; give a file name such as {p / 'batch-report.json'}")
    try:
        p.resolve()
    except (OSError, RuntimeError):  # a link that loops: the user meant some other file
        raise OutputPathError(f"--report {path}: is a symbolic link that loops") from None
    for found in expand_inputs(inputs):
        if found.error is None and same_file(p, found.path):
            raise OutputPathError(f"--report {path}: is the article {found.path} of this batch; "
                                  f"give another file name, such as batch-report.json")
    check_output_file(p, "--report")
    return p


def write_report(report: BatchReport, path: str | Path) -> None:
    """The JSON report, written atomically (a temp file renamed into place)."""
    from translate.textio import atomic_write_json

    atomic_write_json(path, report.to_dict())
