"""``translate batch``: many articles, one model load per worker.

What it owns: finding the articles (:mod:`.inputs`), deciding which to translate, skip or refuse
(:mod:`.plan`), running them on in-process workers (:mod:`.runner`) or on Ray actors
(:mod:`.ray_runner`), both doing a worker's part (:mod:`.work`), progress on a terminal (:mod:`.progress`) and the report (:mod:`.report`).

Every article goes through the steps of :func:`translate.pipeline.run_article`
(``read_input`` -> ``prepare_article`` -> ``translate_document`` -> ``write_article``), so its
``corpus/<doc>/`` is what ``translate run`` writes for it: each article is decoded as its own
batches, exactly as ``translate run`` decodes it (CTranslate2 caps a batch's output length by its
longest row and suppresses terms per batch, so rows packed with another article's could come
out differently); a worker keeps its cores busy by taking the next article while one finishes.
The driver (this process) reads, plans and writes every document; workers only translate.

It may import :mod:`translate.pipeline`, :mod:`translate.doc`, :mod:`translate.engines`,
:mod:`translate.glossary` and :mod:`translate.paths`; ``ray`` only in :mod:`.ray_runner`, which
is imported only for ``--ray``. Importing this package loads nothing heavy.
"""
