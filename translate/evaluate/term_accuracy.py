"""Term accuracy and the number-match rate of translations.

Term accuracy is WMT21's exact match: of the forced glossary hits in the source, the share whose
English target appears (case-insensitive, whole words, any whitespace) in the hypothesis; a
target found ``k`` times in one source line must appear ``k`` times in its hypothesis. The
number-match rate is the share of the source's numbers found in the hypothesis by the rule of
the QA number check (:func:`translate.text.numbers.missing_numbers`: ``725 مليون`` = ``725 million``,
``3 ملايين و500 ألف`` = ``3.5 million``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class TermAccuracy:
    """Glossary hits and source numbers found again in the hypotheses; ``misses`` are ``(line, kind, text)``."""

    terms: int
    terms_matched: int
    numbers: int
    numbers_matched: int
    misses: tuple[tuple[int, str, str], ...] = ()

    @property
    def accuracy(self) -> float | None:
        return self.terms_matched / self.terms if self.terms else None

    @property
    def number_match_rate(self) -> float | None:
        return self.numbers_matched / self.numbers if self.numbers else None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["misses"] = [list(m) for m in self.misses]
        return {**d, "accuracy": self.accuracy, "number_match_rate": self.number_match_rate}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TermAccuracy:
        misses = tuple((int(a), b, c) for a, b, c in d.get("misses", ()))
        return cls(int(d["terms"]), int(d["terms_matched"]), int(d["numbers"]), int(d["numbers_matched"]), misses)



def _count_in(target: str, text: str) -> int:
    words = [re.escape(w) for w in target.split()]
    return len(re.findall(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", text, flags=re.IGNORECASE)) if words else 0


def term_accuracy(hyps: Sequence[str], targets: Sequence[Sequence[str]], sources: Sequence[str] = ()) -> TermAccuracy:
    """Exact-match term accuracy: ``targets[i]`` are the English targets of the glossary hits in
    line ``i``'s source; with ``sources`` also the number-match rate."""
    from translate.text.numbers import arabic_matches, missing_numbers

    terms = matched = nums = nums_matched = 0
    misses: list[tuple[int, str, str]] = []
    for i, hyp in enumerate(hyps):
        for target, want in Counter(targets[i] if i < len(targets) else ()).items():
            got = min(want, _count_in(target, hyp))
            terms, matched = terms + want, matched + got
            misses += [(i + 1, "term", target)] * (want - got)
        if sources:
            missing = missing_numbers(sources[i], hyp)
            for n in arabic_matches(sources[i]):
                nums, nums_matched = nums + 1, nums_matched + (n not in missing)
                misses += [(i + 1, "number", n.written)] if n in missing else []
    return TermAccuracy(terms, matched, nums, nums_matched, tuple(misses))


def glossary_targets(sources: Sequence[str], glossaries: Sequence[Any]) -> list[list[str]]:
    """The English target of every forced glossary hit in each source line (a ``suggest`` entry
    is not forced: its English depends on context, so it is not scored)."""
    if not glossaries:
        return [[] for _ in sources]
    from translate.glossary.entries import Matcher

    matcher = Matcher(glossaries)
    return [[m.entry.en for m in matcher.find(src) if m.entry.mode == "force"] for src in sources]
