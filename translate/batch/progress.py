"""The batch's progress line on a terminal: articles done/total, segments, target tokens/s, ETA."""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _clock(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 else \
        f"{seconds // 60}:{seconds % 60:02d}"


class BatchProgress:
    """Redraws one line on ``stream`` (stderr) as articles finish; ``enabled=False`` draws nothing
    (``-q``, or output that is not a terminal). ``note`` writes a status line (a first-run model
    conversion, the Ray actors) when ``notes`` (default: ``enabled``): off only with ``-q``."""

    def __init__(self, enabled: bool, stream: TextIO | None = None, *, notes: bool | None = None):
        self.enabled = enabled
        self.notes = enabled if notes is None else notes
        self.stream = stream or sys.stderr
        self.total = self.done = self.segments = self.tokens = 0
        self.started = time.perf_counter()
        self._drawn = False

    def note(self, message: str, *, end: str = "\n") -> None:
        if self.notes:
            self._clear()
            self.stream.write(message + end)
            self.stream.flush()

    def start(self, total: int) -> None:
        self.total, self.started = total, time.perf_counter()
        self._draw()

    def article(self, segments: int, tokens: int) -> None:
        """One more article finished (translated, or failed: 0 and 0)."""
        self.done += 1
        self.segments += segments
        self.tokens += tokens
        self._draw()

    def line(self) -> str:
        elapsed = time.perf_counter() - self.started
        rate = self.tokens / elapsed if elapsed > 0 else 0.0
        eta = _clock(elapsed / self.done * (self.total - self.done)) if self.done else "?"
        return (f"articles {self.done}/{self.total}  segments {self.segments}  {rate:.0f} target tokens/s  "
                f"elapsed {_clock(elapsed)}  ETA {eta}")

    def _draw(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[2K" + self.line())
            self.stream.flush()
            self._drawn = True

    def _clear(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[2K")
            self._drawn = False

    def finish(self) -> None:
        if self.enabled and self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False
