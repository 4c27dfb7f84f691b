"""The log handler that sends the server's log to the client (pure: no server, no client)."""

from __future__ import annotations

import logging

from lsprotocol import types

from django_migration_lsp.lsp.logs import ClientLogHandler, message_type


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def record(level: int, message: str) -> logging.LogRecord:
    return logging.LogRecord("django_migration_lsp.lsp", level, __file__, 1, message, None, None)


def test_levels_map_to_message_types() -> None:
    assert message_type(logging.ERROR) == types.MessageType.Error
    assert message_type(logging.CRITICAL) == types.MessageType.Error
    assert message_type(logging.WARNING) == types.MessageType.Warning
    assert message_type(logging.INFO) == types.MessageType.Info
    assert message_type(logging.DEBUG) == types.MessageType.Log


def test_stderr_until_connected_then_the_client_and_stderr_again_if_it_is_gone() -> None:
    sent: list[types.LogMessageParams] = []
    fallback = Collect()
    handler = ClientLogHandler(sent.append, fallback)
    handler.handle(record(logging.INFO, "before initialize"))
    assert [r.getMessage() for r in fallback.records] == ["before initialize"] and sent == []
    handler.connected = True
    handler.handle(record(logging.WARNING, "a problem"))
    assert [(m.type, m.message) for m in sent] == [(types.MessageType.Warning, "a problem")]

    def broken(_params: types.LogMessageParams) -> None:
        raise BrokenPipeError

    handler.send = broken
    handler.handle(record(logging.ERROR, "client gone"))
    assert fallback.records[-1].getMessage() == "client gone"
