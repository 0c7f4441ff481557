"""Arabic number words (cardinals, ordinals, tens, scales) and their values, for QA.

The QA check for numbers the English adds (:mod:`translate.review.qa`) accepts ``3`` for ``ثلاثة``,
``13`` for ``ثلاثة عشر`` and ``G7`` for ``مجموعة السبع``. Words are compared as match keys
(:func:`translate.text.arabic.match_key`: ``ة`` = ``ه``, alef forms, no vowel signs), after a
proclitic (``و ب ل ال وال بال لل ف``).
"""

from __future__ import annotations

from decimal import Decimal

from translate.text.arabic import key_words

_AR_NUMBER_WORDS = {
    **dict.fromkeys(("واحد", "واحده", "احد", "احدي", "اول", "اولي"), 1),
    **dict.fromkeys(("اثنان", "اثنين", "اثنتان", "اثنتين", "ثاني", "ثانيه"), 2),
    **dict.fromkeys(("ثلاث", "ثلاثه", "ثالث", "ثالثه"), 3),
    **dict.fromkeys(("اربع", "اربعه", "رابع", "رابعه"), 4),
    **dict.fromkeys(("خمس", "خمسه", "خامس", "خامسه"), 5),
    **dict.fromkeys(("ست", "سته", "سادس", "سادسه"), 6),
    **dict.fromkeys(("سبع", "سبعه", "سابع", "سابعه"), 7),
    **dict.fromkeys(("ثمان", "ثماني", "ثمانيه", "ثامن", "ثامنه"), 8),
    **dict.fromkeys(("تسع", "تسعه", "تاسع", "تاسعه"), 9),
    **dict.fromkeys(("عشر", "عشره", "عاشر", "عاشره"), 10),
    **{w: 10 * n for n, stem in enumerate(("عشر", "ثلاث", "اربع", "خمس", "ست", "سبع", "ثمان", "تسع"), 2)
       for w in (stem + "ون", stem + "ين")},
    **dict.fromkeys(("ميه", "مايه"), 100), **dict.fromkeys(("ميتان", "ميتين", "مايتان", "مايتين"), 200),
    **dict.fromkeys(("الف", "الفا", "الاف"), 1000), **dict.fromkeys(("الفان", "الفين"), 2000),
    **dict.fromkeys(("مليون", "ملايين", "مليونا"), 10**6), **dict.fromkeys(("مليار", "مليارات", "مليارا"), 10**9),
}
"""Arabic number words as match keys (:func:`translate.text.arabic.match_key`): cardinals, ordinals, tens."""


def number_word_values(source: str) -> set[Decimal]:
    """Values of the number words of ``source`` (``وثلاثة`` too), with sums and products of
    neighbours: ``ثلاثة عشر`` 13, ``خمسة وعشرين`` 25, ``ثلاثة آلاف`` 3000."""
    values: list[int | None] = []
    for word in key_words(source):
        value = None
        for clitic in ("", "و", "ب", "ل", "ال", "وال", "بال", "لل", "ف"):
            if word.startswith(clitic) and word[len(clitic):] in _AR_NUMBER_WORDS:
                value = _AR_NUMBER_WORDS[word[len(clitic):]]
                break
        values.append(value)
    found = {Decimal(v) for v in values if v is not None}
    for a, b in zip(values, values[1:]):
        if a is not None and b is not None:
            found |= {Decimal(a + b), Decimal(a * b)}
    return found
