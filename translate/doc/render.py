"""Rendering documents for people: the side-by-side bilingual HTML and the English article.

Every text is HTML-escaped; glossary terms are highlighted in both columns with one colour
per glossary entry across the document (:func:`term_colours`) and an anchor, the glossary
note on hover; the bilingual proof's footer lists the signature, the public English article
has none (it stays in ``provenance.json``). Arabic inside English text is isolated
(:func:`isolate_html`, ``<bdi>``) so a message such as ``number 725 مليون (725000000)``
keeps its order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from html import escape
from itertools import groupby

from translate.doc.model import Document, Segment, Term, term_marks

BILINGUAL_HTML = "bilingual.html"
DRAFT_MD = "draft.en.md"
PALETTE = 12
_ARABIC = "\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF"
_ARABIC_RUN = re.compile(
    rf"(?:[0-9]+[ \u00a0]+)?[{_ARABIC}](?:[{_ARABIC}0-9 \u00a0.,:/\-]*[{_ARABIC}])?"
)
"""A run of Arabic inside other text: Arabic letters, the digits, spaces and punctuation
between them, and a number just before (``725 مليون`` is one run)."""
CSS = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:72rem;color:#111;line-height:1.5}
table.bilingual{width:100%;border-collapse:collapse}
table.bilingual td{vertical-align:top;padding:.35rem .6rem;border-top:1px solid #ddd;width:50%}
td[lang=ar]{font-family:"Noto Naskh Arabic","Amiri",serif;font-size:1.1em}
tr.title td{font-size:1.5em;font-weight:700}
tr.byline td{font-style:italic;color:#555}
tr.heading td{font-size:1.2em;font-weight:700;padding-top:1rem}
tbody.paragraph{border-top:2px solid #999}
header.doc h1{margin-bottom:.2rem}
header.doc .ar-title{font-family:"Noto Naskh Arabic","Amiri",serif;font-size:1.3em;margin:.2rem 0}
header.doc .doc-id{color:#555;font-size:.85rem;margin:.2rem 0 1rem}
.sid{color:#888;font-size:.75rem;font-weight:400;font-family:monospace}
mark.term{border-radius:3px;padding:0 2px;color:inherit}
mark.missing{outline:2px dashed #c00}
.c0{background:#fde68a}.c1{background:#bfdbfe}.c2{background:#bbf7d0}.c3{background:#fecaca}
.c4{background:#ddd6fe}.c5{background:#fed7aa}.c6{background:#a5f3fc}.c7{background:#f5d0fe}
.c8{background:#d9f99d}.c9{background:#e5e7eb}.c10{background:#fbcfe8}.c11{background:#99f6e4}
.status{font-size:.8rem;font-weight:400;font-style:normal;color:#555}
.watermark{color:#b00;font-weight:700;border:2px solid #b00;padding:.3rem .6rem;display:inline-block}
footer{margin-top:2rem;color:#555;font-size:.85rem;border-top:1px solid #ddd;padding-top:.5rem}
footer ul.signature{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.25rem 1.5rem}
footer ul.signature b{font-weight:600;color:#333;word-break:break-all}
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


def isolate_html(text: str) -> str:
    """``text`` HTML-escaped, each Arabic run in it wrapped in ``<bdi dir="rtl" lang="ar">``, so
    Arabic quoted in English reads right (``number 725 مليون (725000000)`` stays in that order)."""
    out, pos = [], 0
    for m in _ARABIC_RUN.finditer(text):
        out += [escape(text[pos:m.start()]), '<bdi dir="rtl" lang="ar">', escape(m.group()), "</bdi>"]
        pos = m.end()
    out.append(escape(text[pos:]))
    return "".join(out)


def isolate_text(text: str) -> str:
    """``text`` with each Arabic run between U+2067/U+2069 (right-to-left isolate): the same as
    :func:`isolate_html` for places that take no markup (``title`` tooltips, plain text)."""
    return _ARABIC_RUN.sub(lambda m: f"\u2067{m.group()}\u2069", text)


def term_key(term: Term) -> str:
    """What a term's colour follows: its glossary entry (numbers share one colour)."""
    return term.entry or term.target


