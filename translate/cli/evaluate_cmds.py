"""``evaluate`` (sacrebleu scores, significance, terms, HTER of a reviewed document) and ``align-ref``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from translate.cli.group import cli
from translate.cli.common import handle_errors, make_progress, quiet_option, show_progress
from translate.engines.names import BACKENDS, DEFAULT_BACKEND, DEFAULT_BEAM
from translate.glossary.paths import OPTION_HELP


def _pct(num: int, den: int) -> str:
    return f"{num}/{den} = {100 * num / den:.1f}%" if den else "n/a (none in the source)"


def _metric_lines(ev) -> list[str]:
    """Like ``sacrebleu -f text``: ``NAME|signature = score [detail]``."""
    return [f"{m.name}|{m.signature} = {m.score:.1f}" + (f" {m.verbose}" if m.verbose else "")
            for m in (ev.bleu, ev.chrf, ev.ter)]


CI_LABEL = "score (mean ± 95% CI of the bootstrap resamples)"


def _with_ci(score: float, mean: float | None, ci: float | None) -> str:
    return f"{score:.1f}" if mean is None or ci is None else f"{score:.1f} ({mean:.1f} ± {ci:.1f})"


def _significance_lines(ev, baseline: str) -> list[str]:
    from translate.evaluate.scores import TESTS

    lines, test = [], None
    for r in ev.significance:
        if r.test != test:
            test = r.test
            label = f"; {CI_LABEL}" if r.system_mean is not None else ""
            lines.append(f"{TESTS[r.test]} ({r.samples}) against the baseline {baseline}{label}; * p < 0.05:")
        star = " *" if r.p_value < 0.05 else ""
        lines.append(
            f"  {r.metric:<8} baseline {_with_ci(r.baseline, r.baseline_mean, r.baseline_ci)}"
            f"  system {_with_ci(r.system, r.system_mean, r.system_ci)}  p = {r.p_value:.4f}{star}"
        )
    return lines


def _check_report(path: str, inputs) -> None:
    """``--html`` names a file to write, not a folder nor one of the files being scored."""
    from translate.errors import InputFileError
    from translate.paths import check_output_file
    from translate.textio import same_file

    if Path(path).is_dir():
        raise InputFileError(path, "is a directory; give a file name for the report")
    if any(same_file(path, given) for given in inputs):
        raise InputFileError(path, "is an input file; give another --html")
    check_output_file(path, "--html")


def _write_report(path: str, html: str) -> None:
    from translate.textio import atomic_write_text

    atomic_write_text(path, html)
    click.echo(f"report: {path}", err=True)


@cli.command()
@click.argument("doc", required=False)
@click.option("--hyp", type=click.Path(path_type=str), help="The translation to score, one segment per line.")
@click.option("--ref", "refs", multiple=True, type=click.Path(path_type=str),
              help="Reference translation (repeatable).")
@click.option("--src", type=click.Path(path_type=str), help="The Arabic source (for term accuracy and numbers).")
@click.option("--glossary", "-g", "glossaries", multiple=True, type=click.Path(path_type=str),
              help="For term accuracy with --src, or instead of DOC's recorded terms. " + OPTION_HELP)
@click.option("--no-glossary", is_flag=True, help="No term accuracy (numbers are still matched with --src).")
@click.option("--baseline", type=click.Path(path_type=str), help="A baseline translation: paired significance tests.")
@click.option("--bootstrap", default=1000, show_default=True, type=click.IntRange(0),
              help="Paired bootstrap resamples (0: skip).")
@click.option("--trials", default=10000, show_default=True, type=click.IntRange(0),
              help="Approximate randomisation trials (0: skip).")
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
@click.option("--html", "html_path", type=click.Path(path_type=str), help="Write a self-contained HTML report here.")
@quiet_option
@handle_errors
def evaluate(doc, hyp, refs, src, glossaries, no_glossary, baseline, bootstrap, trials, as_json, html_path,
             quiet) -> None:
    """Score a translation (--hyp H --ref R) or a reviewed document DOC (HTER of its MT draft).

    Scores are sacrebleu's BLEU, chrF++ (word order 2) and TER, each with its signature."""
    if doc and (hyp or refs or src or baseline):
        raise click.UsageError("give either DOC or --hyp/--ref/--src/--baseline, not both")
    if not doc and not hyp:
        raise click.UsageError("give a document id DOC, or --hyp HYP --ref REF")
    if hyp and not refs:
        raise click.UsageError("--hyp needs at least one --ref")
    if no_glossary and (glossaries or doc):
        raise click.UsageError("--no-glossary goes with --src, without --glossary (DOC uses its recorded terms)")
    if html_path:
        _check_report(html_path, [hyp, *refs, src, baseline])
    progress = make_progress(quiet)  # a bar on a terminal: a large test set with --baseline takes a while
    if doc:
        _evaluate_document(doc, glossaries, bootstrap, trials, as_json, html_path, progress)
        return
    from translate.evaluate.scores import evaluate_files

    ev = evaluate_files(hyp, refs, src=src, glossary_paths=glossaries, use_glossary=not no_glossary,
                        baseline=baseline, bootstrap=bootstrap, trials=trials, progress=progress)
    if html_path:
        from translate.evaluate.report import evaluation_html

        _write_report(html_path, evaluation_html(ev))
    if as_json:
        click.echo(json.dumps(ev.to_dict(), ensure_ascii=False, indent=2))
        return
    lines = _metric_lines(ev)
    defaulted = bool(src and not glossaries and not no_glossary)  # like `translate run`: the default glossaries
    used = [path for role, path in ev.inputs if role == "glossary"]
    if ev.terms:
        if used:
            named = f"; default glossaries: {', '.join(used)} (-g to choose)" if defaulted else ""
            lines.append(f"term accuracy: {_pct(ev.terms.terms_matched, ev.terms.terms)}{named}")
        elif defaulted:
            lines.append("term accuracy: n/a (no default glossary found; give -g GLOSSARY)")
        lines += [f"number match: {_pct(ev.terms.numbers_matched, ev.terms.numbers)}"]
    lines += _significance_lines(ev, baseline) if ev.significance else []
    lines.append(f"signature: {ev.signature}")
    click.echo("\n".join(lines))


