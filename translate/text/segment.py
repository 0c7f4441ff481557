"""Segmentation: an Arabic article becomes blocks (title, byline, headings, paragraphs) of segments.

Rules (each is a row in ``tests/test_segment.py``):

* every non-blank line is a block (a line of only whitespace and invisible marks such as
  U+200F, U+200E, U+200B, U+FEFF or U+2066-2069 is blank: it is never a segment; marks at
  either end of a line or sentence are outside its span; the source keeps them byte for
  byte); the first is the **title**; a short line right after it
  with no sentence punctuation is the **byline**; other short lines without terminal
  punctuation are **headings**; the rest are paragraphs, split into **sentences**;
* a sentence ends at ``. ! ? ؟ …`` (a run of them counts once) followed by its closing
  quotes/brackets, then whitespace or the end of the line; never at ``، ؛ :``, never inside a
  number (``3.5``, ``1.000``), never after a one-letter initial or a known abbreviation;
* spans are ``[start, end)`` character offsets into the text exactly as read (CRLF and a BOM
  included), so ``text[start:end] == segment.source`` always holds: nothing is rewritten;
* a sentence longer than the model takes is cut into ``pieces`` at ``؛`` or ``،`` (then at
  spaces); it stays one segment, and the pipeline translates the pieces and joins them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from translate.doc.model import Document, Segment

TERMINATORS = ".!?؟…"
CLOSERS = "\"'”’»)]}›"
ABBREVIATIONS = frozenset(
    "د م أ ا.د أ.د د.م ص ق.م ه Dr Mr Mrs Ms Prof Gen Lt Col Sgt Capt Maj Adm Jr Sr St vs No Inc Ltd Co".split()
)
SHORT_LINE_WORDS = 12
BYLINE_WORDS = 5
MAX_PIECE_TOKENS = 400
_WORD = re.compile(r"\S+")
INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u3164\ufeff\uffa0"
    + "".join(map(chr, range(0x200B, 0x2010)))  # zero-width space, (non-)joiners, LRM, RLM
    + "".join(map(chr, range(0x202A, 0x202F)))  # bidi embeddings and overrides
    + "".join(map(chr, range(0x2060, 0x2070)))  # word joiner, invisible operators, bidi isolates
    + "".join(map(chr, range(0xFE00, 0xFE10)))  # variation selectors
)
"""Characters that show nothing: a line or sentence of only these (and whitespace) is blank."""


def is_blank(text: str) -> bool:
    """Nothing visible: only whitespace and :data:`INVISIBLE` marks."""
    return all(ch.isspace() or ch in INVISIBLE for ch in text)


def approx_token_count(text: str) -> int:
    """A model-free upper estimate of subword tokens (Marian averages ~1.5 per Arabic word)."""
    return 2 * len(text.split()) + 1


@dataclass(frozen=True)
class Block:
    """One non-empty line of the article."""

    index: int
    kind: str  # "title" | "byline" | "heading" | "paragraph"
    start: int
    end: int


def split_blocks(text: str, kinds: Mapping[int, str] | None = None) -> list[Block]:
    """Non-blank lines with their kinds; spans exclude the line break and outer spaces and
    invisible marks (a BOM, an RLM...).

    ``kinds`` maps a 0-based line number to the kind the article's markup gave that line (a
    .docx style, an HTML tag: :mod:`translate.interchange.extract`); it wins over the rules."""
    blocks: list[Block] = []
    pos = 0
    for lineno, raw in enumerate(text.split("\n")):
        line_start, pos = pos, pos + len(raw) + 1
        start, end = line_start, line_start + len(raw)
        start, end = _trim(text, start, end)
        if start == end:
            continue
        kind = (kinds or {}).get(lineno) or _kind(text[start:end], len(blocks))
        blocks.append(Block(len(blocks), kind, start, end))
    return blocks


def _kind(line: str, index: int) -> str:
    if index == 0:
        return "title"
    words = len(line.split())
    has_punct = any(ch in TERMINATORS + ":" for ch in line)
    if index == 1 and words <= BYLINE_WORDS and not has_punct:
        return "byline"
    if words <= SHORT_LINE_WORDS and line.rstrip(CLOSERS)[-1:] not in TERMINATORS + ":":
        return "heading"
    return "paragraph"


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside ``text[start:end]`` (absolute offsets, trimmed)."""
    spans: list[tuple[int, int]] = []
    sent_start = start
    i = start
    while i < end:
        if text[i] not in TERMINATORS or not _ends_sentence(text, i, start):
            i += 1
            continue
        j = i
        while j < end and text[j] in TERMINATORS:
            j += 1
        while j < end and text[j] in CLOSERS:
            j += 1
        if j < end and not text[j].isspace():
            i = j
            continue
        spans.append((sent_start, j))
        while j < end and text[j].isspace():
            j += 1
        sent_start = i = j
    if sent_start < end:
        spans.append((sent_start, end))
    return [_trim(text, s, e) for s, e in spans if not is_blank(text[s:e])]


