"""The main job: article -> segments -> glossary hits -> forced translation -> alignment -> files.

``run_article`` is what ``translate run`` calls; ``translate_document`` does the work
on a segmented document with a loaded engine (tests pass a fake or tiny engine).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from translate import __version__
from translate.engines.align import source_piece_spans, word_alignment
from translate.doc.model import Document, Segment, Signature, Term
from translate.engines.base import Engine
from translate.engines.forcing import decode
from translate.engines.items import Item, TermRequest
from translate.engines.names import DEFAULT_BEAM
from translate.errors import InputFileError, OutputPathError
from translate.paths import check_doc_id, check_output_folder, corpus_dir, doc_id_for
from translate.progress import NoProgress, Progress
from translate.doc.rerun import RerunSummary
from translate.text.segment import segment_text, split_blocks, words


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
    mode: str = "force"  # "suggest": not forced, shown to the reviewer (glossary mode)
    forbidden: tuple[str, ...] = ()  # English renderings kept out of the MT


def find_hits(text: str, seg: Segment, matcher, force_numbers: bool) -> list[Hit]:
    """Glossary hits in a segment, then the numbers no glossary hit covers, in source order."""
    hits = [
        Hit(m.start, m.end, m.core_start, m.text, m.entry.en, m.entry.ref, m.entry.category, m.entry.note,
            m.entry.mode, m.entry.forbidden)
        for m in (matcher.find(text, *seg.source_span) if matcher else ())
    ]
    if force_numbers:
        from translate.text.numbers import number_renderings

        for start, end, english in number_renderings(text, *seg.source_span):
            if not any(h.start < end and start < h.end for h in hits):
                hits.append(Hit(start, end, start, text[start:end], english, "number", "number"))
    return sorted(hits, key=lambda h: h.start)


@dataclass(frozen=True)
class RunResult:
    document: Document
    files: tuple[Path, ...]
    carried: RerunSummary | None = None
    """What a re-run kept, changed, added and removed (``None`` when the folder held no document)."""
    tm_problems: tuple[str, ...] = ()
    """Sources the translation memory had to leave out (a damaged review log elsewhere)."""


def _signature(engine: Engine, beam: int, glossaries: Sequence) -> Signature:
    return Signature(
        model=engine.model.public_name,  # never a local path: exchanged files carry it
        revision=engine.model.revision,
        backend=engine.label,
        beam=beam,
        glossaries=tuple(g.signature_part for g in glossaries),
        version=__version__,
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )


def _term(h: Hit) -> Term:
    return Term(h.text, (h.start, h.end), h.target, h.entry, h.category, h.note, mode=h.mode, forbidden=h.forbidden)


def _unchanged(previous: Document | None, signature: Signature, doc: Document, hits: list[list[Hit]]) -> dict[int, Segment]:
    """The segments of ``doc`` whose MT a re-run keeps: same id and Arabic, the same terms
    forced at the same places, and the same model, revision, backend, beam, glossaries and
    package version (translating them again could differ only by batching noise)."""
    old = previous.signature if previous else None
    settings = ("model", "revision", "backend", "beam", "glossaries", "version")
    if old is None or any(getattr(old, k) != getattr(signature, k) for k in settings):
        return {}
    by_id = {s.id: s for s in previous.segments}  # type: ignore[union-attr]

    def request(seg: Segment, terms) -> list[Term]:
        base = seg.source_span[0]
        return [replace(t, source_span=(t.source_span[0] - base, t.source_span[1] - base), realized=False,
                        target_span=None) for t in terms]

    reuse = {}
    for n, seg in enumerate(doc.segments):
        was = by_id.get(seg.id)
        if was and was.source == seg.source and request(was, was.terms) == request(seg, map(_term, hits[n])):
            reuse[n] = was
    return reuse


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
    previous: Document | None = None,
    tm=None,
) -> Document:
    """Translate every segment of ``doc`` (whose spans index ``text``), forcing glossary terms
    (and, with ``force_numbers``, the numbers: ``725 مليون`` -> ``725 million``).

    ``max_length``/``min_length`` bound the target pieces per segment (benchmarks fix both).
    ``previous`` (a re-run's old document, ids already carried) lends its MT to every segment
    whose request is unchanged (:func:`_unchanged`); the others are translated.
    ``tm`` (a :class:`translate.tm.apply.TMPlan`) pre-fills the other segments that have an exact
    translation-memory match (``origin: "tm"``, no model run) and lists each segment's matches.
    """
    progress = progress or NoProgress()
    matcher = None
    if glossaries:
        from translate.glossary.entries import Matcher

        matcher = Matcher(glossaries)
    hits = [find_hits(text, seg, matcher, force_numbers) for seg in doc.segments]
    signature = _signature(engine, beam, glossaries)
    reuse = _unchanged(previous, signature, doc, hits)
    reuse = {n: was for n, was in reuse.items() if was.origin != "tm"}  # TM English is looked up anew
    offered = {n: tm.get(seg.id) for n, seg in enumerate(doc.segments) if tm and tm.get(seg.id)}
    prefill = {n: entry.exact for n, entry in offered.items() if entry.exact and n not in reuse}
    items: list[Item] = []
    owned: list[list[tuple[int, int]]] = []  # per segment: (item index, start of its piece in text)
    for n, seg in enumerate(doc.segments):
        owned.append([])
        for start, end in () if n in reuse or n in prefill else seg.pieces or (seg.source_span,):
            source = text[start:end]
            pieces = engine.tokenizer.source(source)
            # placement reads the term without its proclitics: the "to" of لأوكرانيا is not the term's
            here = [h for h in hits[n] if start <= h.start < end]
            terms = [TermRequest(h.core_start - start, h.end - start, h.target) for h in here if h.mode == "force"]
            forbidden = [f for h in here for f in h.forbidden]
            owned[n].append((len(items), start))
            items.append(Item(source, pieces, source_piece_spans(source, pieces), terms, forbidden=forbidden))
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
        terms = tuple(_term(h) for h in hits[n])
        if n in reuse:  # its MT as it was: the same request gives the same translation
            alignment, translation = list(reuse[n].alignment), reuse[n].translation
        origin = "mt"
        if n in prefill:  # the approved English of an exact TM match: no model output, so no alignment
            alignment, translation, origin = [], prefill[n].target, "tm"
        seg = replace(seg, origin=origin, tm_matches=offered[n].matches if n in offered else ())
        # with_translation locates each term in the English, as it does again after a post-edit
        segments.append(replace(seg, alignment=tuple(alignment), terms=terms).with_translation(translation))
    return replace(doc, segments=tuple(segments), signature=signature)


def check_out_dir(out_dir: str | Path) -> Path:
    """``--out`` must be a new folder, an empty one, or one holding a document."""
    from translate.doc.store import BILINGUAL_JSON, MANIFEST

    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise OutputPathError(f"--out {out_dir}: is a file, not a folder")
    check_output_folder(folder)
    if folder.is_dir() and any(folder.iterdir()) and not any((folder / n).exists() for n in (BILINGUAL_JSON, MANIFEST)):
        raise OutputPathError(f"--out {out_dir}: the folder holds other files and no document; give a new or empty folder")
    return folder


@dataclass(frozen=True)
class ArticleInput:
    """An article read and checked for its document folder, before any model is loaded."""

    article: str
    doc_id: str
    target: Path
    text: str
    data: bytes  # ``text`` as UTF-8: ``source.ar.txt``
    kinds: dict
    original: tuple[str, bytes] | None  # ("original.docx", bytes) when it came as Word or a web page


@dataclass(frozen=True)
class PreparedArticle:
    """An article segmented, its ids carried from the document it replaces, its TM matches looked up:
    what :func:`translate_document` needs, and what :func:`write_article` writes."""

    input: ArticleInput
    doc: Document
    previous: Document | None
    carried: RerunSummary
    tm: object | None  # a translate.tm.apply.TMPlan


def read_input(article: str | Path, *, out_dir: str | Path | None = None, doc_id: str | None = None) -> ArticleInput:
    """Read ``article`` and check it may go into its folder (``corpus/<doc-id>/`` or ``out_dir``).

    The id is ``doc_id`` (the user's choice) or derived from the file name. A folder that
    already holds a document of another article is refused unless ``doc_id`` is given.
    """
    from translate.doc.rerun import check_same_source
    from translate.doc.store import recover
    from translate.interchange.extract import read_article

    source = read_article(article)  # a .docx or .html: its text, one block a line; kept as original.*
    text = source.text
    data = text.encode("utf-8")  # valid UTF-8 round-trips byte for byte
    doc_id = check_doc_id(doc_id) if doc_id is not None else None
    doc_id, explicit = doc_id or doc_id_for(article), doc_id is not None
    target = check_out_dir(out_dir) if out_dir else corpus_dir() / doc_id
    recover(target)  # a writer killed between its renames: the previous version first
    if not explicit:
        check_same_source(target, article, data, doc_id, via_out=bool(out_dir))
    if not split_blocks(text):
        raise InputFileError(article, "has no text to translate (every line is blank or only invisible marks)")
    original = ("original" + source.suffix, source.original) if source.original is not None else None
    return ArticleInput(str(article), doc_id, target, text, data, dict(source.kinds or {}), original)


def prepare_article(inp: ArticleInput, count_tokens, *, use_tm: bool = True, tm_threshold: int = 75) -> PreparedArticle:
    """Segment ``inp`` (``count_tokens``: the model tokenizer's piece count), carry segment ids from
    the document in its folder (:mod:`translate.doc.rerun`) and look up the translation memory."""
    from translate.doc.rerun import carry_ids, logged_segment_ids
    from translate.doc.store import previous_document

    doc = segment_text(inp.text, inp.doc_id, count_tokens=count_tokens, kinds=inp.kinds)
    previous = previous_document(inp.target)
    doc, carried = carry_ids(previous, doc, logged_segment_ids(inp.doc_id))
    doc = replace(doc, source_name=Path(inp.article).name)
    tm = None
    if use_tm:  # exact matches pre-filled, fuzzy ones (>= tm_threshold) offered: translate.tm.apply
        from translate.tm.apply import plan

        tm = plan(doc, threshold=tm_threshold)
    return PreparedArticle(inp, doc, previous, carried, tm)


def write_article(prepared: PreparedArticle, doc: Document) -> RunResult:
    """Write the translated ``doc`` into the article's folder as one unit (:func:`save_outputs`)."""
    from translate.doc.store import save_outputs

    inp = prepared.input
    files = save_outputs(doc, inp.data, inp.target, source_path=Path(inp.article).resolve(), original=inp.original)
    return RunResult(doc, tuple(files), prepared.carried if prepared.previous else None,
                     prepared.tm.problems if prepared.tm else ())


def run_article(
    article: str | Path,
    *,
    model: str | None = None,
    backend: str | None = None,
    beam: int = DEFAULT_BEAM,
    glossary_paths: Sequence[str | Path] = (),
    use_glossary: bool = True,
    out_dir: str | Path | None = None,
    progress: Progress | None = None,
    force_numbers: bool = True,
    doc_id: str | None = None,
    use_tm: bool = True,
    tm_threshold: int = 75,
) -> RunResult:
    """Translate an article file and write ``corpus/<doc-id>/`` (or ``out_dir``) as one unit.

    The steps, each its own function so that ``translate batch`` loads the model once for many
    articles: :func:`read_input` (checks, before the model loads), :func:`prepare_article`,
    :func:`translate_document`, :func:`write_article`. A re-run of the same article carries
    segment ids by content (:mod:`translate.doc.rerun`). No ``glossary_paths``: the default glossaries.
    """
    from translate.engines import check_backend, load_engine
    from translate.glossary.entries import load_glossaries

    inp = read_input(article, out_dir=out_dir, doc_id=doc_id)
    check_backend(backend)
    glossaries = load_glossaries(glossary_paths) if use_glossary else []
    engine = load_engine(model, backend, progress=progress)  # says so while it converts, once
    prepared = prepare_article(inp, engine.tokenizer.count, use_tm=use_tm, tm_threshold=tm_threshold)
    doc = translate_document(prepared.doc, inp.text, engine, glossaries=glossaries, beam=beam, progress=progress,
                             force_numbers=force_numbers, previous=prepared.previous, tm=prepared.tm)
    return write_article(prepared, doc)


def translate_sentences(
    sentences: Sequence[str],
    *,
    model: str | None = None,
    backend: str | None = None,
    beam: int = DEFAULT_BEAM,
    quiet: bool = True,
) -> list[str]:
    """Translate plain sentences (one segment each, no glossary); for reference alignment."""
    from translate.engines import load_engine
    from translate.progress import BarProgress

    progress = NoProgress() if quiet else BarProgress()
    engine = load_engine(model, backend, progress=progress)  # a first-run conversion is announced
    items = [Item(s, p := engine.tokenizer.source(s), source_piece_spans(s, p)) for s in sentences]
    progress.start(len(items), "Translating")
    try:
        return [h.text for h in decode(engine, items, beam=beam, on_batch=progress.advance)]
    finally:
        progress.finish()
