"""Glossaries: reading them, what a glossary path means, matching terms in Arabic, checking them.

| module | owns |
|---|---|
| :mod:`~translate.glossary.values` | :class:`Entry`, :class:`Glossary`, :class:`Match` (a leaf of the package) |
| :mod:`~translate.glossary.paths` | what ``-g PATH`` means (file, folder, the default) for every command |
| :mod:`~translate.glossary.formats` | the readers: project TSV, 2-column TSV/CSV, TBX |
| :mod:`~translate.glossary.entries` | loading and checking glossaries, the :class:`Matcher` (the API to use) |
| :mod:`~translate.glossary.match` | finding terms by match key, word by word |
| :mod:`~translate.glossary.examples` | the examples that prove entries |
| :mod:`~translate.glossary.check`, :mod:`~translate.glossary.report` | ``translate glossary check`` and its report |

May import :mod:`translate.engines` (the vocabulary check of ``glossary check``),
:mod:`translate.text`, :mod:`translate.doc` and the foundation (:mod:`translate.errors`,
:mod:`translate.paths`, :mod:`translate.textio`, :mod:`translate.progress`); nothing above.
"""
