"""The rewrites' test project on disk (tests/projects/rewrites) and commands run on copies of it.

A scenario is a directory of ``tests/projects/rewrites/scenarios``: the ``models.py`` the
project ends with and the migration(s) written for it, added after ``0001_initial``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from ..pg import PostgresServer

PROJECT = Path(__file__).resolve().parents[1] / "projects" / "rewrites"
SCENARIOS = sorted(p.name for p in (PROJECT / "scenarios").iterdir() if p.is_dir())
URL_VAR = "DJANGO_MIGRATION_LSP_TEST_DATABASE_URL"
SKIPPED_LINES = ("-- Dumped", "\\restrict", "\\unrestrict")
PG_DUMP = Path("/usr/lib/postgresql/15/bin/pg_dump")


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str


def copy_scenario(scenario: str, dest: Path) -> Path:
    """The project with ``scenario``'s models.py and migrations, at ``dest``."""
    shutil.copytree(PROJECT, dest, ignore=shutil.ignore_patterns("scenarios", "__pycache__"))
    for item in (PROJECT / "scenarios" / scenario).iterdir():
        target = (
            dest / "shop" / ("models.py" if item.name == "models.py" else f"migrations/{item.name}")
        )
        shutil.copy(item, target)
    return dest


def migration_files(project: Path) -> dict[str, str]:
    folder = project / "shop" / "migrations"
    return {p.name: p.read_text() for p in sorted(folder.glob("0*.py"))}


def _env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env[URL_VAR] = database_url
    return env


def cli(project: Path, database_url: str, *args: str) -> Run:
    """``python -m django_migration_lsp ARGS`` (the project as PROJECT_DIR)."""
    proc = subprocess.run(
        [sys.executable, "-m", "django_migration_lsp", *args],
        cwd=project,
        env=_env(database_url),
        capture_output=True,
        text=True,
        timeout=240,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def manage(project: Path, database_url: str, *args: str) -> Run:
    proc = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=project,
        env=_env(database_url),
        capture_output=True,
        text=True,
        timeout=240,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def schema(server: PostgresServer, database: str) -> str:
    """``pg_dump --schema-only`` of a database, without its version banner and the random key
    of its ``\\restrict`` guard lines."""
    proc = subprocess.run(
        [
            str(PG_DUMP),
            "--schema-only",
            "--no-owner",
            "-h",
            server.host,
            "-p",
            str(server.port),
            "-U",
            server.user,
            database,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return "\n".join(
        line for line in proc.stdout.splitlines() if not line.startswith(SKIPPED_LINES)
    )
