"""``translate glossary check --report``: what a glossary holds, what is unproven, what is risky.

* counts of entries by category and mode;
* entries without examples (no line in their glossary's ``.examples.tsv``);
* **suspicious keys**, from parallel test corpora (NTREX-128 and TICO-19 in the shared data,
  read where they are, never copied): every entry is matched, with all the glossaries, in the
  corpora's Arabic, and a match is *outside its sense* when the English reference has no word
  beginning with the first three letters of a word of the entry's English, nor its initials
  (``Apr`` for نيسان, April; ``EU`` for European Union; the check is loose on purpose, so
  that what it reports is worth a look). An entry with
  ``MIN_OUTSIDE`` or more such matches is listed, marked *common word* when one of its
  one-word keys is in the corpora's common-word list (key words in ``COMMON_SHARE`` of the
  sentences or more).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from translate.text.arabic import key_words
from translate.glossary.check import CheckResult
from translate.glossary.entries import Matcher
from translate.glossary.values import CATEGORIES, MODES, Entry, Glossary

CORPORA = (
    ("ntrex-128/newstest2019-ref.arb.txt", "ntrex-128/newstest2019-src.eng.txt"),
    ("tico19-test/tico19-test.ar", "tico19-test/tico19-test.en"),
)
MIN_OUTSIDE = 2
COMMON_SHARE = 0.002
_STOP = frozenset(("the", "of", "and", "for", "in", "on", "at", "to", "a", "an", "de", "al", "el"))


@dataclass(frozen=True)
class Line:
    """One sentence pair of a corpus: where the Arabic is, the Arabic, the English reference."""

    where: str
    ar: str
    en: str


@dataclass(frozen=True)
class Suspicious:
    entry: Entry
    matches: int
    outside: int
    example: str
    """``file:line`` of the first match outside its sense."""
    common: tuple[str, ...]
    """One-word keys of the entry in the common-word list."""


def read_corpora(folder: str | Path) -> list[Line]:
    """The sentence pairs of the corpora under ``folder`` (those present; ``[]`` when none is)."""
    folder = Path(folder)
    lines: list[Line] = []
    for ar_name, en_name in CORPORA:
        ar_path, en_path = folder / ar_name, folder / en_name
        if not (ar_path.is_file() and en_path.is_file()):
            continue
        ar_lines = ar_path.read_text(encoding="utf-8").splitlines()
        en_lines = en_path.read_text(encoding="utf-8").splitlines()
        lines += [Line(f"{ar_name}:{n}", a, e) for n, (a, e) in enumerate(zip(ar_lines, en_lines), 1)]
    return lines


def common_words(lines: Sequence[Line], share: float = COMMON_SHARE) -> dict[str, int]:
    """The common-word list: match keys of words found in ``share`` of the sentences or more, with
    their sentence counts."""
    counts = Counter(w for line in lines for w in set(key_words(line.ar)))
    floor = max(2, share * len(lines))
    return {w: n for w, n in counts.items() if n >= floor}


def _stems(english: str) -> list[str]:
    """Beginnings of the English's words (three letters: ``Oct`` is October), and its initials
    (``eu`` for European Union, ``us`` for United States)."""
    words = [w for w in re.findall(r"[a-z0-9]+", english.lower().replace(".", "")) if w not in _STOP]
    initials = "".join(w[0] for w in words) if len(words) > 1 else ""
    return [w[:3] for w in words if len(w) >= 2] + ([initials] if initials else [])


def in_sense(entry: Entry, reference: str) -> bool:
    """The reference has a word beginning like a word of the entry's English, or its initials (loose)."""
    ref_words = re.findall(r"[a-z0-9]+", reference.lower().replace(".", ""))
    stems = _stems(entry.en)
    return any(r.startswith(stem) if len(stem) >= 3 else r == stem for stem in stems for r in ref_words)


def suspicious_keys(glossaries: Sequence[Glossary], lines: Sequence[Line]) -> list[Suspicious]:
    """Entries with ``MIN_OUTSIDE`` or more corpus matches outside their sense, most first."""
    matcher = Matcher(glossaries)
    hits: Counter[Entry] = Counter()
    outside: dict[Entry, list[str]] = {}
    for line in lines:
        for m in matcher.find(line.ar):
            hits[m.entry] += 1
            if not in_sense(m.entry, line.en):
                outside.setdefault(m.entry, []).append(line.where)
    common = common_words(lines)
    out = []
    for entry, where in outside.items():
        if len(where) >= MIN_OUTSIDE:
            keys = [k for form in entry.forms if len(ws := key_words(form)) == 1
                    for k in (ws[0], ws[0].removeprefix("ال")) if k in common]
            out.append(Suspicious(entry, hits[entry], len(where), where[0], tuple(dict.fromkeys(keys))))
    return sorted(out, key=lambda s: (-s.outside, s.entry.file, s.entry.line))


def report_lines(result: CheckResult, corpus: str | Path | None) -> list[str]:
    """The report, line by line."""
    entries = [e for g in result.glossaries for e in g.entries]
    lines = [f"{len(entries)} entries in {len(result.glossaries)} glossar{'y' if len(result.glossaries) == 1 else 'ies'}"]
    lines.append(f"{'category':<14}" + "".join(f"{m:>9}" for m in MODES) + f"{'total':>9}")
    for category in CATEGORIES:
        row = [sum(e.category == category and e.mode == m for e in entries) for m in MODES]
        if sum(row):
            lines.append(f"{category:<14}" + "".join(f"{n:>9}" for n in row) + f"{sum(row):>9}")
    lines.append(f"{'all':<14}" + "".join(f"{sum(e.mode == m for e in entries):>9}" for m in MODES)
                 + f"{len(entries):>9}")
    proven = {ex.entry for ex in result.examples}
    bare = [e for e in entries if e not in proven]
    n = len(result.examples)
    lines.append(f"entries without examples: {len(bare)} of {len(entries)} ({n} example{'s' * (n != 1)})")
    for category in CATEGORIES:
        names = [e.ar for e in bare if e.category == category]
        if names:
            lines.append(f"  {category} ({len(names)}): " + ", ".join(names))
    lines += _suspicious_lines(result.glossaries, corpus)
    return lines


def _suspicious_lines(glossaries: Sequence[Glossary], corpus: str | Path | None) -> list[str]:
    pairs = read_corpora(corpus) if corpus else []
    if not pairs:
        return [f"suspicious keys: not checked, no NTREX/TICO corpora in {corpus or '(none given)'} (--corpus DIR)"]
    found = suspicious_keys(glossaries, pairs)
    lines = [(f"suspicious keys: {len(found)} (of {len(pairs)} NTREX/TICO sentences in {corpus}, "
              f"{MIN_OUTSIDE}+ matches whose English reference lacks the entry's English)")]
    for s in found:
        e = s.entry
        common = f"; common word: {', '.join(s.common)}" if s.common else ""
        lines.append(f"  {e.ref} {e.ar} -> {e.en} ({e.category}, {e.mode}): {s.outside} of {s.matches} "
                     f"matches outside its sense, e.g. {s.example}{common}")
    return lines

