"""Segmentation: the seed, case tables, spans that index the original text, NTREX boundaries."""

from __future__ import annotations

from collections import Counter
from itertools import groupby

import pytest
from helpers import SEED, SHARED

from translate.text.segment import (
    BYLINE_WORDS, CLOSERS, SHORT_LINE_WORDS, TERMINATORS, approx_token_count, segment_text, sentence_spans,
    split_blocks, split_long, words,
)


def seed_text() -> str:
    return SEED.read_bytes().decode("utf-8")


def test_seed_gives_21_segments_of_the_right_kinds():
    doc = segment_text(seed_text(), "article")
    assert len(doc.segments) == 21
    assert Counter(s.kind for s in doc.segments) == {"title": 1, "byline": 1, "heading": 4, "sentence": 15}
    assert [s.id for s in doc.segments] == [f"s{i}" for i in range(1, 22)]
    assert doc.segments[1].source == "zeina"
    headings = [s.source for s in doc.segments if s.kind == "heading"]
    assert headings == ["مناقشة القضايا الأمنية", "تصعيد جديد في الصراع الأوكراني",
                        "إعلان عن مساعدات عسكرية جديدة", "تعزيز القدرات الدفاعية الأوكرانية"]


def test_seed_each_body_line_is_one_sentence_with_exact_span():
    text = seed_text()
    doc = segment_text(text, "article")
    lines = [line for line in text.split("\n") if line.strip()]
    assert [s.source for s in doc.segments] == lines
    for seg in doc.segments:
        assert text[seg.source_span[0] : seg.source_span[1]] == seg.source
    assert len({s.paragraph for s in doc.segments}) == 21


SPLIT_CASES = [
    ("one", "قال الجيش. وأضاف المتحدث.", ["قال الجيش.", "وأضاف المتحدث."]),
    ("arabic question mark", "هل حدث ذلك؟ نعم حدث.", ["هل حدث ذلك؟", "نعم حدث."]),
    ("exclamation", "يا له من يوم! انتهى.", ["يا له من يوم!", "انتهى."]),
    ("ellipsis char", "وانتظر… ثم غادر.", ["وانتظر…", "ثم غادر."]),
    ("three dots once", "وانتظر... ثم غادر.", ["وانتظر...", "ثم غادر."]),
    ("closing quote kept", "وقال “ناقشا القضايا”. وأضاف شيئا.", ["وقال “ناقشا القضايا”.", "وأضاف شيئا."]),
    ("quote after period", "قال: “انتهى الأمر.” ثم غادر.", ["قال: “انتهى الأمر.”", "ثم غادر."]),
    ("bracket kept", "الصواريخ (هيمارس.) وصلت. نعم.", ["الصواريخ (هيمارس.)", "وصلت.", "نعم."]),
    ("no split on comma", "قال، وأضاف، ثم غادر.", ["قال، وأضاف، ثم غادر."]),
    ("no split on semicolon", "قال؛ وأضاف.", ["قال؛ وأضاف."]),
    ("no split on colon", "وأضاف سوليفان: أمر الرئيس.", ["وأضاف سوليفان: أمر الرئيس."]),
    ("decimal", "بلغ النمو 3.5 بالمئة. وارتفع.", ["بلغ النمو 3.5 بالمئة.", "وارتفع."]),
    ("thousands", "قتل 1.000 جندي. وجرح آخرون.", ["قتل 1.000 جندي.", "وجرح آخرون."]),
    ("arabic-indic decimal", "بلغ ٣.٥ مليون. وارتفع.", ["بلغ ٣.٥ مليون.", "وارتفع."]),
    ("comma decimal", "بلغ 2,5 مليون. نعم.", ["بلغ 2,5 مليون.", "نعم."]),
    ("latin initial", "أجرى تشارلز Q. Brown مكالمة. نعم.", ["أجرى تشارلز Q. Brown مكالمة.", "نعم."]),
    ("arabic abbreviation د.", "قال د. أحمد إن الوضع خطير. نعم.", ["قال د. أحمد إن الوضع خطير.", "نعم."]),
    ("abbreviation م.", "في عام 2000 م. وقعت الحرب. نعم.", ["في عام 2000 م. وقعت الحرب.", "نعم."]),
    ("abbreviation أ.", "قال أ. محمد. نعم.", ["قال أ. محمد.", "نعم."]),
    ("latin words inside", "قالت صحيفة Washington Post. وأضافت.", ["قالت صحيفة Washington Post.", "وأضافت."]),
    ("no space after dot", "موقع example.com مهم. نعم.", ["موقع example.com مهم.", "نعم."]),
    ("tatweel and diacritics", "قالَ الجـيش. وأضافَ.", ["قالَ الجـيش.", "وأضافَ."]),
    ("no final punctuation", "قال الجيش. وأضاف", ["قال الجيش.", "وأضاف"]),
]


