"""Every error the tool raises on purpose.

The CLI turns any :class:`TranslateError` into a ``click.ClickException`` whose
message is ``str(error)``; nothing else is caught, so a bug still shows its
traceback.
"""

from __future__ import annotations

from pathlib import Path


class TranslateError(Exception):
    """Base class: a problem the user can act on."""


class InputFileError(TranslateError):
    """A file given by the user cannot be used (missing, a directory, empty, not UTF-8...).

    ``str()`` names the file, and the line where one is known: ``path:line: message``.
    """

    def __init__(self, path: str | Path, message: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


class GlossaryError(InputFileError):
    """A glossary file is malformed; ``problems`` holds every ``file:line: message``."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        Exception.__init__(self, "\n".join(self.problems))
        self.path, self.line, self.message = "", None, "\n".join(self.problems)


class UnknownBackendError(TranslateError):
    """The backend name is not one of the known backends."""


class ModelUnavailableError(TranslateError):
    """A model is neither in a local folder, nor cached, nor reachable."""


class DocumentNotFoundError(TranslateError):
    """No ``corpus/<doc-id>/bilingual.json`` for a document id."""


class ReviewConflictError(TranslateError):
    """A write was based on a stale revision; ``current`` is the segment state now."""

    def __init__(self, message: str, current: object = None):
        self.current = current
        super().__init__(message)


class ReviewInputError(TranslateError, ValueError):
    """A review write that can never be right (unknown action, no reviewer name, an edit with no text)."""


class ReviewLogError(TranslateError):
    """The review log is damaged or was tampered with (a torn or invalid line, a broken hash chain,
    an approval whose hashes or revision do not match); ``str()`` is ``file:line: problem``."""


class ApprovalRefusedError(ReviewInputError):
    """An approval was refused because the segment has QA errors and no override reason was given;
    ``failures`` holds ``(segment id, [Issue...])`` for every refused segment. Nothing was written."""

    def __init__(self, message: str, failures: list[tuple[str, list[object]]] | None = None):
        self.failures = list(failures or [])
        super().__init__(message)


class PublishRefusedError(TranslateError):
    """``publish`` found segments that are not approved or fail QA."""

    def __init__(self, message: str, problems: list[str] | None = None):
        self.problems = list(problems or [])
        super().__init__(message)


class EvaluationError(TranslateError):
    """Evaluation inputs do not fit together (line counts, empty files...)."""


class IncompleteDocumentError(TranslateError):
    """``corpus/<doc>/`` does not match its ``manifest.json`` (a file missing or changed), or a
    write was interrupted between its renames; ``translate run`` again repairs it."""


class DocumentIdTakenError(TranslateError):
    """``translate run`` would put a different source file into an existing document id."""


class OutputPathError(TranslateError):
    """``--out`` names something that cannot hold a document (a file, a folder of other files)."""


class TranslationMemoryError(TranslateError):
    """The translation memory cannot be used (its database is damaged or from another version:
    ``translate tm rebuild`` recreates it from the review logs and the imported TMX files)."""


class RayClusterError(TranslateError):
    """``translate batch --ray ADDRESS`` cannot reach a Ray cluster there."""


class ListenError(TranslateError):
    """``translate serve`` cannot listen on the host and port asked for (the port is taken...)."""
