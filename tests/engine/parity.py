"""Compare our offline SQL with Django's, migration by migration, on a real database.

Run as a script in its own process (Django is set up once per process):

    python parity.py PROJECT_DIR SETTINGS [--progressive]

Renders every migration offline first (no connection), then asks Django for each migration's
SQL (``MigrationLoader.collect_sql``, what ``sqlmigrate`` does). With ``--progressive`` the test
database is migrated up to just before each migration first, so Django's introspection sees the
real schema (the gold standard); without it Django runs against the database as it is. Prints
one JSON document: per migration, equal or the differences; Django's failures; our errors.
SQLite table rebuilds are compared as sets of columns (their column order follows field
creation order, which differs between ``sqlmigrate`` and ``migrate``).
"""

from __future__ import annotations

import collections
import json
import re
import sys
from pathlib import Path


def norm(statement: str) -> str:
    statement = statement.strip()
    if '"new__' in statement and statement.startswith(("CREATE TABLE", "INSERT INTO")):
        return " ".join(sorted(re.split(r"[,()]\s*", statement)))
    return statement


def main() -> None:
    root = Path(sys.argv[1]).resolve()
    settings = sys.argv[2]
    progressive = "--progressive" in sys.argv
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
        name = f"{key[0]}.{key[1]}"
        if errors:
            report["our_errors"][name] = errors
        if notes:
            report["notes"][name] = notes
        node = executor.loader.graph.nodes[key]
        try:
            sql = executor.loader.collect_sql([(node, False)])
        except Exception as exc:  # what sqlmigrate would crash with
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
        if progressive:
            executor.migrate([key])
            executor.loader.build_graph()
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
