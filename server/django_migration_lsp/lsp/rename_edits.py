"""The edits a rewrite makes to files besides the migration (the models module of the rename
rewrites), as LSP text edits: the smallest edits, placed on the file's text as read, so an open
buffer keeps the rest of what it holds."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from ..rewrites import FixResult
from .diagnostics import utf16_col


def _position(text: str, offset: int) -> types.Position:
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return types.Position(line, utf16_col(text[start:], offset - start))


def other_file_edits(fixed: FixResult) -> list[types.TextDocumentEdit]:
    return [
        types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(
                uri=Path(changed.path).as_uri()
            ),
            edits=[
                types.TextEdit(
                    types.Range(
                        _position(changed.original, e.start), _position(changed.original, e.end)
                    ),
                    e.new,
                )
                for e in changed.edits
            ],
        )
        for changed in fixed.other_files
    ]
