"""The source map of a migration file: where each operation is, and what the comments say.

Pure (``ast`` + ``tokenize``): no Django. Never raises on bad Python: a syntax error becomes
``MigrationSource.syntax_error``, located as Python reports it.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass, field

from .findings import Span

IGNORE_RE = re.compile(
    r"migration-lint\s*:\s*ignore(?:\s*\[\s*(?P<codes>[^\]]*)\])?", re.IGNORECASE
)


class SourceDecodeError(ValueError):
    """A migration file that cannot be decoded, with where it fails."""

    def __init__(self, path: str, line: int, col: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{col + 1}: {message}")
        self.path = path
        self.line = line
        self.col = col
        self.message = message


@dataclass
class SourceProblem:
    message: str
    span: Span


@dataclass
class IgnoreComment:
    """``# migration-lint: ignore[...]``: ``codes`` None means every code."""

    line: int
    codes: frozenset[str] | None
    span: Span


@dataclass
class OperationSpan:
    """One element of ``operations`` (or of a ``database_operations`` list)."""

    index: int
    span: Span
    name: str | None
    sub_operations: list[OperationSpan] = field(default_factory=list)
    ignore_all: bool = False
    ignore_codes: frozenset[str] = frozenset()
    #: the element's ``ast`` node, for readers that need more than its place (``static``)
    node: ast.AST | None = field(default=None, repr=False, compare=False)

    def ignores(self, code: str) -> bool:
        return self.ignore_all or code.upper() in self.ignore_codes


@dataclass
class ImportInfo:
    """A module-level import: the names it binds and where it is."""

    module: str | None
    names: dict[str, str]  # bound name -> imported name
    span: Span


@dataclass
class MigrationSource:
    path: str | None
    text: str
    class_span: Span | None = None
    operations_span: Span | None = None
    operations_line_span: Span | None = None
    operations: list[OperationSpan] | None = None
    ignore_migration: bool = False
    ignore_migration_span: Span | None = None
    syntax_error: SourceProblem | None = None
    functions: dict[str, Span] = field(default_factory=dict)
    imports: list[ImportInfo] = field(default_factory=list)
    ignore_comments: list[IgnoreComment] = field(default_factory=list)
    #: the list node's bracket positions when ``operations`` is a literal list
    operations_list_span: Span | None = None
    #: the parsed module (None on a syntax error), so no reader parses the file again
    tree: ast.Module | None = field(default=None, repr=False, compare=False)
    #: each ``operations =`` of the class body: (``connection.vendor`` test or None, its mapping)
    operation_variants: list[tuple[tuple[str, str] | None, dict[str, object]]] = field(
        default_factory=list, repr=False, compare=False
    )

    def for_vendor(self, vendor: str) -> MigrationSource:
        """Map the ``operations =`` Django runs on ``vendor`` (the last one whose
        ``connection.vendor`` test holds, as the class body runs top to bottom)."""
        chosen = None
        for test, fields in self.operation_variants:
            if test is None or (test[1] == vendor) == (test[0] == "=="):
                chosen = fields
        if chosen is not None:
            for name, value in chosen.items():
                setattr(self, name, value)
        return self

    def operation(self, op_index: int | None, sub_index: int | None = None) -> OperationSpan | None:
        if op_index is None or self.operations is None or not 0 <= op_index < len(self.operations):
            return None
        op = self.operations[op_index]
        if sub_index is not None:
            if 0 <= sub_index < len(op.sub_operations):
                return op.sub_operations[sub_index]
            return op
        return op

    def span_for(self, op_index: int | None, sub_index: int | None = None) -> Span | None:
        """The range to report at: the operation, else the ``operations =`` line, else the class."""
        op = self.operation(op_index, sub_index)
        if op is not None:
            return op.span
        return self.operations_line_span or self.class_span

    def is_ignored(self, op_index: int | None, sub_index: int | None, code: str) -> bool:
        """True when an ignore comment on the operation's lines suppresses ``code``."""
        op = self.operation(op_index, None)
        if op is None:
            return False
        if sub_index is not None and 0 <= sub_index < len(op.sub_operations):
            return op.ignores(code) or op.sub_operations[sub_index].ignores(code)
        return op.ignores(code)


def read_source_file(path: str) -> str:
    """Decode a Python file per PEP 263; ``SourceDecodeError`` says where it fails."""
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        raise SourceDecodeError(path, 1, 0, f"{exc}; declare a valid encoding") from exc
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1)
        raise SourceDecodeError(
            path,
            line,
            col,
            f"byte 0x{data[exc.start]:02x} at line {line}, column {col + 1} is not valid "
            f"{encoding.upper()}; save the file as UTF-8 or declare its encoding with a "
            "`# -*- coding: … -*-` line",
        ) from exc