def term_colours(doc: Document) -> dict[str, int]:
    """One colour index per glossary entry, in order of first appearance in ``doc``: "Ukraine"
    has the same colour in every segment, and the first :data:`PALETTE` entries all differ."""
    return _colours(doc.segments)


def _colours(segments: Iterable[Segment]) -> dict[str, int]:
    colours: dict[str, int] = {}
    for seg in segments:
        for term in seg.terms:
            colours.setdefault(term_key(term), len(colours) % PALETTE)
    return colours


def _highlight(text: str, spans: Iterable[tuple[int, int, str]], show=escape) -> str:
    """``show`` (escape) ``text`` and wrap each ``(start, end, opening tag)`` span in it."""
    out, pos = [], 0
    for start, end, tag in sorted(spans):
        if start < pos:
            continue
        out += [show(text[pos:start]), tag, show(text[start:end]), "</mark>"]
        pos = end
    out.append(show(text[pos:]))
    return "".join(out)


def term_title(term: Term) -> str:
    """A term's tooltip: ``Arabic → English (category): note``, the Arabic isolated."""
    title = f"{term.source} → {term.target} ({term.category})" + (f": {term.note}" if term.note else "")
    return isolate_text(title)


def _term_tag(seg: Segment, k: int, side: str, colours: Mapping[str, int], missing: bool) -> str:
    term = seg.terms[k]
    other = "en" if side == "ar" else "ar"
    colour = colours.get(term_key(term), 0)
    return (
        f'<mark class="term c{colour}{" missing" if missing else ""}" id="{seg.id}-t{k}-{side}" '
        f'data-term="{seg.id}-t{k}" title="{escape(term_title(term))}"><a href="#{seg.id}-t{k}-{other}"></a>'
    )


def source_html(seg: Segment, colours: Mapping[str, int] | None = None) -> str:
    """The Arabic, its terms marked where :func:`~translate.doc.model.term_marks` puts them
    (class ``missing`` when the term's English is not in the translation)."""
    colours = colours if colours is not None else _colours([seg])
    marks = term_marks(seg)
    spans = [(a, b, _term_tag(seg, k, "ar", colours, k in marks.missing)) for a, b, k in marks.source]
    return _highlight(seg.source, spans)


def translation_html(seg: Segment, colours: Mapping[str, int] | None = None) -> str:
    """The English, every occurrence of its terms marked (:func:`~translate.doc.model.term_marks`)."""
    colours = colours if colours is not None else _colours([seg])
    spans = [(a, b, _term_tag(seg, k, "en", colours, False)) for a, b, k in term_marks(seg).english]
    return _highlight(seg.translation, spans, isolate_html)


def _when(created: str) -> str:
    """``2024-05-01T09:30:00+00:00`` as ``2024-05-01 09:30 UTC`` (other text as it is)."""
    try:
        at = datetime.fromisoformat(created)
    except ValueError:
        return created
    offset = at.utcoffset()
    zone = "" if offset is None else " UTC" if not offset else f" {at:%z}"
    return f"{at:%Y-%m-%d %H:%M}{zone}"


def signature_items(doc: Document) -> list[tuple[str, str]]:
    """The signature as (label, value) pairs, for people: model, revision, backend, beam,
    glossaries, version and when it was translated."""
    sig = doc.signature
    if sig is None:
        return [("signature", "unsigned")]
    items = [("model", sig.model), ("revision", sig.revision), ("backend", sig.backend), ("beam", str(sig.beam)),
             ("glossaries", ", ".join(sig.glossaries) or "none"), ("version", sig.version)]
    if sig.created:
        items.append(("translated", _when(sig.created)))
    return [(k, v) for k, v in items if v]


def _page(title: str, body: str, doc: Document, watermark: str | None, *, signed: bool = True) -> str:
    mark = f'<p class="watermark">{escape(watermark)}</p>' if watermark else ""
    footer = ""
    if signed:
        items = "".join(f"<li>{escape(k)}: <b>{escape(v)}</b></li>" for k, v in signature_items(doc))
        raw = f' data-signature="{escape(str(doc.signature))}"' if doc.signature else ""
        footer = f'<footer{raw}>{mark}<ul class="signature">{items}</ul></footer>\n'
    elif mark:
        footer = f"<footer>{mark}</footer>\n"
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>\n{mark}{body}\n"
        f"{footer}</body></html>\n"
    )


