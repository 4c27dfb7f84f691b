"""Work-done progress (``$/progress``) that can be started from synchronous code: reports made
before the client has acknowledged the token wait for it, and a token is forgotten at its end
(pygls keeps every token otherwise)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from lsprotocol import types
from pygls.progress import Progress as ProgressManager

Value = types.WorkDoneProgressBegin | types.WorkDoneProgressReport | types.WorkDoneProgressEnd


class ProgressReporter:
    def __init__(self, manager: Callable[[], ProgressManager], supported: Callable[[], bool]):
        self._manager = manager
        self._supported = supported
        self._counter = itertools.count(1)
        #: token -> values waiting for the client's answer to ``create`` (None once created)
        self._waiting: dict[str, list[Value] | None] = {}

    def begin(self, title: str) -> str | None:
        if not self._supported():
            return None
        token = f"django-migration-lsp/{next(self._counter)}"
        self._waiting[token] = [types.WorkDoneProgressBegin(title=title, percentage=0)]

        def created(*_args: Any) -> None:
            queued = self._waiting.get(token) or []
            self._waiting[token] = None
            for value in queued:
                self._send(token, value)

        self._manager().create(token, callback=created)
        return token

    def report(self, token: str | None, message: str, percentage: int | None = None) -> None:
        self._push(token, types.WorkDoneProgressReport(message=message, percentage=percentage))

    def end(self, token: str | None, message: str) -> None:
        self._push(token, types.WorkDoneProgressEnd(message=message))

    def _push(self, token: str | None, value: Value) -> None:
        if token is None or token not in self._waiting:
            return
        queued = self._waiting[token]
        if queued is not None:
            queued.append(value)
        else:
            self._send(token, value)

    def _send(self, token: str, value: Value) -> None:
        manager = self._manager()
        if isinstance(value, types.WorkDoneProgressBegin):
            manager.begin(token, value)
        elif isinstance(value, types.WorkDoneProgressReport):
            manager.report(token, value)
        else:
            manager.end(token, value)
            manager.tokens.pop(token, None)
            self._waiting.pop(token, None)