class _Columns:
    """Convert ast's UTF-8 byte offsets into code-point columns."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines(keepends=True) or [""]

    def col(self, line: int, byte_offset: int) -> int:
        if not 1 <= line <= len(self.lines):
            return byte_offset
        raw = self.lines[line - 1].encode("utf-8")
        return len(raw[:byte_offset].decode("utf-8", errors="replace"))

    def span(self, node: ast.AST) -> Span:
        line = node.lineno  # type: ignore[attr-defined]  # expr/stmt nodes
        end_line = node.end_lineno or line  # type: ignore[attr-defined]  # as above
        return Span(
            line,
            self.col(line, node.col_offset),  # type: ignore[attr-defined]  # as above
            end_line,
            self.col(end_line, node.end_col_offset or 0),  # type: ignore[attr-defined]  # as above
        )

    def line_span(self, line: int) -> Span:
        text = self.lines[line - 1].rstrip("\r\n") if 1 <= line <= len(self.lines) else ""
        start = len(text) - len(text.lstrip())
        return Span(line, start, line, len(text))


def callee_name(node: ast.AST) -> str | None:
    """``RemoveField`` for ``migrations.RemoveField(...)``; None if not a call."""
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute):
            return func.attr
        if isinstance(func, ast.Name):
            return func.id
    return None


def _is_migration_class(node: ast.ClassDef) -> bool:
    for base in node.bases:
        name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", None)
        if name == "Migration":
            return True
    return False


def _ignore_comments(text: str, cols: _Columns) -> list[IgnoreComment]:
    found: list[IgnoreComment] = []
    if IGNORE_RE.search(text) is None:  # every comment is part of the text: none can match
        return found
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return found
    for tok in tokens:
        if tok.type != tokenize.COMMENT:
            continue
        match = IGNORE_RE.search(tok.string)
        if not match:
            continue
        codes_text = match.group("codes")
        codes = None
        if codes_text is not None:
            codes = frozenset(c.strip().upper() for c in codes_text.split(",") if c.strip())
        line, col = tok.start
        found.append(IgnoreComment(line, codes, Span(line, col, tok.end[0], tok.end[1])))
    return found


def _apply_ignores(op: OperationSpan, comments: list[IgnoreComment]) -> None:
    """Attach comments on the operation's lines; those inside a sub-operation go to it only."""
    for comment in comments:
        if not op.span.line <= comment.line <= op.span.end_line:
            continue
        target = op
        for sub in op.sub_operations:
            if sub.span.line <= comment.line <= sub.span.end_line:
                target = sub
                break
        if comment.codes is None:
            target.ignore_all = True
        else:
            target.ignore_codes = target.ignore_codes | comment.codes


def _sub_list(call: ast.Call) -> ast.AST | None:
    for kw in call.keywords:
        if kw.arg == "database_operations":
            return kw.value
    return call.args[0] if call.args else None


def parse_migration_source(text: str, path: str | None = None) -> MigrationSource:
    """Map a migration file: the Migration class, each operation's range, ignores, imports."""
    source = MigrationSource(path=path, text=text)
    cols = _Columns(text)
    try:
        tree = ast.parse(text, filename=path or "<migration>")
    except SyntaxError as exc:
        line = exc.lineno or 1
        col = max((exc.offset or 1) - 1, 0)
        end_line = exc.end_lineno or line
        end_col = max((exc.end_offset or (col + 2)) - 1, col + 1)
        source.syntax_error = SourceProblem(
            f"{exc.msg} (line {line})", Span(line, col, end_line, end_col)
        )
        return source
    source.tree = tree
    source.ignore_comments = _ignore_comments(text, cols)
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            source.functions[node.name] = cols.span(node)
        elif isinstance(node, ast.Import):
            source.imports.append(
                ImportInfo(
                    None,
                    {(a.asname or a.name).split(".")[0]: a.name for a in node.names},
                    cols.span(node),
                )
            )
        elif isinstance(node, ast.ImportFrom):
            source.imports.append(
                ImportInfo(
                    node.module, {a.asname or a.name: a.name for a in node.names}, cols.span(node)
                )
            )
        elif isinstance(node, ast.ClassDef) and _is_migration_class(node):
            _map_migration_class(node, source, cols)
    return source


