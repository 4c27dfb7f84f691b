"""The worker process: JSON lines over stdin/stdout, a long-lived Django context."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "shop"


class Worker:
    def __init__(self, cwd: Path) -> None:
        env = dict(os.environ)
        env.pop("DJANGO_SETTINGS_MODULE", None)
        env["PYTHONPATH"] = str(REPO / "server")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "django_migration_lsp.worker"],
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.next_id = 0
        self.notifications: list[dict] = []

    def request(self, method: str, **params):
        self.next_id += 1
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(
            json.dumps({"id": self.next_id, "method": method, "params": params}) + "\n"
        )
        self.proc.stdin.flush()
        while True:
            line = self.proc.stdout.readline()
            assert line, self.proc.stderr.read() if self.proc.stderr else "worker died"
            message = json.loads(line)  # every stdout line is protocol JSON
            if "id" in message and message["id"] == self.next_id:
                return message
            self.notifications.append(message)

    def close(self) -> int:
        self.request("shutdown")
        return self.proc.wait(timeout=30)


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    target = tmp_path / "shop"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_initialize_lint_and_incremental_buffers(shop: Path):
    worker = Worker(shop)
    try:
        info = worker.request("initialize", root=str(shop), options={})
        assert info["result"]["vendor"] == "sqlite"
        assert info["result"]["migrations"] >= 30
        full = worker.request("lint")["result"]["results"]
        assert any(n["method"] == "progress" for n in worker.notifications)
        by_name = {(r["app"], r["name"]): r for r in full}
        assert by_name[("catalog", "0004_remove_product_legacy_code")]["findings"][0]["code"] == (
            "DROP_COLUMN"
        )
        assert by_name[("catalog", "0004_remove_product_legacy_code")]["operations"][0][
            "statements"
        ]
        # an unsaved buffer: a clean migration becomes dangerous, the file on disk is untouched
        path = shop / "catalog/migrations/0002_product_description.py"
        text = path.read_text().replace(
            "operations = [",
            'operations = [\n        migrations.RemoveField(model_name="product", name="sku"),',
        )
        result = worker.request("lint_file", path=str(path), text=text)["result"]["results"][0]
        assert [f["code"] for f in result["findings"]] == ["DROP_COLUMN"]
        assert result["findings"][0]["span"]["line"] == 8
        # half-typed: a syntax error is located, the worker lives on
        broken = text.replace('name="sku"),', 'name="sku",')
        result = worker.request("lint_file", path=str(path), text=broken)["result"]["results"][0]
        assert result["status"] == "render_error"
        assert result["error_location"]["line"] >= 8
        # back to the file on disk
        result = worker.request("lint_file", path=str(path), text=None)["result"]["results"][0]
        assert result["status"] == "ok"
        # the descendants of an edited migration are re-checked on request
        results = worker.request("lint_file", path=str(path), text=text, descendants=True)
        names = [r["name"] for r in results["result"]["results"]]
        assert (
            names[0] == "0002_product_description"
            and "0015_product_catalog_prod_title_idx" in names
        )
        assert worker.close() == 0
    finally:
        worker.proc.kill()


def test_prints_in_user_code_do_not_corrupt_the_protocol(shop: Path):
    noisy = shop / "catalog/migrations/0002_product_description.py"
    noisy.write_text('print("hello from a migration")\n' + noisy.read_text())
    worker = Worker(shop)
    try:
        assert worker.request("initialize", root=str(shop))["result"]["vendor"] == "sqlite"
        assert worker.request("lint")["result"]["results"]
        assert worker.close() == 0
        assert "hello from a migration" in worker.proc.stderr.read()
    finally:
        worker.proc.kill()


def test_broken_settings_is_an_error_response_not_a_crash(shop: Path):
    settings = shop / "shopsite/settings.py"
    settings.write_text(settings.read_text() + "\nraise ImportError('no such thing')\n")
    worker = Worker(shop)
    try:
        response = worker.request("initialize", root=str(shop))
        assert response["error"]["kind"] == "project"
        assert "no such thing" in response["error"]["message"]
        assert response["error"]["problem"]["path"].endswith("settings.py")
        assert worker.request("ping")["result"] == "pong"
        assert worker.close() == 0
    finally:
        worker.proc.kill()


ADD_PRICE2 = """\
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = [migrations.AddField("item", "price2", models.IntegerField(null=True))]
"""


def test_saves_reuse_the_graph_only_while_the_dependencies_stay(project):
    """A save that changes operations renders the new ones; one that changes dependencies (or
    adds or removes a file) is seen too, though the graph and the directory listings of the
    previous load are reused when nothing of theirs changed."""
    from .conftest import INITIAL

    root = project({"shop": {"0001_initial": INITIAL, "0002_add_price2": ADD_PRICE2}})
    migrations_dir = root / "shop" / "migrations"
    second = migrations_dir / "0002_add_price2.py"
    old = 1_000_000_000  # a listing is reused only when the directory's mtime is settled
    os.utime(migrations_dir, (old, old))
    worker = Worker(root)
    try:
        worker.request("initialize", root=str(root), options={})
        names = [
            r["name"] for r in worker.request("lint")["result"]["results"] if r["app"] == "shop"
        ]
        assert names == ["0001_initial", "0002_add_price2"]

        def lint_second() -> dict:
            return worker.request("lint_file", path=str(second))["result"]["results"][0]

        assert lint_second()["findings"] == []
        # operations changed, dependencies not: the new operation is rendered
        second.write_text(
            ADD_PRICE2.replace(
                'AddField("item", "price2", models.IntegerField(null=True))',
                'RemoveField("item", "price")',
            )
        )
        result = lint_second()
        assert [f["code"] for f in result["findings"]] == ["DROP_COLUMN"]
        assert '"price"' in result["findings"][0]["sql"][0]
        # a dependency that does not exist: the graph is built again and says so
        second.write_text(second.read_text().replace('"0001_initial"', '"0009_missing"'))
        result = lint_second()
        assert "Depends on shop.0009_missing, which does not exist" in result["error"]
        second.write_text(second.read_text().replace('"0009_missing"', '"0001_initial"'))
        assert [f["code"] for f in lint_second()["findings"]] == ["DROP_COLUMN"]
        # a new file in a directory listed before, then its removal
        third = migrations_dir / "0003_add_price3.py"
        third.write_text(
            ADD_PRICE2.replace("0001_initial", "0002_add_price2").replace("price2", "price3")
        )
        names = [
            r["name"]
            for r in worker.request("lint", changed=[str(third)])["result"]["results"]
            if r["app"] == "shop"
        ]
        assert names == ["0001_initial", "0002_add_price2", "0003_add_price3"]
        third.unlink()
        names = [
            r["name"] for r in worker.request("lint")["result"]["results"] if r["app"] == "shop"
        ]
        assert names == ["0001_initial", "0002_add_price2"]
    finally:
        worker.close()


DEPENDS_ON_ZETA = """\
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = [("zeta", "0001_initial")]
    operations = [
        migrations.CreateModel(
            name="Thing",
            fields=[
                ("id", models.AutoField(primary_key=True)),
                ("item", models.ForeignKey("zeta.Item", on_delete=models.CASCADE)),
            ],
        ),
    ]
