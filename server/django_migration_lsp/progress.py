"""Progress of a ``lint`` or ``check`` run on the terminal: one line on stderr, rewritten in place.

Shown only when stderr is a terminal and ``CI`` is unset (and ``TERM`` is not ``dumb``): nothing
is written when the output is piped or captured, so logs and machine formats stay clean. The
line is cleared when the run ends, before the results are printed on stdout.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TextIO

CLEAR = "\r\x1b[2K"


def wanted(stream: TextIO, env: Mapping[str, str]) -> bool:
    """Progress is for a person at a terminal: a TTY, not CI, not a dumb terminal."""
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        return False
    return tty and not env.get("CI") and env.get("TERM") != "dumb"


class TerminalProgress:
    """``command: <what>`` on one line; ``migration(done, total, result)`` is the engine's
    progress callback, ``step(what)`` a phase (``check``), ``close()`` clears the line."""

    def __init__(
        self,
        command: str,
        stream: TextIO,
        *,
        interval: float = 0.05,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.command = command
        self.stream = stream
        self.interval = interval
        self.clock = clock
        self.last = float("-inf")
        self.shown = False

    def _show(self, text: str, *, force: bool = False) -> None:
        now = self.clock()
        if not force and now - self.last < self.interval:
            return
        self.last = now
        self.stream.write(f"{CLEAR}{self.command}: {text}")
        self.stream.flush()
        self.shown = True

    def status(self, text: str) -> None:
        """A phase that has no count (setting Django up)."""
        self._show(text, force=True)

    def migration(self, done: int, total: int, result: Any) -> None:
        """The engine's ``ProgressCallback``: ``done`` of ``total`` migrations, ``result`` last."""
        self._show(f"{done}/{total} migrations ({result.app})", force=done == total)

    def step(self, index: int, total: int, what: str) -> None:
        """Phase ``index`` of ``total`` of a run made of a few long steps."""
        self._show(f"{index}/{total} {what}", force=True)

    def close(self) -> None:
        if self.shown:
            self.stream.write(CLEAR)
            self.stream.flush()
            self.shown = False


def terminal_progress(
    command: str, stream: TextIO | None = None, env: Mapping[str, str] | None = None
) -> TerminalProgress | None:
    """A progress line for ``command`` on ``stream`` (stderr), or None where none is wanted."""
    stream = sys.stderr if stream is None else stream
    return (
        TerminalProgress(command, stream)
        if wanted(stream, os.environ if env is None else env)
        else None
    )


@contextmanager
def progress_line(
    command: str, status: str | None = None, stream: TextIO | None = None
) -> Iterator[TerminalProgress | None]:
    """``terminal_progress`` for the block, showing ``status`` first; the line is cleared when
    the block ends, however it ends (so an error message starts on a clean line)."""
    progress = terminal_progress(command, stream)
    if progress and status:
        progress.status(status)
    try:
        yield progress
    finally:
        if progress:
            progress.close()
