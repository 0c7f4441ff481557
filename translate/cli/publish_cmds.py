"""``translate publish``, ``translate export`` and ``translate import``."""

from __future__ import annotations

from pathlib import Path

import click

from translate.cli.common import handle_errors
from translate.cli.group import cli


@cli.command("publish")
@click.argument("doc")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write into [default: corpus/DOC/published].")
@click.option("--draft", is_flag=True, help="Write a watermarked draft even if segments are not approved.")
@handle_errors
def publish_cmd(doc: str, out_dir: Path | None, draft: bool) -> None:
    """Write the English article, the final bilingual view and provenance for DOC."""
    from translate.review.publish import publish

    for path in publish(doc, out_dir, draft=draft):
        click.echo(f"wrote {path}")


_DEFAULT_NAME = "\0default"  # an export option given without a file name
EXPORT_NAMES = {"xliff": "{doc}.en.xlf", "tmx": "{doc}.tmx", "docx": "{doc}.review.docx"}
"""Default file names of ``translate export DOC --xliff --tmx --docx``, in the current folder."""


def _refuse_option_like(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--xliff --tmx`` must never write a file named ``--tmx``."""
    if value is not None and value != _DEFAULT_NAME:
        if value.startswith("-"):
            raise click.BadParameter(f"{value!r} looks like an option, not a file name (write ./{value} for a file "
                                     "of that name)")
        if not value.strip() or Path(value).is_dir():
            raise click.BadParameter(f"{value!r} is {'a folder' if value.strip() else 'no file name'}; give a file "
                                     "name, or none for the default")
    return value


def _export_option(name: str, what: str):
    return click.option(f"--{name}", f"{name}_path", is_flag=False, flag_value=_DEFAULT_NAME, default=None,
                        metavar="[FILE]", callback=_refuse_option_like,
                        help=f"{what} [FILE default: {EXPORT_NAMES[name].replace('{doc}', 'DOC')}].")


def _export_path(value: str | None, name: str, doc: str) -> Path | None:
    if value is None:
        return None
    return Path(EXPORT_NAMES[name].format(doc=doc) if value == _DEFAULT_NAME else value)


@cli.command("export")
@click.argument("doc")
@_export_option("xliff", "Write XLIFF 2.1 (every segment, with its review state)")
@_export_option("tmx", "Write TMX 1.4b (approved segments only)")
@_export_option("docx", "Write a bilingual review .docx for Word (one table row per segment; edit the English)")
@handle_errors
def export_cmd(doc: str, xliff_path: str | None, tmx_path: str | None, docx_path: str | None) -> None:
    """Export DOC for a CAT tool (XLIFF 2.1, TMX 1.4b) and/or for review in Word (.docx).

    Each option takes an optional file name: `translate export DOC --xliff --tmx` writes
    DOC.en.xlf and DOC.tmx in the current folder."""
    if xliff_path is None and tmx_path is None and docx_path is None:
        raise click.UsageError("give --xliff [FILE], --tmx [FILE] and/or --docx [FILE]")
    xliff_path, tmx_path, docx_path = (_export_path(v, n, doc) for v, n in
                                       ((xliff_path, "xliff"), (tmx_path, "tmx"), (docx_path, "docx")))
    from translate.paths import check_output_file

    for option, path in (("--xliff", xliff_path), ("--tmx", tmx_path), ("--docx", docx_path)):
        if path is not None:
            check_output_file(path, option)
    from translate.doc.store import load_document
    from translate.review.log import states

    document = load_document(doc)
    seg_states = states(document)
    if xliff_path is not None:
        from translate.interchange.xliff import export_xliff

        count = export_xliff(document, seg_states, xliff_path)
        click.echo(f"wrote {xliff_path} (XLIFF 2.1, {count} units)")
    if tmx_path is not None:
        from translate.interchange.tmx import export_tmx

        count = export_tmx(document, seg_states, tmx_path)
        click.echo(f"wrote {tmx_path} (TMX 1.4b, {count} approved segments)")
    if docx_path is not None:
        from translate.interchange.docx_review import export_review_docx

        count = export_review_docx(document, seg_states, docx_path)
        click.echo(f"wrote {docx_path} (bilingual review, {count} rows)")


@cli.command("import")
@click.argument("doc")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--reviewer", required=True, help="Who post-edited the file (recorded on every event).")
@click.option("--partial", is_flag=True, help="On conflicts, still apply the other units.")
@click.option("--override", default=None, metavar="REASON",
              help="Approve final units despite QA errors, for this reason (logged, listed in provenance.json).")
@handle_errors
def import_cmd(doc: str, file: Path, reviewer: str, partial: bool, override: str | None) -> None:
    """Apply a post-edited XLIFF FILE (or a bilingual review FILE.docx: its English edits) to
    DOC's review log as edit/approve events by REVIEWER.

    A unit whose segment was edited here since the export is a conflict: it is never
    applied, and without --partial nothing is applied (every event is checked and written
    under one lock, or none). Exit 1 if there is any conflict.
    """
    # the reviewer name and override reason are checked by the library (translate.review.rules)
    from translate.interchange.xliff import import_xliff

    if file.suffix.lower() == ".docx":
        if override is not None:
            raise click.BadParameter("a .docx review carries no approvals to override", param_hint="'--override'")
        from translate.interchange.docx_review import import_review_docx

        result, units = import_review_docx(doc, file, reviewer, partial=partial), "rows"
    else:
        result, units = import_xliff(doc, file, reviewer, partial=partial, override=override), "units"
    for event in result.applied:
        click.echo(f"{event.segment}: {event.action}")
    for conflict in result.conflicts:
        click.echo(f"conflict: {conflict}", err=True)
    click.echo(f"{len(result.applied)} events applied, {len(result.conflicts)} conflicts, "
               f"{len(result.unchanged)} {units} unchanged")
    if result.conflicts:
        if not partial:
            click.echo("nothing applied: resolve the conflicts or use --partial", err=True)
        click.get_current_context().exit(1)
