"""``field_clones``: a model state rendered from remembered deconstructions has the very fields
Django's ``Field.clone`` gives; a field class of another module keeps its own ``clone`` (its
``deconstruct`` may build new objects each time, which must not be shared between classes);
and a field changed in place (``RenameField`` repoints ``to_fields``) is deconstructed again
once ``AppsReuse.applied`` has seen such an operation."""

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
from django_migration_lsp.django_side.apps_reuse import AppsReuse
from django_migration_lsp.django_side.field_clones import SubsetState


class Tags(models.Field):  # another module's field: its deconstruct builds a new list each time
    def __init__(self, *args, choices_made=None, **kwargs):
        self.made = choices_made if choices_made is not None else []
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["choices_made"] = list(self.made)
        return name, path, args, kwargs

    def db_type(self, connection):
        return "text"


def states():
    group = ModelState("shop", "Group", [("id", models.AutoField(primary_key=True)),
                                         ("code", models.CharField(max_length=5, unique=True))])
    item = ModelState("shop", "Item", [
        ("id", models.AutoField(primary_key=True)),
        ("price", models.DecimalField(max_digits=9, decimal_places=2, default=0)),
        ("group", models.ForeignKey("shop.Group", models.CASCADE, to_field="code")),
        ("tags", Tags(null=True)),
    ])
    return {("shop", "group"): group, ("shop", "item"): item}


def fields(apps):
    model = apps.get_model("shop", "item")
    return {f.name: list(f.deconstruct()[1:]) for f in model._meta.local_fields}


models_ = states()
reuse = AppsReuse()
plain = ProjectState(models=dict(models_), real_apps=set()).apps
first = SubsetState(dict(models_), reuse.clones).apps
second = SubsetState(dict(models_), reuse.clones).apps
tags = [a.get_model("shop", "item")._meta.get_field("tags") for a in (first, second)]
# RenameField repoints the foreign key's to_fields in place, as Django's state does
group_fk = models_[("shop", "item")].fields["group"]
group_fk.remote_field.field_name, group_fk.to_fields = "label", ("label",)
remembered = SubsetState(dict(models_), reuse.clones).apps.get_model("shop", "item")
reuse.applied(ops.RenameField("group", "code", "label"), "shop", ProjectState(real_apps=set()))
again = SubsetState(dict(models_), reuse.clones).apps.get_model("shop", "item")
print(json.dumps({
    "same_fields": fields(first) == fields(plain) == fields(second),
    "fk_is_new": first.get_model("shop", "item")._meta.get_field("group") is not
                 second.get_model("shop", "item")._meta.get_field("group"),
    "own_clone_not_shared": tags[0].made is not tags[1].made,
    "before_forget": remembered._meta.get_field("group").to_fields,
    "after_forget": again._meta.get_field("group").to_fields,
}, default=list))
"""


def test_remembered_deconstructions_render_the_fields_django_clones():
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-3000:]
    found = json.loads(out.stdout)
    assert found["same_fields"] and found["fk_is_new"] and found["own_clone_not_shared"]
    # remembered while nothing told it a field changed in place; deconstructed again after
    assert found["before_forget"] == ["code"]
    assert found["after_forget"] == ["label"]
