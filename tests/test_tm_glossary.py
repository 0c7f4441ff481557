"""``translate glossary suggest`` (proposals from repeated corrections) and ``translate glossary add``
(issue #15)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from translate.cli import cli
from translate.doc.model import Document, Segment, Signature
from translate.paths import corpus_dir
from translate.review.log import ReviewLog
from translate.doc.store import save_outputs

REPO = Path(__file__).resolve().parents[1]
# (Arabic, MT, alignment [source word, MT word], reviewer's English)
ROWS = [
    ("قال البنتاغون إن الاجتماع انتهى.", "The Pentagone said the meeting ended.",
     [(1, 0), (1, 1), (0, 2), (3, 3), (3, 4), (4, 5)], "The Pentagon said the meeting ended."),
    ("وأكد البنتاغون الخبر.", "The Pentagone confirmed the news.",
     [(1, 0), (1, 1), (0, 2), (2, 3), (2, 4)], "The Pentagon confirmed the news."),
    ("ونفى البنتاغون ذلك.", "The Pentagone denied that.", [(1, 0), (1, 1), (0, 2), (2, 3)], "The Pentagon denied that."),
    ("وقال الكرملين إن الحرب مستمرة.", "And the Kremlinn said the war goes on.",
     [(0, 0), (1, 1), (1, 2), (0, 3), (3, 4), (3, 5), (4, 6), (4, 7)], "And the Kremlin said the war goes on."),
]


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def corrected_document(doc_id: str = "pentagon", rows=ROWS) -> None:
    segments, lines, offset = [], [], 0
    for n, (ar, mt, alignment, _) in enumerate(rows, 1):
        segments.append(Segment(f"s{n}", "sentence", n, ar, (offset, offset + len(ar)), mt, tuple(alignment)))
        lines.append(ar)
        offset += len(ar) + 1
    sig = Signature(model="m", revision="r", backend="none", beam=1)
    doc = Document(doc_id, tuple(segments), sig)
    save_outputs(doc, ("\n".join(lines) + "\n").encode("utf-8"), corpus_dir() / doc_id)
    log = ReviewLog.for_document(doc_id)
    for n, row in enumerate(rows, 1):
        log.append(doc, reviewer="amal" if n % 2 else "omar", segment=f"s{n}", action="edit", text=row[3])
        log.append(doc, reviewer="nadia", segment=f"s{n}", action="approve")


def test_three_identical_corrections_are_proposed_one_is_not():
    corrected_document()
    result = run("glossary", "suggest")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "# 1 proposal from 1 document (corrections made in at least 2 segments); columns: ar, en, category, note",
        "البنتاغون\tPentagon\tterm\tproposed from 3 corrections of 'Pentagone' in pentagon/s1, pentagon/s2, "
        "pentagon/s3; reviewers: amal, omar",
    ]
    assert run("glossary", "suggest", "pentagon", "--min-count", "4").output.startswith("# 0 proposals from 1 document")
    once = run("glossary", "suggest", "--min-count", "1").output.splitlines()
    assert once[2].startswith("الكرملين\tKremlin\t")  # the single correction only shows when asked for
    assert len(once) == 3


def test_a_rendering_the_glossary_already_has_is_not_proposed():
    corrected_document()
    result = run("glossary", "suggest", "-g", str(REPO / "glossaries" / "news-ar-en.tsv"))
    assert result.output.splitlines() == [
        "# 0 proposals from 1 document (corrections made in at least 2 segments); columns: ar, en, category, note"]


def test_category_is_guessed_from_the_glossary(tmp_path):
    corrected_document()
    g = tmp_path / "g.tsv"
    g.write_text("ar\ten\tcategory\tnote\nوزارة الدفاع الأميركية\tU.S. Department of Defense\torganisation\n"
                 "الأمم المتحدة\tUnited Nations\torganisation\nالقيادة المركزية\tCentral Command\torganisation\n"
                 "المبنى\tPentagon\tplace\n", encoding="utf-8")
    (row,) = run("glossary", "suggest", "-g", str(g)).output.splitlines()[1:]
    assert row.split("\t")[:3] == ["البنتاغون", "Pentagon", "place"]


def test_glossary_add_appends_a_checked_entry(tmp_path):
    g = tmp_path / "g.tsv"
    original = "ar\ten\tcategory\tnote\tvariants\r\nالكرملين\tKremlin\torganisation\r\n"
    g.write_bytes(original.encode("utf-8"))
    result = run("glossary", "add", str(g), "--ar", "البنتاغون", "--en", "Pentagon", "--category", "organisation",
                 "--note", "from 3 corrections")
    assert result.exit_code == 0, result.output
    assert result.output == f"{g}:3: added البنتاغون -> Pentagon (organisation)\n"
    assert g.read_bytes().decode() == original + "البنتاغون\tPentagon\torganisation\tfrom 3 corrections\r\n"
    assert run("glossary", "check", str(g)).exit_code == 0


def test_glossary_add_refuses_what_glossary_check_would_and_writes_nothing(tmp_path):
    g = tmp_path / "g.tsv"
    original = "ar\ten\tcategory\tnote\nالكرملين\tKremlin\torganisation\n"
    g.write_text(original, encoding="utf-8")
    conflict = run("glossary", "add", str(g), "--ar", "الكرملين", "--en", "the Kremlin", "--category", "organisation")
    assert conflict.exit_code == 1
    assert conflict.output == (f"Error: {g}:3: conflicting English for 'الكرملين': 'the Kremlin' here but 'Kremlin' "
                               "for 'الكرملين' at line 2 (both organisation); remove one or give them different "
                               "categories\n")
    category = run("glossary", "add", str(g), "--ar", "البنتاغون", "--en", "Pentagon", "--category", "building")
    assert category.exit_code == 1 and f"{g}:3: unknown category 'building'" in category.output
    no_arabic = run("glossary", "add", str(g), "--ar", "Pentagon", "--en", "Pentagon")
    assert no_arabic.exit_code == 1 and f"{g}:3: no Arabic letters in ar 'Pentagon'" in no_arabic.output
    tab = run("glossary", "add", str(g), "--ar", "البنتاغون", "--en", "Penta\tgon")
    assert tab.output == f"Error: {g}: --en cannot hold a tab or a line break\n"
    assert g.read_text(encoding="utf-8") == original


def test_glossary_add_creates_a_new_glossary_and_refuses_other_formats(tmp_path):
    new = tmp_path / "new.tsv"
    assert run("glossary", "add", str(new), "--ar", "البنتاغون", "--en", "Pentagon").exit_code == 0
    assert new.read_text(encoding="utf-8") == "ar\ten\tcategory\tnote\nالبنتاغون\tPentagon\tterm\n"
    two = tmp_path / "omegat.tsv"
    two.write_text("الكرملين\tKremlin\n", encoding="utf-8")
    result = run("glossary", "add", str(two), "--ar", "البنتاغون", "--en", "Pentagon")
    assert result.exit_code == 1
    assert result.output == (f"Error: {two}:1: not a glossary in the project format (its first row is not the "
                             "header ar, en, category, note): 'glossary add' only appends to such a file\n")
    csv = tmp_path / "g.csv"
    result = run("glossary", "add", str(csv), "--ar", "البنتاغون", "--en", "Pentagon")
    assert result.output == f"Error: {csv}: 'glossary add' writes the project TSV format: name a .tsv file\n"
    assert not csv.exists()
