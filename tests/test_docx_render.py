"""Rendering for real: LibreOffice headless turns the bilingual review .docx and ``article.en.docx``
into PDF, poppler into PNG (kept in ``tests/artifacts/``) and word boxes; the Arabic column must
read right-to-left, right-aligned, with every word there, and the English as exported. A .docx
re-saved by LibreOffice must import as unchanged (nothing of what the import needs is lost).

Needs ``soffice`` (Debian's libreoffice-writer-nogui) and ``pdftoppm``/``pdftotext``
(poppler-utils); ``.ci/run`` installs both.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree
from publish_helpers import approve_all, save, seed_document

from translate.interchange.docx_review import export_review_docx, import_review_docx
from translate.review.publish import publish
from translate.review.log import states

TOOLS = {name: shutil.which(name) for name in ("soffice", "pdftoppm", "pdftotext")}
pytestmark = pytest.mark.skipif(
    not all(TOOLS.values()),
    reason="needs LibreOffice (soffice: apt-get install libreoffice-writer-nogui) and poppler-utils "
           f"(pdftoppm, pdftotext); missing: {', '.join(n for n, p in TOOLS.items() if not p)}",
)
ARTIFACTS = Path(__file__).parent / "artifacts"
_ARABIC = re.compile("[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")


@pytest.fixture(scope="module")
def profile(tmp_path_factory) -> str:
    """A LibreOffice user profile of our own: never hands the job to someone else's soffice."""
    return (tmp_path_factory.mktemp("lo-profile")).as_uri()


def soffice(profile: str, target: str, src: Path, outdir: Path) -> Path:
    done = subprocess.run(
        [TOOLS["soffice"], f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to",
         target, "--outdir", str(outdir), str(src)],
        capture_output=True, text=True, timeout=240)
    out = outdir / (src.stem + "." + target.split(":")[0])
    assert done.returncode == 0 and out.is_file(), done.stdout + done.stderr
    assert "Error" not in done.stdout + done.stderr, done.stdout + done.stderr
    return out


