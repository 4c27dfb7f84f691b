"""The worker's incoming requests: read from stdin by a thread as they arrive, so that a long
whole-project lint can see that a saved file (``lint_file``) is waiting and yield to it."""

from __future__ import annotations

import json
import threading
from collections import deque
from typing import IO

#: the requests a whole-project lint yields to
EDITS = frozenset({"lint_file"})


def method_of(line: str) -> str | None:
    try:
        message = json.loads(line)
    except ValueError:
        return None
    return message.get("method") if isinstance(message, dict) else None


class Inbox:
    """Request lines in arrival order; ``None`` once stdin is closed."""

    def __init__(self) -> None:
        self._lines: deque[str | None] = deque()
        self._ready = threading.Condition()

    def listen(self, stdin: IO[str]) -> None:
        """Read ``stdin`` on a daemon thread until it closes."""
        thread = threading.Thread(target=self._read, args=(stdin,), daemon=True)
        thread.start()

    def _read(self, stdin: IO[str]) -> None:
        for line in stdin:
            self.put(line)
        self.put(None)

    def put(self, line: str | None) -> None:
        with self._ready:
            self._lines.append(line)
            self._ready.notify()

    def get(self) -> str | None:
        """The next line, waiting for one."""
        with self._ready:
            while not self._lines:
                self._ready.wait()
            return self._lines.popleft()

    def has_edits(self) -> bool:
        """True when a request a whole-project lint yields to is waiting."""
        with self._ready:
            return any(line is not None and method_of(line) in EDITS for line in self._lines)

    def take_edits(self) -> list[str]:
        """Remove and return the waiting requests a whole-project lint yields to, in order."""
        with self._ready:
            taken: list[str] = []
            kept: deque[str | None] = deque()
            for line in self._lines:
                if line is not None and method_of(line) in EDITS:
                    taken.append(line)
                else:
                    kept.append(line)
            self._lines = kept
            return taken
