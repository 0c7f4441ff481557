"""``segment``, ``run`` and ``models``: the translation pipeline's commands."""

from __future__ import annotations

import json

import click

from translate.cli.group import cli
from translate.cli.common import handle_errors, make_progress, quiet_option
from translate.engines.names import BACKENDS, DEFAULT_BACKEND, DEFAULT_BEAM
from translate.glossary.paths import OPTION_HELP


@cli.command()
@click.argument("article", type=click.Path(path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Print the segments as JSON.")
@handle_errors
def segment(article: str, as_json: bool) -> None:
    """Split ARTICLE into title, byline, headings and sentences."""
    from translate.interchange.extract import read_article

    from translate.paths import doc_id_for
    from translate.text.segment import segment_text

    source = read_article(article)  # text as given; a .docx or .html: its article text
    doc = segment_text(source.text, doc_id_for(article), kinds=source.kinds)
    if as_json:
        click.echo(json.dumps([s.to_dict() for s in doc.segments], ensure_ascii=False, indent=2))
        return
    for seg in doc.segments:
        start, end = seg.source_span
        pieces = f" [{len(seg.pieces)} pieces]" if seg.pieces else ""
        click.echo(f"{seg.id:>4}  {seg.kind:<8}  {start:>5}-{end:<5}  {seg.source}{pieces}")
    kinds = {k: sum(s.kind == k for s in doc.segments) for k in ("title", "byline", "heading", "sentence")}
    click.echo(f"{len(doc.segments)} segments: " + ", ".join(f"{v} {k}" for k, v in kinds.items()))


@cli.command()
@click.argument("article", type=click.Path(path_type=str))
@click.option("--model", "-m", default=None, help="Hub id or local folder [default: Helsinki-NLP/opus-mt-tc-big-ar-en].")
@click.option("--backend", "-b", type=click.Choice(BACKENDS), default=DEFAULT_BACKEND, show_default=True)
@click.option("--glossary", "-g", "glossaries", multiple=True, type=click.Path(path_type=str), help=OPTION_HELP)
@click.option("--no-glossary", is_flag=True, help="Translate without any glossary.")
@click.option("--no-numbers", is_flag=True, help="Do not force the source's numbers into the English.")
@click.option("--beam", default=DEFAULT_BEAM, show_default=True, type=click.IntRange(1, 16), help="Beam size.")
@click.option("--out", "out_dir", default=None, type=click.Path(path_type=str),
              help="Folder for the document's files [default: corpus/<doc-id>].")
@click.option("--id", "doc_id", default=None,
              help="Document id [default: from the file name]; also the way to replace another article's document.")
@click.option("--tm-threshold", default=75, show_default=True, type=click.IntRange(1, 100),
              help="Offer translation-memory matches scoring at least this (percent).")
@click.option("--no-tm", is_flag=True, help="Do not use the translation memory (no pre-filled segments, no matches).")
@quiet_option
@handle_errors
def run(article, model, backend, glossaries, no_glossary, no_numbers, beam, out_dir, doc_id, tm_threshold, no_tm,
        quiet) -> None:
    """Translate ARTICLE into a side-by-side bilingual document (a re-run keeps review work by content)."""
    from translate.pipeline import run_article

    result = run_article(
        article,
        model=model,
        backend=backend,
        beam=beam,
        glossary_paths=glossaries,
        use_glossary=not no_glossary,
        out_dir=out_dir,
        progress=make_progress(quiet),
        force_numbers=not no_numbers,
        doc_id=doc_id,
        use_tm=not no_tm,
        tm_threshold=tm_threshold,
    )
    doc = result.document
    for problem in result.tm_problems:
        click.echo(f"warning: {problem}", err=True)
    if result.carried is not None:
        click.echo(str(result.carried))
    every = [t for s in doc.segments for t in s.terms]
    terms = [t for t in every if t.mode != "suggest"]  # suggested glossary terms are not forced
    suggested = len(every) - len(terms)
    realized = sum(t.realized for t in terms)
    numbers = sum(t.category == "number" for t in terms)
    click.echo(
        f"{len(doc.segments)} segments, {realized}/{len(terms)} terms realised "
        f"({len(terms) - numbers} glossary, {numbers} number{'s' * (numbers != 1)})"
        + (f", {suggested} suggested" if suggested else "")
    )
    from_tm = sum(s.origin == "tm" for s in doc.segments)
    offered = sum(bool(s.tm_matches) and s.origin != "tm" for s in doc.segments)
    if from_tm or offered:  # said only when the translation memory had something
        click.echo(f"translation memory: {from_tm} segment{'s' * (from_tm != 1)} pre-filled (exact match), "
                   f"{offered} with matches offered (>= {tm_threshold}%)")
    click.echo(f"signature: {doc.signature}")
    for path in result.files:
        click.echo(str(path))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@handle_errors
def models(as_json: bool) -> None:
    """List the known models and the models in the local caches."""
    from translate.engines import DEFAULT_MODEL, KNOWN_MODELS, cached_models
    from translate.paths import cache_dir

    cached = cached_models()
    converted = sorted(p.name for p in (cache_dir() / "ct2").glob("*") if (p / "model.bin").is_file())
    if as_json:
        click.echo(json.dumps({"known": KNOWN_MODELS, "default": DEFAULT_MODEL,
                               "cached": [m.to_dict() for m in cached], "converted": converted}, indent=2))
        return
    ids = {m.model_id for m in cached}
    click.echo("Known models:")
    for model_id, note in KNOWN_MODELS.items():
        click.echo(f"  {model_id}  [{'cached' if model_id in ids else 'not cached'}]  {note}")
    click.echo("Cached models (Hugging Face cache):")
    for m in cached or ():
        click.echo(f"  {m.model_id}@{m.revision[:12]}  {m.path}")
    if not cached:
        click.echo("  none")
    click.echo(f"Converted for CTranslate2 ({cache_dir() / 'ct2'}):")
    for name in converted or ["none"]:
        click.echo(f"  {name}")
