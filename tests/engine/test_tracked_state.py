"""The running state's ``alter_field`` (``tracked.TrackedState``: no search of the project for
fields referring to the altered one) leaves the state exactly as Django's
``ProjectState.alter_field`` does, for a plain field, a relation, a field others point at, and
``preserve_default=False``; run in the Django matrix, so a Django that changes the method
fails here."""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = """
import json
import django
from django.conf import settings
settings.configure()
django.setup()
from django.db import models
from django.db.migrations import operations as ops
from django.db.migrations.state import ModelState, ProjectState
from django_migration_lsp.django_side.tracked import tracked_state

def models_():
    return [
        ModelState("shop", "Group", [("id", models.AutoField(primary_key=True)),
                                     ("code", models.CharField(max_length=5, unique=True)),
                                     ("title", models.TextField())]),
        ModelState("shop", "Item", [("id", models.AutoField(primary_key=True)),
                                    ("group", models.ForeignKey("shop.Group", models.CASCADE,
                                                                to_field="code"))]),
    ]

def shown(state):
    return {f"{k[0]}.{k[1]}": [[name, f.deconstruct()[1:]] for name, f in m.fields.items()]
            for k, m in sorted(state.models.items())}

operations = [
    ops.AlterField("group", "title", models.TextField(null=True)),
    ops.AlterField("group", "code", models.CharField(max_length=9, unique=True)),
    ops.AlterField("item", "group", models.ForeignKey("shop.Group", models.SET_NULL, null=True)),
    ops.AlterField("group", "title", models.TextField(default="x"), preserve_default=False),
]
out = {}
for number, op in enumerate(operations):
    django_state, ours = ProjectState(real_apps=set()), tracked_state()
    for one in models_():
        django_state.add_model(one.clone())
        ours.add_model(one.clone())
    op.state_forwards("shop", django_state)
    op.state_forwards("shop", ours)
    new = ours.models["shop", op.model_name_lower].fields[op.name]
    out[number] = {"same": shown(django_state) == shown(ours),
                   "field_is_the_operations": new is op.field,
                   "default": str(new.default)}
print(json.dumps(out, default=str))
"""


def test_the_running_state_alters_a_field_as_django_does():
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-3000:]
    found = json.loads(out.stdout)
    assert all(case["same"] for case in found.values()), found
    assert [case["field_is_the_operations"] for case in found.values()] == [True, True, True, False]
    assert found["3"]["default"] == "<class 'django.db.models.fields.NOT_PROVIDED'>"
