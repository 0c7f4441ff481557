"""The whole job on the seed: fake engine for mechanics, random-weight models on both backends."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pytest
from fakes import FakeEngine
from helpers import REPO, SEED, TOKENIZER_DIR
from lxml import html as lxml_html

from translate.doc.model import Document
from translate.glossary.entries import load_glossaries
from translate.pipeline import run_article, translate_document
from translate.text.segment import segment_text, words

GLOSSARY = REPO / "glossaries" / "news-ar-en.tsv"


def seed_text() -> str:
    return SEED.read_bytes().decode("utf-8")


def test_import_translate_loads_no_torch_and_reads_no_files():
    code = (
        "import sys, builtins, io\n"
        "opened = []\n"
        "real = io.open\n"
        "def spy(f, *a, **k):\n"
        "    opened.append(str(f)); return real(f, *a, **k)\n"
        "builtins.open = io.open = spy\n"
        "import translate, translate.cli\n"
        "heavy = [m for m in ('torch', 'transformers', 'ctranslate2', 'numpy', 'matplotlib') if m in sys.modules]\n"
        "print(heavy, [f for f in opened if not f.endswith('.py')])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[] []"


def test_fake_engine_pipeline_keeps_order_spans_and_alignment(tmp_path):
    engine = FakeEngine(TOKENIZER_DIR)
    text = seed_text()
    doc = translate_document(segment_text(text, "article"), text, engine, glossaries=load_glossaries([GLOSSARY]))
    assert len(doc.segments) == 21
    for seg in doc.segments:
        assert text[seg.source_span[0] : seg.source_span[1]] == seg.source
        n_src, n_tgt = len(words(seg.source)), len(words(seg.translation))
        assert seg.alignment and all(0 <= s < n_src and 0 <= t < n_tgt for s, t in seg.alignment)
        for term in seg.terms:
            if term.mode == "suggest":  # suggested glossary terms are shown, not forced
                continue
            assert term.realized
            assert seg.translation[term.target_span[0] : term.target_span[1]] == term.target
            assert text[term.source_span[0] : term.source_span[1]] == term.source
    assert_forced_terms_written(doc)
    assert doc.signature.backend == "fake" and doc.signature.glossaries[0].startswith("news-ar-en@")
    [number] = [t for s in doc.segments for t in s.terms if t.category == "number"]
    assert (number.source, number.target, number.entry, number.realized) == ("725 مليون", "725 million", "number", True)
    # one free pass over every segment in length-sorted batches of at most 16, then forced rounds
    first = engine.calls[0:2]
    assert sum(len(c.batch) for c in first) == 21 and all(len(c.batch) <= 16 for c in engine.calls)
    assert [len(b) for b in first[0].batch] == sorted(len(b) for b in first[0].batch)


def test_a_proclitic_keeps_its_own_rendering():
    # لأوكرانيا is "▁ل" + "أوكرانيا": the model's word for ل ("to") stays, the one for أوكرانيا becomes the term
    engine = FakeEngine(TOKENIZER_DIR)
    text = "أرسلت واشنطن المساعدات لأوكرانيا أمس.\n"
    pieces = engine.tokenizer.source(text.strip())
    k = pieces.index("\u2581ل")
    assert pieces[k + 1] == "أوكرانيا"
    doc = translate_document(segment_text(text, "t"), text, engine, glossaries=load_glossaries([GLOSSARY]))
    words_ = doc.segments[0].translation.split()
    assert words_[k : k + 2] == [f"w{k}", "Ukraine"]
    [term] = [t for t in doc.segments[0].terms if t.target == "Ukraine"]
    assert term.source == "لأوكرانيا"  # the document still shows what the author wrote


def test_a_long_sentence_is_translated_in_pieces_and_joined(tmp_path):
    engine = FakeEngine(TOKENIZER_DIR)
    clause = "قال المتحدث إن الجيش أرسل المزيد من المعدات العسكرية إلى المنطقة"
    text = "عنوان\n" + "، ".join([clause] * 80) + "."
    doc = segment_text(text, "long", count_tokens=engine.tokenizer.count)
    assert len(doc.segments) == 2 and len(doc.segments[1].pieces) >= 2
    out = translate_document(doc, text, engine)
    seg = out.segments[1]
    assert all(max(len(b) for b in c.batch) <= 401 for c in engine.calls)
    assert len(words(seg.translation)) == sum(len(engine.tokenizer.source(text[s:e])) - 1 for s, e in seg.pieces)
    assert max(s for s, _ in seg.alignment) == len(words(seg.source)) - 1


def assert_forced_terms_written(doc) -> None:
    """Every forced term's English is in its segment's translation as often as the source has it,
    counted with plain ``str.count`` (not the ``occurrences``/``assign_targets`` forcing itself uses;
    a capital first letter, as at the start of a sentence, counts too)."""
    for seg in doc.segments:
        want = Counter(t.target for t in seg.terms if t.mode == "force")
        for target, n in want.items():
            forms = {target, target[:1].upper() + target[1:]}
            assert sum(seg.translation.count(f) for f in forms) >= n, (seg.id, target, seg.translation)


def check_outputs(folder, text):
    assert (folder / "source.ar.txt").read_bytes() == SEED.read_bytes()
    data = json.loads((folder / "bilingual.json").read_text(encoding="utf-8"))
    assert set(data) == {"doc_id", "signature", "source_name", "segments"}
    assert set(data["signature"]) == {"model", "revision", "backend", "beam", "glossaries", "version", "created"}
    doc = Document.from_dict(data)
    assert [s.id for s in doc.segments] == [f"s{i}" for i in range(1, 22)]
    source = (folder / "source.ar.txt").read_bytes().decode("utf-8")
    for seg in doc.segments:
        assert source[seg.source_span[0] : seg.source_span[1]] == seg.source
        assert seg.translation
    page = lxml_html.fromstring((folder / "bilingual.html").read_bytes())
    assert len(page.xpath('//td[@dir="rtl"][@lang="ar"]')) == 21
    assert len(page.xpath('//td[@lang="en"]')) == 21
    assert len(page.xpath('//tr[@class="heading"]')) == 4
    assert "backend:" in page.xpath("string(//footer)")
    draft = (folder / "draft.en.md").read_text(encoding="utf-8")
    assert draft.count("\n## ") == 4 and draft.startswith("# ")
    return doc


@pytest.mark.parametrize("backend", ["ctranslate2", "transformers"])
def test_run_on_the_seed_with_the_default_model_offline(default_model, seed_article, backend):
    result = run_article(seed_article, backend=backend, glossary_paths=[GLOSSARY])
    doc = check_outputs(result.files[0].parent, seed_text())
    assert result.files[0].parent.name == "article"
    assert doc.signature.model == default_model
    terms = [t for s in doc.segments for t in s.terms]
    assert len(terms) >= 40 and all(t.realized for t in terms if t.mode == "force")
    assert_forced_terms_written(doc)


