"""``django-migration-lsp``: ``lint`` and ``check`` for CI, ``serve`` for editors.

``lint`` takes every ``lintmigrations`` option of django-migration-linter 6.x with the same
spelling and meaning. Exit status: 0 no errors, 1 at least one error, 2 the project could not be
loaded or the arguments are wrong (one paragraph on stderr; the traceback with ``-v``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from . import __version__
from .sqlcmd import add_sql_arguments, run_sql

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def add_lint_arguments(
    parser: argparse.ArgumentParser, *, positional_project: bool, django_command: bool = False
) -> None:
    """The options of ``lintmigrations`` (django-migration-linter 6.x), same spelling.

    ``django_command``: the parser is a Django management command's, which already has
    ``--settings`` and ``-v``.
    """
    if positional_project:
        parser.add_argument(
            "project_dir",
            nargs="?",
            default=".",
            help="the Django project (where manage.py / pyproject.toml live); default: .",
        )
    parser.add_argument("app_label", nargs="?", help="lint only the migrations of this app")
    parser.add_argument(
        "migration_name", nargs="?", help="lint only this migration (name or prefix)"
    )
    parser.add_argument(
        "--git-commit-id",
        metavar="REV",
        help="lint only migration files added or renamed since this commit",
    )
    parser.add_argument("--ignore-name-contains", help="skip migrations whose name contains this")
    parser.add_argument("--ignore-name", nargs="*", help="skip migrations with these names")
    parser.add_argument("--include-name-contains", help="only migrations whose name contains this")
    parser.add_argument("--include-name", nargs="*", help="only migrations with these names")
    parser.add_argument(
        "--project-root-path", help="root used for git and the cache (default: PROJECT_DIR)"
    )
    parser.add_argument(
        "--include-migrations-from",
        metavar="FILE_PATH",
        help="only the migration files listed in this file",
    )
    cache = parser.add_mutually_exclusive_group()
    cache.add_argument("--cache-path", help="directory for the result cache")
    cache.add_argument("--no-cache", action="store_true", help="do not use the result cache")
    apps = parser.add_mutually_exclusive_group()
    apps.add_argument("--include-apps", nargs="*", help="only migrations of these apps")
    apps.add_argument("--exclude-apps", nargs="*", help="skip migrations of these apps")
    applied = parser.add_mutually_exclusive_group()
    applied.add_argument(
        "--unapplied-migrations",
        action="store_true",
        help="only migrations not applied yet (reads django_migrations, never writes)",
    )
    applied.add_argument(
        "--applied-migrations",
        action="store_true",
        help="only migrations already applied (reads django_migrations, never writes)",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        nargs="+",
        choices=["ok", "ignore", "warning", "error"],
        help="do not print these kinds of results",
    )
    parser.add_argument("--database", help="database alias whose backend renders the SQL")
    parser.add_argument(
        "--exclude-migration-tests", nargs="*", help="rule codes to skip (e.g. ALTER_COLUMN)"
    )
    parser.add_argument(
        "--warnings-as-errors",
        nargs="*",
        help="treat warnings as errors; optionally only these codes",
    )
    parser.add_argument(
        "--sql-analyser",
        choices=["postgresql", "sqlite", "mysql"],
        help="rules of this vendor instead of the database's",
    )
    parser.add_argument(
        "--ignore-sqlmigrate-errors",
        action="store_true",
        help="accepted for compatibility: rendering errors never stop the run here",
    )
    parser.add_argument(
        "--ignore-initial-migrations", action="store_true", help="skip initial migrations"
    )
    if not django_command:
        parser.add_argument("--settings", help="Django settings module (default: from manage.py)")
    parser.add_argument(
        "--format",
        choices=["text", "json", "github", "sarif"],
        default="text",
        help="output format (default: text)",
    )


def add_verbosity(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-v",
        "--verbosity",
        nargs="?",
        type=int,
        const=2,
        default=1,
        choices=[0, 1, 2, 3],
        help="0 quiet, 1 normal, 2 verbose (SQL of each finding, tracebacks), 3 debug",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="django-migration-lsp",
        description="Catch Django migrations that would break a zero-downtime deploy.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    lint = sub.add_parser("lint", help="lint migrations (same options as lintmigrations)")
    add_lint_arguments(lint, positional_project=True)
    add_verbosity(lint)
    check = sub.add_parser(
        "check", help="cross-checks: models vs migrations, migrations vs database, conflicts"
    )
    check.add_argument("project_dir", nargs="?", default=".")
    check.add_argument("--settings")
    check.add_argument(
        "--database", action="append", help="database alias to check (repeatable; default: all)"
    )
    check.add_argument("--exclude-apps", nargs="*")
    check.add_argument(
        "--no-database", action="store_true", help="skip the checks that read a database"
    )
    check.add_argument("--format", choices=["text", "json", "github", "sarif"], default="text")
    add_verbosity(check)
    sql = sub.add_parser("sql", help="a migration's SQL without a database (offline sqlmigrate)")
    add_sql_arguments(sql)
    add_verbosity(sql)
    serve = sub.add_parser("serve", help="run the language server on stdio")
    serve.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead (debugging)")
    serve.add_argument(
        "--stdio",
        action="store_true",
        help="talk over stdin/stdout (the default; accepted "
        "because LSP clients such as vscode-languageclient pass it)",
    )
    serve.add_argument("--log-file", help="write the server log to this file")
    return parser


def fail(message: str, exc: BaseException | None = None, verbosity: int = 1) -> int:
    """Print a one-paragraph explanation (and the traceback with -v) and return 2."""
    print(f"django-migration-lsp: {message}", file=sys.stderr)
    if exc is not None and verbosity >= 2:
        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    return EXIT_USAGE


def lint_flags(args: argparse.Namespace) -> dict[str, Any]:
    """Flags given on the command line, as option values."""
    flags = {
        "settings": args.settings,
        "database": args.database,
        "project_root_path": args.project_root_path,
        "exclude_migration_tests": args.exclude_migration_tests,
        "include_apps": args.include_apps,
        "exclude_apps": args.exclude_apps,
        "ignore_name_contains": args.ignore_name_contains,
        "ignore_name": args.ignore_name,
        "include_name_contains": args.include_name_contains,
        "include_name": args.include_name,
        "applied_migrations": args.applied_migrations,
        "unapplied_migrations": args.unapplied_migrations,
        "ignore_initial_migrations": args.ignore_initial_migrations,
        "ignore_sqlmigrate_errors": args.ignore_sqlmigrate_errors,
        "sql_analyser": args.sql_analyser,
        "git_commit_id": args.git_commit_id,
        "include_migrations_from": args.include_migrations_from,
        "app_label": args.app_label,
        "migration_name": args.migration_name,
        "cache_path": args.cache_path,
        "no_cache": args.no_cache,
        "quiet": args.quiet,
    }
    if args.warnings_as_errors is not None:
        flags["warnings_as_errors"] = args.warnings_as_errors or True
    return flags


def _maybe_reexec(root: Path, python: str | None, argv: list[str]) -> int | None:
    """Run under the project's interpreter when one is configured and it is not this one."""
    if not python:
        return None
    target = Path(python) if os.path.isabs(python) else (root / python)
    if not target.exists() or os.path.realpath(target) == os.path.realpath(sys.executable):
        return None
    if os.environ.get("DJANGO_MIGRATION_LSP_REEXEC"):
        return None
    env = dict(os.environ)
    package_parent = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_parent, env.get("PYTHONPATH")]))
    env["DJANGO_MIGRATION_LSP_REEXEC"] = "1"
    return subprocess.call([str(target), "-m", "django_migration_lsp", *argv], env=env)