"""


def test_whole_project_lint_streams_results_and_reuses_the_result_cache(project, tmp_path):
    """Each migration's result is sent as soon as it is rendered (so a migration is heard of
    after those it depends on, whatever their names); a second worker takes unchanged
    migrations from the result cache the CLI uses too, and renders only what changed."""
    from .conftest import INITIAL

    root = project(
        {
            "alpha": {"0001_initial": DEPENDS_ON_ZETA},
            "zeta": {
                "0001_initial": INITIAL,
                "0002_add_price2": ADD_PRICE2.replace("shop", "zeta"),
            },
        }
    )
    options = {"cache_path": str(tmp_path / "cache")}

    def lint(**params) -> tuple[list[tuple[str, str, bool]], dict]:
        worker = Worker(root)
        try:
            worker.request("initialize", root=str(root), options=options)
            worker.notifications.clear()
            response = worker.request("lint", **params)["result"]
        finally:
            worker.close()
        heard = [
            (
                n["params"]["result"]["app"],
                n["params"]["result"]["name"],
                n["params"]["result"]["cached"],
            )
            for n in worker.notifications
            if n.get("method") == "progress"
        ]
        by_key = {(r["app"], r["name"]): r for r in response["results"]}
        return heard, by_key

    heard, first = lint()
    order = [(app, name) for app, name, _ in heard if app in ("alpha", "zeta")]
    assert order.index(("zeta", "0001_initial")) < order.index(("alpha", "0001_initial"))
    assert not any(cached for _, _, cached in heard)
    assert list(first) == sorted(first)  # the response itself is sorted

    heard, second = lint()
    assert all(cached for _, _, cached in heard)
    for key, result in first.items():
        assert second[key]["findings"] == result["findings"], key
        assert second[key]["operations"] == result["operations"], key

    # a changed file: it and what depends on it are rendered again, the rest comes from the cache
    initial = root / "zeta" / "migrations" / "0001_initial.py"
    initial.write_text(
        initial.read_text().replace(
            '("name", models.CharField(max_length=50)),',
            '("name", models.CharField(max_length=60)),',
        )
    )
    heard, third = lint()
    fresh = {(app, name) for app, name, cached in heard if not cached}
    assert fresh == {
        ("zeta", "0001_initial"),
        ("zeta", "0002_add_price2"),
        ("alpha", "0001_initial"),
    }
    assert "varchar(60)" in " ".join(third[("zeta", "0001_initial")]["operations"][0]["statements"])

    # an unsaved buffer stands for its file: rendered from the buffer, never from the cache
    second_file = root / "zeta" / "migrations" / "0002_add_price2.py"
    buffer = second_file.read_text().replace(
        'AddField("item", "price2", models.IntegerField(null=True))', 'RemoveField("item", "price")'
    )
    heard, fourth = lint(overrides={str(second_file): buffer})
    assert ("zeta", "0002_add_price2", False) in heard
    assert [f["code"] for f in fourth[("zeta", "0002_add_price2")]["findings"]] == ["DROP_COLUMN"]
    heard, fifth = lint()
    assert ("zeta", "0002_add_price2", True) in heard  # the file itself is cached from before
    assert fifth[("zeta", "0002_add_price2")]["findings"] == []