@pytest.mark.parametrize("name,text,expected", SPLIT_CASES, ids=[c[0] for c in SPLIT_CASES])
def test_sentence_splitting(name, text, expected):
    spans = sentence_spans(text, 0, len(text))
    assert [text[s:e] for s, e in spans] == expected


BLOCK_CASES = [
    ("crlf", "العنوان\r\nzeina\r\nقال الجيش إنه أجرى مكالمة هاتفية نادرة مع نظيره الروسي الأسبوع الماضي.\r\n"),
    ("bom", "\ufeffالعنوان\nzeina\nقال الجيش إنه أجرى مكالمة هاتفية نادرة مع نظيره الروسي الأسبوع الماضي."),
    ("blank lines", "\n\nالعنوان\n\n\nzeina\n\n  قال الجيش إنه أجرى مكالمة هاتفية نادرة مع نظيره الروسي الأسبوع الماضي.  \n\n"),
]


@pytest.mark.parametrize("name,text", BLOCK_CASES, ids=[c[0] for c in BLOCK_CASES])
def test_line_endings_bom_and_blank_lines_keep_exact_spans(name, text):
    doc = segment_text(text)
    assert [s.kind for s in doc.segments] == ["title", "byline", "sentence"]
    assert doc.segments[0].source == "العنوان"
    for seg in doc.segments:
        assert text[seg.source_span[0] : seg.source_span[1]] == seg.source
        assert "\r" not in seg.source and "\ufeff" not in seg.source


KIND_CASES = [
    ("second short line is byline", ["عنوان", "zeina", "نص طويل."], ["title", "byline", "sentence"]),
    ("second line with punctuation is not a byline", ["عنوان", "قال الجيش.", "نص."], ["title", "sentence", "sentence"]),
    ("short line later is heading", ["عنوان", "نص.", "مناقشة القضايا", "نص."], ["title", "sentence", "heading", "sentence"]),
    ("short line with colon is paragraph", ["عنوان", "نص.", "وأضاف سوليفان:", "نص."], ["title", "sentence", "sentence", "sentence"]),
    ("long line without punctuation is paragraph",
     ["عنوان", "نص.", " ".join(["كلمة"] * 20), "نص."], ["title", "sentence", "sentence", "sentence"]),
    # the limits are inclusive: exactly BYLINE_WORDS / SHORT_LINE_WORDS words still count as short
    ("byline of exactly the byline limit", ["عنوان", " ".join(["زينة"] * BYLINE_WORDS), "نص."],
     ["title", "byline", "sentence"]),
    ("one word over the byline limit is a heading", ["عنوان", " ".join(["زينة"] * (BYLINE_WORDS + 1)), "نص."],
     ["title", "heading", "sentence"]),
    ("a colon inside a short second line: no byline", ["عنوان", "بقلم: زينة", "نص."], ["title", "heading", "sentence"]),
    ("heading of exactly the short-line limit", ["عنوان", "نص.", " ".join(["قضية"] * SHORT_LINE_WORDS), "نص."],
     ["title", "sentence", "heading", "sentence"]),
    ("one word over the short-line limit is a paragraph",
     ["عنوان", "نص.", " ".join(["قضية"] * (SHORT_LINE_WORDS + 1)), "نص."], ["title", "sentence", "sentence", "sentence"]),
    ("a Latin byline is a byline", ["عنوان", "Xavier Smith", "نص."], ["title", "byline", "sentence"]),
    ("a heading ending in a Latin letter is a heading", ["عنوان", "نص.", "ملف SpaceX", "نص."],
     ["title", "sentence", "heading", "sentence"]),
    ("short line ending in a colon inside quotes is a paragraph", ["عنوان", "نص.", "وقال «التالي:»", "نص."],
     ["title", "sentence", "sentence", "sentence"]),
]


