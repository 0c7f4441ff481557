"""Files in and out: articles as Word or HTML, XLIFF 2.1, TMX 1.4b and Word for CAT tools and editors.

| module | owns |
|---|---|
| :mod:`~translate.interchange.units` | safe XML parsing, schema validation, XML-forbidden characters (:func:`xml_safe`) |
| :mod:`~translate.interchange.extract` | reading an article given as ``.docx`` or ``.html`` |
| :mod:`~translate.interchange.docx` | what the .docx modules share (opening safely, visible text, RTL runs) |
| :mod:`~translate.interchange.docx_article` | the published English article as Word |
| :mod:`~translate.interchange.docx_review` | bilingual review in Word: export, import as review events |
| :mod:`~translate.interchange.xliff`, :mod:`~translate.interchange.xliff_mtc` | XLIFF 2.1 out (with TM matches as candidates) and back in as review events |
| :mod:`~translate.interchange.tmx` | the one TMX 1.4b writer (``translate export --tmx`` and ``translate tm export``) |

May import :mod:`translate.review` (imports go through its write rules), :mod:`translate.text`,
:mod:`translate.doc` and the foundation; never the TM, the pipeline or anything above. python-docx
and lxml load inside functions.
"""