def run_lint(args: argparse.Namespace, argv: list[str]) -> int:
    """``lint``: load, render, judge, print; exit status per DESIGN §6."""
    from .config import ConfigError, load_options

    root = Path(args.project_dir).resolve()
    if not root.is_dir():
        return fail(f"PROJECT_DIR {args.project_dir!r} is not a directory.")
    try:
        options = load_options(root, lint_flags(args))
    except ConfigError as exc:
        return fail(f"invalid configuration: {exc}", exc, args.verbosity)
    reexec = _maybe_reexec(root, options.python, argv)
    if reexec is not None:
        return reexec
    from . import cache as cache_mod

    started = time.perf_counter()
    run = cache_mod.cached_run(root, options)  # a hit needs no Django at all
    if run is not None:
        return report_lint(run, args, options, started)
    try:
        import django  # noqa: F401
    except ImportError as exc:
        return fail(
            f"Django is not importable by {sys.executable}. Run django-migration-lsp with the "
            "project's interpreter, or set `python` under [tool.django-migration-lsp].",
            exc,
            args.verbosity,
        )
    from .django_side.loading import ProjectLoadError
    from .engine import LintSession

    os.chdir(root)
    try:
        run = cache_mod.cached_lint(root, options, LintSession)
    except ProjectLoadError as exc:
        where = ""
        problem = exc.problem
        if problem.path:
            where = f"{problem.path}:{problem.line}: " if problem.line else f"{problem.path}: "
        return fail(f"{where}{problem.message}", exc, args.verbosity)
    except ConfigError as exc:
        return fail(f"invalid configuration: {exc}", exc, args.verbosity)
    return report_lint(run, args, options, started)


