"""The seed article as a reviewed newsroom would see it: the real segmenter and glossary on
``../shared/seed/article.ar.txt`` with a human English translation (no model needed), for
the review-page and bilingual-page tests and their screenshots."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

from helpers import ARTIFACTS, REPO, SEED

from translate.doc.model import Document, Signature, Term
from translate.glossary.entries import Matcher, load_glossaries
from translate.paths import corpus_dir
from translate.pipeline import find_hits
from translate.text.segment import segment_text
from translate.doc.store import save_outputs

GLOSSARY_TSV = """\
ar\ten\tcategory\tnote\tvariants
تشارلز كيو براون\tCharles Q. Brown\tperson\tU.S. general, Chairman of the Joint Chiefs of Staff 2023-2025; AP: Gen. Charles Q. Brown Jr.\tتشارلز براون|سي كيو براون
براون\tBrown\tperson\tsurname; Charles Q. Brown in defense news\t
فاليري غيراسيموف\tValery Gerasimov\tperson\tChief of the Russian General Staff\tفاليري جيراسيموف|فاليري جراسيموف
غيراسيموف\tGerasimov\tperson\tsurname\tجيراسيموف|جراسيموف
جو بايدن\tJoe Biden\tperson\t\tجوزيف بايدن
بايدن\tBiden\tperson\tsurname\t
دونالد ترامب\tDonald Trump\tperson\t\tدونالد ترمب
أنتوني بلينكن\tAntony Blinken\tperson\tU.S. Secretary of State 2021-2025; Antony, not Anthony\tأنتوني بلينكين|انطوني بلينكن
جيك سوليفان\tJake Sullivan\tperson\tU.S. National Security Adviser 2021-2025\t
سوليفان\tSullivan\tperson\tsurname\t
قائد الأركان المشتركة\tChairman of the Joint Chiefs of Staff\ttitle\ttop U.S. military officer\tرئيس هيئة الأركان المشتركة|رئيس الأركان المشتركة
رئيس الأركان العامة\tChief of the General Staff\ttitle\ttop officer of the Russian or Ukrainian armed forces\tرئيس هيئة الأركان العامة
الجنرال\tGen.\ttitle\tAP abbreviation before a name\t
الرئيس الأميركي\tU.S. President\ttitle\t\tالرئيس الأمريكي
الرئيس المنتخب\tPresident-elect\ttitle\t\t
وزير الخارجية الأميركي\tU.S. Secretary of State\ttitle\t\tوزير الخارجية الأمريكي
مستشار الأمن القومي\tNational Security Adviser\ttitle\tAP: Adviser\t
الجيش الأميركي\tU.S. military\torganisation\t\tالجيش الأمريكي
وزارة الدفاع الروسية\tRussian Ministry of Defense\torganisation\t\t
وزارة الدفاع الأميركية\tU.S. Defense Department\torganisation\tAP: Defense Department; or the Pentagon\tوزارة الدفاع الأمريكية
إدارة بايدن\tBiden administration\torganisation\t\t
أوكرانيا\tUkraine\tplace\t\t
روسيا\tRussia\tplace\t\t
موسكو\tMoscow\tplace\t\t
هيمارس\tHIMARS\tweapon\tHigh Mobility Artillery Rocket System\tهايمارس
ألغام أرضية مضادة للأفراد\tanti-personnel landmines\tweapon\t\tألغام مضادة للأفراد
ذخائر مضادة للطائرات من دون طيار\tcounter-drone munitions\tweapon\t\tذخائر مضادة للطائرات بدون طيار|ذخائر مضادة للمسيرات
مساعدات عسكرية\tmilitary aid\tmilitary term\t\t
حزمة مساعدات عسكرية\tmilitary aid package\tmilitary term\t\t
واشنطن بوست\tThe Washington Post\tmedia\t\t
يوم الإثنين\tMonday\tdate\t\t
يوم الأربعاء\tWednesday\tdate\t\t
كانون الثاني\tJanuary\tdate\t\tكانون الثاني/يناير|يناير
أيلول\tSeptember\tdate\t\tأيلول/سبتمبر|سبتمبر
تشرين الثاني\tNovember\tdate\t\tتشرين الثاني/نوفمبر|نوفمبر
"""
"""The entries of the newsroom glossary the seed article uses, frozen here so that edits to
``glossaries/`` do not change these tests."""
ENGLISH = [
    "Rare call between U.S. and Russian military leaders amid rising tensions in Ukraine",
    "Zeina",
    "The U.S. military said on Wednesday that Chairman of the Joint Chiefs of Staff Gen. Charles Q. Brown "
    "held a rare phone call last week with his Russian counterpart, Chief of the General Staff "
    "Valery Gerasimov.",
    "The call is the first of its kind between Brown and Gerasimov since Brown took office.",
    "Discussing security issues",
    "A spokesperson for Gen. Brown said in a statement that the call took place on November 27.",
    "He added that the two \u201cdiscussed a number of global and regional security issues, including the "
    "ongoing conflict in Ukraine.\u201d",
    "The spokesperson said the Russian Ministry of Defense had requested the call, and that Gen. Brown "
    "agreed, at the request of his Russian counterpart, not to announce it in advance.",
    "A new escalation in the Ukrainian conflict",
    "The call comes at a time of rising tensions between Russia and Ukraine.",
    "Recent weeks have seen a dangerous turn, with Ukraine firing U.S.- and British-made missiles at targets "
    "inside Russian territory.",
    "Moscow regards such attacks as a major escalation that could widen the conflict.",
    "At the same time, the administration of U.S. President Joe Biden is rapidly increasing military "
    "supplies to Ukraine, amid fears of changes in U.S. policy toward the war in Ukraine when "
    "President-elect Donald Trump takes office on January 20.",
    "According to The Washington Post, the Biden administration fears that the U.S. stance on Ukraine "
    "could shift radically after the transfer of power, which has led it to speed up military aid.",
    "New military aid announced",
    "In this context, U.S. Secretary of State Antony Blinken announced on Monday a new military aid "
    "package worth $725 million for Ukraine.",
    "The aid includes counter-drone munitions, munitions for the HIMARS rocket system, and "
    "anti-personnel landmines.",
    "Strengthening Ukraine's defenses",
    "National Security Adviser Jake Sullivan said in a statement that President Biden had instructed the "
    "U.S. Defense Department to deliver military equipment to Ukraine urgently.",
    "Sullivan added: \u201cThe president ordered that Ukraine be given the equipment it needs to defend "
    "itself.\u201d",
    "In September, Biden announced his intention to allocate all available funding to support Ukraine "
    "militarily before the end of his term.",
]
SIGNATURE = Signature(model="Helsinki-NLP/opus-mt-tc-big-ar-en", revision="0123456789ab", backend="ctranslate2",
                      beam=4, glossaries=("news-ar-en@0123abcd4567",), version="0.1.0",
                      created="2024-12-04T09:30:00+00:00")


def seed_document(doc_id: str = "article") -> tuple[Document, str]:
    """The seed article segmented, its glossary terms and numbers found, with ``ENGLISH``."""
    text = SEED.read_text(encoding="utf-8")
    doc = segment_text(text, doc_id)
    assert len(doc.segments) == len(ENGLISH)
    glossary = corpus_dir().parent / "seed-glossary.tsv"
    glossary.parent.mkdir(parents=True, exist_ok=True)
    glossary.write_text(GLOSSARY_TSV, encoding="utf-8")
    matcher = Matcher(load_glossaries([glossary]))
    segments = []
    for seg, english in zip(doc.segments, ENGLISH):
        terms = tuple(Term(h.text, (h.start, h.end), h.target, h.entry, h.category, h.note)
                      for h in find_hits(text, seg, matcher, True))
        segments.append(replace(seg, terms=terms).with_translation(english))
    return replace(doc, segments=tuple(segments), signature=SIGNATURE), text


def save_seed_document(doc_id: str = "article") -> Document:
    doc, text = seed_document(doc_id)
    save_outputs(doc, text.encode("utf-8"), corpus_dir() / doc_id)
    return doc


def artifacts_dir() -> Path:
    """Where the page tests leave their screenshots: ``$TRANSLATE_ARTIFACTS``, else
    ``tests/artifacts/`` (git-ignored)."""
    folder = Path(os.environ.get("TRANSLATE_ARTIFACTS") or REPO / "tests" / "artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep_artifact(path: Path) -> Path:
    """Copy ``path`` into :func:`artifacts_dir`; the end of the test run says where."""
    target = artifacts_dir() / path.name
    shutil.copy(path, target)
    ARTIFACTS.append(target)
    return target
