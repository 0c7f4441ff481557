"""``translate glossary suggest`` and ``translate glossary add``: the glossary learns from reviewers."""

from __future__ import annotations

import json
from pathlib import Path

import click

from translate.cli.common import handle_errors
from translate.cli.glossary_cmds import glossary
from translate.glossary.paths import OPTION_HELP


@glossary.command("suggest")
@click.argument("doc_ids", nargs=-1, metavar="[DOC]...")
@click.option("--min-count", default=2, show_default=True, type=click.IntRange(1, None),
              help="Propose a rendering only when reviewers made the same correction in this many segments.")
@click.option("-g", "--glossary", "glossaries", multiple=True, type=click.Path(path_type=Path),
              help="Glossaries whose entries are not proposed again. " + OPTION_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the proposals and their evidence as JSON.")
@handle_errors
def suggest_cmd(doc_ids: tuple[str, ...], min_count: int, glossaries: tuple[Path, ...], as_json: bool) -> None:
    """Propose glossary entries from reviewers' repeated corrections of the MT (all documents by default).

    Prints glossary TSV rows (ar, en, category, note); nothing is added until you run 'glossary add'.
    """
    from translate.tm.suggest import suggest

    proposals, docs = suggest(doc_ids, min_count=min_count, glossary_paths=glossaries)
    if as_json:
        click.echo(json.dumps([p.to_dict() for p in proposals], ensure_ascii=False, indent=2))
        return
    click.echo(f"# {len(proposals)} proposal{'s' * (len(proposals) != 1)} from {docs} document{'s' * (docs != 1)} "
               f"(corrections made in at least {min_count} segments); columns: ar, en, category, note")
    for p in proposals:
        click.echo(p.tsv())


@glossary.command("add")
@click.argument("path", metavar="GLOSSARY", type=click.Path(path_type=Path))
@click.option("--ar", required=True, help="The Arabic term.")
@click.option("--en", required=True, help="Its English, exactly as it must be printed.")
@click.option("--category", default="term", show_default=True, help="One of the glossary categories.")
@click.option("--note", default="", help="A note for reviewers.")
@handle_errors
def add_cmd(path: Path, ar: str, en: str, category: str, note: str) -> None:
    """Append one entry to GLOSSARY (project TSV) after the checks of 'glossary check'; nothing is
    written when the result would have a problem."""
    from translate.tm.glossary_add import add_entry

    added = add_entry(path, ar=ar, en=en, category=category, note=note)
    click.echo(f"{added.path}:{added.line}: added {added.ar} -> {added.en} ({added.category})")
