"""The server's log, sent to the client as ``window/logMessage`` with its real level.

Editors show a server's stderr as errors (VS Code's output channel marks every stderr line
``[error]``); a log record sent as a message keeps its level, and appears where the editor shows
the server's log (VS Code's output channel, Neovim's ``:LspLog``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from lsprotocol import types

LEVELS = (
    (logging.ERROR, types.MessageType.Error),
    (logging.WARNING, types.MessageType.Warning),
    (logging.INFO, types.MessageType.Info),
)


def message_type(levelno: int) -> types.MessageType:
    """The LSP message type of a logging level (DEBUG and below: Log)."""
    return next((kind for level, kind in LEVELS if levelno >= level), types.MessageType.Log)


class ClientLogHandler(logging.Handler):
    """Sends records through ``send`` once the client is there; until then, to ``fallback``."""

    def __init__(self, send: Callable[[types.LogMessageParams], None], fallback: logging.Handler):
        super().__init__()
        self.send = send
        self.fallback = fallback
        self.connected = False

    def emit(self, record: logging.LogRecord) -> None:
        if not self.connected:
            self.fallback.handle(record)
            return
        try:
            self.send(types.LogMessageParams(message_type(record.levelno), self.format(record)))
        except Exception:  # the client is gone: the log must not take the server down
            self.fallback.handle(record)