def png_of_first_page(pdf: Path, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run([TOOLS["pdftoppm"], "-r", "110", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(ARTIFACTS / name)], check=True, timeout=120)
    png = ARTIFACTS / f"{name}.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return png


def words_by_page(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Every word box, per page: (xMin, yMin, xMax, yMax, text) as poppler reads it (Arabic in visual order)."""
    html = subprocess.run([TOOLS["pdftotext"], "-bbox", str(pdf), "-"], capture_output=True, check=True,
                          timeout=120).stdout
    root = etree.fromstring(html, etree.XMLParser(recover=True))
    pages = []
    for page in root.iter("{*}page"):
        pages.append([(float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")),
                       w.text or "") for w in page.iter("{*}word")])
    return pages


def key(word: str) -> str:
    """A word compared by its letters: presentation forms, diacritics, punctuation and the order of the
    letters inside it (poppler gives Arabic in visual order, lam-alef as one glyph) do not count."""
    letters = [ch for ch in unicodedata.normalize("NFKC", word) if ch.isalnum() and not unicodedata.combining(ch)]
    return "".join(sorted(letters))


def keys(text: str) -> list[str]:
    return [k for k in map(key, text.split()) if k]


def rows(pages):
    """Per segment row: the words of each column, found under the table's header on every page."""
    found = {}
    for words in pages:
        first = next((w for w in words if w[4] == "ID" and any(  # the header row, repeated on every page
            v[4] == "Status" and abs(v[1] - w[1]) < 1 for v in words)), None)
        if first is None:
            continue
        head = {w[4]: w for w in words if abs(w[1] - first[1]) < 1}
        edges = [head[h][0] - 4 for h in ("ID", "Status", "Arabic", "English", "Notes")] + [10_000]
        ids = sorted((w for w in words if re.fullmatch(r"s\d+", w[4]) and w[0] < edges[1]), key=lambda w: w[1])
        for n, row in enumerate(ids):
            bottom = ids[n + 1][1] - 5 if n + 1 < len(ids) else 10_000  # larger Arabic type starts higher
            inside = [w for w in words if row[1] - 5 <= w[1] < bottom]
            found[row[4]] = {col: [w for w in inside if edges[c] <= w[0] < edges[c + 1]]
                             for c, col in enumerate(("id", "status", "arabic", "english", "notes"))}
            found[row[4]]["right_edge"] = edges[3]
    return found


def lines(words):
    """Words grouped into lines, top to bottom."""
    out: dict[int, list] = {}
    for w in sorted(words, key=lambda w: w[1]):
        top = next((t for t in out if abs(t - w[1]) < 3), round(w[1]))
        out.setdefault(top, []).append(w)
    return [out[t] for t in sorted(out)]


def test_libreoffice_renders_the_bilingual_review_right_to_left_and_loses_nothing(tmp_path, profile):
    doc = save(seed_document())
    docx_path = tmp_path / "bilingual-review.docx"
    export_review_docx(doc, states(doc), docx_path)
    pdf = soffice(profile, "pdf", docx_path, tmp_path)
    png_of_first_page(pdf, "bilingual-review-page1")
    shutil.copy(pdf, ARTIFACTS / "bilingual-review.pdf")

    table = rows(words_by_page(pdf))
    assert list(table) == [s.id for s in doc.segments]  # every row, in order
    right_edges = []
    for seg in doc.segments:
        cells = table[seg.id]
        assert " ".join(w[4] for ln in lines(cells["english"]) for w in ln) == seg.translation, seg.id
        # poppler boxes a tanween or a lone full stop on its own: only words with letters count
        arabic_lines = lines([w for w in cells["arabic"] if key(w[4])])
        # read right to left, top to bottom: the Arabic in its logical order, every word there
        read = [key(w[4]) for ln in arabic_lines for w in sorted(ln, key=lambda w: -w[0])]
        assert read == keys(seg.source), seg.id
        if _ARABIC.search(seg.source):
            right_edges += [max(w[2] for w in ln) for ln in arabic_lines]
            first = max(arabic_lines[0], key=lambda w: w[2])  # the rightmost word of the first line
            assert key(first[4]) == keys(seg.source)[0], seg.id
    # right-aligned: every Arabic line ends at the same right edge; short lines start far from the left
    assert max(right_edges) - min(right_edges) < 2.0, right_edges
    heading = lines(table["s5"]["arabic"])[0]
    column_left = min(w[0] for w in table["s3"]["arabic"])  # a full line reaches the left
    assert min(w[0] for w in heading) > column_left + 60


def test_a_review_resaved_by_libreoffice_imports_as_unchanged(tmp_path, profile):
    doc = save(seed_document())
    exported = tmp_path / "review.docx"
    export_review_docx(doc, states(doc), exported)
    resaved = soffice(profile, "docx:MS Word 2007 XML", exported, tmp_path / "lo")
    result = import_review_docx("seed", resaved, "zeina")
    assert (result.applied, result.conflicts, len(result.unchanged)) == ((), (), 21)


def test_libreoffice_renders_the_published_article_docx(tmp_path, profile):
    doc = save(seed_document())
    approve_all(doc)
    out = tmp_path / "published"
    publish("seed", out)
    pdf = soffice(profile, "pdf", out / "article.en.docx", tmp_path)
    png_of_first_page(pdf, "article-en-page1")
    words = [w for page in words_by_page(pdf) for w in page]
    text = " ".join(w[4] for w in words)
    blocks = [b for b in (out / "article.en.md").read_text(encoding="utf-8").strip().split("\n\n")]
    plain = [b.lstrip("# ").strip("*") for b in blocks]
    assert text == " ".join(plain)  # every paragraph, in order, nothing else (no signature)
    title = [w for w in words if w[1] < words[0][3] + 1]  # the first line: the title
    body = next(w for w in words if w[4] == "3.")
    assert title[0][3] - title[0][1] > 1.5 * (body[3] - body[1])  # Title style: much larger than Normal
