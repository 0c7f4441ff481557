"""The evaluation report: one self-contained HTML page (inline CSS and SVG, nothing fetched).

It shows the corpus scores with their sacrebleu signatures, a plot of the per-segment chrF++
distribution (matplotlib, Agg backend, imported only here and only when a report is made),
the significance results, term accuracy, and the worst segments side by side with their
source and reference. Every text is HTML-escaped.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from translate.evaluate.scores import Evaluation, TermAccuracy
    from translate.evaluate.document import DocumentEvaluation

WORST = 10
CSS = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:76rem;color:#111;line-height:1.45;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:.3rem .5rem;border-top:1px solid #ddd}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td[lang=ar]{font-family:"Noto Naskh Arabic","Amiri",serif;font-size:1.05em;width:30%;text-align:right}
.sig,footer{font-family:monospace;font-size:.8em;color:#444;word-break:break-all}
.cards{display:flex;gap:1rem;flex-wrap:wrap}
.card{border:1px solid #ccc;border-radius:6px;padding:.6rem 1rem;min-width:10rem}
.card .v{font-size:1.8rem;font-weight:700}.yes{color:#065f46;font-weight:700}.no{color:#92400e}
figure{margin:1rem 0}figure svg{max-width:100%;height:auto}
"""


def _fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _pct(num: int, den: int) -> str:
    return f"{num}/{den} = {100 * num / den:.1f} %" if den else "none in the source"


