"""The document: the values that flow through the pipeline, their rendering, and the corpus on disk.

| module | owns |
|---|---|
| :mod:`~translate.doc.model` | :class:`Document`, :class:`Segment`, :class:`Term` and the frame of a term's span; ``bilingual.json`` round trip |
| :mod:`~translate.doc.tm_match` | :class:`TMMatch`, the translation-memory match a segment lists (``tm_matches``) |
| :mod:`~translate.doc.render` | the bilingual HTML and the English article (HTML, Markdown) |
| :mod:`~translate.doc.store` | the one writer of ``corpus/<doc-id>/`` (all outputs replaced as one unit) and its readers |
| :mod:`~translate.doc.swap` | replacing a folder as one unit under a lock |
| :mod:`~translate.doc.rerun` | what a re-run keeps: the same-source check, segment ids carried by content |

The lowest stage: may import only the stdlib, :mod:`translate` (``__version__``),
:mod:`translate.errors`, :mod:`translate.paths`, :mod:`translate.textio` and
:mod:`translate.progress`; never :mod:`translate.text` or anything above it.
"""
