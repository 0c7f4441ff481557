"""Text: the rules for Arabic and English strings, with no file, model or glossary behind them.

| module | owns |
|---|---|
| :mod:`~translate.text.arabic` | match keys: spelling-tolerant Arabic keys that map back to the original text |
| :mod:`~translate.text.segment` | segmentation: an article's text becomes blocks and sentences (a :class:`~translate.doc.model.Document`) |
| :mod:`~translate.text.numbers` | numbers in Arabic and English: reading, rendering, comparing (the one definition) |
| :mod:`~translate.text.number_words` | Arabic number words and their values |

May import only the stdlib, :mod:`translate.doc` (the values segmentation builds),
:mod:`translate.errors`, :mod:`translate.paths`, :mod:`translate.textio` and :mod:`translate.progress`.
Reading ``.docx``/``.html`` articles is :mod:`translate.interchange.extract`.
"""
