"""Glossary proposals mined from reviewers' corrections (``translate glossary suggest``).

For each segment a reviewer changed (its English now differs from the MT, and it is approved by
:func:`~translate.review.events.is_approved` or still ``edited``; a rejected edit does not count),
the MT's words and the reviewer's words are aligned (``difflib``, comparing words without their
edge punctuation, case-blind). Each *replaced* run of MT words is tied to the Arabic through the
word alignment of ``bilingual.json`` (``[source word, MT word]`` pairs): the Arabic words aligned
to it, from the first to the last (at most :data:`MAX_ARABIC_WORDS`), are the phrase the reviewer
corrected, and the reviewer's words are its English. A run with no aligned Arabic, an insertion,
a deletion, English with Arabic letters or no letters at all (numbers: QA's business) is skipped.

Corrections are grouped by the phrase's match key (and a leading ``و``/``ف``/``ب``/``ل``/``ك`` is
folded into the bare phrase when that is corrected too) and the exact English. A group made in at
least ``min_count`` different segments is proposed, unless a glossary already gives that English
for that Arabic. Each proposal is one glossary TSV row: ``ar`` (the most frequent spelling),
``en``, a category *guess* (the category of glossary entries whose English ends with the same
word, else ``person`` for two to four capitalised words, else ``term``), and a note naming the
evidence (segments, reviewers, and the MT rendering replaced). Nothing is written: a person
chooses what to add (``translate glossary add``).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from translate.text.arabic import has_arabic_letter, match_key

MAX_ARABIC_WORDS = 4
CLITICS = "وفبلك"
_EDGE = "\"'“”‘’«»()[]{}<>.,;:!?؟،؛…-–—/"


@dataclass(frozen=True)
class Correction:
    """One replaced MT rendering: where, by whom, the Arabic phrase, the MT words and the reviewer's."""

    doc_id: str
    segment: str
    reviewer: str
    ar: str
    mt: str
    en: str


@dataclass(frozen=True)
class Proposal:
    ar: str
    en: str
    category: str
    note: str
    evidence: tuple[Correction, ...]

    def tsv(self) -> str:
        return "\t".join(" ".join(cell.split()) for cell in (self.ar, self.en, self.category, self.note))

    def to_dict(self) -> dict:
        return {"ar": self.ar, "en": self.en, "category": self.category, "note": self.note,
                "evidence": [c.__dict__ for c in self.evidence]}


def _bare(word: str) -> str:
    return word.strip(_EDGE)


def _norm(word: str) -> str:
    return _bare(word).casefold()


def corrections(doc, seg_states) -> list[Correction]:
    """Every replaced MT rendering of one document (module docstring)."""
    from translate.review.events import is_approved

    found = []
    for seg in doc.segments:
        state = seg_states[seg.id]
        if state.text == seg.translation or not (is_approved(state) or state.status == "edited"):
            continue
        mt, final, source = seg.translation.split(), state.text.split(), seg.source.split()
        aligned = defaultdict(set)
        for s, t in seg.alignment:
            aligned[t].add(s)
        matcher = difflib.SequenceMatcher(None, [_norm(w) for w in mt], [_norm(w) for w in final], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "replace":
                continue
            sources = sorted(set().union(*(aligned[t] for t in range(i1, i2))))
            if not sources or sources[-1] - sources[0] >= MAX_ARABIC_WORDS or sources[-1] >= len(source):
                continue
            ar = _bare(" ".join(source[sources[0]:sources[-1] + 1]))
            en = _bare(" ".join(final[j1:j2]))
            if not ar or not has_arabic_letter(ar) or not re.search(r"[^\W\d_]", en) or has_arabic_letter(en):
                continue
            reviewer = state.edited_by or state.approved_by or ""
            found.append(Correction(doc.doc_id, seg.id, reviewer, ar, _bare(" ".join(mt[i1:i2])), en))
    return found


def _key(ar: str) -> str:
    return " ".join(match_key(ar).split())


def _category(en: str, by_last_word: dict[str, Counter]) -> str:
    words = en.split()
    guesses = by_last_word.get(words[-1].casefold())
    if guesses:
        return guesses.most_common(1)[0][0]
    if 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words):
        return "person"
    return "term"


def propose(found: Sequence[Correction], *, min_count: int = 2, glossaries: Sequence = ()) -> list[Proposal]:
    """Group corrections and keep those made in ``min_count`` segments or more (module docstring)."""
    groups: dict[tuple[str, str], list[Correction]] = defaultdict(list)
    for c in found:
        groups[(_key(c.ar), c.en)].append(c)
    for key, en in sorted(groups, key=lambda k: -len(k[0])):
        bare = key[1:]
        if key[:1] in CLITICS and (bare, en) in groups and (key, en) in groups:
            groups[(bare, en)] += groups.pop((key, en))
    matcher = None
    by_last_word: dict[str, Counter] = defaultdict(Counter)
    if glossaries:
        from translate.glossary.entries import Matcher

        matcher = Matcher(glossaries)
        for g in glossaries:
            for e in g.entries:
                if e.en.split():
                    by_last_word[e.en.split()[-1].casefold()][e.category] += 1
    out = []
    for (_, en), items in groups.items():
        segments = sorted({(c.doc_id, c.segment) for c in items}, key=lambda ds: (ds[0], _seg_order(ds[1])))
        if len(segments) < min_count:
            continue
        ar = Counter(c.ar for c in items).most_common(1)[0][0]
        if matcher and any(m.entry.en == en and m.start == 0 and m.end == len(ar) for m in matcher.find(ar)):
            continue
        reviewers = sorted({c.reviewer for c in items if c.reviewer})
        replaced = ", ".join(f"{w!r}" for w, _ in Counter(c.mt for c in items).most_common(3))
        note = (f"proposed from {len(segments)} corrections of {replaced} in "
                f"{', '.join(f'{d}/{s}' for d, s in segments)}; reviewers: {', '.join(reviewers) or 'unknown'}")
        out.append(Proposal(ar, en, _category(en, by_last_word), note, tuple(items)))
    return sorted(out, key=lambda p: (-len({(c.doc_id, c.segment) for c in p.evidence}), p.ar))


def _seg_order(seg_id: str) -> tuple[int, str]:
    digits = seg_id.lstrip("s")
    return (int(digits), seg_id) if digits.isdigit() else (1 << 30, seg_id)


def suggest(doc_ids: Iterable[str] = (), *, min_count: int = 2,
            glossary_paths: Iterable = ()) -> tuple[list[Proposal], int]:
    """Proposals from the named documents (default: every document of the corpus), checked against
    the glossaries (named, else the defaults); returns them and how many documents were read."""
    from translate.glossary.entries import load_glossaries
    from translate.review.log import states
    from translate.doc.store import list_documents, load_document

    ids = list(doc_ids) or list_documents()
    found: list[Correction] = []
    for doc_id in ids:
        doc = load_document(doc_id)
        found += corrections(doc, states(doc))
    glossaries = load_glossaries(glossary_paths)  # files or folders; none named: the defaults
    return propose(found, min_count=min_count, glossaries=glossaries), len(ids)
