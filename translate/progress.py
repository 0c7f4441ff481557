"""Progress reporting that the library calls and the CLI draws."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def start(self, total: int, label: str) -> None: ...
    def advance(self, n: int) -> None: ...
    def finish(self) -> None: ...
    def note(self, message: str, *, end: str = "\n") -> None:
        """A status line outside any bar (the first run's model conversion)."""


class NoProgress:
    """Reports nothing (the library default and ``--quiet``)."""

    def start(self, total: int, label: str) -> None:
        pass

    def advance(self, n: int) -> None:
        pass

    def finish(self) -> None:
        pass

    def note(self, message: str, *, end: str = "\n") -> None:
        pass


class NotesOnly(NoProgress):
    """No bar, but status lines on stderr (output that is not a terminal, without ``--quiet``)."""

    def note(self, message: str, *, end: str = "\n") -> None:
        import sys

        sys.stderr.write(message + end)
        sys.stderr.flush()


def progress_for(quiet: bool, terminal: bool) -> Progress:
    """A bar on a terminal, status lines alone elsewhere, nothing with ``quiet``."""
    if quiet:
        return NoProgress()
    return BarProgress() if terminal else NotesOnly()


class BarProgress(NotesOnly):
    """A click progress bar on stderr, and status lines."""

    def __init__(self) -> None:
        self._bar = None

    def start(self, total: int, label: str) -> None:
        import sys

        import click

        self._bar = click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True)
        self._bar.__enter__()

    def advance(self, n: int) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None
