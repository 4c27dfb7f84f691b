"""Compare our offline SQL with Django's, migration by migration, on a real database.

Run as a script in its own process (Django is set up once per process):

    python parity.py PROJECT_DIR SETTINGS [--progressive] [--sql-command] [--backwards]

Renders every migration offline first (no connection), then asks Django for each migration's
SQL (``MigrationLoader.collect_sql``, what ``sqlmigrate`` does). With ``--progressive`` the test
database is migrated up to just before each migration first, so Django's introspection sees the
real schema (the gold standard); without it Django runs against the database as it is. Prints
one JSON document: per migration, equal or the differences; Django's failures; our errors.
SQLite table rebuilds are compared as sets of columns (their column order follows field
creation order, which differs between ``sqlmigrate`` and ``migrate``).
``--sql-command`` takes our SQL from the ``sql`` command's document (``sqlcmd.render_document``:
RunSQL scripts as executed, deferred statements included) instead of the linter's renderer;
``--backwards`` compares the SQL of unapplying each migration, with the database migrated up to
and including it.
"""

from __future__ import annotations

import collections
import json
import re
import sys
from pathlib import Path

#: a ``timezone.now()`` default (auth.0005 backwards) differs by when each side ran
NOW = re.compile(r"'\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+\+00:00'::timestamptz")


def norm(statement: str) -> str:
    statement = NOW.sub("'<now>'::timestamptz", statement.strip())
    if '"new__' in statement and statement.startswith(("CREATE TABLE", "INSERT INTO")):
        return " ".join(sorted(re.split(r"[,()]\s*", statement)))
    return statement


def main() -> None:
    root = Path(sys.argv[1]).resolve()
    settings = sys.argv[2]
    progressive = "--progressive" in sys.argv
    via_command = "--sql-command" in sys.argv
    backwards = "--backwards" in sys.argv
    executed = "--executed" in sys.argv
    sys.path.insert(0, str(root))
    from django_migration_lsp.django_side.loading import (
        build_loader,
        load_disk_migrations,
        setup_django,
    )
    from django_migration_lsp.django_side.render import Renderer, full_plan

    setup_django(root, settings)
    disk = load_disk_migrations()
    loader = build_loader(disk)
    renderer = Renderer("default", loader.unmigrated_apps)
    state = renderer.initial_state()
    plan = full_plan(loader.graph)
    ours = {key: renderer.render_migration(loader.graph.nodes[key], state) for key in plan}
    if via_command or backwards or executed:
        ours = {key: command_statements(root, key, backwards) for key in plan}

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from django_migration_lsp.django_side import guard

    guard.uninstall()  # ours rendered under the connection guard; Django's path needs the database

    report = {
        "migrations": len(plan),
        "equal": 0,
        "different": {},
        "django_failed": {},
        "our_errors": {},
        "notes": {},
    }
    executor = MigrationExecutor(connection)
    for key in plan:
        rendered = ours[key]
        errors = [op.error for op in rendered.operations if op.error]
        notes = [n for op in rendered.operations for n in op.notes]
        if backwards:
            executor.migrate([key])
            executor.loader.build_graph()
        name = f"{key[0]}.{key[1]}"
        if errors:
            report["our_errors"][name] = errors
        if notes:
            report["notes"][name] = notes
        node = executor.loader.graph.nodes[key]
        try:
            if executed:
                sql = migrate_capturing(executor, key)
            else:
                sql = executor.loader.collect_sql([(node, backwards)])
        except Exception as exc:  # what sqlmigrate (or migrate) would crash with
            report["django_failed"][name] = f"{type(exc).__name__}: {exc}"
            sql = None
        if sql is not None:
            theirs = collections.Counter(
                norm(s)
                for s in sql
                if s.strip() and not s.startswith("--") and s.strip() not in ("BEGIN;", "COMMIT;")
            )
            mine = collections.Counter(norm(s) for op in rendered.operations for s in op.statements)
            if theirs == mine:
                report["equal"] += 1
            else:
                report["different"][name] = {
                    "django_only": sorted((theirs - mine).elements()),
                    "ours_only": sorted((mine - theirs).elements()),
                }
        if progressive and not backwards and not executed:
            executor.migrate([key])
            executor.loader.build_graph()
    print(json.dumps(report, indent=1))


def migrate_capturing(executor, key: tuple[str, str]) -> list[str]:
    """Apply ``key`` for real; the statements its schema editor executed (client-side merged as
    ``sqlmigrate`` shows them)."""
    from django.db.backends.base.schema import BaseDatabaseSchemaEditor

    captured: list[str] = []
    original = BaseDatabaseSchemaEditor.execute

    def quote(editor, value):  # type: ignore[no-untyped-def]
        if editor.connection.vendor != "mysql":
            return editor.quote_value(value)
        # what the driver sends (Django 4.2's MySQL quote_value doubles % for sqlmigrate)
        raw = editor.connection.connection
        quoted = raw.escape(value, raw.encoders)
        return quoted.decode() if isinstance(quoted, bytes) else quoted

    def execute(self, sql, params=()):  # type: ignore[no-untyped-def]
        text = str(sql) if not params else str(sql) % tuple(quote(self, p) for p in params)
        if "django_migrations" not in text:  # the recorder's own table, made on first use
            captured.append(text if text.rstrip().endswith(";") else text + ";")
        return original(self, sql, params)

    BaseDatabaseSchemaEditor.execute = execute  # type: ignore[method-assign]
    try:
        executor.migrate([key])
    finally:
        BaseDatabaseSchemaEditor.execute = original  # type: ignore[method-assign]
    executor.loader.build_graph()
    return captured


def command_statements(root: Path, key: tuple[str, str], backwards: bool):
    """Our SQL for ``key`` as the ``sql`` command shows it, in the renderer's shape."""
    from types import SimpleNamespace

    from django_migration_lsp.config import load_options
    from django_migration_lsp.sqlcmd import render_document

    document = render_document(root, load_options(root), key[0], key[1], backwards)
    operations = []
    for op in document["operations"]:
        parts = op.get("sub_operations") or [op]
        operations.append(
            SimpleNamespace(
                error=op["error"] or next((p["error"] for p in parts if p["error"]), None),
                notes=op["notes"] + [n for p in parts if p is not op for n in p["notes"]],
                statements=[s for p in parts for s in p["statements"] + p["deferred"]],
            )
        )
    return SimpleNamespace(operations=operations)


if __name__ == "__main__":
    main()