def _map_migration_class(node: ast.ClassDef, source: MigrationSource, cols: _Columns) -> None:
    """The Migration class: its range, and each element of its literal ``operations`` list.

    An ``operations =`` inside ``if connection.vendor == "…":`` (or its ``else``) in the class
    body is mapped too, with the vendors it applies to; :meth:`MigrationSource.for_vendor` picks.
    """
    source.class_span = cols.span(node)
    for vendor_test, stmt, value in _operations_assignments(node.body, None):
        _map_operations(stmt, value, source, cols)
        source.operation_variants.append((vendor_test, _operations_fields(source)))
    plain = [fields for test, fields in source.operation_variants if test is None]
    if plain or source.operation_variants:  # no vendor known yet: the plain one, else the first
        _set_operations_fields(source, (plain or [source.operation_variants[0][1]])[-1])


_OPERATION_FIELDS = (
    "operations_span",
    "operations_line_span",
    "operations_list_span",
    "operations",
    "ignore_migration",
    "ignore_migration_span",
)


def _operations_fields(source: MigrationSource) -> dict[str, object]:
    return {name: getattr(source, name) for name in _OPERATION_FIELDS}


def _set_operations_fields(source: MigrationSource, fields: dict[str, object]) -> None:
    for name, value in fields.items():
        setattr(source, name, value)


def _vendor_test(test: ast.AST) -> tuple[str, str] | None:
    """``("==", "postgresql")`` for ``connection.vendor == "postgresql"`` (or ``!=``)."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return None
    left, right = test.left, test.comparators[0]
    if isinstance(left, ast.Constant):
        left, right = right, left
    if not (isinstance(left, ast.Attribute) and left.attr == "vendor"):
        return None
    if not (isinstance(right, ast.Constant) and isinstance(right.value, str)):
        return None
    op = {ast.Eq: "==", ast.NotEq: "!="}.get(type(test.ops[0]))
    return (op, right.value) if op else None


def _negate(test: tuple[str, str] | None) -> tuple[str, str] | None:
    if test is None:
        return None
    return ("!=" if test[0] == "==" else "==", test[1])


def _operations_assignments(
    body: list[ast.stmt], vendor_test: tuple[str, str] | None
) -> Iterator[tuple[tuple[str, str] | None, ast.stmt, ast.expr | None]]:
    """(vendor test, statement, value) of each ``operations =`` in a class body, in order."""
    for stmt in body:
        if isinstance(stmt, ast.If):
            test = _vendor_test(stmt.test)
            yield from _operations_assignments(stmt.body, test or vendor_test)
            yield from _operations_assignments(stmt.orelse, _negate(test) or vendor_test)
            continue
        target, value = None, None
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
        elif isinstance(stmt, ast.AnnAssign):
            target, value = stmt.target, stmt.value
        if isinstance(target, ast.Name) and target.id == "operations":
            yield vendor_test, stmt, value


def _map_operations(
    stmt: ast.stmt, value: ast.AST | None, source: MigrationSource, cols: _Columns
) -> None:
    """Map one ``operations = [...]`` assignment onto ``source``."""
    source.operations_span = cols.span(stmt)
    source.operations_line_span = cols.line_span(stmt.lineno)
    source.operations_list_span, source.operations = None, None
    source.ignore_migration, source.ignore_migration_span = False, None
    if not isinstance(value, (ast.List, ast.Tuple)):
        return
    source.operations_list_span = cols.span(value)
    source.operations = []
    for index, element in enumerate(value.elts):
        op = OperationSpan(index, cols.span(element), callee_name(element), node=element)
        if op.name == "SeparateDatabaseAndState" and isinstance(element, ast.Call):
            subs = _sub_list(element)
            if isinstance(subs, (ast.List, ast.Tuple)):
                op.sub_operations = [
                    OperationSpan(i, cols.span(e), callee_name(e), node=e)
                    for i, e in enumerate(subs.elts)
                ]
        _apply_ignores(op, source.ignore_comments)
        source.operations.append(op)
        if op.name and op.name.endswith("IgnoreMigration"):
            source.ignore_migration = True
            source.ignore_migration_span = op.span


def unknown_ignore_codes(source: MigrationSource, known: set[str]) -> list[tuple[str, Span]]:
    """Codes named in ignore comments that are not rule codes (typos silence nothing)."""
    return [
        (code, comment.span)
        for comment in source.ignore_comments
        for code in sorted(comment.codes or ())
        if code not in known
    ]