@pytest.mark.parametrize("name,lines,kinds", KIND_CASES, ids=[c[0] for c in KIND_CASES])
def test_block_kinds(name, lines, kinds):
    assert [s.kind for s in segment_text("\n".join(lines)).segments] == kinds


def test_blocks_number_paragraphs_and_keep_sentences_together():
    text = "عنوان\nzeina\nالجملة الأولى. الجملة الثانية.\nعنوان فرعي\nالثالثة."
    doc = segment_text(text)
    assert [(s.kind, s.paragraph) for s in doc.segments] == [
        ("title", 0), ("byline", 1), ("sentence", 2), ("sentence", 2), ("heading", 3), ("sentence", 4)]
    assert [b.kind for b in split_blocks(text)] == ["title", "byline", "paragraph", "heading", "paragraph"]


def test_long_sentence_is_cut_into_pieces_at_arabic_punctuation_never_truncated():
    clause = "قال المتحدث إن الجيش أرسل المزيد من المعدات العسكرية إلى المنطقة"
    sentence = "، ".join([clause] * 30) + "؛ " + "، ".join([clause] * 30) + "."
    text = "عنوان\n" + sentence
    doc = segment_text(text, count_tokens=lambda s: len(s.split()), max_tokens=100)
    seg = doc.segments[1]
    assert seg.kind == "sentence" and len(doc.segments) == 2
    assert len(seg.pieces) >= 4
    assert all(len(text[s:e].split()) <= 100 for s, e in seg.pieces)
    rebuilt = " ".join(text[s:e] for s, e in seg.pieces)
    assert rebuilt == sentence
    assert text[seg.pieces[0][0] : seg.pieces[-1][1]] == seg.source


LEN = len  # a token per character: the cases below count exactly


SPLIT_LONG_CASES = [
    # (name, text, limit, pieces as text)
    ("exactly the limit is one piece", "aa bb", 5, ["aa bb"]),
    ("a mark is a cut even right before the last character", "aaaaa،b", 5, ["aaa", "aa،", "b"]),
    ("a piece grows while the next one still fits", "aa؛bb؛cccc", 6, ["aa؛bb؛", "cccc"]),
    ("greedy: cut at the last mark that keeps the piece within the limit", "aa؛b؛cc؛dddd", 5,
     ["aa؛b؛", "cc؛", "dddd"]),
    ("one enormous word is halved until each half fits", "x" * 40, 10, ["x" * 10] * 4),
    ("an odd-length word: cut at the floor of the middle", "y" * 7, 3, ["yyy", "yy", "yy"]),
    ("a piece left too long after the marks is cut again, at spaces", "aaaa bbbb؛c", 6, ["aaaa", "bbbb؛", "c"]),
    # only the marks are cut points: a Latin letter among them is not
    ("X is no semicolon", "aaaaXaa؛b", 5, ["aaaa", "Xaa؛", "b"]),
    ("X is no comma", "aaaaXaa،b", 5, ["aaaa", "Xaa،", "b"]),
    ("X is no space", "aaaaXaa b", 5, ["aaa", "aXaa", "b"]),
]


@pytest.mark.parametrize("name,text,limit,expected", SPLIT_LONG_CASES, ids=[c[0] for c in SPLIT_LONG_CASES])
def test_split_long_cases(name, text, limit, expected):
    spans = split_long(text, 0, len(text), LEN, limit)
    assert [text[s:e] for s, e in spans] == expected
    assert all(e - s <= limit for s, e in spans)


