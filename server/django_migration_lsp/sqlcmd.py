"""``django-migration-lsp sql``: a migration's SQL without a database (offline ``sqlmigrate``).

Forwards: the statements the renderer produced for each operation, RunSQL scripts as Django
executes them, statements Django defers to the end of the migration attributed to the operation
that deferred them. ``--backwards``: Django's unapply path, offline (``django_side.backwards``).
Text output is ``sqlmigrate``'s layout; JSON has one entry per operation and
SeparateDatabaseAndState sub-operation. Exit status: 0 rendered, 1 an operation could not be
rendered (its error is printed), 2 the project, the arguments or the migration are wrong.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from .sqlscript import all_entries, attach_as_run, script_document, to_text

EXIT_OK, EXIT_RENDER_ERROR, EXIT_USAGE = 0, 1, 2


def add_sql_arguments(parser: argparse.ArgumentParser) -> None:
    """``sql [PROJECT_DIR] APP_LABEL MIGRATION_NAME [--backwards] [--format text|json]``."""
    parser.add_argument("args", nargs="+", metavar="[PROJECT_DIR] APP_LABEL MIGRATION_NAME")
    parser.add_argument("--backwards", action="store_true", help="the SQL of unapplying it")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument("--settings", help="Django settings module")
    parser.add_argument("--database", help="database alias whose vendor renders the SQL")


class SqlCommandError(Exception):
    """Wrong arguments or migration: the one-paragraph message printed on stderr."""


def run_sql(args: argparse.Namespace, fail: Any, reexec: Any = None) -> int:
    """Entry point from ``cli``; ``fail(message, exc, verbosity)`` prints and returns 2;
    ``reexec(root, python)`` runs the command under the project's interpreter when configured
    (its exit status, or None to go on here)."""
    if len(args.args) not in (2, 3):
        return fail("sql takes [PROJECT_DIR] APP_LABEL MIGRATION_NAME.")
    project, app_label, name = [".", *args.args][-3:]
    root = Path(project).resolve()
    if not root.is_dir():
        return fail(f"PROJECT_DIR {project!r} is not a directory.")
    from .config import ConfigError, load_options
    from .load_errors import ProjectLoadError

    try:
        options = load_options(root, {"settings": args.settings, "database": args.database})
    except ConfigError as exc:
        return fail(f"invalid configuration: {exc}", exc, args.verbosity)
    status = reexec(root, options.python) if reexec is not None else None
    if status is not None:
        return int(status)
    try:
        os.chdir(root)
        document = render_document(root, options, app_label, name, args.backwards)
    except (ConfigError, SqlCommandError) as exc:
        return fail(str(exc), exc, args.verbosity)
    except ProjectLoadError as exc:
        problem = exc.problem
        where = f"{problem.path}:{problem.line}: " if problem.path and problem.line else ""
        return fail(f"{where}{problem.message}", exc, args.verbosity)
    if args.format == "json":
        print(json.dumps(document, indent=2))
    else:
        print(to_text(document))
    errors = [o for o in all_entries(document["operations"]) if o["error"]]
    return EXIT_RENDER_ERROR if errors or document["error"] else EXIT_OK


def render_document(
    root: Path, options: Any, app_label: str, name: str, backwards: bool
) -> dict[str, Any]:
    """Load the project, render one migration; the JSON document of ``sql --format json``."""
    from .django_side.backwards import render_backwards
    from .engine import LintSession

    session = LintSession(root, options)
    session.load()
    key = _find(session, app_label, name)
    assert session.renderer is not None
    if backwards:
        state = session.renderer.initial_state()
        for other in session.plan:
            if other == key:
                break
            session.renderer.render_migration(session.loader.graph.nodes[other], state)
        rendered = render_backwards(session.renderer, session.loader.graph.nodes[key], state)
    else:
        # every earlier migration is rendered too: the names constraints were created with
        # come from what those migrations ran (``django_side.names``)
        session.render(set(session.plan[: session.plan.index(key) + 1]))
        rendered = session.rendered[key]
    error = rendered.error or session.renderer.backend_error
    attach_as_run(rendered.operations, rendered.deferred, rendered.as_run)
    return script_document(
        key,
        session.vendor,
        rendered.atomic,
        rendered.operations,
        backwards=backwards,
        error=error,
    )


def _find(session: Any, app_label: str, name: str) -> tuple[str, str]:
    """The migration named ``name`` (or the only one starting with it), as sqlmigrate finds it."""
    nodes = session.loader.graph.nodes
    if not any(app == app_label for app, _ in session.disk.paths):
        raise SqlCommandError(f"App {app_label!r} has no migrations.")
    if (app_label, name) in nodes:
        return (app_label, name)
    matches = sorted(k for k in nodes if k[0] == app_label and k[1].startswith(name))
    if len(matches) == 1:
        return matches[0]
    problem = session.disk.problems.get((app_label, name))
    if problem is not None:
        raise SqlCommandError(f"{app_label}.{name} could not be loaded: {problem.message}")
    if matches:
        names = ", ".join(k[1] for k in matches)
        raise SqlCommandError(
            f"More than one migration of {app_label!r} starts with {name!r} ({names}); "
            "give more of the name."
        )
    raise SqlCommandError(
        f"Cannot find a migration matching {name!r} in app {app_label!r} (it may be replaced "
        "by a squashed migration, or not be in the migration graph)."
    )
