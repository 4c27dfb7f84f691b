"""Adopting the linter on a project with history: scope, new code only, baseline (issue 11).

Real projects on disk, real git repositories, the CLI in a fresh process.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from .conftest import INITIAL
from .test_cli_outputs import shop

GIT = [
    "git",
    "-c",
    "user.email=t@example.com",
    "-c",
    "user.name=t",
    "-c",
    "init.defaultBranch=main",
]

RISKY = """\
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0003_data")]
    operations = [
        migrations.RemoveField(model_name="item", name="name"),
    ]
"""


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        [*GIT, *args], cwd=root, check=True, capture_output=True, text=True
    ).stdout


def committed_shop(project) -> Path:
    """The shop project (DROP_COLUMN in 0002) committed on ``main``."""
    root = shop(project)
    git(root, "init", "-q")
    (root / ".gitignore").write_text(".test-cache/\n*.sqlite3\n__pycache__/\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "history")
    return root


def names(result) -> list[str]:
    return [f"{m['app']}.{m['name']}" for m in result.json()["migrations"]]


def test_new_reports_nothing_old_then_the_branch_migration(project, cli):
    root = committed_shop(project)
    lint_new = ("lint", str(root), "--no-cache", "--format", "json", "--new")
    clean = cli(*lint_new)
    assert clean.code == 0, clean.stderr
    assert names(clean) == []  # DROP_COLUMN in 0002 is history: not reported
    assert clean.json()["not_new"] == 3  # and the run says what it left out
    text = cli("lint", str(root), "--no-cache", "--new")
    assert "3 migrations already on the base not linted (--new)" in text.stdout
    git(root, "checkout", "-qb", "feature")
    (root / "shop/migrations/0004_drop_name.py").write_text(RISKY)
    untracked = cli(*lint_new)
    assert names(untracked) == ["shop.0004_drop_name"]
    assert untracked.code == 1
    git(root, "add", "-A")
    git(root, "commit", "-qm", "drop name")
    committed = cli(*lint_new)  # committed on the branch: still not on the base
    assert names(committed) == ["shop.0004_drop_name"]
    (finding,) = committed.migration("shop", "0004_drop_name")["findings"]
    assert (finding["code"], finding["line"]) == ("DROP_COLUMN", 7)
    # an explicit base; a modified historical migration is new too
    path = root / "shop/migrations/0002_remove_price.py"
    path.write_text(path.read_text() + "\n")
    explicit = cli(*lint_new, "--base", "main")
    assert names(explicit) == ["shop.0002_remove_price", "shop.0004_drop_name"]
    # without --new everything is linted, as before
    assert len(names(cli("lint", str(root), "--no-cache", "--format", "json"))) == 4


def test_new_uses_the_upstream_of_the_default_branch(project, cli, tmp_path: Path):
    root = committed_shop(project)
    remote = tmp_path / "remote.git"
    subprocess.run([*GIT, "clone", "-q", "--bare", str(root), str(remote)], check=True)
    clone = tmp_path / "clone"
    subprocess.run([*GIT, "clone", "-q", str(remote), str(clone)], check=True)
    git(clone, "checkout", "-qb", "work")
    (clone / "shop/migrations/0004_drop_name.py").write_text(RISKY)
    git(clone, "add", "-A")
    git(clone, "commit", "-qm", "drop name")
    result = cli("lint", str(clone), "--no-cache", "--format", "json", "--new")
    assert names(result) == ["shop.0004_drop_name"]


def test_new_without_git_or_base_is_a_clear_error(project, cli):
    root = shop(project)
    result = cli("lint", str(root), "--no-cache", "--new")
    assert result.code == 2
    assert "git" in result.stderr and "--new" in result.stderr
    assert "Traceback" not in result.stderr
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "x")
    result = cli("lint", str(root), "--no-cache", "--new", "--base", "nosuchbranch")
    assert result.code == 2 and "'nosuchbranch' names no commit" in result.stderr


def test_write_baseline_then_baseline_is_green(project, cli, tmp_path: Path):
    root = shop(project)
    baseline = tmp_path / "baseline.json"
    written = cli("lint", str(root), "--no-cache", "--write-baseline", str(baseline))
    assert written.code == 0, written.stderr
    assert "2 findings recorded" in written.stderr
    document = json.loads(baseline.read_text())
    assert {(f["migration"], f["code"]) for f in document["findings"]} == {
        ("0002_remove_price", "DROP_COLUMN"),
        ("0003_data", "RUNPYTHON_REVERSIBLE"),
    }
    green = cli("lint", str(root), "--no-cache", "--baseline", str(baseline))
    assert green.code == 0, green.stdout
    assert "2 findings baselined" in green.stdout
    # robust to line moves: lines added above the operation change nothing
    path = root / "shop/migrations/0002_remove_price.py"
    path.write_text(path.read_text().replace("operations = [", "# moved\n\n    operations = ["))
    moved = cli("lint", str(root), "--no-cache", "--format", "json", "--baseline", str(baseline))
    assert moved.code == 0 and moved.json()["baselined"] == 2
    assert moved.migration("shop", "0002_remove_price")["status"] == "ok"
    # a new finding is reported; the config key works as the flag does (relative to the root)
    (root / "shop/migrations/0004_drop_name.py").write_text(RISKY)
    (root / "pyproject.toml").write_text(
        f'[tool.django-migration-lsp]\nbaseline = "{baseline.relative_to(root, walk_up=True)}"\n'
        if hasattr(Path, "walk_up")
        else f'[tool.django-migration-lsp]\nbaseline = "{baseline}"\n'
    )
    new = cli("lint", str(root), "--no-cache", "--format", "json")
    assert new.code == 1
    assert [m["name"] for m in new.json()["migrations"] if m["findings"]] == ["0004_drop_name"]
    # findings that left the code drop out of a rewritten baseline
    (root / "shop/migrations/0004_drop_name.py").unlink()
    (root / "shop/migrations/0003_data.py").write_text(
        "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n"
        '    dependencies = [("shop", "0002_remove_price")]\n    operations = []\n'
    )
    cli("lint", str(root), "--no-cache", "--write-baseline", str(baseline))
    document = json.loads(baseline.read_text())
    assert [f["migration"] for f in document["findings"]] == ["0002_remove_price"]


def test_bad_baseline_file_is_located(project, cli, tmp_path: Path):
    root = shop(project)
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    result = cli("lint", str(root), "--no-cache", "--baseline", str(bad))
    assert result.code == 2 and str(bad) in result.stderr and "--write-baseline" in result.stderr
    result = cli("lint", str(root), "--no-cache", "--baseline", str(tmp_path / "missing.json"))
    assert result.code == 2 and "missing.json" in result.stderr


def test_installed_apps_are_not_linted_and_the_summary_says_so(project, cli):
    root = shop(project)
    result = cli("lint", str(root), "--no-cache")
    assert "2 installed apps not linted (auth, contenttypes)" in result.stdout
    doc = cli("lint", str(root), "--no-cache", "--format", "json").json()
    assert {m["app"] for m in doc["migrations"]} == {"shop"}
    assert doc["installed_apps_not_linted"] == ["auth", "contenttypes"]
    everything = cli(
        "lint", str(root), "--no-cache", "--format", "json", "--include-installed-apps"
    )
    assert {m["app"] for m in everything.json()["migrations"]} == {"auth", "contenttypes", "shop"}
    assert everything.json()["installed_apps_not_linted"] == []
    # naming an installed app lints it
    named = cli("lint", str(root), "auth", "--no-cache", "--format", "json")
    assert {m["app"] for m in named.json()["migrations"]} == {"auth"}


def test_unknown_names_exit_2_naming_the_closest(project, cli):
    root = shop(project)
    result = cli("lint", str(root), "shp", "--no-cache")
    assert result.code == 2 and "did you mean 'shop'" in result.stderr
    result = cli("lint", str(root), "shop", "0099", "--no-cache")
    assert result.code == 2 and "'0099'" in result.stderr and "shop" in result.stderr
    result = cli("lint", str(root), "--no-cache", "--include-apps", "shop", "shopp")
    assert result.code == 2 and "did you mean 'shop'" in result.stderr
    assert "Traceback" not in result.stderr
    assert cli("lint", str(root), "shop", "0002", "--no-cache").code == 1  # a prefix is fine


def test_list_options_do_not_swallow_the_project(project, cli, tmp_path: Path):
    root = shop(project)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    args = ("lint", "--no-cache", "--format", "json", "--exclude-apps", "auth", "admin", str(root))
    result = cli(*args, cwd=elsewhere)
    assert result.code == 1, result.stderr
    assert result.json()["project"]["root"] == str(root.resolve())
    # inside the project, the first positional is the app label
    inside = cli("lint", "shop", "--no-cache", "--format", "json", cwd=root)
    assert {m["app"] for m in inside.json()["migrations"]} == {"shop"}
    assert inside.json()["project"]["root"] == str(root.resolve())


def test_bad_engine_is_one_paragraph_exit_2(project, cli):
    root = project(
        {"shop": {"0001_initial": INITIAL}},
        extra_settings='DATABASES = {"default": {"ENGINE": "django.db.backends.postgresq"}}',
    )
    result = cli("lint", str(root), "--no-cache")
    assert result.code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "django.db.backends.postgresq" in result.stderr
    assert "did you mean 'django.db.backends.postgresql'" in result.stderr
    assert result.stdout == ""


SYNTAX_ERROR = (
    "from django.db import migrations\n\nclass Migration(migrations.Migration):\n"
    '    dependencies = [("shop", "0001_initial")]\n    operations = [\n'
)


def test_syntax_error_fails_the_run_and_render_error_is_a_code(project, cli):
    root = project({"shop": {"0001_initial": INITIAL, "0002_broken": SYNTAX_ERROR}})
    result = cli("lint", str(root), "--no-cache", "--format", "github")
    assert result.code == 1
    assert result.stdout.startswith("::error file=shop/migrations/0002_broken.py,")
    accepted = cli("lint", str(root), "--no-cache", "--exclude-migration-tests", "RENDER_ERROR")
    assert "unknown rule code" not in accepted.stderr
    assert accepted.code == 0
    strict = cli("lint", str(root), "--no-cache", "--warnings-as-errors", "RENDER_ERROR")
    assert "unknown rule code" not in strict.stderr and strict.code == 1


def test_piping_into_head_ends_quietly(project, tmp_path: Path):
    import os
    import sys

    root = shop(project)
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = (
        f"{sys.executable} -m django_migration_lsp lint {root} --include-installed-apps "
        "--no-cache -v | head -c 1"
    )
    proc = subprocess.run(
        ["bash", "-c", command], capture_output=True, text=True, env=env, timeout=240
    )
    assert "Traceback" not in proc.stderr and "BrokenPipeError" not in proc.stderr, proc.stderr


def test_outputs_are_the_same_cold_and_warm(project, cli, tmp_path: Path):
    root = shop(project)
    other = tmp_path / "cwd"
    other.mkdir()
    cache = tmp_path / "cache"
    for fmt in ("json", "github"):
        args = ("lint", str(root), "--format", fmt, "--cache-path", str(cache / fmt))
        cold = cli(*args, cwd=other, env={"GITHUB_WORKSPACE": ""})
        warm = cli(*args, cwd=other, env={"GITHUB_WORKSPACE": ""})  # a cache hit: no chdir
        assert cold.stdout == warm.stdout
        assert "shop/migrations/0002_remove_price.py" in cold.stdout


def test_lintmigrations_reports_and_exits_as_lint_does(project, cli, tmp_path: Path):
    """One reporting path: ``manage.py lintmigrations`` prints what ``lint`` prints and exits
    with the same status (a module that cannot be imported fails both)."""
    import os
    import sys

    root = project(
        {"shop": {"0001_initial": INITIAL, "0002_broken": SYNTAX_ERROR}},
        extra_settings='INSTALLED_APPS += ["django_migration_lsp"]',
    )
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), GITHUB_WORKSPACE="")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    proc = subprocess.run(
        [sys.executable, "manage.py", "lintmigrations", "--format", "github", "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    ours = cli("lint", str(root), "--format", "github", "--no-cache", env={"GITHUB_WORKSPACE": ""})
    assert ours.code == 1
    assert proc.returncode == ours.code, proc.stderr
    assert proc.stdout.strip() == ours.stdout.strip()


def test_editor_scope_new_lints_new_migrations_and_the_ones_opened(project):
    """The worker (the editor's engine): ``scope = "new"`` (the default) reports the new
    migrations on a whole-project lint, and any migration the user opens; "all" every one."""
    from .test_worker import Worker

    root = committed_shop(project)
    git(root, "checkout", "-qb", "feature")
    (root / "shop/migrations/0004_drop_name.py").write_text(RISKY)
    for options, expected in (
        ({}, ["0004_drop_name"]),
        ({"scope": "all"}, ["0001_initial", "0002_remove_price", "0003_data", "0004_drop_name"]),
    ):
        worker = Worker(root)
        try:
            assert "result" in worker.request("initialize", root=str(root), options=options)
            results = worker.request("lint")["result"]["results"]
            assert [r["name"] for r in results if r["app"] == "shop"] == expected
            opened = str(root / "shop/migrations/0002_remove_price.py")
            (result,) = worker.request("lint_file", path=opened)["result"]["results"]
            assert [f["code"] for f in result["findings"]] == ["DROP_COLUMN"]
        finally:
            worker.close()


def test_cli_load_errors_have_no_editor_wording(project, cli):
    root = project({"shop": {"0001_initial": INITIAL}}, extra_settings="raise RuntimeError('boom')")
    result = cli("lint", str(root), "--no-cache")
    assert result.code == 2 and "boom" in result.stderr
    assert "save" not in result.stderr and "meanwhile" not in result.stderr
