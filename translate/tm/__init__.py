"""The translation memory: every approved segment, found again by what an Arabic reader calls the same sentence.

This package owns the TM and what is learnt from reviewers:

| module | what |
|---|---|
| :mod:`~translate.tm.values` | :class:`Unit` (one TM entry); stdlib only. A match found for a segment is :class:`translate.doc.tm_match.TMMatch` |
| :mod:`~translate.tm.store` | the SQLite database: units, the FTS5 word index, the record of indexed sources |
| :mod:`~translate.tm.sources` | units from the review logs (approved segments) and the imported TMX copies; sync |
| :mod:`~translate.tm.memory` | what the CLI and the pipeline call: open (synced), search, stats, rebuild, import, export |
| :mod:`~translate.tm.match` | scores (documented formula), number adaptation, the differing words |
| :mod:`~translate.tm.tmx_io` | TMX 1.4b and 1.1 (OmegaT) reading with ``file:line`` errors; TM entries as TMX units for the one writer, :mod:`translate.interchange.tmx` |
| :mod:`~translate.tm.apply` | the TM step of ``translate run``: exact matches pre-filled, fuzzy ones offered |
| :mod:`~translate.tm.suggest` | glossary proposals mined from reviewers' repeated corrections |
| :mod:`~translate.tm.glossary_add` | ``translate glossary add``: one checked entry appended atomically |

The database (``$TRANSLATE_TM/memory.sqlite``, see :func:`translate.paths.tm_path`) is an
**index, not a source of truth**: its units come from ``reviews/*.jsonl`` (a segment counts
when :func:`translate.review.events.is_approved` says so) and from ``$TRANSLATE_TM/imported/*.tmx``
(copies kept by ``translate tm import``). Opening it refreshes the documents whose review log
or ``bilingual.json`` changed since they were indexed, so no write path (CLI, page, XLIFF
import) can forget to add an approval or drop a stale one; deleting it loses nothing
(``translate tm rebuild``).

Imports (a layer above :mod:`translate.interchange`, see ARCHITECTURE.md): the stdlib, ``sqlite3``,
``rapidfuzz`` and ``lxml`` (inside functions), and of this project only :mod:`translate.text`
(match keys, numbers), :mod:`translate.review.log` / :mod:`translate.review.events`,
:mod:`translate.doc` (the store, :class:`~translate.doc.tm_match.TMMatch`), :mod:`translate.glossary.entries`,
:mod:`translate.interchange.units` / :mod:`translate.interchange.tmx`, :mod:`translate.paths`,
:mod:`translate.textio` and :mod:`translate.errors`, always as absolute imports; never the pipeline,
publish, evaluate, the server or the CLI. :mod:`translate.pipeline` (``run_article``) and
:mod:`translate.review.publish` call :mod:`~translate.tm.apply`; ``translate export`` writes a
segment's matches as XLIFF candidates (:mod:`translate.interchange.xliff_mtc`) from ``bilingual.json``,
without the TM. Nothing here runs at import time.
"""
