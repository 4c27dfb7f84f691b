"""The IgnoreMigration quick-fix: the edited migration imports and runs where the linter is
not installed (production ``migrate``), and is still recognised where the linter runs."""

from __future__ import annotations

import subprocess
import sys

from django_migration_lsp.edits import add_ignore_migration, apply_edits
from django_migration_lsp.source import parse_migration_source

MIGRATION = """\
from django.db import migrations


class Migration(migrations.Migration):
    operations = [
        migrations.RemoveField(model_name="item", name="price"),
    ]
"""

#: loads the migration module with the linter's packages made unimportable, then applies its
#: operations' state changes as ``migrate`` would
WITHOUT_LINTER = """
import sys
for name in ("django_migration_lsp", "django_migration_linter"):
    sys.modules[name] = None  # `import` of these now raises ImportError
import django
from django.conf import settings
settings.configure(INSTALLED_APPS=[])
django.setup()
namespace = {}
exec(compile(sys.stdin.read(), "0002_x.py", "exec"), namespace)
operation = namespace["Migration"].operations[0]
print(type(operation).__name__, operation.reversible, operation.elidable)
"""


def edited(provider: str = "django_migration_lsp.operations") -> str:
    return apply_edits(MIGRATION, add_ignore_migration(parse_migration_source(MIGRATION), provider))


def test_the_edited_migration_runs_without_the_linter_installed():
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_LINTER],
        input=edited(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["IgnoreMigration", "True", "True"]


def test_the_linter_still_recognises_it():
    text = edited()
    source = parse_migration_source(text)
    assert source.ignore_migration and source.syntax_error is None
    namespace: dict = {}
    exec(compile(text, "0002_x.py", "exec"), namespace)
    from django_migration_lsp.operations import IgnoreMigration

    assert isinstance(namespace["Migration"].operations[0], IgnoreMigration)
    assert add_ignore_migration(source) == []  # applied once
    other = edited("django_migration_linter")
    assert "from django_migration_linter import IgnoreMigration" in other
