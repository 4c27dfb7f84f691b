"""Pure text edits behind the quick-fixes: an ignore comment, ``IgnoreMigration()``, and a
project-wide exclusion in ``pyproject.toml``. Every edit leaves a file Django still loads.

Positions use ``findings.Span`` semantics (1-based lines, 0-based code-point columns).
"""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass

from .findings import Span
from .source import IGNORE_RE, MigrationSource, OperationSpan


@dataclass(frozen=True)
class TextEdit:
    span: Span  # an empty span inserts
    new_text: str


def apply_edits(text: str, edits: list[TextEdit]) -> str:
    """``text`` with ``edits`` applied (non-overlapping; any order)."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(line: int, col: int) -> int:
        if line - 1 >= len(lines):
            return len(text)
        return starts[line - 1] + col

    out = text
    for edit in sorted(edits, key=lambda e: (e.span.line, e.span.col), reverse=True):
        start = offset(edit.span.line, edit.span.col)
        end = offset(edit.span.end_line, edit.span.end_col)
        out = out[:start] + edit.new_text + out[end:]
    return out


def _lines_in_strings(text: str) -> set[int]:
    """Lines whose end lies inside a multi-line string (a comment there would be text)."""
    inside: set[int] = set()
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.STRING and tok.end[0] > tok.start[0]:
                inside.update(range(tok.start[0], tok.end[0]))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return inside


def _comment_on(text: str, line: int) -> tuple[int, str] | None:
    """(column, comment text) of the comment on ``line``, if any."""
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT and tok.start[0] == line:
                return tok.start[1], tok.string
            if tok.start[0] > line:
                break
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return None


def add_ignore_comment(
    source: MigrationSource, op_index: int, sub_index: int | None, code: str
) -> list[TextEdit]:
    """Ignore ``code`` for one operation: extend its ignore comment, or add one at a line end."""
    op: OperationSpan | None = source.operation(op_index, sub_index)
    if op is None:
        return []
    code = code.upper()
    lines = source.text.splitlines()
    # an existing ignore comment on the operation's lines: add the code to it
    for number in range(op.span.line, op.span.end_line + 1):
        found = _comment_on(source.text, number)
        if not found:
            continue
        col, comment = found
        match = IGNORE_RE.search(comment)
        if not match:
            continue
        if match.group("codes") is None:
            return []  # a bare ignore already covers every code
        codes = [c.strip().upper() for c in match.group("codes").split(",") if c.strip()]
        if code in codes:
            return []
        replacement = f"migration-lint: ignore[{', '.join([*codes, code])}]"
        start = col + match.start()
        return [TextEdit(Span(number, start, number, col + match.end()), replacement)]
    # else: append a comment at the end of the first line where a comment is legal
    in_string = _lines_in_strings(source.text)
    for number in range(op.span.line, op.span.end_line + 1):
        if number in in_string or number > len(lines):
            continue
        line = lines[number - 1]
        found = _comment_on(source.text, number)
        if found:  # append the marker inside the existing (unrelated) comment
            return [
                TextEdit(
                    Span(number, len(line), number, len(line)),
                    f"  # migration-lint: ignore[{code}]",
                )
            ]
        return [
            TextEdit(
                Span(number, len(line.rstrip()), number, len(line)),
                f"  # migration-lint: ignore[{code}]",
            )
        ]
    return []


def _imports_ignore_migration(source: MigrationSource) -> bool:
    return any("IgnoreMigration" in imp.names for imp in source.imports)


def add_ignore_migration(
    source: MigrationSource, import_from: str = "django_migration_lsp.operations"
) -> list[TextEdit]:
    """Insert ``IgnoreMigration()`` as the first operation, and its import unless present."""
    if source.ignore_migration or source.syntax_error is not None:
        return []
    edits: list[TextEdit] = []
    lines = source.text.splitlines()
    if source.operations is not None and source.operations_list_span is not None:
        lst = source.operations_list_span
        if source.operations:
            first = source.operations[0].span
            if first.line > lst.line:  # one operation per line: match its indentation
                indent = lines[first.line - 1][: first.col]
                edits.append(
                    TextEdit(Span(first.line, 0, first.line, 0), f"{indent}IgnoreMigration(),\n")
                )
            else:
                edits.append(
                    TextEdit(
                        Span(first.line, first.col, first.line, first.col), "IgnoreMigration(), "
                    )
                )
        else:  # operations = []
            edits.append(
                TextEdit(Span(lst.line, lst.col + 1, lst.line, lst.col + 1), "IgnoreMigration()")
            )
    elif source.operations_span is not None:
        # built dynamically: prepend at the end of the class body, keeping the list's value
        span = source.operations_span
        indent = lines[span.line - 1][: span.col]
        edits.append(
            TextEdit(
                Span(span.end_line + 1, 0, span.end_line + 1, 0),
                f"{indent}operations = [IgnoreMigration(), *operations]\n",
            )
        )
    else:
        return []
    if not _imports_ignore_migration(source):
        after = max((imp.span.end_line for imp in source.imports), default=0)
        edits.append(
            TextEdit(Span(after + 1, 0, after + 1, 0), ignore_migration_import(import_from))
        )
    return edits


def ignore_migration_import(import_from: str) -> str:
    """The import of ``IgnoreMigration``, with a no-op of the same name when the linter is not
    installed: production ``migrate`` must never need the linter (the rules recognise the
    operation by its name, so the linter still skips the migration where it runs)."""
    return (
        "try:\n"
        f"    from {import_from} import IgnoreMigration\n"
        "except ImportError:  # the linter is not installed here: a no-op of the same name\n"
        "    from django.db.migrations import RunPython as _RunPython\n"
        "\n"
        "    class IgnoreMigration(_RunPython):\n"
        "        def __init__(self):\n"
        "            super().__init__(_RunPython.noop, _RunPython.noop, elidable=True)\n"
    )
