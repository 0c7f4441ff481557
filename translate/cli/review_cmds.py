"""``translate review ...``: post-edit, approve, reject, comment and read a document's review log.

Every write names the revision it is based on. ``--base-rev`` defaults to the
segment's current revision, read just before writing: that protects against a
concurrent writer between the read and the write only, so scripts that show a
text to a person and then write should pass the revision they showed.
"""

from __future__ import annotations

import json

import click

from translate.cli.common import handle_errors
from translate.cli.group import cli
from translate.doc.model import Document
from translate.doc.store import load_document
from translate.errors import ReviewLogError
from translate.review.log import STATUSES, ReviewLog, SegmentState, Write, states, summary
from translate.review.qa import Issue
from translate.review.rules import REOPENABLE, check_override, check_reviewer, review_issues

reviewer_option = click.option(  # the name is checked by the library (translate.review.rules)
    "--reviewer", "-r", required=True, envvar="TRANSLATE_REVIEWER",
    help="Who you are (or set TRANSLATE_REVIEWER).",
)
base_rev_option = click.option(
    "--base-rev", type=click.IntRange(min=0), default=None,
    help="The revision you reviewed; a newer one is a conflict. Default: the current one.",
)
note_option = click.option("--note", default=None, help="A note kept with the event.")


@cli.group()
def review() -> None:
    """Post-edit and approve a translated document (log: reviews/<doc-id>.jsonl)."""


def _issue_lines(issues: list[Issue]) -> None:
    for issue in issues:
        click.echo(f"    {issue}")


def _check(doc: Document, state: SegmentState) -> list[Issue]:
    return review_issues(doc.segment(state.segment), state.text)


def _segment_ids(doc: Document, segments: tuple[str, ...], everything: bool, skip: tuple[str, ...]) -> list[str]:
    if everything and segments:
        raise click.UsageError("give segment ids or --all, not both")
    if not everything and not segments:
        raise click.UsageError("give one or more segment ids, or --all")
    if everything:
        current = states(doc)
        return [sid for sid, st in current.items() if st.status not in skip]
    return list(segments)


def _judge(action: str, doc_id: str, segments: tuple[str, ...], everything: bool, reviewer: str,
           base_rev: int | None, note: str | None, override: str | None = None) -> None:
    done = {"approve": "approved", "reject": "rejected", "reopen": "reopened"}[action]
    reviewer = check_reviewer(reviewer)
    check_override(override)
    doc = load_document(doc_id)
    reopenless = tuple(s for s in STATUSES if s not in REOPENABLE)
    skip = {"approve": ("approved",), "reject": ("rejected",), "reopen": reopenless}[action]
    ids = _segment_ids(doc, segments, everything, skip)
    if base_rev is not None and len(ids) != 1:
        raise click.UsageError("--base-rev needs exactly one segment id")
    if not ids:
        click.echo(f"nothing to do: no segment of {doc_id} to {action}")
        return
    # all or nothing: one QA failure or conflict and no segment is judged
    writes = [Write(sid, action, base_rev=base_rev, note=note, override=override) for sid in ids]
    for event, state in ReviewLog.for_document(doc_id).record_many(doc, reviewer, writes):
        if action == "reopen":
            click.echo(f"{event.segment}: reopened by {reviewer}, now {state.status} at rev {state.rev}")
        else:
            forced = f" (QA override: {event.override})" if event.override else ""
            click.echo(f"{event.segment}: {done} at rev {state.rev} by {reviewer}{forced}")
        _issue_lines(_check(doc, state))


@review.command("status")
@click.argument("doc_id", metavar="DOC")
@click.option("--json", "as_json", is_flag=True, help="Print the states and QA issues as JSON.")
@handle_errors
def status_cmd(doc_id: str, as_json: bool) -> None:
    """Each segment's status, revision, reviewer, English and QA issues."""
    doc = load_document(doc_id)
    current = states(doc)
    if as_json:
        out = [{**st.to_dict(), "issues": [i.to_dict() for i in _check(doc, st)]} for st in current.values()]
        click.echo(json.dumps({"doc_id": doc_id, "segments": out}, ensure_ascii=False, indent=2))
        return
    counts = summary(current)
    click.echo(f"{doc_id}: {len(current)} segments, " + ", ".join(f"{n} {s}" for s, n in counts.items()))
    width = max((len(sid) for sid in current), default=0)
    for sid, st in current.items():
        who = st.approved_by or st.edited_by or "-"
        click.echo(f"{sid:<{width}}  {st.status:<8}  rev {st.rev}  {who}  {st.text}")
        if st.reason:
            click.echo(f"    {st.status}: {st.reason} (review it again)")
        if st.override:
            click.echo(f"    approved despite QA errors: {st.override}")
        _issue_lines(_check(doc, st))


