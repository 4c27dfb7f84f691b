"""``django-migration-lsp fix``: rewrite a migration's risky operations into their zero-downtime
form, in place, and into a migration added after it when a step needs its own transaction or
none (``--dry-run``: print the diff, write nothing). Exit status: 0 done (or nothing to do),
2 the project, the migration or the arguments are wrong, or the file cannot be rewritten.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the rewrites are imported when `fix` runs, not to build the CLI's parser
    from .rewrites import FixResult

EXIT_OK, EXIT_USAGE = 0, 2


def add_fix_parser(sub: Any) -> argparse.ArgumentParser:
    fix = sub.add_parser("fix", help="rewrite risky operations into their zero-downtime form")
    fix.add_argument("project_dir", nargs="?", default=".", help="the Django project; default: .")
    fix.add_argument("app_label")
    fix.add_argument("migration_name", help="the migration's name (or a unique prefix)")
    fix.add_argument(
        "--code",
        nargs="+",
        metavar="CODE",
        help="only the rewrites answering these codes (an unknown one is refused with the list)",
    )
    fix.add_argument("--dry-run", action="store_true", help="print the diff, write nothing")
    fix.add_argument("--format", choices=["text", "json"], default="text")
    fix.add_argument("--settings", help="Django settings module (default: from manage.py)")
    fix.add_argument("--database", help="database alias whose backend renders the SQL")
    fix.add_argument("-v", "--verbosity", nargs="?", type=int, const=2, default=1)
    return fix


def _fail(message: str) -> int:
    print(f"django-migration-lsp fix: {message}", file=sys.stderr)
    return EXIT_USAGE


def _display(root: Path, path: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(root))
    except ValueError:
        return path


def diffs(result: FixResult, root: Path) -> list[dict[str, str]]:
    """The files the rewrite changes or creates, each with its new text and unified diff."""
    files = []
    if result.text != result.original:
        shown = _display(root, result.path)
        diff = difflib.unified_diff(
            result.original.splitlines(keepends=True),
            result.text.splitlines(keepends=True),
            f"a/{shown}",
            f"b/{shown}",
        )
        files.append(
            {"path": shown, "action": "modify", "text": result.text, "diff": "".join(diff)}
        )
    files += [_modified(root, f.path, f.original, f.text) for f in result.other_files]
    if result.new_migration is not None:
        shown = _display(root, result.new_migration.path)
        diff = difflib.unified_diff(
            [], result.new_migration.text.splitlines(keepends=True), "/dev/null", f"b/{shown}"
        )
        text = result.new_migration.text
        files.append({"path": shown, "action": "create", "text": text, "diff": "".join(diff)})
    if result.next_release is not None:
        shown = _display(root, result.next_release.path)
        diff = difflib.unified_diff(
            [], result.next_release.text.splitlines(keepends=True), "/dev/null", f"b/{shown}"
        )
        text = result.next_release.text
        files.append({"path": shown, "action": "create", "text": text, "diff": "".join(diff)})
    return files


def _modified(root: Path, path: str, original: str, text: str) -> dict[str, str]:
    shown = _display(root, path)
    lines = (original.splitlines(keepends=True), text.splitlines(keepends=True))
    diff = "".join(difflib.unified_diff(*lines, f"a/{shown}", f"b/{shown}"))
    return {"path": shown, "action": "modify", "text": text, "diff": diff}


def to_json(result: FixResult, root: Path, written: bool) -> dict[str, Any]:
    return {
        "version": 1,
        "app": result.app,
        "migration": result.name,
        "path": _display(root, result.path),
        "changed": result.changed,
        "written": written,
        "refused": result.refused,
        "rewritten": [r.__dict__ for r in result.rewritten],
        "skipped": [s.__dict__ for s in result.skipped],
        "files": diffs(result, root),
    }


def _summary(result: FixResult, root: Path, written: bool) -> list[str]:
    lines = []
    shown = _display(root, result.path)
    for r in result.rewritten:
        lines.append(f"{shown}: operation {r.operation_index} [{r.code}]: {r.title} ({r.where})")
    verb = "created" if written else "would create"
    for f in result.other_files:
        lines.append(f"{'changed' if written else 'would change'} {_display(root, f.path)}")
    if result.new_migration is not None:
        lines.append(f"{verb} {_display(root, result.new_migration.path)}")
    if result.next_release is not None:
        lines.append(
            f"{verb} {_display(root, result.next_release.path)}: for the NEXT release (move it "
            "into migrations/ once this release runs everywhere)"
        )
    for s in result.skipped:
        lines.append(f"{shown}: operation {s.operation_index} [{s.code}] not rewritten: {s.reason}")
    if not result.rewritten and not result.skipped:
        lines.append(f"{shown}: nothing to rewrite")
    return lines


def write(result: FixResult) -> None:
    """Write the rewritten migration and create the new one (never over an existing file)."""
    if result.new_migration is not None:
        with open(result.new_migration.path, "x", encoding="utf-8") as handle:
            handle.write(result.new_migration.text)
    if result.next_release is not None:
        os.makedirs(os.path.dirname(result.next_release.path), exist_ok=True)
        with open(result.next_release.path, "x", encoding="utf-8") as handle:
            handle.write(result.next_release.text)
    if result.text != result.original:
        Path(result.path).write_text(result.text, encoding="utf-8")
    for other in result.other_files:
        Path(other.path).write_text(other.text, encoding="utf-8")


def compute(args: argparse.Namespace, root: Path) -> FixResult | str:
    """The rewrite of the migration named on the command line, or why there is none."""
    from .config import ConfigError, load_options
    from .engine import LintSession
    from .load_errors import ProjectLoadError
    from .rewrite_inputs import MigrationNotFound, migration_input, resolve_key
    from .rewrites import fix_migration

    try:
        options = load_options(root, {"settings": args.settings, "database": args.database})
        session = LintSession(root, options)
        session.load()
        key = resolve_key(session, args.app_label, args.migration_name)
        inp = migration_input(session, key)
    except ProjectLoadError as exc:
        p = exc.problem
        where = f"{p.path}:{p.line}: " if p.path and p.line else (f"{p.path}: " if p.path else "")
        return f"{where}{p.message}"
    except (ConfigError, MigrationNotFound) as exc:
        return str(exc)
    return fix_migration(inp, args.code)


def run_fix(args: argparse.Namespace, argv: list[str]) -> int:
    root = Path(args.project_dir).resolve()
    if not root.is_dir():
        return _fail(f"PROJECT_DIR {args.project_dir!r} is not a directory.")
    from .rewrites import CODES

    unknown = sorted(set(c.upper() for c in args.code or ()) - CODES)
    if unknown:
        return _fail(
            f"no rewrite for {', '.join(unknown)}; the rewrites answer {', '.join(sorted(CODES))}"
        )
    from .cli import _maybe_reexec
    from .config import ConfigError, load_options

    try:
        python = load_options(root, {}).python
    except ConfigError as exc:
        return _fail(f"invalid configuration: {exc}")
    reexec = _maybe_reexec(root, python, argv)
    if reexec is not None:
        return reexec
    os.chdir(root)
    result = compute(args, root)
    if isinstance(result, str):
        return _fail(result)
    if result.refused:
        if args.format == "json":
            print(json.dumps(to_json(result, root, False), indent=2))
        return _fail(result.refused)
    written = not args.dry_run and result.changed
    if written:
        write(result)
    if args.format == "json":
        print(json.dumps(to_json(result, root, written), indent=2))
        return EXIT_OK
    if args.dry_run:
        for item in diffs(result, root):
            sys.stdout.write(item["diff"])
    out = sys.stderr if args.dry_run else sys.stdout
    for line in _summary(result, root, written):
        print(line, file=out)
    return EXIT_OK
