"""Generate a synthetic Django project: N apps x M migrations of realistic operations.

    python benchmarks/generate_project.py OUT_DIR --apps 10 --migrations 20 [--vendor sqlite]

Each app starts with a CreateModel migration (foreign keys to the previous app and to the user
model) and then cycles through the operations real projects accumulate: nullable and NOT NULL
AddField, AlterField, RenameField, RemoveField, AddIndex, unique constraints, RunPython with and
without reverse code, RunSQL, new models, and deletions. ``models.py`` is left empty (the linter
reads migrations; Django does not require models to match). Deterministic for given arguments.
"""

from __future__ import annotations

import argparse
import random
import textwrap
from pathlib import Path

SETTINGS = """\
import os

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET_KEY = "synthetic"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
{apps}
]
if os.environ.get("SYNTH_WITH_REFERENCE"):  # django-migration-linter, for comparisons
    INSTALLED_APPS.append("django_migration_linter")
_url = os.environ.get("SYNTH_DATABASE_URL", "")
if _url.startswith("postgres"):
    from urllib.parse import urlparse

    _u = urlparse(_url)
    DATABASES = {{"default": {{
        "ENGINE": "django.db.backends.postgresql", "NAME": _u.path.lstrip("/") or "synth",
        "USER": _u.username or "", "PASSWORD": _u.password or "", "HOST": _u.hostname or "",
        "PORT": str(_u.port or ""),
    }}}}
else:
    DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3",
                              "NAME": os.path.join(BASE_DIR, "db.sqlite3")}}}}
"""

MANAGE = """\
#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "synth.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
"""


class AppState:
    def __init__(self, label: str) -> None:
        self.label = label
        self.models: dict[str, list[str]] = {}  # model -> field names (besides id)
        self.counter = 0
        self.indexes: list[tuple[str, str]] = []

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"


def op_create_model(app: AppState, rng: random.Random, prev: str | None) -> str:
    name = app.fresh("Thing").capitalize()
    fields = ["title", "slug", "amount"]
    app.models[name] = list(fields) + ["owner"] + (["parent"] if prev else [])
    parent = (
        f'                ("parent", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, to="{prev}")),\n'
        if prev
        else ""
    )
    return (
        "        migrations.CreateModel(\n"
        f'            name="{name}",\n'
        "            fields=[\n"
        '                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),\n'
        '                ("title", models.CharField(max_length=100)),\n'
        '                ("slug", models.SlugField(max_length=50)),\n'
        '                ("amount", models.DecimalField(decimal_places=2, max_digits=10, default=0)),\n'
        '                ("owner", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),\n'
        f"{parent}"
        "            ],\n"
        "        ),\n"
    )


def pick(app: AppState, rng: random.Random) -> tuple[str, list[str]]:
    model = rng.choice(sorted(app.models))
    return model, app.models[model]


