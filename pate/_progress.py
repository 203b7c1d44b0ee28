"""A minimal progress bar on stderr for the command line (no dependency).

It shows itself only on a terminal, and only once the work has more than a
few items or has run for more than a couple of seconds, so quick runs and
pipes stay clean.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    """``with ProgressBar(total, enabled) as bar: bar.advance(label)``."""

    def __init__(self, total: int, *, enabled: bool, stream: TextIO | None = None,
                 min_items: int = 4, min_seconds: float = 2.0, width: int = 30) -> None:
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled and bool(getattr(self.stream, "isatty", lambda: False)())
        self.min_items = min_items
        self.min_seconds = min_seconds
        self.width = width
        self.done = 0
        self.start = time.monotonic()
        self.shown = False

    def __enter__(self) -> "ProgressBar":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()

    def advance(self, label: str = "") -> None:
        self.done += 1
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.start
        if not self.shown and self.total < self.min_items and elapsed < self.min_seconds:
            return
        self.shown = True
        filled = int(self.width * self.done / max(self.total, 1))
        bar = "#" * filled + "-" * (self.width - filled)
        text = f"\r[{bar}] {self.done}/{self.total} {elapsed:6.1f}s {label[-40:]:<40}"
        self.stream.write(text)
        self.stream.flush()
