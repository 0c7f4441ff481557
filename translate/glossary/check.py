"""``translate glossary check``: every problem of some glossary files, their examples, and
warnings about English the model's vocabulary cannot spell.

Problems (errors) are those of :func:`translate.glossary.entries.scan_glossaries`, of the examples side
files and every failing example (:mod:`translate.glossary.examples`). Warnings do not fail a
check: an English the vocabulary cannot spell is still realised exactly as written (forced by
stand-ins, :mod:`translate.engines.spelling`), but a reviewer should know why the MT's own spelling of
it may differ.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from translate.glossary.entries import _in_order, scan_glossaries
from translate.glossary.examples import Example, examples_path, read_examples, run_examples
from translate.glossary.paths import is_glossary_file, resolve_glossary_paths
from translate.glossary.values import Entry, Glossary, is_examples_file

TOKENIZER_NAME = "opus-mt-ar-en-tokenizer"


@dataclass(frozen=True)
class CheckResult:
    glossaries: tuple[Glossary, ...]
    problems: tuple[str, ...]
    """Errors, as ``file:line: message``, by file (in the order given) and line."""
    warnings: tuple[str, ...]
    """As ``file:line: warning: message``."""
    examples: tuple[Example, ...]
    tokenizer: str | None
    """The tokenizer folder the spelling was checked against; None when there was none."""

    def examples_of(self, glossary: Glossary) -> list[Example]:
        return [ex for ex in self.examples if ex.entry.file == glossary.path]


def default_tokenizer() -> Path | None:
    """The default model's folder in the Hugging Face cache, else the OPUS-MT tokenizer of the
    shared data (``$TRANSLATE_SHARED/data/opus-mt-ar-en-tokenizer``); None when neither exists."""
    from translate.engines.resolve import DEFAULT_MODEL, cached_models
    from translate.paths import shared_dir

    for model in cached_models():
        if model.model_id == DEFAULT_MODEL and (model.path / "target.spm").is_file():
            return model.path
    shared = shared_dir() / "data" / TOKENIZER_NAME
    return shared if (shared / "target.spm").is_file() else None


def spelling_warnings(entries: Iterable[Entry], tokenizer: str | Path) -> list[str]:
    """A warning per entry whose English holds characters the vocabulary cannot write."""
    from translate.engines.spelling import Speller, describe

    speller = Speller.from_folder(tokenizer)
    warnings = []
    for entry in entries:
        missing = speller.missing(entry.en)
        if missing:
            warnings.append(
                f"{entry.file}:{entry.line}: warning: the model's vocabulary cannot spell {describe(missing)} "
                f"of {entry.en!r}: it is forced as {speller.spell(entry.en)!r} and written back as in the glossary"
            )
    return warnings


def skip_named_others(paths: Iterable[str | Path]) -> tuple[list[Path], list[Path]]:
    """(paths to check, files skipped): ``glossary check gl/*`` leaves out the named files that
    are not glossaries (skipped, to be said), and named ``NAME.examples.tsv`` files (checked
    with their glossary, silently); folders and missing paths are kept for
    :func:`~translate.glossary.paths.resolve_glossary_paths`."""
    kept: list[Path] = []
    skipped: list[Path] = []
    for p in map(Path, paths):
        if not (p.is_file() and not is_glossary_file(p)):
            kept.append(p)
        elif not is_examples_file(p):
            skipped.append(p)
    return kept, skipped


def check_files(paths: Iterable[str | Path], *, tokenizer: str | Path | None = None) -> CheckResult:
    """Check the glossaries meant by ``paths`` (files or folders, as for every command): rows,
    conflicts, examples (run against all of them together) and, with a tokenizer folder
    (``tokenizer`` or :func:`default_tokenizer`), their English's spelling."""
    paths = resolve_glossary_paths(paths)
    glossaries, problems = scan_glossaries(paths)
    examples: list[Example] = []
    for glossary in glossaries:
        found, bad = read_examples(glossary)
        examples += found
        problems += bad
    problems += run_examples(glossaries, examples)
    folder = Path(tokenizer) if tokenizer else default_tokenizer()
    entries = [e for g in glossaries for e in g.entries]
    warnings = spelling_warnings(entries, folder) if folder else []
    order = paths + [examples_path(g.path) for g in glossaries]
    return CheckResult(tuple(glossaries), tuple(_in_order(problems, order)), tuple(warnings), tuple(examples),
                       str(folder) if folder else None)