def doc_title(doc: Document) -> tuple[str, str]:
    """The article's title as (English, Arabic): its first title segment; ("", "") without one."""
    seg = next((s for s in doc.segments if s.kind == "title"), None)
    return (seg.translation, seg.source) if seg else ("", "")


def _heading(doc: Document) -> str:
    english, arabic = doc_title(doc)
    doc_id = f'<p class="doc-id">document <code>{escape(doc.doc_id)}</code></p>'
    if not english and not arabic:
        return f'<header class="doc"><h1>{escape(doc.doc_id)}</h1>{doc_id}</header>'
    head = f"<h1>{isolate_html(english)}</h1>" if english else f'<h1 lang="ar" dir="rtl">{escape(arabic)}</h1>'
    sub = f'<p class="ar-title" lang="ar" dir="rtl">{escape(arabic)}</p>' if english and arabic else ""
    return f'<header class="doc">{head}{sub}{doc_id}</header>'


def bilingual_html(doc: Document, *, states: Mapping | None = None, watermark: str | None = None) -> str:
    """Side by side: Arabic right-to-left on the right, English on the left, one row per segment."""
    rows = []
    colours = term_colours(doc)
    for kind, segs in blocks(doc):
        rows.append(f'<tbody class="{kind}">')
        for seg in segs:
            status = ""
            if states and seg.id in states:
                st = states[seg.id]
                who = f" by <bdi>{escape(st.approved_by)}</bdi>" if getattr(st, "approved_by", None) else ""
                why = f": {escape(st.reason)}" if getattr(st, "reason", None) else ""
                status = f'<div class="status">{escape(st.status)}{why}{who}</div>'
            rows.append(
                f'<tr class="{seg.kind}" id="{seg.id}">'
                f'<td lang="en"><span class="sid">{seg.id}</span> {translation_html(seg, colours)}{status}</td>'
                f'<td dir="rtl" lang="ar">{source_html(seg, colours)}</td></tr>'
            )
        rows.append("</tbody>")
    english, arabic = doc_title(doc)
    title = english or arabic or doc.doc_id
    body = f'{_heading(doc)}\n<table class="bilingual">\n' + "\n".join(rows) + "\n</table>"
    return _page(title, body, doc, watermark)


def draft_markdown(doc: Document) -> str:
    """The English draft with the article's structure, signed (it is an internal file)."""
    return article_markdown(doc, signed=True)


def article_markdown(doc: Document, *, watermark: str | None = None, signed: bool = False) -> str:
    """The English article; ``signed`` adds the MT signature (the published article has none)."""
    parts = [f"> **{watermark}**"] if watermark else []
    for kind, segs in blocks(doc):
        text = " ".join(s.translation for s in segs if s.translation)
        parts.append({"title": f"# {text}", "byline": f"*{text}*", "heading": f"## {text}"}.get(kind, text))
    if signed and doc.signature:
        parts.append(f"---\n\n<small>{doc.signature}</small>")
    return "\n\n".join(parts) + "\n"


def article_html(doc: Document, *, watermark: str | None = None) -> str:
    parts = []
    for kind, segs in blocks(doc):
        inner = " ".join(f'<span id="{s.id}">{isolate_html(s.translation)}</span>' for s in segs)
        tag = {"title": "h1", "byline": 'p class="byline"', "heading": "h2"}.get(kind, "p")
        parts.append(f"<{tag}>{inner}</{tag.split()[0]}>")
    title = next((s.translation for s in doc.segments if s.kind == "title"), doc.doc_id)
    return _page(title, "<article>\n" + "\n".join(parts) + "\n</article>", doc, watermark, signed=False)


def document_files(doc: Document) -> dict[str, bytes]:
    """The views ``translate run`` writes beside ``bilingual.json``: file name -> bytes."""
    return {BILINGUAL_HTML: bilingual_html(doc).encode("utf-8"), DRAFT_MD: draft_markdown(doc).encode("utf-8")}
