"""Review: the append-only review log, the write rules every writer obeys, approval, and QA.

| module | owns |
|---|---|
| :mod:`~translate.review.events` | the values of the log and what they fold into; :func:`~translate.review.events.is_approved` (the approval rule) |
| :mod:`~translate.review.rules` | the write rules, one function and one message each (CLI, page, XLIFF and Word import) |
| :mod:`~translate.review.log` | the hash-chained journal on disk (:class:`ReviewLog`) and the states it replays to |
| :mod:`~translate.review.chain` | reading a log and proving it intact |
| :mod:`~translate.review.qa` | the quality checks on one segment's English |
| :mod:`~translate.review.publish` | ``translate publish``: the article in every format and its provenance |

May import :mod:`translate.text`, :mod:`translate.doc` and the foundation (:mod:`translate.errors`,
:mod:`translate.paths`, :mod:`translate.textio`); never the glossary loader, interchange, the TM
or the pipeline. The one exception is :mod:`~translate.review.publish`, which sits a layer above
the TM and interchange (it writes ``article.en.docx`` and records TM provenance): see ARCHITECTURE.md.
"""
