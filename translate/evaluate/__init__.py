"""Evaluation: scoring translations against references and reviewed documents, and its report.

| module | owns |
|---|---|
| :mod:`~translate.evaluate.scores` | corpus BLEU, chrF++ and TER with sacrebleu, per-segment scores, significance |
| :mod:`~translate.evaluate.document` | a reviewed document: the MT draft against its approved post-edit (HTER) |
| :mod:`~translate.evaluate.term_accuracy` | term accuracy and the number-match rate |
| :mod:`~translate.evaluate.refalign`, :mod:`~translate.evaluate.refalign_files` | aligning a reference that is not sentence-aligned (``translate align-ref``) |
| :mod:`~translate.evaluate.report` | the self-contained HTML report |

Sits above the pipeline: may import :mod:`translate.pipeline` (``align-ref`` translates),
:mod:`translate.tm`, :mod:`translate.interchange`, :mod:`translate.review`,
:mod:`translate.glossary`, :mod:`translate.engines`, :mod:`translate.text`, :mod:`translate.doc`
and the foundation; never the server, batch, publish or the CLI. sacrebleu and matplotlib load
inside functions.
"""
