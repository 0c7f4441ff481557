"""``translate glossary match`` and ``translate glossary check``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from . import cli
from .common import handle_errors


@cli.group()
def glossary() -> None:
    """Find glossary terms in an article; check glossary files."""


@glossary.command("match")
@click.argument("article", type=click.Path(path_type=Path))
@click.option(
    "-g",
    "--glossary",
    "glossaries",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Glossary file or folder (repeatable) [default: $TRANSLATE_GLOSSARIES, else ./glossaries/*.tsv].",
)
@click.option("--json", "as_json", is_flag=True, help="Print the matches as JSON.")
@handle_errors
def match_cmd(article: Path, glossaries: tuple[Path, ...], as_json: bool) -> None:
    """List every glossary term found in ARTICLE, with its exact span."""
    from ..glossary import match_article

    result = match_article(article, glossaries)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    rows = [("LINE", "SPAN", "ARABIC", "ENGLISH", "CATEGORY", "ENTRY")]
    rows += [
        (str(result.line_of(m)), f"{m.start}-{m.end}", m.text, m.entry.en, m.entry.category, m.entry.ref)
        for m in result.matches
    ]
    if result.matches:
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
        for row in rows:
            click.echo("  ".join([cell.ljust(w) for cell, w in zip(row, widths)] + [row[-1]]))
    entries = len({m.entry for m in result.matches})
    names = ", ".join(g.signature_part for g in result.glossaries)
    click.echo(f"{_count(len(result.matches), 'match', 'matches')}, {_count(entries, 'entry', 'entries')} ({names})")


@glossary.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@handle_errors
def check_cmd(paths: tuple[Path, ...]) -> None:
    """Check glossary files (or folders): columns, cells, categories, duplicates, conflicts.

    Prints each problem as FILE:LINE: MESSAGE and exits 1 when there is any.
    """
    from ..glossary import expand_glossary_paths, scan_glossaries

    files, skipped = expand_glossary_paths(paths)
    for path in skipped:
        click.echo(f"{path}: skipped, not a glossary file", err=True)
    if not files:
        raise click.ClickException("no glossary files to check")
    glossaries, problems = scan_glossaries(files)
    if problems:
        for problem in problems:
            click.echo(problem)
        raise click.ClickException(_count(len(problems), "problem", "problems") + " found")
    for g in glossaries:
        click.echo(f"{g.path}: {_count(len(g.entries), 'entry', 'entries')}, no problems")


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
