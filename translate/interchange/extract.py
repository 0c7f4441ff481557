"""Articles that arrive as Word or as a web page: ``.docx`` and ``.html`` become plain text.

:func:`read_article` gives an :class:`Article`: the text (one block per line: title, byline,
headings, paragraphs, in reading order; runs of whitespace inside a block are one space), and,
per line, the kind its markup says (``title``, ``byline``, ``heading``) where it says one; the
segmenter's rules decide the other lines exactly as for a ``.txt`` article, so the same
article as ``.txt``, ``.docx`` or ``.html`` gives the same segments.

| markup | .docx | .html |
|---|---|---|
| title | ``Title`` style (or ``Heading 1`` on the first paragraph) | the first ``h1`` |
| heading | ``Heading 1``-``Heading 9`` | ``h2``-``h6`` (and any later ``h1``) |
| byline | a style whose name holds ``byline`` or ``author`` | ``class`` holding ``byline`` or ``author``, ``<address>``, ``rel=author`` |
| never read | hidden text (``w:vanish``), deleted tracked changes, text boxes, headers, footers, notes, comments | ``script``, ``style``, ``template``, ``noscript``, ``nav``, ``aside``, ``footer``, forms, ``hidden``, ``style="display:none"``/``visibility:hidden``, classes a ``<style>`` hides with ``display:none``, ``hidden``/``sr-only`` classes, comments |

In HTML the article is the first ``<article>``, else ``<main>``, else ``<body>`` (with the page's
``h1`` if the article has none); ``<br>`` is a space. Lines before a styled title become headings.
A corrupt, encrypted or unreadable file raises :class:`~translate.errors.InputFileError`.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from translate.interchange.docx import W, Styles, open_docx, paragraph_style_id, paragraph_text
from translate.errors import InputFileError
from translate.text.segment import is_blank
from translate.textio import missing, read_text

DOCX, HTML = (".docx",), (".html", ".htm", ".xhtml")
_SKIP_HTML = {"script", "style", "template", "noscript", "head", "nav", "aside", "footer", "form", "button",
              "select", "textarea", "input", "iframe", "object", "embed", "svg", "math", "canvas", "audio",
              "video", "map", "dialog"}
_BLOCK_HTML = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "address", "figcaption",
               "dt", "dd", "td", "th", "caption", "div", "section", "article", "header", "main", "body",
               "ul", "ol", "dl", "table", "tr", "figure", "hr", "center"}
_HIDDEN_CLASSES = {"hidden", "d-none", "sr-only", "visually-hidden", "screen-reader-text", "hide"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_CSS_HIDDEN = re.compile(r"\.([\w-]+)\s*\{[^}]*?(?:display\s*:\s*none|visibility\s*:\s*hidden)", re.IGNORECASE)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_HEADING = re.compile(r"heading [1-9]")


@dataclass(frozen=True)
class Article:
    text: str
    """One block per line, ending with a newline; what ``source.ar.txt`` holds."""
    kinds: Mapping[int, str] = field(default_factory=dict)
    """0-based line number -> the kind the markup gave that line (absent: the segmenter's rules decide)."""
    original: bytes | None = None
    """The file as given, for a .docx or .html (kept as ``original.docx``/``original.html``)."""
    suffix: str = ".txt"


def article_kind(path: str | Path) -> str:
    """``docx``, ``html`` or ``text``, by the file name; an old ``.doc`` is refused."""
    suffix = Path(path).suffix.lower()
    if suffix == ".doc":
        raise InputFileError(path, "is a Word 97-2003 .doc: save it as .docx and try again")
    return "docx" if suffix in DOCX else "html" if suffix in HTML else "text"


def read_article(path: str | Path) -> Article:
    """The article in ``path`` (a ``.docx``, an ``.html`` page, or text read exactly as given)."""
    kind = article_kind(path)
    if kind == "text":
        return Article(read_text(path))
    lines = docx_lines(path) if kind == "docx" else html_lines(path)
    return _article(path, lines, Path(path).read_bytes(), ".docx" if kind == "docx" else ".html")


def _article(path, lines: list[tuple[str, str | None]], original: bytes, suffix: str) -> Article:
    kept = [(" ".join(text.split()), kind) for text, kind in lines]
    kept = [(text, kind) for text, kind in kept if not is_blank(text)]
    if not kept:
        raise InputFileError(path, "has no article text (no visible paragraph)")
    first_title = next((n for n, (_, kind) in enumerate(kept) if kind == "title"), 0)
    kinds = {n: kind or ("heading" if n < first_title else None) for n, (_, kind) in enumerate(kept)}
    text = "".join(line + "\n" for line, _ in kept)
    return Article(text, {n: k for n, k in kinds.items() if k}, original, suffix)


# ----------------------------------------------------------------------------- .docx


def docx_lines(path: str | Path) -> list[tuple[str, str | None]]:
    """Each body paragraph's visible text (tracked changes accepted) with its kind by style name."""
    document = open_docx(path)
    styles = Styles(document)
    out: list[tuple[str, str | None]] = []
    for p in _body_paragraphs(document.element.body):
        text = paragraph_text(p, styles)
        if not text.strip():
            continue
        name = styles.name(paragraph_style_id(p)).lower()
        if name == "title" or (name == "heading 1" and not out):
            kind = "title"
        elif _HEADING.fullmatch(name):
            kind = "heading"
        elif "byline" in name or "author" in name:
            kind = "byline"
        else:
            kind = None
        out.append((text, kind))
    return out


def _body_paragraphs(el):
    for child in el:
        if child.tag == W + "p":
            yield child
        elif child.tag in (W + "tbl", W + "tr", W + "tc", W + "sdt", W + "sdtContent", W + "customXml", W + "ins",
                           W + "moveTo"):
            yield from _body_paragraphs(child)


# ----------------------------------------------------------------------------- .html


def decode_html(path: str | Path, data: bytes) -> str:
    """Bytes -> text: a BOM, else a ``<meta charset>``, else UTF-8; undecodable bytes are an error."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding, errors="strict").lstrip("\ufeff")
    match = _CHARSET.search(data[:4096])
    encoding = match.group(1).decode("ascii") if match else "utf-8"
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputFileError(path, f"declares an unknown charset {encoding!r}") from None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputFileError(path, f"is not valid {encoding} (byte 0x{data[exc.start]:02x} at offset "
                                   f"{exc.start}); declare its charset in a <meta charset> tag", line) from None


def html_lines(path: str | Path) -> list[tuple[str, str | None]]:
    """The visible article text of an HTML page, one entry per block, with its kind by tag or class."""
    import lxml.html
    from lxml import etree

    p = Path(path)
    if p.is_dir():
        raise InputFileError(p, "is a directory, not an HTML file")
    if not p.is_file():
        raise InputFileError(p, missing(p))
    data = p.read_bytes()
    text = decode_html(p, data)
    if not text.strip():
        raise InputFileError(p, "is empty")
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    try:
        page = lxml.html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", text), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputFileError(p, f"is not a readable HTML page ({exc})") from None
    hidden_classes = _HIDDEN_CLASSES | {m.lower() for css in page.iter("style") for m in
                                        _CSS_HIDDEN.findall(css.text or "")}
    root = next((el for tag in ("article", "main", "body") for el in page.iter(tag)), None)
    if root is None:
        return []
    reader = _HtmlReader(hidden_classes)
    if not any(True for _ in root.iter("h1")):
        outside = [h for h in page.iter("h1") if not reader.hidden(h)]
        if len(outside) == 1:
            reader.walk(outside[0], None)
    reader.walk(root, None)
    reader.flush()
    return reader.lines


class _HtmlReader:
    def __init__(self, hidden_classes: set[str]):
        self.hidden_classes = hidden_classes
        self.lines: list[tuple[str, str | None]] = []
        self.buffer: list[str] = []
        self.kind: str | None = None
        self.titled = False

    def hidden(self, el) -> bool:
        classes = set((el.get("class") or "").lower().split())
        return (el.get("hidden") is not None or bool(_HIDDEN_STYLE.search(el.get("style") or ""))
                or bool(classes & self.hidden_classes))

    def _kind_of(self, el, inherited: str | None) -> str | None:
        tag = el.tag
        classes = (el.get("class") or "").lower()
        if tag == "h1" and not self.titled:
            self.titled = True
            return "title"
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            return "heading"
        if tag == "address" or "byline" in classes or "author" in classes or el.get("rel") == "author":
            return "byline"
        return inherited

    def flush(self) -> None:
        text = "".join(self.buffer)
        if text.strip():
            self.lines.append((text, self.kind))
        self.buffer, self.kind = [], None

    def walk(self, el, kind: str | None) -> None:
        if not isinstance(el.tag, str) or el.tag in _SKIP_HTML or self.hidden(el):
            return
        block = el.tag in _BLOCK_HTML
        if block:
            self.flush()
        kind = self._kind_of(el, kind)
        if block or not "".join(self.buffer).strip():  # a block, or an inline element opening one
            self.kind = kind
        elif kind == "byline" and self.kind is None:  # "By <span class=author>...</span>"
            self.kind = kind
        if el.tag == "br":
            self.buffer.append(" ")
        self.buffer.append(el.text or "")
        for child in el:
            self.walk(child, kind)
            if isinstance(child.tag, str) and child.tag in _BLOCK_HTML:
                self.flush()
                self.kind = kind
            self.buffer.append(child.tail or "")
        if block:
            self.flush()