def _ends_sentence(text: str, i: int, line_start: int) -> bool:
    if text[i] != ".":
        return True
    before = text[line_start:i]
    if before[-1:].isdigit() and text[i + 1 : i + 2].isdigit():
        return False  # 3.5, 1.000
    word = before.split()[-1] if before.split() else ""
    word = word.lstrip("\"'“‘«([")
    if len(word) == 1 and word.isalpha():
        return False  # an initial: "Charles Q. Brown", "د."
    return word.rstrip(".") not in ABBREVIATIONS


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Without the whitespace and invisible marks (a BOM, an RLM...) at either end."""
    while start < end and is_blank(text[start]):
        start += 1
    while end > start and is_blank(text[end - 1]):
        end -= 1
    return start, end


def split_long(
    text: str, start: int, end: int, count: Callable[[str], int], limit: int = MAX_PIECE_TOKENS
) -> list[tuple[int, int]]:
    """Cut a span into pieces of at most ``limit`` tokens: at ``؛``/``;``, then ``،``/``,``, then spaces."""
    if count(text[start:end]) <= limit:
        return [(start, end)]
    for marks in ("؛;", "،,", " "):
        cuts = [k + 1 for k in range(start, end - 1) if text[k] in marks]
        if cuts:
            break
    else:  # one enormous word: cut by characters
        mid = (start + end) // 2
        return split_long(text, start, mid, count, limit) + split_long(text, mid, end, count, limit)
    pieces: list[tuple[int, int]] = []
    piece_start = start
    for k, cut in enumerate(cuts):
        nxt = cuts[k + 1] if k + 1 < len(cuts) else end
        if count(text[piece_start:nxt]) > limit and cut > piece_start:
            pieces.append(_trim(text, piece_start, cut))
            piece_start = cut
    pieces.append(_trim(text, piece_start, end))
    out: list[tuple[int, int]] = []
    for s, e in pieces:
        if not is_blank(text[s:e]):
            out.extend([(s, e)] if count(text[s:e]) <= limit else split_long(text, s, e, count, limit))
    return out


def segment_text(
    text: str,
    doc_id: str = "document",
    *,
    count_tokens: Callable[[str], int] = approx_token_count,
    max_tokens: int = MAX_PIECE_TOKENS,
    kinds: Mapping[int, str] | None = None,
) -> Document:
    """The untranslated :class:`Document` of ``text`` (``kinds``: see :func:`split_blocks`)."""
    segments: list[Segment] = []
    for block in split_blocks(text, kinds):
        if block.kind == "paragraph":
            spans = sentence_spans(text, block.start, block.end)
            kinds = ["sentence"] * len(spans)
        else:
            spans, kinds = [(block.start, block.end)], [block.kind]
        for (s, e), kind in zip(spans, kinds):
            pieces = split_long(text, s, e, count_tokens, max_tokens)
            segments.append(
                Segment(
                    id=f"s{len(segments) + 1}",
                    kind=kind,
                    paragraph=block.index,
                    source=text[s:e],
                    source_span=(s, e),
                    pieces=tuple(pieces) if len(pieces) > 1 else (),
                )
            )
    return Document(doc_id=doc_id, segments=tuple(segments))


def words(text: str) -> list[tuple[int, int]]:
    """Whitespace-separated word spans (the unit of the word alignment)."""
    return [m.span() for m in _WORD.finditer(text)]
