"""``translate align-ref``: read the source and reference sentences, align them
(:func:`translate.evaluate.refalign.align`), and write the ``ar<TAB>en`` pairs."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from translate.errors import EvaluationError, InputFileError
from translate.engines.names import DEFAULT_BEAM
from translate.evaluate.refalign import AlignedPair, align


def pairs_tsv(pairs: Sequence[AlignedPair], sources: Sequence[str], references: Sequence[str]) -> str:
    """``ar<TAB>en`` per pair with both sides (merged sentences joined by a space)."""
    lines = []
    for p in pairs:
        if p.src and p.ref:
            ar = " ".join(sources[i] for i in p.src)
            en = " ".join(references[j] for j in p.ref)
            lines.append(f"{_one_line(ar)}\t{_one_line(en)}\n")
    return "".join(lines)


def _one_line(text: str) -> str:
    return re.sub(r"[\t\r\n]+", " ", text).strip()


def read_sentences(path: str | Path) -> tuple[list[str], list[int], int]:
    """Non-empty lines of a text file, their 1-based line numbers, and the number of lines."""
    from translate.evaluate.scores import read_segments

    lines = read_segments(path)
    kept = [(text.strip(), no) for no, text in enumerate(lines, 1) if text.strip()]
    if not kept:
        raise InputFileError(path, "is empty")
    return [t for t, _ in kept], [no for _, no in kept], len(lines)


@dataclass(frozen=True)
class AlignmentResult:
    pairs: tuple[AlignedPair, ...]
    out: str

    def summary(self) -> str:
        kinds = Counter(f"{len(p.src)}-{len(p.ref)}" for p in self.pairs)
        aligned = sum(n for k, n in kinds.items() if "0" not in k)
        detail = ", ".join(f"{kinds[k]} {k}" for k in ("1-1", "2-1", "1-2") if kinds[k])
        return (f"{aligned} pairs ({detail or 'none'}); not aligned: {kinds['1-0']} source and "
                f"{kinds['0-1']} reference sentences")

    def to_dict(self) -> dict[str, object]:
        return {"pairs": [p.to_dict() for p in self.pairs], "out": self.out}


def align_files(
    source: str | Path,
    reference: str | Path,
    out: str | Path,
    *,
    mt_path: str | Path | None = None,
    model: str | None = None,
    backend: str | None = None,
    beam: int = DEFAULT_BEAM,
    quiet: bool = True,
) -> AlignmentResult:
    """``translate align-ref``: align, then write ``ar<TAB>en`` pairs to ``out`` (atomically; nothing on error).

    ``source`` has one Arabic sentence per line (empty lines are skipped); ``mt_path`` is line-aligned
    with it; without it the source is translated with the configured model."""
    from translate.evaluate.scores import read_segments
    from translate.paths import check_output_file
    from translate.textio import atomic_write_text, same_file

    target = Path(out)
    if target.is_dir():
        raise InputFileError(target, "is a directory; give a file name for the pairs")
    if any(same_file(target, given) for given in (source, reference, mt_path)):
        raise InputFileError(target, "is an input file; give another --out")
    check_output_file(target, "--out")
    sources, numbers_, total = read_sentences(source)
    refs, _, _ = read_sentences(reference)
    if mt_path is not None:
        mt_lines = read_segments(mt_path)
        if len(mt_lines) != total:
            raise EvaluationError(
                f"{mt_path}: has {len(mt_lines)} lines but {source} has {total}; "
                "the MT must be line-aligned with the source"
            )
        mt = [mt_lines[no - 1] for no in numbers_]
    else:
        from translate.pipeline import translate_sentences

        mt = translate_sentences(sources, model=model, backend=backend, beam=beam, quiet=quiet)
    pairs = align(sources, refs, mt)
    atomic_write_text(target, pairs_tsv(pairs, sources, refs))
    return AlignmentResult(tuple(pairs), str(target))
