"""What forcing sends to the model: one :class:`Item` per source, with its term requests.

Plain values (stdlib only), shared by :mod:`translate.engines.forcing` (which decodes them),
:mod:`translate.engines.respell` (which fits them to the vocabulary) and
:mod:`translate.pipeline` (which builds them from a segment and its glossary hits).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TermRequest:
    """A glossary hit inside an item's source text: ``[start, end)`` and the English to force."""

    start: int
    end: int
    target: str


@dataclass
class Item:
    """One unit sent to the model: its source text, pieces, piece spans and term requests."""

    source: str
    pieces: list[str]
    piece_spans: list[tuple[int, int]]
    terms: list[TermRequest] = field(default_factory=list)
    locked: int = 0
    prefix: list[str] | None = None
    suppress: list[list[str]] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)
    """English renderings to keep out of the output (a glossary entry's ``forbidden`` column)."""
    banned: list[list[str]] = field(default_factory=list)  # the forbidden renderings as piece sequences
    respell: dict[str, str] = field(default_factory=dict)  # forced stand-in spelling -> the glossary English
    rest: int = 0  # pieces the last hypothesis had after what the prefix keeps: the expected continuation