def chrf_plot(scores: Sequence[float], title: str = "Per-segment chrF++") -> str:
    """An inline ``<svg>`` histogram of sentence chrF++ (0–100), with the mean marked."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.5, 3.2), dpi=96)
    ax = fig.subplots()
    ax.hist(list(scores), bins=range(0, 105, 5), color="#3b82f6", edgecolor="white")
    if scores:
        mean = sum(scores) / len(scores)
        ax.axvline(mean, color="#b91c1c", linestyle="--", label=f"mean {mean:.1f}")
        ax.legend(loc="upper left")
    ax.set_xlim(0, 100)
    ax.set_xlabel("sentence chrF++")
    ax.set_ylabel("segments")
    ax.set_title(f"{title} ({len(scores)} segments)")
    fig.tight_layout()
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "translate-report"}):  # stable ids: same inputs, same file
        fig.savefig(buf, format="svg", metadata={"Date": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML prolog and doctype: the SVG is inlined
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.S)
    return re.sub(r"<svg ", '<svg role="img" aria-label="histogram of per-segment chrF++" ', svg, count=1)


def _scores(ev: Evaluation) -> str:
    cards = "".join(
        f'<div class="card"><div>{escape(m.name)}</div><div class="v">{m.score:.1f}</div></div>'
        for m in (ev.bleu, ev.chrf, ev.ter)
    )
    rows = "".join(
        f"<tr><td>{escape(m.name)}</td><td class=num>{m.score:.2f}</td><td class=sig>{escape(m.signature)}</td>"
        f"<td>{escape(m.verbose)}</td></tr>"
        for m in (ev.bleu, ev.chrf, ev.ter)
    )
    return (f'<div class="cards">{cards}</div><table><tr><th>metric</th><th class=num>score</th>'
            f"<th>sacrebleu signature</th><th>detail</th></tr>{rows}</table>")


def _significance(ev: Evaluation) -> str:
    if not ev.significance:
        return "<p>No baseline given (<code>--baseline</code>): no significance test.</p>"
    from translate.evaluate.scores import TESTS

    rows = "".join(
        f"<tr><td>{escape(r.metric)}</td><td>{escape(TESTS[r.test])} ({r.samples})</td>"
        f"<td class=num>{r.baseline:.2f} ({_fmt(r.baseline_mean, 2)} ± {_fmt(r.baseline_ci, 2)})</td>"
        f"<td class=num>{r.system:.2f} ({_fmt(r.system_mean, 2)} ± {_fmt(r.system_ci, 2)})</td>"
        f"<td class=num>{r.p_value:.4f}</td>"
        f"<td class={'yes' if r.p_value < 0.05 else 'no'}>{'yes' if r.p_value < 0.05 else 'no'}</td>"
        f"<td class=sig>{escape(r.signature)}</td></tr>"
        for r in ev.significance
    )
    return ("<p>Scores with the bootstrap mean ± half the 95 % interval; p-values from sacrebleu's paired "
            "tests (significant at p &lt; 0.05).</p><table><tr><th>metric</th><th>test</th>"
            "<th class=num>baseline</th><th class=num>system</th><th class=num>p</th><th>significant</th>"
            f"<th>signature</th></tr>{rows}</table>")


def _terms(label: str, t: TermAccuracy | None, ids: Sequence[str] = ()) -> str:
    if t is None:
        return ""
    where = (lambda line: f"segment {ids[line - 1]}") if ids else (lambda line: f"line {line}")
    misses = "".join(
        f"<li>{escape(where(line))}: {escape(kind)} <q>{escape(text)}</q> missing</li>"
        for line, kind, text in t.misses[:30]
    )
    more = f"<li>… {len(t.misses) - 30} more</li>" if len(t.misses) > 30 else ""
    return (f"<p><b>{escape(label)}</b> term accuracy (exact match): {_pct(t.terms_matched, t.terms)}; "
            f"number match: {_pct(t.numbers_matched, t.numbers)}</p>" + (f"<ul>{misses}{more}</ul>" if misses else ""))


def _worst(ev: Evaluation, n: int, ref_label: str, *, edited_only: bool = False) -> str:
    """The ``n`` segments of lowest chrF++; with ``edited_only``, only those whose hypothesis
    (the MT) differs from the reference (the post-edit): an approved MT is no "most edited" one."""
    candidates = [s for s in ev.segments if not edited_only or s.hypothesis not in s.references]
    worst = sorted(candidates, key=lambda s: (s.chrf, s.line))[:n]
    with_source = any(s.source for s in ev.segments)
    rows = "".join(
        f"<tr><td class=num>{escape(s.id or str(s.line))}</td>"
        f"<td class=num>{s.chrf:.1f}</td><td class=num>{s.bleu:.1f}</td>"
        + (f'<td lang="ar" dir="rtl">{escape(s.source)}</td>' if with_source else "")
        + f"<td>{escape(s.hypothesis)}</td><td>{'<hr>'.join(escape(r) for r in s.references)}</td></tr>"
        for s in worst
    )
    return ("<table><tr><th class=num>segment</th><th class=num>chrF++</th><th class=num>BLEU</th>"
            + ("<th>source</th>" if with_source else "")
            + f"<th>hypothesis</th><th>{escape(ref_label)}</th></tr>{rows}</table>")


def _page(title: str, body: str, signatures: Sequence[str]) -> str:
    foot = "<br>".join(escape(s) for s in signatures)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{CSS}</style></head>'
            f"<body><h1>{escape(title)}</h1>{body}<footer><p>{foot}</p></footer></body></html>\n")


def evaluation_html(ev: Evaluation, *, title: str = "Translation evaluation", worst: int = WORST) -> str:
    """The report for ``translate evaluate --hyp H --ref R ... --html REPORT``."""
    inputs = "".join(f"<li>{escape(role)}: <code>{escape(path)}</code></li>" for role, path in ev.inputs)
    body = (
        (f"<ul>{inputs}</ul>" if inputs else "")
        + f"<h2>Scores</h2>{_scores(ev)}"
        + f'<h2>Per-segment chrF++</h2><figure>{chrf_plot([s.chrf for s in ev.segments])}</figure>'
        + f"<h2>Significance</h2>{_significance(ev)}"
        + (f"<h2>Terms and numbers</h2>{_terms('Hypothesis', ev.terms)}" if ev.terms else "")
        + f"<h2>The {min(worst, len(ev.segments))} worst segments (by chrF++)</h2>{_worst(ev, worst, 'reference')}"
    )
    return _page(title, body, [f"translate: {ev.signature}"])


def document_html(dev: DocumentEvaluation, *, worst: int = WORST) -> str:
    """The report for ``translate evaluate DOC --html REPORT``: MT against the approved post-edit."""
    pe = dev.post_edit
    ids = [s.id for s in pe.segments]
    body = (
        f'<div class="cards"><div class="card"><div>HTER</div><div class="v">{dev.hter.score:.1f}</div></div>'
        f'<div class="card"><div>edited</div><div class="v">{100 * dev.edited_share:.0f} %</div>'
        f"<div>{dev.edited} of {dev.approved} approved segments</div></div>"
        f'<div class="card"><div>approved</div><div class="v">{dev.approved}/{dev.segments}</div></div></div>'
        + f"<p class=sig>HTER = {escape(dev.hter.name)} of the MT against the approved post-edit: "
        f"{escape(dev.hter.signature)}</p>"
        + f"<h2>MT against the post-edit</h2>{_scores(pe)}"
        + "<h2>Per-segment chrF++ (MT against post-edit)</h2>"
        f"<figure>{chrf_plot([s.chrf for s in pe.segments])}</figure>"
        + f"<h2>Terms and numbers</h2>{_terms('MT', dev.terms_mt, ids)}{_terms('Post-edit', dev.terms_post_edit, ids)}"
    )
    for name, ev in dev.reference:
        label = "MT" if name == "mt" else "Post-edit"
        body += (f"<h2>{label} against the reference</h2><p><code>{escape(dev.reference_path)}</code> "
                 f"({escape(dev.reference_alignment)})</p>{_scores(ev)}")
        if ev.significance:
            body += f"<h3>Post-edit compared with the MT</h3>{_significance(ev)}"
    edited = sum(s.hypothesis not in s.references for s in pe.segments)
    if edited:
        body += (f"<h2>The {min(worst, edited)} most edited segments (lowest chrF++ of the MT against "
                 f"its post-edit)</h2>{_worst(pe, worst, 'post-edit', edited_only=True)}")
    else:
        body += "<h2>Most edited segments</h2><p>None: every approved segment is the MT as it was.</p>"
    signatures = [f"document: {dev.document_signature}", f"translate: {dev.signature}"]
    return _page(f"Evaluation of {dev.doc_id}", body, signatures)