def report_lint(run: Any, args: argparse.Namespace, options: Any, started: float) -> int:
    """Print a run in the requested format; the exit status."""
    from .output import dumps, to_github, to_json, to_sarif, to_text

    elapsed = time.perf_counter() - started
    results = run.results
    for problem in run.problems:
        print(f"django-migration-lsp: {problem}", file=sys.stderr)
    if args.format == "json":
        print(dumps(to_json(run.project.to_dict(), results)))
    elif args.format == "sarif":
        print(dumps(to_sarif(run.project.root, results)))
    elif args.format == "github":
        text = to_github(run.project.root, results)
        if text:
            print(text)
    elif args.verbosity > 0:
        print(to_text(results, verbosity=args.verbosity, quiet=options.quiet))
        if args.verbosity >= 2:
            print(f"({len(results)} migrations in {elapsed:.2f}s, vendor {run.project.vendor})")
    if any(f.severity == "error" for r in results for f in r.findings):
        return EXIT_FINDINGS
    if results and all(r.status == "render_error" and r.path is None for r in results):
        return EXIT_USAGE
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    """``check``: the cross-checks (checks package)."""
    root = Path(args.project_dir).resolve()
    if not root.is_dir():
        return fail(f"PROJECT_DIR {args.project_dir!r} is not a directory.")
    try:
        from .checks import run_checks
        from .django_side.loading import ProjectLoadError
    except ImportError as exc:
        return fail(f"the cross-checks are not available: {exc}", exc, args.verbosity)
    os.chdir(root)
    try:
        report = run_checks(
            root,
            settings=args.settings,
            databases=args.database,
            exclude_apps=args.exclude_apps or [],
            include_database_checks=not args.no_database,
        )
    except ProjectLoadError as exc:
        problem = exc.problem
        where = f"{problem.path}:{problem.line}: " if problem.path and problem.line else ""
        return fail(f"{where}{problem.message}", exc, args.verbosity)
    if args.format == "json":
        import json

        print(json.dumps(report.to_json(), indent=2))
    elif args.format == "github":
        print(report.to_github())
    elif args.format == "sarif":
        import json

        print(json.dumps(report.to_sarif(), indent=2))
    else:
        print(report.to_text())
    return EXIT_FINDINGS if report.has_errors else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "serve":
        from .lsp.server import main as serve_main

        serve_args = []
        if args.tcp:
            serve_args += ["--tcp", args.tcp]
        if args.log_file:
            serve_args += ["--log-file", args.log_file]
        return serve_main(serve_args) or 0
    if args.command == "check":
        return run_check(args)
    if args.command == "sql":
        return run_sql(args, fail, lambda root, python: _maybe_reexec(root, python, argv))
    return run_lint(args, argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
