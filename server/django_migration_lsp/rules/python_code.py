"""RunPython rules, read from the function's source with ``ast`` (never executed).

More precise than django-migration-linter's regexes over the source text: a name counts as a
model import only when it is not bound inside the function and resolves to a module-level name
(an import, a model class) or to nothing local at all.
"""

from __future__ import annotations

import ast
import textwrap

from ..facts_schema import FunctionInfo, RunPythonFacts

EXPECTED_ARGS = ["apps", "schema_editor"]
MANAGER_ATTRS = {"objects", "_default_manager", "_base_manager"}


def _parse_function(info: FunctionInfo) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    source = info.source
    if not source:
        return None
    try:
        tree = ast.parse(textwrap.dedent(source))
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return node
    return None


def _get_model_name(call: ast.AST) -> str | None:
    """The literal model name of ``*.get_model('app', 'Model')`` / ``get_model('app.Model')``."""
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
        return None
    if call.func.attr != "get_model":
        return None
    for kw in call.keywords:
        if kw.arg == "model_name" and isinstance(kw.value, ast.Constant):
            return str(kw.value.value)
    args = [a for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    if len(call.args) >= 2 and len(args) >= 2:
        return str(args[1].value)
    if len(call.args) == 1 and args and "." in str(args[0].value):
        return str(args[0].value).split(".", 1)[1]
    return ""  # a get_model call whose model is not a literal


def _local_bindings(
    func: ast.FunctionDef | ast.AsyncFunctionDef,
) -> tuple[set[str], dict[str, ast.AST]]:
    """Names bound inside the function, and the value assigned to each (last wins)."""
    names: set[str] = set()
    values: dict[str, ast.AST] = {}
    args = func.args
    for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
        names.add(arg.arg)
    if args.vararg:
        names.add(args.vararg.arg)
    if args.kwarg:
        names.add(args.kwarg.arg)
    for node in ast.walk(func):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                for sub in ast.walk(target):
                    if isinstance(sub, ast.Name):
                        names.add(sub.id)
                        values[sub.id] = node.value
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
            target = node.target
            if isinstance(target, ast.Name):
                names.add(target.id)
                value = getattr(node, "value", None)  # None: ``x: int`` without a value
                if value is not None:
                    values[target.id] = value
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            for sub in ast.walk(node.target):
                if isinstance(sub, ast.Name):
                    names.add(sub.id)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    for sub in ast.walk(item.optional_vars):
                        if isinstance(sub, ast.Name):
                            names.add(sub.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                names.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and (
            node is not func
        ):
            names.add(node.name)
    return names, values


def model_import_issues(info: FunctionInfo) -> list[str]:
    """Names used as ``Name.objects`` that do not come from ``apps.get_model``."""
    func = _parse_function(info)
    if func is None:
        return []
    local, values = _local_bindings(func)
    imported_locally = {
        (a.asname or a.name)
        for node in ast.walk(func)
        if isinstance(node, ast.ImportFrom)
        for a in node.names
    }
    module_globals: dict[str, str] = info.module_globals or {}
    found: list[str] = []
    for node in ast.walk(func):
        if not (isinstance(node, ast.Attribute) and node.attr in MANAGER_ATTRS):
            continue
        base = node.value
        if not isinstance(base, ast.Name):
            continue
        name = base.id
        if name in imported_locally:
            bad = True  # `from app.models import X` inside the function
        elif name in local:
            value = values.get(name)
            bad = (
                False
                if value is None
                else _get_model_name(value) is None
                and (
                    isinstance(value, ast.Name)
                    and module_globals.get(value.id) in ("model", "import")
                )
            )
        else:
            bad = module_globals.get(name, "model") in ("model", "import")
        if bad and name not in found:
            found.append(name)
    return found


def variable_name_issues(info: FunctionInfo) -> list[tuple[str, str]]:
    """(variable, model) for ``X = apps.get_model('app', 'Y')`` with X != Y.

    ``get_model`` looks the model name up case-insensitively, so ``Device = get_model('dcim',
    'device')`` names the variable after the model and is fine.
    """
    func = _parse_function(info)
    if func is None:
        return []
    issues: list[tuple[str, str]] = []
    for node in ast.walk(func):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            model = _get_model_name(node.value)
            if isinstance(target, ast.Name) and model and target.id.lower() != model.lower():
                issues.append((target.id, model))
    return issues


def runpython_hits(facts: RunPythonFacts) -> list[tuple[str, str]]:
    """(code, detail) pairs for a RunPython operation's facts."""
    hits: list[tuple[str, str]] = []
    code = facts.code or FunctionInfo()
    name = code.name or "the function"
    if facts.reversible is False:
        hits.append(("RUNPYTHON_REVERSIBLE", f"'{name}' has no reverse_code"))
    args = code.args
    if args is not None and not code.is_noop and list(args) != EXPECTED_ARGS:
        hits.append(("RUNPYTHON_ARGS_NAMING_CONVENTION", f"'{name}' takes ({', '.join(args)})"))
    for info in (facts.code, facts.reverse_code):
        if info is None or info.is_noop:
            continue
        for model in model_import_issues(info):
            hits.append(
                (
                    "RUNPYTHON_MODEL_IMPORT",
                    f"'{info.name}' uses {model}.objects without apps.get_model(…, '{model}')",
                )
            )
        for variable, model in variable_name_issues(info):
            hits.append(
                (
                    "RUNPYTHON_MODEL_VARIABLE_NAME",
                    f"'{info.name}' assigns model {model} to variable {variable}",
                )
            )
    return hits
