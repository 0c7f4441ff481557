"""``batch``: many articles, one model load per worker, resumable, on this machine or on Ray."""

from __future__ import annotations

import sys

import click

from translate.cli.common import handle_errors, quiet_option
from translate.cli.group import cli
from translate.engines.names import BACKENDS, DEFAULT_BACKEND, DEFAULT_BEAM


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--workers", "-w", default=1, show_default=True, type=click.IntRange(1, 1024),
              help="Workers, each loading the model once (Ray: actors).")
@click.option("--threads", default=0, type=click.IntRange(0, 1024),
              help="CPU cores per worker [default: this machine's shared out; Ray cluster: 4].")
@click.option("--report", "report_path", default=None, type=click.Path(path_type=str),
              help="Write a JSON report: every article's status, segments, seconds and error.")
@click.option("--force", is_flag=True, help="Translate again articles whose document is up to date.")
@click.option("--ray", "ray_address", default=None, metavar="local|ADDRESS",
              help="Run the workers as Ray actors: 'local' starts Ray here; ADDRESS joins a cluster (HEAD:6379).")
@click.option("--model", "-m", default=None, help="Hub id or local folder [default: Helsinki-NLP/opus-mt-tc-big-ar-en].")
@click.option("--backend", "-b", type=click.Choice(BACKENDS), default=DEFAULT_BACKEND, show_default=True)
@click.option("--glossary", "-g", "glossaries", multiple=True, type=click.Path(path_type=str),
              help="Glossary file (repeatable) [default: glossaries/*.tsv].")
@click.option("--no-glossary", is_flag=True, help="Translate without any glossary.")
@click.option("--no-numbers", is_flag=True, help="Do not force the source's numbers into the English.")
@click.option("--beam", default=DEFAULT_BEAM, show_default=True, type=click.IntRange(1, 16), help="Beam size.")
@click.option("--tm-threshold", default=75, show_default=True, type=click.IntRange(1, 100),
              help="Offer translation-memory matches scoring at least this (percent).")
@click.option("--no-tm", is_flag=True, help="Do not use the translation memory.")
@quiet_option
@handle_errors
def batch(inputs, workers, threads, report_path, force, ray_address, model, backend, glossaries, no_glossary,
          no_numbers, beam, tm_threshold, no_tm, quiet) -> None:
    """Translate many articles (files, folders, globs) into corpus/, as 'translate run' does for each.

    An article whose document is up to date is skipped (--force redoes it), so a stopped batch
    resumes where it stopped; a bad article is reported and the others are translated.
    """
    from translate.batch.progress import BatchProgress
    from translate.batch.report import (
        check_report_path,
        failure_line,
        table,
        write_report,
    )
    from translate.batch.runner import BatchOptions, run_batch
    from translate.glossary.entries import default_glossary_paths

    report_file = check_report_path(report_path, inputs) if report_path else None
    paths = [] if no_glossary else (list(glossaries) or default_glossary_paths())
    opts = BatchOptions(model=model, backend=backend, beam=beam, glossary_paths=tuple(str(p) for p in paths),
                        force_numbers=not no_numbers, use_tm=not no_tm, tm_threshold=tm_threshold,
                        workers=workers, threads=threads, force=force, ray=ray_address)
    try:
        report = run_batch(inputs, opts, BatchProgress(not quiet and sys.stderr.isatty(), notes=not quiet))
    except KeyboardInterrupt:  # Ctrl-C: each document is written as one unit, so what is done is whole
        click.echo("\nInterrupted: the documents written so far are complete and kept; run the same command "
                   "again to resume.", err=True)
        sys.exit(130)
    for line in table(report):
        click.echo(line)
    if report_file is not None:
        write_report(report, report_file)
        click.echo(f"report: {report_file}")
    failed = failure_line(report)
    if failed:
        raise click.ClickException(failed)
