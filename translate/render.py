"""Rendering documents for people: the side-by-side bilingual HTML and the English article.

Every text is HTML-escaped; glossary terms are highlighted in both columns with a shared
colour and anchor, the glossary note on hover; the signature sits in a footer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from itertools import groupby

from .document import Document, Segment, Term

PALETTE = 8
CSS = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:72rem;color:#111;line-height:1.5}
table.bilingual{width:100%;border-collapse:collapse}
table.bilingual td{vertical-align:top;padding:.35rem .6rem;border-top:1px solid #ddd;width:50%}
td[lang=ar]{font-family:"Noto Naskh Arabic","Amiri",serif;font-size:1.1em}
tr.title td{font-size:1.5em;font-weight:700}
tr.byline td{font-style:italic;color:#555}
tr.heading td{font-size:1.2em;font-weight:700;padding-top:1rem}
tbody.paragraph{border-top:2px solid #999}
.sid{color:#888;font-size:.75em;font-family:monospace}
mark.term{border-radius:3px;padding:0 2px}
mark.missing{outline:2px dashed #c00}
.c0{background:#fde68a}.c1{background:#bfdbfe}.c2{background:#bbf7d0}.c3{background:#fecaca}
.c4{background:#ddd6fe}.c5{background:#fed7aa}.c6{background:#a5f3fc}.c7{background:#f5d0fe}
.status{font-size:.75em;color:#555}
.watermark{color:#b00;font-weight:700;border:2px solid #b00;padding:.3rem .6rem;display:inline-block}
footer{margin-top:2rem;color:#555;font-size:.8em;font-family:monospace;word-break:break-all}
@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}
 tr{break-inside:avoid}mark.term{background:none;text-decoration:underline}}
"""


def blocks(doc: Document) -> list[tuple[str, list[Segment]]]:
    """Segments grouped by source line: ``[(kind, segments)]`` with kind paragraph for sentences."""
    out = []
    for _, group in groupby(doc.segments, key=lambda s: s.paragraph):
        segs = list(group)
        kind = segs[0].kind
        out.append(("paragraph" if kind == "sentence" else kind, segs))
    return out


def _highlight(text: str, spans: Iterable[tuple[int, int, str]]) -> str:
    """Escape ``text`` and wrap each ``(start, end, opening tag)`` span in it."""
    out, pos = [], 0
    for start, end, tag in sorted(spans):
        if start < pos:
            continue
        out += [escape(text[pos:start]), tag, escape(text[start:end]), "</mark>"]
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def _term_tag(seg: Segment, k: int, term: Term, side: str) -> str:
    other = "en" if side == "ar" else "ar"
    title = f"{term.source} → {term.target} ({term.category})" + (f": {term.note}" if term.note else "")
    missing = "" if term.realized else " missing"
    return (
        f'<mark class="term c{k % PALETTE}{missing}" id="{seg.id}-t{k}-{side}" '
        f'data-term="{seg.id}-t{k}" title="{escape(title)}"><a href="#{seg.id}-t{k}-{other}"></a>'
    )


def source_html(seg: Segment) -> str:
    base = seg.source_span[0]
    spans = [(t.source_span[0] - base, t.source_span[1] - base, _term_tag(seg, k, t, "ar")) for k, t in enumerate(seg.terms)]
    return _highlight(seg.source, spans)


def translation_html(seg: Segment) -> str:
    spans = [(*t.target_span, _term_tag(seg, k, t, "en")) for k, t in enumerate(seg.terms) if t.target_span]
    return _highlight(seg.translation, spans)


def _page(title: str, body: str, doc: Document, watermark: str | None) -> str:
    mark = f'<p class="watermark">{escape(watermark)}</p>' if watermark else ""
    sig = escape(str(doc.signature)) if doc.signature else "unsigned"
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>\n{mark}{body}\n"
        f'<footer>{mark}<span class="signature">{sig}</span></footer>\n</body></html>\n'
    )


def bilingual_html(doc: Document, *, states: Mapping | None = None, watermark: str | None = None) -> str:
    """Side by side: Arabic right-to-left on the right, English on the left, one row per segment."""
    rows = []
    for kind, segs in blocks(doc):
        rows.append(f'<tbody class="{kind}">')
        for seg in segs:
            status = ""
            if states and seg.id in states:
                st = states[seg.id]
                who = f" by {escape(st.approved_by)}" if getattr(st, "approved_by", None) else ""
                status = f'<div class="status">{escape(st.status)}{who}</div>'
            rows.append(
                f'<tr class="{seg.kind}" id="{seg.id}">'
                f'<td lang="en"><span class="sid">{seg.id}</span> {translation_html(seg)}{status}</td>'
                f'<td dir="rtl" lang="ar">{source_html(seg)}</td></tr>'
            )
        rows.append("</tbody>")
    title = next((s.source for s in doc.segments if s.kind == "title"), doc.doc_id)
    body = f'<h1 class="doc-id">{escape(doc.doc_id)}</h1>\n<table class="bilingual">\n' + "\n".join(rows) + "\n</table>"
    return _page(title, body, doc, watermark)


def draft_markdown(doc: Document) -> str:
    """The English draft with the article's structure."""
    return article_markdown(doc)


def article_markdown(doc: Document, *, watermark: str | None = None) -> str:
    parts = [f"> **{watermark}**"] if watermark else []
    for kind, segs in blocks(doc):
        text = " ".join(s.translation for s in segs if s.translation)
        parts.append({"title": f"# {text}", "byline": f"*{text}*", "heading": f"## {text}"}.get(kind, text))
    if doc.signature:
        parts.append(f"---\n\n<small>{doc.signature}</small>")
    return "\n\n".join(parts) + "\n"


def article_html(doc: Document, *, watermark: str | None = None) -> str:
    parts = []
    for kind, segs in blocks(doc):
        inner = " ".join(f'<span id="{s.id}">{escape(s.translation)}</span>' for s in segs)
        tag = {"title": "h1", "byline": 'p class="byline"', "heading": "h2"}.get(kind, "p")
        parts.append(f"<{tag}>{inner}</{tag.split()[0]}>")
    title = next((s.translation for s in doc.segments if s.kind == "title"), doc.doc_id)
    return _page(title, "<article>\n" + "\n".join(parts) + "\n</article>", doc, watermark)
