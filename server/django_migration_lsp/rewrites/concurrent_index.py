"""Indexes built and dropped without blocking writes (PostgreSQL ``CONCURRENTLY``).

- ``AddIndex`` → ``AddIndexConcurrently``, ``RemoveIndex`` → ``RemoveIndexConcurrently``
  (django.contrib.postgres: same state, same index name; they need ``atomic = False``);
- ``db_index=True`` on ``AddField`` / ``AlterField`` → the same operation for the state, and for
  the database the field without ``db_index`` plus the very ``CREATE INDEX`` statements Django
  renders for it (names included: the ``_like`` one too), run ``CONCURRENTLY``, with a reverse
  that drops them ``CONCURRENTLY``.
"""

from __future__ import annotations

import ast
import re

from .model import Proposal, RenderedOp
from .pysource import Edit, PySource, apply_edits, call_name, constant, keyword, reindent

POSTGRES_OPERATIONS = "django.contrib.postgres.operations"
CREATE_INDEX_RE = re.compile(r'^\s*CREATE\s+INDEX\s+(?P<name>"[^"]+")', re.IGNORECASE)
FIELD_OPERATIONS = ("AddField", "AlterField")


def _renamed_callee(source: PySource, call: ast.Call, new_name: str) -> str:
    """The call's text with its callee replaced by ``new_name`` (imported by name)."""
    text = source.segment(call)
    func_end = source.end(call.func) - source.start(call)
    return new_name + text[func_end:]


def swap_index_operation(source: PySource, call: ast.Call, rendered: RenderedOp) -> Proposal:
    """``AddIndex``/``RemoveIndex`` → their ``…Concurrently`` forms."""
    kind = call_name(call) or ""
    new_name = f"{kind}Concurrently"
    adding = kind == "AddIndex"
    text = _renamed_callee(source, call, new_name)
    return Proposal(
        code="CREATE_INDEX" if adding else "DROP_INDEX",
        index=rendered.index,
        title=f"{'build' if adding else 'drop'} the index concurrently ({new_name})",
        in_place=text,
        autocommit=True,
        remainder=None,
        follow_up=(text,),
        follow_up_autocommit=True,
        imports=((POSTGRES_OPERATIONS, new_name),),
    )


def field_call(call: ast.Call) -> ast.Call | None:
    """The ``field=`` argument of AddField/AlterField when it is a call."""
    value = keyword(call, "field", 2)
    return value if isinstance(value, ast.Call) else None


def _without_keyword(source: PySource, call: ast.Call, field: ast.Call, name: str) -> str:
    """The operation's text with keyword ``name`` removed from its field call."""
    args: list[ast.AST] = [*field.args, *field.keywords]
    target = next(kw for kw in field.keywords if kw.arg == name)
    position = args.index(target)
    base = source.start(call)
    if position + 1 < len(args):
        start, end = source.start(target), source.start(args[position + 1])
    elif position > 0:
        start, end = source.end(args[position - 1]), source.end(target)
    else:
        start, end = source.start(target), source.end(target)
    return apply_edits(source.segment(call), [Edit(start - base, end - base, "")])


def _runsql(statements: list[str], indent: int) -> str:
    forward = [CREATE_INDEX_RE.sub(r"CREATE INDEX CONCURRENTLY \g<name>", s) for s in statements]
    names = [m.group("name") for s in statements if (m := CREATE_INDEX_RE.match(s))]
    reverse = [f"DROP INDEX CONCURRENTLY IF EXISTS {n};" for n in reversed(names)]
    pad = " " * (indent + 4)
    inner = " " * (indent + 8)
    lines = ["migrations.RunSQL("]
    for key, items in (("sql", forward), ("reverse_sql", reverse)):
        lines.append(f"{pad}{key}=[")
        lines += [f"{inner}{s!r}," for s in items]
        lines.append(f"{pad}],")
    lines.append(" " * indent + ")")
    return "\n".join(lines)


def _separate(state: str, database: list[str], indent: int) -> str:
    """``SeparateDatabaseAndState`` with the given operation texts (written at ``indent``)."""
    pad, inner = " " * (indent + 4), " " * (indent + 8)
    lines = ["migrations.SeparateDatabaseAndState("]
    if state:
        lines += [f"{pad}state_operations=[", f"{inner}{reindent(state, 8)},", f"{pad}],"]
    lines.append(f"{pad}database_operations=[")
    lines += [f"{inner}{reindent(text, 8)}," for text in database]
    lines += [f"{pad}],", " " * indent + ")"]
    return "\n".join(lines)


def db_index_on_field(source: PySource, call: ast.Call, rendered: RenderedOp) -> Proposal | None:
    """``db_index=True`` on AddField/AlterField → the index built concurrently, same names."""
    field = field_call(call)
    if field is None or constant(keyword(field, "db_index")) is not True:
        return None
    if constant(keyword(field, "unique")) is True or constant(keyword(field, "primary_key")):
        return None  # Django builds these indexes with the constraint, not from db_index
    creates = [s for s in rendered.statements if CREATE_INDEX_RE.match(s)]
    if not creates or any("FOREIGN KEY" in s.upper() for s in rendered.statements):
        return None
    column = source.column(call)
    original = source.segment(call)
    plain = _without_keyword(source, call, field, "db_index")
    runsql = _runsql(creates, column)
    kind = call_name(call)
    return Proposal(
        code="CREATE_INDEX",
        index=rendered.index,
        title=f"build the index of db_index=True concurrently ({kind} + RunSQL CONCURRENTLY)",
        in_place=_separate(original, [plain, runsql], column),
        autocommit=True,
        remainder=_separate(original, [plain], column),
        follow_up=(runsql,),
        follow_up_autocommit=True,
        remainder_statements=len(rendered.statements) - len(creates),
    )
