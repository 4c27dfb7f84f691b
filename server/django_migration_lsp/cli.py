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
from .progress import progress_line
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
    parser.add_argument(
        "--new",
        action="store_true",
        help="only migrations git does not have on the base (see --base)",
    )
    parser.add_argument(
        "--base",
        metavar="REV",
        help="the commit --new is measured from (default: the merge-base of HEAD with the "
        "default branch's upstream, else with main/master)",
    )
    parser.add_argument(
        "--baseline", metavar="FILE", help="report only findings not recorded in this file"
    )
    parser.add_argument(
        "--write-baseline",
        metavar="FILE",
        help="record the findings of this run in FILE (then lint with --baseline FILE)",
    )
    parser.add_argument(
        "--include-installed-apps",
        action="store_true",
        help="lint the migrations of apps outside the project too (site-packages, …)",
    )
    if not django_command:
        parser.add_argument("--settings", help="Django settings module (default: from manage.py)")
    parser.add_argument(
        "--format",
        choices=["text", "json", "github", "sarif", "gitlab"],
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
    check.add_argument(
        "--include-installed-apps",
        action="store_true",
        help="check the apps outside the project too (site-packages, …)",
    )
    check.add_argument(
        "--format", choices=["text", "json", "github", "sarif", "gitlab"], default="text"
    )
    add_verbosity(check)
    from .fixcmd import add_fix_parser

    add_fix_parser(sub)
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
    """Flags given on the command line, as option values: every flag named as an option of the
    schema (``config.LintOptions``) is one."""
    from .config import OPTION_NAMES

    flags = {name: getattr(args, name) for name in OPTION_NAMES if hasattr(args, name)}
    if args.warnings_as_errors is not None:  # a bare --warnings-as-errors: every warning
        flags["warnings_as_errors"] = args.warnings_as_errors or True
    flags["baseline"] = _absolute(args.baseline)
    return flags


def _absolute(path: str | None) -> str | None:
    """A path given on the command line, made independent of the cwd (which may change)."""
    return os.path.abspath(path) if path else None


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


def load_failure(exc: Any, verbosity: int) -> int:
    """A ``ProjectLoadError`` as the one-paragraph message of exit status 2."""
    problem = exc.problem
    where = ""
    if problem.path:
        where = f"{problem.path}:{problem.line}: " if problem.line else f"{problem.path}: "
    return fail(f"{where}{problem.message}", exc, verbosity)


def resolve_base(root: Path, options: Any) -> None:
    """For ``--new``, pin ``base`` to a commit id (so the result cache keys on it)."""
    from . import vcs

    git_root = Path(options.project_root_path).resolve() if options.project_root_path else root
    try:
        options.base = vcs.resolve(git_root, options.base) if options.base else None
        options.base = options.base or vcs.default_base(git_root)
    except vcs.VcsError as exc:
        from .config import ConfigError

        raise ConfigError(f"{exc}. --new needs a git repository and a base commit.") from exc


def lint_run(root: Path, options: Any) -> Any:
    """The run for ``options``: from the cache when nothing changed, else linted now."""
    from . import runs

    run, cache = runs.whole_run(root, options)  # a hit needs no Django at all
    if run is not None:
        return run
    try:
        import django  # noqa: F401
    except ImportError as exc:
        raise DjangoMissing(
            f"Django is not importable by {sys.executable}. Run django-migration-lsp with the "
            "project's interpreter, or set `python` under [tool.django-migration-lsp]."
        ) from exc
    os.chdir(root)
    with progress_line("lint", "setting Django up") as progress:
        return runs.lint_project(root, options, cache, progress.migration if progress else None)


class DjangoMissing(Exception):
    """Django cannot be imported by this interpreter."""


def finish_run(run: Any, options: Any, write_baseline: str | None) -> tuple[Any, str | None]:
    """Apply the baseline, or write one; (the run to report, a note for stderr)."""
    from .baseline import apply_baseline, read_baseline
    from .baseline import write_baseline as write

    if write_baseline:
        count = write(Path(write_baseline), run)
        return run, f"{count} findings recorded in {write_baseline}; lint with --baseline to use it"
    if options.baseline:
        baseline = Path(options.baseline)
        if not baseline.is_absolute():  # from the config file: relative to the project
            baseline = Path(options.project_root_path or run.project.root) / baseline
        return apply_baseline(run, read_baseline(baseline)), None
    return run, None


def run_lint(args: argparse.Namespace, argv: list[str]) -> int:
    """``lint``: select, render, judge, print; exit status per the module's docstring."""
    from .config import ConfigError, load_options
    from .load_errors import ProjectLoadError

    root = Path(args.project_dir).resolve()
    if not root.is_dir():
        return fail(f"PROJECT_DIR {args.project_dir!r} is not a directory.")
    started = time.perf_counter()
    try:
        options = load_options(root, lint_flags(args))
        reexec = _maybe_reexec(root, options.python, argv)
        if reexec is not None:
            return reexec
        if args.write_baseline:
            options.baseline = None  # record every finding
        if options.new:
            resolve_base(root, options)
        run, note = finish_run(lint_run(root, options), options, args.write_baseline)
    except ProjectLoadError as exc:
        return load_failure(exc, args.verbosity)
    except (ConfigError, DjangoMissing) as exc:
        prefix = "invalid configuration: " if isinstance(exc, ConfigError) else ""
        return fail(f"{prefix}{exc}", exc, args.verbosity)
    report_lint(run, args, options, started)
    if note:
        print(f"django-migration-lsp: {note}", file=sys.stderr)
        return EXIT_OK
    from .output import exit_status

    return exit_status(run, options)


def report_lint(run: Any, args: argparse.Namespace, options: Any, started: float) -> None:
    """Print a run in the requested format."""
    from .output import render

    for problem in run.problems:
        print(f"django-migration-lsp: {problem}", file=sys.stderr)
    text = render(run, args.format, verbosity=args.verbosity, quiet=options.quiet)
    if text:
        print(text)
    if args.format == "text" and args.verbosity >= 2:
        elapsed = time.perf_counter() - started
        print(f"({len(run.results)} migrations in {elapsed:.2f}s, vendor {run.project.vendor})")


def run_check(args: argparse.Namespace) -> int:
    """``check``: the cross-checks (checks package)."""
    root = Path(args.project_dir).resolve()
    if not root.is_dir():
        return fail(f"PROJECT_DIR {args.project_dir!r} is not a directory.")
    try:
        from .checks import run_checks
        from .load_errors import ProjectLoadError
    except ImportError as exc:
        return fail(f"the cross-checks are not available: {exc}", exc, args.verbosity)
    from .output import exit_status, render

    os.chdir(root)
    try:
        with progress_line("check") as progress:
            report = run_checks(
                root,
                settings=args.settings,
                databases=args.database,
                exclude_apps=args.exclude_apps or [],
                include_database_checks=not args.no_database,
                include_installed_apps=args.include_installed_apps,
                progress=progress,
            )
    except ProjectLoadError as exc:
        return load_failure(exc, args.verbosity)
    text = render(report, args.format, verbosity=args.verbosity)
    if text:
        print(text)
    return exit_status(report)


LIST_FLAGS = ("include_apps", "exclude_apps", "ignore_name", "include_name")


def is_project_dir(path: str) -> bool:
    """A ``manage.py`` or a ``[tool.django-migration-lsp]`` section marks a Django project."""
    from .config import has_config_section

    return (Path(path) / "manage.py").is_file() or has_config_section(Path(path))


def fix_positionals(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Positionals that cannot swallow the project path (nor take an app for it).

    ``lint --exclude-apps auth admin PROJECT``: the list option took the project; it is given
    back. ``cd project && lint shop``: ``shop`` is an app, not a project directory.
    """
    explicit = args.project_dir != "."
    for name in LIST_FLAGS:
        values = getattr(args, name, None) or []
        if values and is_project_dir(values[-1]) and values[-1] not in ("", "."):
            if explicit:
                parser.error(
                    f"--{name.replace('_', '-')} took {values[-1]!r}, a project directory, and "
                    f"PROJECT_DIR is {args.project_dir!r} too: put PROJECT_DIR first"
                )
            args.project_dir = values.pop()
            setattr(args, name, values)
            return
    label_like = os.sep not in args.project_dir and args.project_dir.isidentifier()
    shifted = label_like and args.migration_name is None and not is_project_dir(args.project_dir)
    if shifted and is_project_dir("."):
        args.project_dir, args.app_label, args.migration_name = (
            ".",
            args.project_dir,
            args.app_label,
        )


def dispatch(parser: argparse.ArgumentParser, args: argparse.Namespace, argv: list[str]) -> int:
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
    if args.command == "fix":
        from .fixcmd import run_fix

        return run_fix(args, argv)
    fix_positionals(parser, args)
    return run_lint(args, argv)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status = dispatch(parser, args, argv)
        if not sys.stdout.closed:  # the language server closes it when the client exits
            sys.stdout.flush()
    except BrokenPipeError:  # ``| head`` closed the pipe: the reader has what it wanted
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK if args.command == "serve" else EXIT_FINDINGS
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
