"""Progress reporting that the library calls and the CLI draws."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def start(self, total: int, label: str) -> None: ...
    def advance(self, n: int) -> None: ...
    def finish(self) -> None: ...


class NoProgress:
    """Reports nothing (the library default, ``--quiet``, and output that is not a terminal)."""

    def start(self, total: int, label: str) -> None:
        pass

    def advance(self, n: int) -> None:
        pass

    def finish(self) -> None:
        pass


class BarProgress:
    """A click progress bar on stderr."""

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