@review.command("edit")
@click.argument("doc_id", metavar="DOC")
@click.argument("segment", metavar="SEG")
@click.option("--text", "-t", required=True, help="The corrected English of the segment.")
@reviewer_option
@base_rev_option
@note_option
@handle_errors
def edit_cmd(doc_id: str, segment: str, text: str, reviewer: str, base_rev: int | None, note: str | None) -> None:
    """Replace a segment's English (a new revision); prints its QA issues."""
    doc = load_document(doc_id)
    # no --base-rev: the current revision, read under the log's lock
    event, state = ReviewLog.for_document(doc_id).record(
        doc, reviewer=reviewer, segment=segment, action="edit", text=text, base_rev=base_rev, note=note
    )
    click.echo(f"{segment}: edited by {event.reviewer}, now rev {state.rev}")
    _issue_lines(_check(doc, state))


JUDGEMENTS = {  # action: (what --all takes, the command's help)
    "approve": ("Every segment not yet approved (refused, nothing written, if any has QA errors).",
                "Approve segments at their current (or --base-rev) revision; QA errors need --override."),
    "reject": ("Every segment not yet rejected.", "Reject segments (say why with --note)."),
    "reopen": ("Every approved or rejected segment.", "Take approved or rejected segments back to edited (or draft)."),
}


override_option = click.option(
    "--override", default=None, metavar="REASON",
    help="Approve despite QA errors, for this reason (logged, and listed in provenance.json).",
)


def _judge_command(action: str, all_help: str, summary: str) -> None:
    """Register ``translate review ACTION``: the three verdicts differ only in words (and approve's --override)."""

    @click.argument("doc_id", metavar="DOC")
    @click.argument("segments", metavar="[SEG]...", nargs=-1)
    @click.option("--all", "everything", is_flag=True, help=all_help)
    @reviewer_option
    @base_rev_option
    @note_option
    @handle_errors
    def command(doc_id: str, segments: tuple[str, ...], everything: bool, reviewer: str,
                base_rev: int | None, note: str | None, override: str | None = None) -> None:
        _judge(action, doc_id, segments, everything, reviewer, base_rev, note, override)

    if action == "approve":
        command = override_option(command)
    review.command(action, help=summary)(command)


for _action, (_all_help, _summary) in JUDGEMENTS.items():
    _judge_command(_action, _all_help, _summary)


@review.command("comment")
@click.argument("doc_id", metavar="DOC")
@click.argument("segment", metavar="SEG")
@click.option("--text", "-t", "note", required=True, help="The comment.")
@reviewer_option
@handle_errors
def comment_cmd(doc_id: str, segment: str, note: str, reviewer: str) -> None:
    """Comment on a segment (its text and status do not change)."""
    doc = load_document(doc_id)
    event = ReviewLog.for_document(doc_id).append(doc, reviewer=reviewer, segment=segment, action="comment", note=note)
    click.echo(f"{segment}: comment by {event.reviewer}")


@review.command("log")
@click.argument("doc_id", metavar="DOC")
@click.option("--segment", "-s", default=None, help="Only this segment's events.")
@click.option("--json", "as_json", is_flag=True, help="Print the events as JSON lines.")
@handle_errors
def log_cmd(doc_id: str, segment: str | None, as_json: bool) -> None:
    """The review events, oldest first."""
    for ev in ReviewLog.for_document(doc_id).events():
        if segment is not None and ev.segment != segment:
            continue
        if as_json:
            click.echo(json.dumps(ev.to_dict(), ensure_ascii=False))
            continue
        line = f"#{ev.seq} {ev.at} {ev.reviewer} {ev.action} {ev.segment} rev {ev.base_rev}"
        if ev.text is not None:
            line += f" text={json.dumps(ev.text, ensure_ascii=False)}"
        if ev.note:
            line += f" note={json.dumps(ev.note, ensure_ascii=False)}"
        click.echo(line)


@review.command("verify")
@click.argument("doc_id", metavar="DOC")
@handle_errors
def verify_cmd(doc_id: str) -> None:
    """Check the review log's hash chain, approval hashes and revisions; print the first problem (exit 1)."""
    log = ReviewLog.for_document(doc_id)
    try:
        count = log.verify()
    except ReviewLogError as exc:
        click.echo(str(exc))
        click.get_current_context().exit(1)
    click.echo(f"{doc_id}: {count} events, chain intact")


@review.command("repair")
@click.argument("doc_id", metavar="DOC")
@handle_errors
def repair_cmd(doc_id: str) -> None:
    """Move a torn last line of the review log aside (into <log>.torn-<time>), keeping every complete event."""
    log = ReviewLog.for_document(doc_id)
    moved = log.repair()
    if moved is None:
        click.echo(f"{log.path}: nothing to repair")
        return
    aside, line = moved
    click.echo(f"{log.path}: moved line {line} to {aside}; {len(log.events())} events kept")
