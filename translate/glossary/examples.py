"""Examples that prove glossary entries: sentences an entry must and must not match.

A glossary ``NAME.tsv`` may have a side file ``NAME.examples.tsv`` beside it (UTF-8,
tab-separated, ``#`` lines and blank lines skipped) with this header::

    ar	en	expect	sentence

``ar`` (and ``en``, which may be left empty when only one entry of the glossary has that
``ar``) names the entry; ``expect`` is ``match`` or ``no-match``; ``sentence`` is Arabic text.
:func:`run_examples` matches every sentence with all the glossaries checked together (so a
longer entry of another file wins, as in a translation) and reports each example that fails
as ``file:line: message``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from translate.glossary.entries import Matcher
from translate.glossary.values import EXAMPLES_SUFFIX, Entry, Glossary

HEADER = ("ar", "en", "expect", "sentence")
EXPECT = ("match", "no-match")


@dataclass(frozen=True)
class Example:
    """One example sentence of an entry, and whether the entry must match it."""

    entry: Entry
    expect: str
    sentence: str
    file: str
    line: int

    @property
    def ref(self) -> str:
        return f"{self.file}:{self.line}"


def examples_path(glossary_path: str | Path) -> Path:
    """``NAME.examples.tsv`` beside ``NAME.<suffix>``."""
    p = Path(glossary_path)
    return p.with_name(p.stem + EXAMPLES_SUFFIX)


def read_examples(glossary: Glossary) -> tuple[list[Example], list[str]]:
    """The examples of ``glossary`` (none when it has no side file) and the problems of their rows."""
    from translate.textio import read_text

    path = examples_path(glossary.path)
    if not path.is_file():
        return [], []
    by_ar: dict[str, list[Entry]] = {}
    for entry in glossary.entries:
        by_ar.setdefault(entry.ar, []).append(entry)
    examples, problems = [], []
    header_seen = False
    for number, raw in enumerate(read_text(path).split("\n"), 1):
        line = raw.removesuffix("\r").removeprefix("\ufeff" if number == 1 else "")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if not header_seen:
            header_seen = True
            if tuple(c.lower() for c in cells) != HEADER:
                problems.append(f"{path}:{number}: bad header {', '.join(cells)}: expected {', '.join(HEADER)}, "
                                f"separated by tabs")
                return [], problems
            continue
        if len(cells) != len(HEADER):
            problems.append(f"{path}:{number}: wrong number of columns: found {len(cells)}, expected "
                            f"{len(HEADER)} ({', '.join(HEADER)})")
            continue
        ar, en, expect, sentence = cells
        found = _entry_of(by_ar.get(ar, []), en)
        if expect not in EXPECT:
            problems.append(f"{path}:{number}: unknown expect {expect!r}: use {' or '.join(EXPECT)}")
        elif not sentence:
            problems.append(f"{path}:{number}: empty sentence")
        elif isinstance(found, str):
            what = f"{ar} -> {en}" if en else ar
            problems.append(f"{path}:{number}: {found.format(what=what, glossary=Path(glossary.path).name)}")
        else:
            examples.append(Example(found, expect, sentence, str(path), number))
    return examples, problems


def _entry_of(entries: list[Entry], en: str) -> Entry | str:
    """The entry named, or a message template for why there is none."""
    if en:
        entries = [e for e in entries if e.en == en]
    if len(entries) == 1:
        return entries[0]
    if not entries:
        return "no entry {what} in {glossary}"
    return "{what} names " + str(len(entries)) + " entries: give the en cell"


def run_examples(glossaries: Sequence[Glossary], examples: Sequence[Example]) -> list[str]:
    """Every example that fails, as ``file:line: message``, matching with all ``glossaries``."""
    matcher = Matcher(glossaries)
    problems = []
    for ex in examples:
        hits = matcher.find(ex.sentence)
        own = [m for m in hits if m.entry == ex.entry]
        name = f"{ex.entry.ar} -> {ex.entry.en} ({ex.entry.ref})"
        if ex.expect == "match" and not own:
            found = "; ".join(f"{m.text} -> {m.entry.en} ({m.entry.ref})" for m in hits) or "no entry"
            problems.append(f"{ex.ref}: example should match {name} but does not; it matches: {found}")
        elif ex.expect == "no-match" and own:
            problems.append(f"{ex.ref}: example should not match {name} but does, at {own[0].text!r}")
    return problems
