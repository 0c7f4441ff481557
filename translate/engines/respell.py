"""Fitting an item to the model's vocabulary before forcing, and the exact English after it.

:func:`prepare` replaces each term English the vocabulary cannot spell by its stand-in spelling
(:mod:`translate.engines.spelling`) and turns the forbidden renderings into piece sequences to
suppress; :func:`written` puts the glossary's exact English back into the final hypothesis.
Called by :func:`translate.engines.forcing.decode`.
"""

from __future__ import annotations

from translate.doc.model import occurrences
from translate.engines.base import SPACE, Hypothesis, Tokenizer, detokenize
from translate.engines.items import Item, TermRequest


def prepare(item: Item, tokenizer: Tokenizer) -> None:
    """Fit ``item`` to the vocabulary before decoding: a term English the vocabulary cannot
    spell is forced by stand-ins (:class:`~translate.engines.spelling.Speller`) and written back by :func:`written`;
    each forbidden rendering becomes the piece sequences that would write it (after a space, and
    glued after an opening bracket or quote), except those the vocabulary cannot write and
    those inside one of the item's own terms ("Zelensky" in "Zelenskyy": the forced prefix
    realises such a term)."""
    speller = tokenizer.speller
    terms = []
    for term in item.terms:
        spelt = speller.spell(term.target)
        if spelt != term.target:
            item.respell[spelt] = term.target
        terms.append(TermRequest(term.start, term.end, spelt))
    item.terms = terms
    wanted = [tokenizer.target(t.target) for t in terms]
    banned: list[list[str]] = []
    for rendering in dict.fromkeys(item.forbidden):
        glued = tokenizer.target("(" + rendering)
        for seq in (tokenizer.target(rendering), glued[1:] if glued[:1] == [SPACE + "("] else []):
            if seq and seq not in banned and all(map(tokenizer.has, seq)) and not any(_within(seq, w) for w in wanted):
                banned.append(seq)
    item.banned = banned


def _within(seq: list[str], pieces: list[str]) -> bool:
    return any(pieces[k : k + len(seq)] == seq for k in range(len(pieces) - len(seq) + 1))


def written(item: Item, hyp: Hypothesis) -> Hypothesis:
    """``hyp`` with every stand-in spelling of a term replaced by the glossary's exact English
    (as the first letter's case stands: "The" opening a sentence)."""
    if not item.respell:
        return hyp
    text = detokenize(hyp.tokens)[0]
    for spelt, exact in item.respell.items():
        for a, b in reversed(occurrences(text, spelt)):
            found = text[a:b]
            lead = found[:1] if found[:1].lower() == exact[:1].lower() else exact[:1]
            text = text[:a] + lead + exact[1:] + text[b:]
    return Hypothesis(hyp.tokens, hyp.attention, text)