def test_approx_token_count_is_two_per_word_plus_one():
    assert [approx_token_count(t) for t in ("", "كلمة", "كلمتان هنا", "  a\tb\nc ")] == [1, 3, 5, 7]


def test_words_are_whitespace_separated_spans():
    assert words("  قال   الجيش\tأمس\n") == [(2, 5), (8, 13), (14, 17)]
    assert words("") == []


def test_a_short_sentence_has_no_pieces_and_the_document_id_defaults():
    doc = segment_text("عنوان\nجملة قصيرة.")
    assert doc.doc_id == "document"
    assert [s.pieces for s in doc.segments] == [(), ()]
    cut = segment_text("عنوان\nأ ب ج د هـ و.", count_tokens=lambda t: len(t.split()), max_tokens=3)
    assert [cut.segments[1].source[s - 6:e - 6] for s, e in cut.segments[1].pieces] == ["أ ب ج", "د هـ و."]


def test_kinds_from_markup_win_over_the_rules_by_line_number():
    text = "عنوان\n\nقال الجيش إنه أرسل المعدات.\nقسم"
    kinds = {2: "heading", 3: "paragraph"}  # 0-based lines; line 1 is blank
    assert [b.kind for b in split_blocks(text, kinds)] == ["title", "heading", "paragraph"]
    assert [s.kind for s in segment_text(text, kinds=kinds).segments] == ["title", "heading", "sentence"]


def test_split_long_prefers_semicolon_then_comma_then_spaces():
    text = "أ ب ج د، هـ و ز؛ ح ط ي ك"
    count = lambda s: len(s.split())  # noqa: E731
    assert [text[s:e] for s, e in split_long(text, 0, len(text), count, 8)] == ["أ ب ج د، هـ و ز؛", "ح ط ي ك"]
    assert [text[s:e] for s, e in split_long(text, 0, len(text), count, 4)] == ["أ ب ج د،", "هـ و ز؛", "ح ط ي ك"]
    assert [text[s:e] for s, e in split_long("أ ب ج د", 0, 7, count, 2)] == ["أ ب", "ج د"]


def ntrex_documents() -> list[list[str]]:
    base = SHARED / "data" / "ntrex-128"
    ids = (base / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    arabic = (base / "newstest2019-ref.arb.txt").read_text(encoding="utf-8").splitlines()
    return [[a.strip() for _, a in group] for _, group in groupby(zip(ids, arabic), key=lambda x: x[0])]


def boundary_scores(documents: list[list[str]]) -> tuple[int, int, int, int]:
    """(true positives, false positives, false negatives, unmarked gold boundaries)."""
    tp = fp = fn = unmarked = 0
    for sentences in documents:
        body = sentences[1:]  # line 1 is the headline: its own block in an article
        text = " ".join(body)
        gold, pos = set(), 0
        for s in body[:-1]:
            pos += len(s)
            gold.add(pos)
            pos += 1
            unmarked += s.rstrip(CLOSERS)[-1:] not in TERMINATORS
        pred = {e for _, e in sentence_spans(text, 0, len(text))[:-1]}
        tp, fp, fn = tp + len(gold & pred), fp + len(pred - gold), fn + len(gold - pred)
    return tp, fp, fn, unmarked


def test_ntrex_paragraphs_split_back_into_their_sentences():
    tp, fp, fn, unmarked = boundary_scores(ntrex_documents())
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    marked_recall = tp / (tp + fn - unmarked)  # boundaries the text marks with punctuation
    print(f"NTREX boundaries: precision {precision:.4f} recall {recall:.4f} "
          f"recall on punctuated {marked_recall:.4f} (tp {tp} fp {fp} fn {fn}, unmarked {unmarked})")
    assert precision >= 0.98
    assert recall >= 0.92
    assert marked_recall >= 0.99
