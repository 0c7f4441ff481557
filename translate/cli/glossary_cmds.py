"""``translate glossary match`` and ``translate glossary check``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from translate.cli.group import cli
from translate.cli.common import handle_errors
from translate.glossary.paths import OPTION_HELP


@cli.group()
def glossary() -> None:
    """Find glossary terms in an article; check glossary files."""


@glossary.command("match")
@click.argument("article", type=click.Path(path_type=Path))
@click.option("-g", "--glossary", "glossaries", multiple=True, type=click.Path(path_type=Path), help=OPTION_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the matches as JSON.")
@handle_errors
def match_cmd(article: Path, glossaries: tuple[Path, ...], as_json: bool) -> None:
    """List every glossary term found in ARTICLE, with its exact span."""
    from translate.glossary.entries import match_article

    result = match_article(article, glossaries)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    rows = [("LINE", "SPAN", "ARABIC", "ENGLISH", "CATEGORY", "MODE", "ENTRY")]
    rows += [
        (str(result.line_of(m)), f"{m.start}-{m.end}", m.text, m.entry.en, m.entry.category, m.entry.mode, m.entry.ref)
        for m in result.matches
    ]
    if result.matches:
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
        for row in rows:
            click.echo("  ".join([cell.ljust(w) for cell, w in zip(row, widths)] + [row[-1]]))
    entries = len({m.entry for m in result.matches})
    names = ", ".join(g.signature_part for g in result.glossaries)
    modes = ", ".join(f"{n} {mode}" for mode, n in result.by_mode().items())
    click.echo(f"{_count(len(result.matches), 'match', 'matches')} ({modes}), "
               f"{_count(entries, 'entry', 'entries')} ({names})")


@glossary.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--report", is_flag=True,
              help="Also print counts by category and mode, entries without examples, and suspicious keys.")
@click.option("--tokenizer", type=click.Path(path_type=Path, file_okay=False),
              help="Model or tokenizer folder to check the English's spelling against "
                   "[default: the default model if cached, else $TRANSLATE_SHARED/data/opus-mt-ar-en-tokenizer].")
@click.option("--corpus", type=click.Path(path_type=Path, file_okay=False),
              help="Folder holding ntrex-128/ and tico19-test/ for --report [default: $TRANSLATE_SHARED/data].")
@handle_errors
def check_cmd(paths: tuple[Path, ...], report: bool, tokenizer: Path | None, corpus: Path | None) -> None:
    """Check glossary files (or folders): columns, cells, categories, modes, duplicates, conflicts,
    and the examples in each NAME.examples.tsv beside NAME.tsv.

    A folder means its .tsv, .csv, .txt and .tbx files (not *.examples.tsv), as for every
    command; a named file that is not a glossary is skipped.

    Prints each problem as FILE:LINE: MESSAGE and exits 1 when there is any; warnings (English
    the model's vocabulary cannot spell) do not fail the check.
    """
    from translate.glossary.check import check_files, skip_named_others

    kept, skipped = skip_named_others(paths)
    for path in skipped:
        click.echo(f"{path}: skipped, not a glossary file", err=True)
    if not kept:
        raise click.ClickException("no glossary files to check")
    result = check_files(kept, tokenizer=tokenizer)
    for line in result.warnings:
        click.echo(line)
    if result.tokenizer is None:
        click.echo("spelling not checked: no tokenizer found (--tokenizer DIR)", err=True)
    if report:
        from translate.glossary.report import report_lines
        from translate.paths import shared_dir

        for line in report_lines(result, corpus or shared_dir() / "data"):
            click.echo(line)
    if result.problems:
        for problem in result.problems:
            click.echo(problem)
        raise click.ClickException(_count(len(result.problems), "problem", "problems") + " found")
    for g in result.glossaries:
        examples = len(result.examples_of(g))
        shown = f", {_count(examples, 'example', 'examples')}" if examples else ""
        click.echo(f"{g.path}: {_count(len(g.entries), 'entry', 'entries')}{shown}, no problems")


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