def _evaluate_document(doc_id, glossaries, bootstrap, trials, as_json, html_path, progress) -> None:
    from translate.evaluate.document import evaluate_document

    dev = evaluate_document(doc_id, glossary_paths=glossaries, bootstrap=bootstrap, trials=trials, progress=progress)
    if html_path:
        from translate.evaluate.report import document_html

        _write_report(html_path, document_html(dev))
    if as_json:
        click.echo(json.dumps(dev.to_dict(), ensure_ascii=False, indent=2))
        return
    lines = [
        f"document: {dev.doc_id} ({dev.document_signature})",
        f"approved: {dev.approved} of {dev.segments} segments; edited: {dev.edited} ({100 * dev.edited_share:.1f}%)",
        f"HTER: {dev.hter.score:.1f} (TER|{dev.hter.signature})",
        f"term accuracy: MT {_pct(dev.terms_mt.terms_matched, dev.terms_mt.terms)}, "
        f"post-edit {_pct(dev.terms_post_edit.terms_matched, dev.terms_post_edit.terms)}",
        f"number match: MT {_pct(dev.terms_mt.numbers_matched, dev.terms_mt.numbers)}, "
        f"post-edit {_pct(dev.terms_post_edit.numbers_matched, dev.terms_post_edit.numbers)}",
    ]
    if dev.reference:
        lines.append(f"against {dev.reference_path} ({dev.reference_alignment}):")
        for name, ev in dev.reference:
            scores = "  ".join(f"{m.name} {m.score:.1f}" for m in (ev.bleu, ev.chrf, ev.ter))
            lines.append(f"  {'MT' if name == 'mt' else 'post-edit':<9}  {scores}")
        lines += ["  " + line for line in _significance_lines(dev.reference[-1][1], "MT")]
    lines.append(f"signature: {dev.signature}")
    click.echo("\n".join(lines))


@cli.command("align-ref")
@click.argument("source", type=click.Path(path_type=str))
@click.argument("reference", type=click.Path(path_type=str))
@click.option("--mt", type=click.Path(path_type=str),
              help="Translation of SOURCE, line by line [default: translate it].")
@click.option("--out", "out_path", required=True, type=click.Path(path_type=str),
              help="Write the ar<TAB>en pairs here.")
@click.option("--model", "-m", default=None, help="Model for translating SOURCE when --mt is not given.")
@click.option("--backend", "-b", type=click.Choice(BACKENDS), default=DEFAULT_BACKEND, show_default=True)
@click.option("--beam", default=DEFAULT_BEAM, show_default=True, type=click.IntRange(1, 16))
@quiet_option
@handle_errors
def align_ref(source, reference, mt, out_path, model, backend, beam, quiet) -> None:
    """Align REFERENCE (English, not sentence-aligned) with SOURCE (Arabic, a sentence per line)."""
    from translate.evaluate.refalign_files import align_files

    result = align_files(source, reference, out_path, mt_path=mt, model=model, backend=backend, beam=beam,
                         quiet=not show_progress(quiet))
    click.echo(result.summary())
    click.echo(out_path)
