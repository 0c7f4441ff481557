"""``translate tm import|export|search|stats|rebuild``: the translation memory."""

from __future__ import annotations

import json

import click

from translate.cli.group import cli
from translate.cli.common import handle_errors


@cli.group()
def tm() -> None:
    """The translation memory: approved segments and imported TMX, matched by Arabic match keys."""


def _warn(report) -> None:
    for problem in report.problems:
        click.echo(f"warning: {problem}", err=True)


@tm.command("import")
@click.argument("path", metavar="FILE.tmx", type=click.Path(path_type=str))
@handle_errors
def import_cmd(path: str) -> None:
    """Add a TMX file (1.4b, or OmegaT's 1.1) to the TM; a file with any problem adds nothing."""
    from translate.tm.memory import import_tmx

    result, report = import_tmx(path)
    _warn(report)
    if result.already:
        click.echo(f"{path}: already in the translation memory as {result.copy}; nothing added")
        return
    skipped = f", {result.skipped} without Arabic and English skipped" if result.skipped else ""
    click.echo(f"{path}: {result.units} units imported (TMX {result.version}{skipped}); kept as {result.copy}")


@tm.command("export")
@click.argument("path", metavar="FILE.tmx", type=click.Path(path_type=str))
@handle_errors
def export_cmd(path: str) -> None:
    """Write every unit of the TM as TMX 1.4b."""
    from translate.paths import check_output_file
    from translate.tm.memory import export_tmx

    check_output_file(path, "FILE.tmx")
    count, report = export_tmx(path)
    _warn(report)
    click.echo(f"{path}: {count} unit{'s' * (count != 1)}")


@tm.command("search")
@click.argument("text")
@click.option("--threshold", default=50, show_default=True, type=click.IntRange(1, 100),
              help="Lowest score shown (percent).")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 100), help="Most matches shown.")
@click.option("--json", "as_json", is_flag=True, help="Print the matches as JSON.")
@handle_errors
def search_cmd(text: str, threshold: int, limit: int, as_json: bool) -> None:
    """Find TEXT (Arabic) in the TM: exact and fuzzy matches, best first; [differing words] marked."""
    from translate.tm.memory import search

    matches, report = search(text, threshold=threshold, limit=limit)
    _warn(report)
    if as_json:
        click.echo(json.dumps([m.to_dict() for m in matches], ensure_ascii=False, indent=2))
        return
    if not matches:
        click.echo(f"no match at or above {threshold}%")
        return
    for m in matches:
        notes = "exact" if m.exact else ("numbers adapted" if m.adapted else "fuzzy")
        click.echo(f"{m.score:3d}%  {m.doc_id}/{m.segment}  {m.approved_by or '-'}  {m.at or '-'}  ({notes})")
        click.echo(f"      ar: {_marked(m.source, m.diff)}")
        click.echo(f"      en: {m.target}")


def _marked(text: str, spans) -> str:
    out, pos = [], 0
    for start, end in spans:
        out += [text[pos:start], "[", text[start:end], "]"]
        pos = end
    return "".join(out) + text[pos:]


@tm.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@handle_errors
def stats_cmd(as_json: bool) -> None:
    """How many units the TM holds, and from where."""
    from translate.tm.memory import stats

    result, report = stats()
    _warn(report)
    _print_stats(result, as_json)


def _print_stats(s, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(s.to_dict(), indent=2))
        return
    click.echo(f"translation memory: {s.path}")
    click.echo(f"units: {s.units} ({s.review_units} approved in {s.documents} document{'s' * (s.documents != 1)}, "
               f"{s.tmx_units} from {s.tmx_files} imported TMX file{'s' * (s.tmx_files != 1)})")
    click.echo(f"distinct Arabic sources: {s.distinct_sources}")


@tm.command("rebuild")
@handle_errors
def rebuild_cmd() -> None:
    """Recreate the TM database from the review logs and the imported TMX copies."""
    from translate.tm.memory import rebuild

    result, report = rebuild()
    _warn(report)
    _print_stats(result, False)
