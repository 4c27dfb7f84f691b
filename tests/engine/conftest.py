"""Small real Django projects written to disk for engine and CLI tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from ..schemas import validate_cli_json

REPO = Path(__file__).resolve().parents[2]

SETTINGS = """\
import os
from urllib.parse import urlparse

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET_KEY = "test"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", {apps}]
_url = os.environ.get("DJANGO_MIGRATION_LSP_TEST_DATABASE_URL", "")
if _url.startswith("postgres"):
    _u = urlparse(_url)
    DATABASES = {{"default": {{
        "ENGINE": "django.db.backends.postgresql", "NAME": _u.path.lstrip("/"),
        "USER": _u.username or "", "PASSWORD": _u.password or "", "HOST": _u.hostname or "",
        "PORT": str(_u.port or ""),
    }}}}
else:
    DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3",
                              "NAME": os.path.join(BASE_DIR, "db.sqlite3")}}}}
{extra}
"""

MANAGE = """\
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
"""

INITIAL = """\
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="Item",
            fields=[
                ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=50)),
                ("price", models.IntegerField(null=True)),
            ],
        ),
    ]
"""


def write_project(
    root: Path,
    migrations: dict[str, dict[str, str]],
    *,
    extra_settings: str = "",
    pyproject: str | None = None,
) -> Path:
    """A Django project at ``root``: apps -> {migration name: source}."""
    (root / "proj").mkdir(parents=True, exist_ok=True)
    (root / "proj" / "__init__.py").write_text("")
    apps = ", ".join(f'"{app}"' for app in migrations)
    (root / "proj" / "settings.py").write_text(SETTINGS.format(apps=apps, extra=extra_settings))
    (root / "manage.py").write_text(MANAGE)
    for app, files in migrations.items():
        pkg = root / app / "migrations"
        pkg.mkdir(parents=True, exist_ok=True)
        (root / app / "__init__.py").write_text("")
        (root / app / "models.py").write_text("")
        (pkg / "__init__.py").write_text("")
        for name, source in files.items():
            data = source.encode("latin-1") if isinstance(source, bytes) else None
            path = pkg / f"{name}.py"
            if data is not None:
                path.write_bytes(data)
            else:
                path.write_text(textwrap.dedent(source))
    if pyproject is not None:
        (root / "pyproject.toml").write_text(textwrap.dedent(pyproject))
    return root


class CliResult:
    def __init__(self, proc: subprocess.CompletedProcess[str], args: tuple[str, ...] = ()) -> None:
        self.code = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.args = args

    def json(self) -> dict:
        """The JSON on stdout; ``lint`` / ``check`` JSON is validated against its schema."""
        return validate_cli_json(self.args, json.loads(self.stdout))

    def migration(self, app: str, name: str) -> dict:
        for entry in self.json()["migrations"]:
            if entry["app"] == app and entry["name"] == name:
                return entry
        raise KeyError((app, name))

    def codes(self, app: str, name: str) -> list[str]:
        return sorted(f["code"] for f in self.migration(app, name)["findings"])


def run_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: int = 240
) -> CliResult:
    """``python -m django_migration_lsp ARGS`` in a fresh process."""
    full_env = dict(os.environ)
    full_env.pop("DJANGO_SETTINGS_MODULE", None)
    full_env["XDG_CACHE_HOME"] = str((cwd or Path.cwd()) / ".test-cache")
    full_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "django_migration_lsp", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return CliResult(proc, args)


def hide_mysqldb(tmp_path: Path) -> dict[str, str]:
    """An environment in which ``import MySQLdb`` fails, as when no driver is installed."""
    package = tmp_path / "nodriver" / "MySQLdb"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("raise ImportError(\"No module named 'MySQLdb'\")\n")
    path = os.pathsep.join(filter(None, [str(package.parent), os.environ.get("PYTHONPATH")]))
    return {"PYTHONPATH": path}


@pytest.fixture
def project(tmp_path: Path) -> Callable[..., Path]:
    """Factory: ``project({"shop": {"0001_initial": SRC}})`` -> project root."""

    def make(migrations: dict[str, dict[str, str]], **kwargs: object) -> Path:
        return write_project(tmp_path / "site", migrations, **kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture
def cli() -> Callable[..., CliResult]:
    return run_cli
