"""A field's definition in models.py, written so a migration can repeat it (pure).

The state's ``AlterField`` of the safe RenameField needs the whole field. It is taken from the
models module the same rewrite edits, so the state ends exactly as models.py says (and
``makemigrations`` sees no change). Every name the call uses must mean the same in the
migration: an absolute import is repeated there, a model class of the same module named as the
relation's target becomes ``"app.Model"``, builtins stay; anything else (a constant or function
of models.py, a relative import) is refused with the name, since the migration cannot see it.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass

from .models_source import ModelClass, SourceProblem, keyword_edit, literal
from .pysource import Edit, PySource, apply_edits, reindent


@dataclass(frozen=True)
class FieldText:
    text: str  # the call, its lines after the first shifted for the migration's indent
    imports: tuple[str, ...]  # import statements the migration must have


def _bindings(source: PySource) -> dict[str, str | None]:
    """Module-level names bound by imports -> the import statement binding them alone
    (None for a relative import, which a migration module cannot repeat)."""
    found: dict[str, str | None] = {}
    for node in source.tree.body:
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                bound = alias.asname or alias.name
                as_part = f" as {alias.asname}" if alias.asname else ""
                found[bound] = (
                    None if node.level else f"from {node.module} import {alias.name}{as_part}"
                )
        elif isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                as_part = f" as {alias.asname}" if alias.asname else ""
                found[bound] = f"import {alias.name}{as_part}"
    return found


def _targets(call: ast.Call) -> set[int]:
    """ids of the nodes naming a relation's target: first positional argument or ``to=``."""
    nodes = [call.args[0]] if call.args else []
    nodes += [k.value for k in call.keywords if k.arg == "to"]
    return {id(n) for n in nodes}


def _resolve(
    model: ModelClass, call: ast.Call, app: str, migration: PySource
) -> tuple[list[Edit], set[str]]:
    models_bound = _bindings(model.source)
    migration_bound = _bindings(migration)
    classes = {n.name for n in model.source.tree.body if isinstance(n, ast.ClassDef)}
    targets = _targets(call)
    edits: list[Edit] = []
    imports: set[str] = set()
    for node in ast.walk(call):
        if not isinstance(node, ast.Name):
            continue
        name = node.id
        where = f"{model.path}:{node.lineno}"
        if name in models_bound:
            statement = models_bound[name]
            if statement is None:
                raise SourceProblem(
                    f"{where}: `{name}` comes from a relative import, which the migration "
                    "cannot repeat"
                )
            if id(node) in targets and ".models" in f".{statement.split()[1]}.":
                raise SourceProblem(
                    f"{where}: the relation's target `{name}` is imported from a models "
                    f"module ({statement}), which a migration must not import: name it as "
                    '"app_label.Model" in models.py'
                )
            if name in migration_bound and migration_bound[name] != statement:
                if _same_binding(migration, name, model.source):
                    continue
                raise SourceProblem(
                    f"{where}: `{name}` means something else in the migration than in models.py"
                )
            if name not in migration_bound:
                imports.add(statement)
        elif name in classes and id(node) in targets:
            start = model.source.start(node)
            edits.append(Edit(start, model.source.end(node), literal(f"{app}.{name}")))
        elif not hasattr(builtins, name):
            raise SourceProblem(
                f"{where}: the field's definition uses `{name}`, defined in models.py, which "
                "a migration cannot refer to"
            )
    return edits, imports


def _same_binding(migration: PySource, name: str, models: PySource) -> bool:
    """``name`` imported from the same module under the same name in both files
    (``from django.db import migrations, models`` binds ``models`` as models.py does)."""
    return migration.bound_names().get(name) == models.bound_names().get(name)


def migration_field_text(
    model: ModelClass,
    call: ast.Call,
    app: str,
    migration: PySource,
    setting: tuple[str, str],
    indent: int,
) -> FieldText:
    """The field's call with ``setting`` (keyword, value) in it, for a migration of ``app``,
    its continuation lines placed for a call written at column ``indent``."""
    edits, imports = _resolve(model, call, app, migration)
    keyword = keyword_edit(model.source, call, *setting)
    if keyword is not None:
        edits.append(keyword)
    base = model.source.start(call)
    text = apply_edits(
        model.source.segment(call), [Edit(e.start - base, e.end - base, e.new) for e in edits]
    )
    line_start = model.source.line_start(base)
    line = model.source.text[line_start:base]
    own_indent = len(line) - len(line.lstrip(" "))
    return FieldText(reindent(text, indent - own_indent), tuple(sorted(imports)))
