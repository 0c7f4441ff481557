"""Which articles a batch translates, skips or refuses, decided before any model is loaded.

An article is **skipped** when its document exists, every file matches ``manifest.json``, the
recorded ``source.ar.txt`` (and ``original.docx``/``.html``) hash is the article's, and the
document's signature has this batch's settings: model, revision, backend, beam, glossaries and
package version (:class:`Settings`; the backend compared by name, ``ctranslate2`` whichever its
quantization, so a cluster with GPUs resumes a CPU-made corpus). ``--force`` translates it anyway.
Forcing numbers and the translation memory are not in a signature: after changing them, use ``--force``.

An article **fails** here when ``translate run`` would refuse it (unreadable, empty, not UTF-8,
its folder holds another article's document) or when an earlier article of the same batch
already takes its document id (``a/report.txt`` and ``b/report.txt``): nothing is overwritten.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from translate import __version__
from translate.batch.inputs import Found
from translate.doc.model import Document, Signature
from translate.errors import TranslateError
from translate.pipeline import ArticleInput, read_input

TODO, SKIPPED, FAILED = "todo", "skipped", "failed"


@dataclass(frozen=True)
class Settings:
    """The part of a document's signature that decides whether its translation is current."""

    model: str
    revision: str
    backend: str  # "ctranslate2" or "transformers"
    beam: int
    glossaries: tuple[str, ...]
    version: str = __version__

    def matches(self, signature: Signature) -> bool:
        probe = Signature(self.model, self.revision, self.backend, self.beam)  # the model name as recorded
        same_backend = signature.backend == self.backend or signature.backend.startswith(self.backend + "-")
        return (same_backend and (signature.model, signature.revision) == (probe.model, probe.revision)
                and signature.beam == self.beam and tuple(signature.glossaries) == self.glossaries
                and signature.version == self.version)


def batch_settings(model: str | None, backend: str | None, beam: int, glossaries: Sequence) -> Settings:
    """The settings a batch translates with (resolving the model, loading nothing)."""
    from translate.engines import check_backend, resolve_model

    resolved = resolve_model(model)
    return Settings(resolved.public_name, resolved.revision, check_backend(backend), beam,
                    tuple(g.signature_part for g in glossaries))


@dataclass(frozen=True)
class Planned:
    path: str
    status: str  # TODO, SKIPPED or FAILED
    doc_id: str | None = None
    segments: int = 0  # of a skipped document
    error: str | None = None


def current_segments(inp: ArticleInput, settings: Settings) -> int | None:
    """The number of segments of the document in ``inp``'s folder when it is current for ``inp``
    and ``settings`` (see the module doc), else ``None``."""
    from translate.doc.store import BILINGUAL_JSON, SOURCE, read_verified

    try:
        files = read_verified(inp.target, inp.doc_id)  # every file checked against the manifest
        doc = Document.from_dict(json.loads(files[BILINGUAL_JSON].decode("utf-8")))
    except (TranslateError, OSError, ValueError, KeyError, TypeError):
        return None
    if files[SOURCE] != inp.data or doc.signature is None or not settings.matches(doc.signature):
        return None
    if inp.original is not None:
        name, data = inp.original
        if files.get(name) != data:
            return None
    return len(doc.segments)


def plan_articles(found: Iterable[Found], settings: Settings, *, force: bool = False) -> list[Planned]:
    """Each article's fate, in order (see the module doc)."""
    out: list[Planned] = []
    taken: dict[str, str] = {}  # document id -> the article of this batch that has it
    for item in found:
        if item.error:
            out.append(Planned(item.path, FAILED, error=item.error))
            continue
        try:
            inp = read_input(item.path)
        except TranslateError as exc:
            out.append(Planned(item.path, FAILED, error=str(exc)))
            continue
        if inp.doc_id in taken:
            out.append(Planned(item.path, FAILED, inp.doc_id, error=(
                f"{item.path}: its document id {inp.doc_id!r} is already that of {taken[inp.doc_id]} in this batch; "
                f"translate it on its own with 'translate run {item.path} --id OTHER'")))
            continue
        taken[inp.doc_id] = item.path
        segments = None if force else current_segments(inp, settings)
        if segments is None:
            out.append(Planned(item.path, TODO, inp.doc_id))
        else:
            out.append(Planned(item.path, SKIPPED, inp.doc_id, segments))
    return out
