"""The migration file as text and ``ast``: where each operation call is, and text edits on it.

Pure. Offsets are indexes into the text (code points); ``ast`` reports UTF-8 byte columns, which
are converted here once.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    new: str


def apply_edits(text: str, edits: list[Edit]) -> str:
    """``text`` with non-overlapping ``edits`` applied."""
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[: edit.start] + edit.new + text[edit.end :]
    return text


def reindent(text: str, delta: int) -> str:
    """Shift every line but the first by ``delta`` columns (negative: dedent)."""
    lines = text.split("\n")
    out = [lines[0]]
    for line in lines[1:]:
        if delta >= 0:
            out.append(" " * delta + line if line.strip() else line)
        else:
            strip = min(-delta, len(line) - len(line.lstrip(" ")))
            out.append(line[strip:])
    return "\n".join(out)


def call_name(node: ast.AST) -> str | None:
    """``AddIndex`` for ``migrations.AddIndex(...)``."""
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute):
            return node.func.attr
        if isinstance(node.func, ast.Name):
            return node.func.id
    return None


def keyword(call: ast.Call, name: str, position: int | None = None) -> ast.expr | None:
    """The value of argument ``name`` (by keyword, or at ``position`` when given)."""
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    if position is not None and position < len(call.args):
        return call.args[position]
    return None


def constant(node: ast.AST | None) -> object:
    return node.value if isinstance(node, ast.Constant) else None


def assignment(cls: ast.ClassDef, name: str) -> ast.Assign | None:
    """The ``name = …`` statement of a class body (one plain target), if there is one."""
    for stmt in cls.body:
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and stmt.targets[0].id == name
        ):
            return stmt
    return None


class PySource:
    """A parsed migration file (``SyntaxError`` propagates to the caller, which locates it)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tree = ast.parse(text)
        self._starts = [0]
        for line in text.splitlines(keepends=True):
            self._starts.append(self._starts[-1] + len(line))
        self._lines = text.splitlines(keepends=True)
        self.migration_class = next(
            (
                n
                for n in self.tree.body
                if isinstance(n, ast.ClassDef)
                and any(getattr(b, "attr", getattr(b, "id", None)) == "Migration" for b in n.bases)
            ),
            None,
        )

    def offset(self, line: int, byte_col: int) -> int:
        if line - 1 >= len(self._lines):
            return len(self.text)
        raw = self._lines[line - 1].encode("utf-8")[:byte_col]
        return self._starts[line - 1] + len(raw.decode("utf-8", errors="replace"))

    def start(self, node: ast.AST) -> int:
        return self.offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]  # expr/stmt nodes

    def end(self, node: ast.AST) -> int:
        return self.offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]  # expr/stmt nodes

    def segment(self, node: ast.AST) -> str:
        return self.text[self.start(node) : self.end(node)]

    def column(self, node: ast.AST) -> int:
        """The code-point column where ``node`` starts."""
        start = self.start(node)
        return start - self.text.rfind("\n", 0, start) - 1

    def class_assign(self, name: str) -> ast.Assign | None:
        if self.migration_class is None:
            return None
        return assignment(self.migration_class, name)

    def operation_calls(self) -> list[ast.expr] | None:
        """The elements of ``operations = [...]``; None when it is not a literal list."""
        assign = self.class_assign("operations")
        if assign is None or not isinstance(assign.value, (ast.List, ast.Tuple)):
            return None
        return list(assign.value.elts)

    def bound_names(self) -> dict[str, tuple[str | None, str]]:
        """Module-level names bound by imports: name -> (module, imported name)."""
        names: dict[str, tuple[str | None, str]] = {}
        for node in self.tree.body:
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    names[alias.asname or alias.name] = (node.module, alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    names[alias.asname or alias.name.split(".")[0]] = (None, alias.name)
        return names

    def import_statements(self) -> list[str]:
        return [
            self.segment(n) for n in self.tree.body if isinstance(n, (ast.Import, ast.ImportFrom))
        ]

    def line_start(self, offset: int) -> int:
        return self.text.rfind("\n", 0, offset) + 1

    def line_end(self, offset: int) -> int:
        end = self.text.find("\n", offset)
        return len(self.text) if end < 0 else end + 1


def import_edit(source: PySource, module: str, name: str) -> Edit | None:
    """``from module import name`` after the last module-level import, unless ``name`` is bound."""
    if name in source.bound_names():
        return None
    imports = [n for n in source.tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    line = f"from {module} import {name}\n"
    if not imports:
        return Edit(0, 0, line)
    at = source.line_end(source.end(imports[-1]))
    return Edit(at, at, line)


def atomic_false_edit(source: PySource) -> Edit | None:
    """Make the migration run outside a transaction (``atomic = False``); None if it does."""
    assign = source.class_assign("atomic")
    if assign is not None:
        if constant(assign.value) is False:
            return None
        return Edit(source.start(assign.value), source.end(assign.value), "False")
    cls = source.migration_class
    assert cls is not None
    body = cls.body
    first = body[0]
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
        and len(body) > 1
    ):
        first = body[1]
    at = source.line_start(source.start(first))
    indent = " " * source.column(first)
    return Edit(at, at, f"{indent}atomic = False\n\n")


def removal_edit(source: PySource, element: ast.expr) -> Edit:
    """Remove one element of a list literal with its comma (and its lines when it has them)."""
    text = source.text
    start, end = source.start(element), source.end(element)
    after = end
    while after < len(text) and text[after] in " \t":
        after += 1
    if after < len(text) and text[after] == ",":
        after += 1
    rest_end = source.line_end(after)
    own_lines = not text[source.line_start(start) : start].strip()
    if own_lines and not text[after:rest_end].strip():
        return Edit(source.line_start(start), rest_end, "")
    while after < len(text) and text[after] in " \t":
        after += 1
    return Edit(start, after, "")


def edited_call(
    source: PySource,
    outer: ast.Call,
    inner: ast.Call,
    remove: tuple[str, ...] = (),
    settings: dict[str, str] | None = None,
) -> str:
    """The text of ``outer`` with keywords of ``inner`` (a call inside it) removed or set."""
    args: list[ast.AST] = [*inner.args, *inner.keywords]
    edits: list[Edit] = []
    for name in remove:
        kw = next((k for k in inner.keywords if k.arg == name), None)
        if kw is None:
            continue
        position = args.index(kw)
        if position + 1 < len(args):
            edits.append(Edit(source.start(kw), source.start(args[position + 1]), ""))
        elif position > 0:
            edits.append(Edit(source.end(args[position - 1]), source.end(kw), ""))
        else:
            edits.append(Edit(source.start(kw), source.end(kw), ""))
    for name, value in (settings or {}).items():
        kw = next((k for k in inner.keywords if k.arg == name), None)
        if kw is not None:
            edits.append(Edit(source.start(kw.value), source.end(kw.value), value))
        elif args:
            at = source.end(args[-1])
            edits.append(Edit(at, at, f", {name}={value}"))
        else:
            at = source.end(inner) - 1
            edits.append(Edit(at, at, f"{name}={value}"))
    base = source.start(outer)
    shifted = [Edit(e.start - base, e.end - base, e.new) for e in edits]
    return apply_edits(source.segment(outer), shifted)
