"""The main job: article -> segments -> glossary hits -> forced translation -> alignment -> files.

``run_article`` is what ``translate run`` calls; ``translate_document`` does the work
on a segmented document with a loaded engine (tests pass a fake or tiny engine).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from . import __version__
from .align import source_piece_spans, word_alignment
from .document import Document, Segment, Signature, Term
from .engines.base import Engine
from .forcing import Item, TermRequest, decode
from .paths import corpus_dir, doc_id_for
from .progress import NoProgress, Progress
from .segment import segment_text, words
from .textio import read_text

DEFAULT_BEAM = 4


@dataclass(frozen=True)
class Hit:
    """Something in the source whose English must appear: a glossary term or a number."""

    start: int
    end: int
    core_start: int  # where the term itself starts, after proclitics: what placement reads
    text: str
    target: str
    entry: str
    category: str
    note: str = ""


def find_hits(text: str, seg: Segment, matcher, force_numbers: bool) -> list[Hit]:
    """Glossary hits in a segment, then the numbers no glossary hit covers, in source order."""
    hits = [
        Hit(m.start, m.end, m.core_start, m.text, m.entry.en, m.entry.ref, m.entry.category, m.entry.note)
        for m in (matcher.find(text, *seg.source_span) if matcher else ())
    ]
    if force_numbers:
        from .qa import number_renderings

        for start, end, english in number_renderings(text, *seg.source_span):
            if not any(h.start < end and start < h.end for h in hits):
                hits.append(Hit(start, end, start, text[start:end], english, "number", "number"))
    return sorted(hits, key=lambda h: h.start)


@dataclass(frozen=True)
class RunResult:
    document: Document
    files: tuple[Path, ...]


def _signature(engine: Engine, beam: int, glossaries: Sequence) -> Signature:
    return Signature(
        model=engine.model.model_id,
        revision=engine.model.revision,
        backend=engine.label,
        beam=beam,
        glossaries=tuple(g.signature_part for g in glossaries),
        version=__version__,
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )


def translate_document(
    doc: Document,
    text: str,
    engine: Engine,
    *,
    glossaries: Sequence = (),
    beam: int = DEFAULT_BEAM,
    progress: Progress | None = None,
    max_length: int | None = None,
    min_length: int = 0,
    force_numbers: bool = True,
) -> Document:
    """Translate every segment of ``doc`` (whose spans index ``text``), forcing glossary terms
    (and, with ``force_numbers``, the numbers: ``725 مليون`` -> ``725 million``).

    ``max_length``/``min_length`` bound the target pieces per segment (benchmarks fix both).
    """
    progress = progress or NoProgress()
    matcher = None
    if glossaries:
        from .glossary import Matcher

        matcher = Matcher(glossaries)
    hits = [find_hits(text, seg, matcher, force_numbers) for seg in doc.segments]
    items: list[Item] = []
    owned: list[list[tuple[int, int]]] = []  # per segment: (item index, start of its piece in text)
    for n, seg in enumerate(doc.segments):
        owned.append([])
        for start, end in seg.pieces or (seg.source_span,):
            source = text[start:end]
            pieces = engine.tokenizer.source(source)
            # placement reads the term without its proclitics: the "to" of لأوكرانيا is not the term's
            terms = [TermRequest(h.core_start - start, h.end - start, h.target)
                     for h in hits[n] if start <= h.start < end]
            owned[n].append((len(items), start))
            items.append(Item(source, pieces, source_piece_spans(source, pieces), terms))
    progress.start(len(items), "Translating")
    try:
        hyps = decode(engine, items, beam=beam, max_length=max_length, min_length=min_length, on_batch=progress.advance)
    finally:
        progress.finish()

    segments = []
    for n, seg in enumerate(doc.segments):
        translation, alignment = "", []
        for k, start in owned[n]:
            src_offset = len(words(text[seg.source_span[0] : start]))
            tgt_offset = len(words(translation))
            pairs = word_alignment(items[k].source, items[k].piece_spans, hyps[k])
            alignment += [(s + src_offset, t + tgt_offset) for s, t in pairs]
            translation = f"{translation} {hyps[k].text}".strip()
        terms = tuple(Term(h.text, (h.start, h.end), h.target, h.entry, h.category, h.note) for h in hits[n])
        # with_translation locates each term in the English, as it does again after a post-edit
        segments.append(replace(seg, alignment=tuple(alignment), terms=terms).with_translation(translation))
    return replace(doc, segments=tuple(segments), signature=_signature(engine, beam, glossaries))


def run_article(
    article: str | Path,
    *,
    model: str | None = None,
    backend: str | None = None,
    beam: int = DEFAULT_BEAM,
    glossary_paths: Sequence[str | Path] = (),
    out_dir: str | Path | None = None,
    progress: Progress | None = None,
    force_numbers: bool = True,
) -> RunResult:
    """Translate an article file and write ``corpus/<doc-id>/`` (or ``out_dir``)."""
    from .engines import check_backend, load_engine
    from .glossary import load_glossaries
    from .store import save_outputs

    text = read_text(article)
    check_backend(backend)
    glossaries = load_glossaries(glossary_paths) if glossary_paths else []
    engine = load_engine(model, backend)
    doc_id = doc_id_for(article)
    doc = segment_text(text, doc_id, count_tokens=engine.tokenizer.count)
    doc = translate_document(
        doc, text, engine, glossaries=glossaries, beam=beam, progress=progress, force_numbers=force_numbers
    )
    target = Path(out_dir) if out_dir else corpus_dir() / doc_id
    files = save_outputs(doc, text.encode("utf-8"), target)  # valid UTF-8 round-trips byte for byte
    return RunResult(doc, tuple(files))


def translate_sentences(
    sentences: Sequence[str],
    *,
    model: str | None = None,
    backend: str | None = None,
    beam: int = DEFAULT_BEAM,
    quiet: bool = True,
) -> list[str]:
    """Translate plain sentences (one segment each, no glossary); for reference alignment."""
    from .engines import load_engine
    from .progress import BarProgress

    engine = load_engine(model, backend)
    items = [Item(s, p := engine.tokenizer.source(s), source_piece_spans(s, p)) for s in sentences]
    progress = NoProgress() if quiet else BarProgress()
    progress.start(len(items), "Translating")
    try:
        return [h.text for h in decode(engine, items, beam=beam, on_batch=progress.advance)]
    finally:
        progress.finish()
