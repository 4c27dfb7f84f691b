"""``not_null_checked`` of an AlterField (null -> NOT NULL): a ``CheckConstraint`` whose
condition is ``Q(field__isnull=False)`` counts; conditions that nest Q objects (``(Q(a) | Q(b))
& Q(...)``) are read without crashing the facts of the operation, and do not count."""

from __future__ import annotations

import json
import subprocess
import sys

#: real Django states (in a fresh interpreter: settings are configured once per process)
SCRIPT = """
import json, sys
import django
from django.conf import settings
settings.configure(
    INSTALLED_APPS=[], DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
)
django.setup()
from django.db import connections, models
from django.db.migrations import operations as ops
from django.db.migrations.state import ModelState, ProjectState
from django_migration_lsp.django_side.facts import schema_facts

key = "check" if django.VERSION < (5, 1) else "condition"
conditions = {
    "plain": models.Q(code__isnull=False),
    "nested": (models.Q(kind=1) | models.Q(kind=2)) & models.Q(code__isnull=False),
    "other": models.Q(kind__gt=0),
}
out = {}
for label, condition in conditions.items():
    constraint = models.CheckConstraint(name="c_" + label, **{key: condition})
    before = ProjectState()
    before.add_model(ModelState("shop", "Item", [
        ("id", models.AutoField(primary_key=True)),
        ("kind", models.IntegerField()),
        ("code", models.CharField(max_length=10, null=True)),
    ], {"constraints": [constraint]}))
    op = ops.AlterField("item", "code", models.CharField(max_length=10))
    after = before.clone()
    op.state_forwards("shop", after)
    facts = schema_facts(op, "shop", before, after, connections["default"], "default")
    out[label] = facts.column_altered.not_null_checked
print(json.dumps(out))
"""


def test_not_null_checked_reads_plain_and_nested_check_conditions():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"plain": True, "nested": False, "other": False}
