"""A long whole-project lint yields to an edited file: the worker answers the ``lint_file`` that
arrives while the lint runs before it finishes, then finishes the lint (with that buffer)
without rendering again what it had already rendered."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import INITIAL
from .test_worker import Worker

#: a migration that takes a while on SQLite (each NOT NULL AddField rebuilds the table)
SLOW = """\
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "{previous}")]
    operations = [
        *[
            migrations.AddField("item", "f{n}_%d" % i, models.IntegerField(default=0))
            for i in range(60)
        ],
    ]
"""


def test_a_saved_file_is_answered_while_the_whole_project_lint_runs(project, tmp_path: Path):
    migrations = {"0001_initial": INITIAL}
    previous = "0001_initial"
    for n in range(2, 10):
        name = f"{n:04d}_slow"
        migrations[name] = SLOW.replace("{previous}", previous).replace("{n}", str(n))
        previous = name
    root = project({"shop": migrations})
    edited = root / "shop" / "migrations" / "0009_slow.py"
    buffer = edited.read_text().replace(
        "        ],\n    ]\n",
        '        ],\n        migrations.RemoveField("item", "price"),\n    ]\n',
    )
    assert "RemoveField" in buffer
    worker = Worker(root)
    try:
        options = {"cache_path": str(tmp_path / "cache"), "include_apps": ["shop"]}
        worker.request("initialize", root=str(root), options=options)
        assert worker.proc.stdin is not None and worker.proc.stdout is not None
        for request in (
            {"id": 100, "method": "lint", "params": {}},
            {"id": 101, "method": "lint_file", "params": {"path": str(edited), "text": buffer}},
        ):
            worker.proc.stdin.write(json.dumps(request) + "\n")
        worker.proc.stdin.flush()
        answered: list[int] = []
        rendered: list[tuple[str, bool]] = []
        responses: dict[int, dict] = {}
        while len(answered) < 2:
            message = json.loads(worker.proc.stdout.readline())
            if message.get("method") == "progress":
                result = message["params"]["result"]
                rendered.append((result["name"], result["cached"]))
            elif "id" in message:
                answered.append(message["id"])
                responses[message["id"]] = message
        assert answered == [101, 100]  # the edited file first
        (first,) = responses[101]["result"]["results"][:1]
        assert first["name"] == "0009_slow"
        assert "DROP_COLUMN" in [f["code"] for f in first["findings"]]
        whole = {r["name"]: r for r in responses[100]["result"]["results"]}
        assert sorted(whole) == sorted(migrations)
        # the rest of the lint sees the buffer too: no verdict on text that is no longer there
        assert "DROP_COLUMN" in [f["code"] for f in whole["0009_slow"]["findings"]]
        fresh = [name for name, cached in rendered if not cached]
        assert len(fresh) == len(set(fresh))  # nothing rendered twice by the whole lint
    finally:
        worker.close()
