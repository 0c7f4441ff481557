"""The shipped glossary: every collision of issue 11, the declared house style, coverage, examples, report."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from helpers import REPO, SEED, SHARED, TOKENIZER_DIR

from translate.cli import cli
from translate.glossary.entries import Glossary, Matcher, load_glossary, match_article
from translate.glossary.check import check_files
from translate.glossary.examples import read_examples

SHIPPED = REPO / "glossaries" / "news-ar-en.tsv"


@pytest.fixture(scope="module")
def shipped() -> Glossary:
    return load_glossary(SHIPPED)


@pytest.fixture(scope="module")
def matcher(shipped) -> Matcher:
    return Matcher([shipped])


# (sentence, English no force hit may have there, the hit expected instead as (English, mode) or None)
COLLISIONS = [
    ("عقد مجلس الأمن الروسي اجتماعا برئاسة بوتين.", "U.N. Security Council", ("Russian Security Council", "force")),
    ("صادق المجلس الوزاري الأمني المصغر على الخطة.", "U.N. Security Council", ("Israeli Security Cabinet", "force")),
    ("صادق مجلس الأمن المصغر في إسرائيل على الخطة.", "U.N. Security Council", ("Israeli Security Cabinet", "force")),
    ("وافق مجلس الأمن الإسرائيلي على الاتفاق.", "U.N. Security Council", ("Israeli Security Cabinet", "force")),
    ("اجتمع مجلس الأمن القومي والدفاع الأوكراني.", "National Security Council",
     ("National Security and Defense Council", "force")),
    ("فاز خافيير ميلي بالانتخابات في الأرجنتين.", "Milley", ("Javier Milei", "force")),
    ("قال ميلي إن الاقتصاد يتعافى.", "Milley", ("Milley", "suggest")),
    ("قال وزير الجيش الأميركي دان دريسكول إن الجيش يتغير.", "U.S. military", ("Army Secretary", "suggest")),
    ("قال وزير الجيش الأمريكي إن الجيش يتغير.", "U.S. military", ("Army Secretary", "suggest")),
    ("زار رئيس أركان الجيش الأميركي القاعدة.", "U.S. military", ("Army Chief of Staff", "suggest")),
    ("عبرت القوات نهر دنيبرو قرب خيرسون.", "Dnipro", ("Dnieper River", "force")),
    ("أعلنت شركة نيسان خفض إنتاجها.", "April", ("Nissan", "force")),
    ("اشترى سيارة نيسان جديدة.", "April", None),
    ("جرت الانتخابات في نيسان الماضي.", "April", ("April", "suggest")),
    ("غاب عن الاجتماع فأنس لم يحضر.", "Vance", None),
    ("قتلت القوات جنديا روسيا قرب الحدود.", "Russia", None),
    ("أسر الجيش مواطنا أوكرانيا في المدينة.", "Ukraine", None),
    ("عين الجيش ضابطا بريطانيا مستشارا.", "Britain", None),
    ("وقال الجنرال إن القوات مستعدة.", "Gen.", None),
    ("قال الجنرال المتقاعد كيث كيلوغ إن الحرب يجب أن تنتهي.", "Gen.", ("Keith Kellogg", "force")),
    ("قال الجنرال مارك ميلي إن الحرب طويلة.", "Gen.", ("Gen.", "suggest")),
    ("قال الرئيس الأميركي إن الاتفاق قريب.", "U.S. President", ("U.S. President", "suggest")),
    ("جرت المكالمة في 27 تشرين الثاني.", "November", ("November", "suggest")),
    ("ما زالت آثار حرب تموز ظاهرة.", "July", ("2006 Israel-Hezbollah war", "suggest")),
    ("يحيي المصريون ذكرى حرب أكتوبر.", "October", ("1973 Mideast war", "suggest")),
    ("شاركت سوريا في حرب تشرين.", "October", ("1973 Mideast war", "suggest")),
    ("شنت القوات هجوما مضادا قرب باخموت.", "counteroffensive", ("counterattack", "suggest")),
    ("قال يسرائيل كاتس إن الجيش سيبقى.", "Israel", ("Israel Katz", "force")),
    ("قالت جورجيا ميلوني إن روما تدعم كييف.", "Georgia", ("Giorgia Meloni", "force")),
    ("قال لي لشبكة سي إن بي سي إن التمويل سيتضاعف.", "NBC", ("CNBC", "force")),
    ("يبلغ نصف قطر الدائرة عشرة سنتيمترات.", "Qatar", None),
    ("واجه الفريق هارتس يوم الأحد.", "Haaretz", None),
    ("قصفت الطائرات مواقع للمتمردين الحوثيين.", "Houthis", ("Houthi rebels", "force")),
]


@pytest.mark.parametrize(("text", "wrong", "expected"), COLLISIONS, ids=[c[0][:24] for c in COLLISIONS])
def test_no_forced_hit_with_the_wrong_english(matcher, text, wrong, expected):
    hits = matcher.find(text)
    assert not [m for m in hits if m.entry.mode == "force" and m.entry.en == wrong]
    if expected is not None:
        assert expected in [(m.entry.en, m.entry.mode) for m in hits]


def test_the_house_style_is_declared_and_applied(shipped, matcher):
    head = SHIPPED.read_text(encoding="utf-8").split("\nar\ten\t", 1)[0]
    assert "house-style: AP" in head
    readme = (REPO / "glossaries" / "README.md").read_text(encoding="utf-8")
    assert "house style" in readme.lower() and "Zelenskyy" in readme and "Zelensky," not in readme
    renderings = {
        "فولوديمير زيلينسكي": "Volodymyr Zelenskyy",
        "زيلينسكي": "Zelenskyy",
        "وزارة الدفاع الروسية": "Russian Defense Ministry",
        "وزارة الدفاع الأوكرانية": "Ukrainian Defense Ministry",
        "وزارة الدفاع الأميركية": "U.S. Defense Department",
        "وزارة الخارجية الروسية": "Russian Foreign Ministry",
        "تشارلز كيو براون": "Charles Q. Brown Jr.",
        "كييف": "Kyiv",
        "وقف إطلاق النار": "cease-fire",
    }
    for ar, en in renderings.items():
        assert [m.entry.en for m in matcher.find(ar)] == [en], ar
    by_en = {e.en: e for e in shipped.entries}
    assert "Zelensky" in by_en["Zelenskyy"].forbidden and "Kiev" in by_en["Kyiv"].forbidden
    assert "Russian Ministry of Defense" in by_en["Russian Defense Ministry"].forbidden
    assert not any("Zelensky" == e.en or "Ministry of Defense" in e.en for e in shipped.entries)


def test_the_ال_rule_holds_for_common_nouns(matcher):
    for text in ("أعلنت روسيا تعبئة جزئية.", "أعلنت روسيا التعبئة الجزئية."):
        assert "partial mobilization" in [m.entry.en for m in matcher.find(text)]
    for text in ("تبنت موسكو عقيدة نووية جديدة.", "عدلت موسكو العقيدة النووية."):
        assert "nuclear doctrine" in [m.entry.en for m in matcher.find(text)]


NEW_NAMES = {
    "بنيامين نتنياهو": "Benjamin Netanyahu", "حركة حماس": "Hamas", "حزب الله": "Hezbollah", "الحوثيين": "Houthis",
    "قطاع غزة": "Gaza Strip", "فريدريش ميرتس": "Friedrich Merz", "دميتري ميدفيديف": "Dmitry Medvedev",
    "ستيف ويتكوف": "Steve Witkoff", "كيريلو بودانوف": "Kyrylo Budanov", "يوري أوشاكوف": "Yuri Ushakov",
    "محطة زابوريجيا للطاقة النووية": "Zaporizhzhia nuclear power plant", "توماهوك": "Tomahawk",
    "فاينانشال تايمز": "Financial Times", "أسوشييتد برس": "The Associated Press", "بيلاروس": "Belarus",
    "صواريخ مجنحة": "cruise missiles", "مجلس الأمن الروسي": "Russian Security Council",
    "مجلس الأمن القومي والدفاع": "National Security and Defense Council", "وزير الجيش الأميركي": "Army Secretary",
    "رئيس أركان الجيش الأميركي": "Army Chief of Staff", "نهر دنيبرو": "Dnieper River", "خافيير ميلي": "Javier Milei",
}


def test_the_middle_east_beat_and_missing_names_are_in_with_dated_notes(shipped, matcher):
    assert len(shipped.entries) >= 400
    for ar, en in NEW_NAMES.items():
        assert [m.entry.en for m in matcher.find(ar)] == [en], ar
    people = [e for e in shipped.entries if e.category == "person" and "surname" not in e.note]
    undated = [e.ar for e in people if not re.search(r"\b(19|20)\d\d\b", e.note)]
    assert undated == []


def test_every_entry_named_in_the_issue_has_examples(shipped):
    examples, problems = read_examples(shipped)
    assert problems == []
    proven = {(ex.entry.ar, ex.expect) for ex in examples}
    named = ["مجلس الأمن الدولي", "مجلس الأمن القومي", "ميلي", "الجيش الأميركي", "دنيبرو", "نيسان", "فانس", "روسيا",
             "الجنرال", "الرئيس الأميركي", "تموز", "تشرين الأول", "هجوم مضاد", "زيلينسكي", "وزارة الدفاع الروسية",
             "تشارلز كيو براون", "تعبئة جزئية", "عقيدة نووية", *(
                 e.ar for e in shipped.entries if e.en in NEW_NAMES.values())]
    assert [ar for ar in named if (ar, "match") not in proven and (ar, "no-match") not in proven] == []
    collided = ["مجلس الأمن الدولي", "مجلس الأمن القومي", "ميلي", "الجيش الأميركي", "دنيبرو", "نيسان", "فانس",
                "روسيا", "الجنرال", "تموز", "تشرين الأول"]
    assert [ar for ar in collided if (ar, "no-match") not in proven] == []


def test_the_shipped_glossary_and_its_examples_check_clean():
    result = check_files([SHIPPED], tokenizer=TOKENIZER_DIR)
    assert result.problems == () and result.warnings == ()
    assert len(result.examples) >= 100


def test_the_seed_hits_by_mode(shipped):
    result = match_article(SEED, [SHIPPED])
    assert result.by_mode() == {"force": 38, "suggest": 12}
    suggested = sorted({m.entry.en for m in result.matches if m.entry.mode == "suggest"})
    assert suggested == ["Chairman of the Joint Chiefs of Staff", "Chief of the General Staff", "Gen.", "January",
                         "National Security Adviser", "November", "President-elect", "September", "U.S. President",
                         "U.S. Secretary of State"]


def test_the_report_on_the_shipped_glossary_with_the_test_corpora():
    data = SHARED / "data"
    result = CliRunner().invoke(cli, ["glossary", "check", str(SHIPPED), "--report", "--corpus", str(data),
                                      "--tokenizer", str(TOKENIZER_DIR)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].endswith("entries in 1 glossary") and lines[1].split() == ["category", "force", "suggest", "total"]
    assert any(line.startswith("entries without examples: ") for line in lines)
    header = next(line for line in lines if line.startswith("suspicious keys: "))
    assert "NTREX/TICO sentences" in header
    flagged = [line for line in lines if line.startswith("  news-ar-en.tsv:")]
    assert flagged and all("matches outside its sense, e.g. " in line for line in flagged)