def operation(kind: str, app: AppState, rng: random.Random) -> tuple[str, str]:
    """Source of one operation of ``kind`` (and any helper function it needs)."""
    model, fields = pick(app, rng)
    m = model.lower()
    if kind == "add_nullable":
        f = app.fresh("note")
        fields.append(f)
        return (
            f'        migrations.AddField(model_name="{m}", name="{f}", field=models.TextField(blank=True, null=True)),\n',
            "",
        )
    if kind == "add_not_null":
        f = app.fresh("count")
        fields.append(f)
        return (
            f'        migrations.AddField(model_name="{m}", name="{f}", field=models.IntegerField(default=0), preserve_default=False),\n',
            "",
        )
    if kind == "alter":
        return (
            f'        migrations.AlterField(model_name="{m}", name="title", field=models.CharField(max_length={rng.choice([120, 150, 200, 255])})),\n',
            "",
        )
    if kind == "rename":
        extra = [f for f in fields if f.startswith(("note", "count"))]
        if not extra:
            return operation("add_nullable", app, rng)
        old = extra[0]
        new = app.fresh("renamed")
        fields[fields.index(old)] = new
        return (
            f'        migrations.RenameField(model_name="{m}", old_name="{old}", new_name="{new}"),\n',
            "",
        )
    if kind == "remove":
        extra = [f for f in fields if f.startswith(("note", "count", "renamed"))]
        if not extra:
            return operation("add_nullable", app, rng)
        fields.remove(extra[-1])
        return f'        migrations.RemoveField(model_name="{m}", name="{extra[-1]}"),\n', ""
    if kind == "index":
        name = f"{app.label}_{app.fresh('ix')}"[:30]
        return (
            f'        migrations.AddIndex(model_name="{m}", index=models.Index(fields=["slug", "amount"], name="{name}")),\n',
            "",
        )
    if kind == "unique":
        name = f"{app.label}_{app.fresh('uq')}"[:30]
        return (
            f'        migrations.AddConstraint(model_name="{m}", constraint=models.UniqueConstraint(fields=["slug", "owner"], name="{name}")),\n',
            "",
        )
    if kind == "runpython":
        fn = app.fresh("forwards_")
        helper = textwrap.dedent(
            f'''
            def {fn}(apps, schema_editor):
                {model} = apps.get_model("{app.label}", "{model}")
                {model}.objects.filter(amount__lt=0).update(amount=0)

            '''
        )
        reverse = ", reverse_code=migrations.RunPython.noop" if rng.random() < 0.5 else ""
        return f"        migrations.RunPython({fn}{reverse}),\n", helper
    if kind == "runsql":
        table = f"{app.label}_{m}"
        return (
            f'        migrations.RunSQL("UPDATE {table} SET amount = 0 WHERE amount IS NULL", reverse_sql=migrations.RunSQL.noop),\n',
            "",
        )
    raise ValueError(kind)


KINDS = [
    "add_nullable",
    "add_not_null",
    "alter",
    "rename",
    "remove",
    "index",
    "unique",
    "runpython",
    "runsql",
    "add_nullable",
]


def generate(out: Path, apps: int, migrations: int, seed: int = 7) -> int:
    """Write the project; return the number of migration files."""
    rng = random.Random(seed)
    (out / "synth").mkdir(parents=True, exist_ok=True)
    (out / "synth" / "__init__.py").write_text("")
    labels = [f"app{i:03d}" for i in range(apps)]
    (out / "synth" / "settings.py").write_text(
        SETTINGS.format(apps="\n".join(f'    "{label}",' for label in labels))
    )
    (out / "manage.py").write_text(MANAGE)
    total = 0
    previous: str | None = None
    for label in labels:
        app = AppState(label)
        pkg = out / label
        (pkg / "migrations").mkdir(parents=True, exist_ok=True)
        (pkg / "__init__.py").write_text("")
        (pkg / "models.py").write_text("")
        (pkg / "migrations" / "__init__.py").write_text("")
        last = None
        for number in range(1, migrations + 1):
            helpers = ""
            if number == 1:
                ops = op_create_model(app, rng, previous)
                name = "0001_initial"
            else:
                ops = ""
                for _ in range(rng.choice([1, 1, 2, 3])):
                    kind = KINDS[(number + rng.randrange(len(KINDS))) % len(KINDS)]
                    if kind == "runpython" and rng.random() < 0.3:
                        ops += op_create_model(app, rng, None)
                        continue
                    text, helper = operation(kind, app, rng)
                    ops += text
                    helpers += helper
                name = f"{number:04d}_auto"
            deps = ["        migrations.swappable_dependency(settings.AUTH_USER_MODEL),\n"]
            if last:
                deps.append(f'        ("{label}", "{last}"),\n')
            if number == 1 and previous:
                deps.append(f'        ("{previous.split(".")[0]}", "0001_initial"),\n')
            source = (
                "import django.db.models.deletion\n"
                "from django.conf import settings\n"
                "from django.db import migrations, models\n"
                f"{helpers}\n\n"
                "class Migration(migrations.Migration):\n"
                f"    initial = {number == 1}\n\n"
                "    dependencies = [\n" + "".join(deps) + "    ]\n\n"
                "    operations = [\n" + ops + "    ]\n"
            )
            (pkg / "migrations" / f"{name}.py").write_text(source)
            last = name
            total += 1
        previous = f"{label}.{sorted(app.models)[0]}"
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--apps", type=int, default=10)
    parser.add_argument("--migrations", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    count = generate(args.out, args.apps, args.migrations, args.seed)
    print(f"{count} migrations in {args.apps} apps written to {args.out}")


if __name__ == "__main__":
    main()
