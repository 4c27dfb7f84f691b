"""``--format gitlab``, the JSON Schemas shipped with the package, and SARIF's help links."""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from django_migration_lsp import __version__
from django_migration_lsp.checks import CHECK_CODES
from django_migration_lsp.rules.catalogue import RULES, docs_url
from django_migration_lsp.schemas import load_schema, schema_path

from ..checks.test_checks import MODELS, make
from ..engine.conftest import INITIAL, run_cli, write_project
from ..schemas import assert_valid
from .sources import DROP as DROP_SOURCE

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "shop"
DROP = "catalog/migrations/0004_remove_product_legacy_code.py"
GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def example_in_repository(tmp_path: Path) -> Path:
    """The example as the ``backend/`` folder of a git checkout (paths are the repo's)."""
    repo = tmp_path / "repo"
    root = repo / "backend"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("__pycache__", "db.sqlite3"))
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    return root


def gitlab(root: Path, command: str = "lint", env: dict | None = None) -> tuple[int, list]:
    cache = ["--no-cache"] if command == "lint" else []
    result = run_cli(command, str(root), *cache, "--format", "gitlab", cwd=root, env=env)
    assert result.code in (0, 1), result.stderr
    return result.code, json.loads(result.stdout)


def drop_column(issues: list) -> dict:
    (issue,) = [i for i in issues if i["location"]["path"].endswith(DROP)]
    assert issue["check_name"] == "DROP_COLUMN"
    return issue


def assert_code_quality(issues: list) -> None:
    """What GitLab needs of each issue, and unique fingerprints."""
    for issue in issues:
        assert issue["description"] and issue["check_name"]
        assert re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"])
        assert issue["severity"] in GITLAB_SEVERITIES
        assert isinstance(issue["location"]["path"], str) and issue["location"]["path"]
        assert issue["location"]["lines"]["begin"] >= 1
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_gitlab_lint_points_at_the_operation_relative_to_the_repository(tmp_path: Path):
    root = example_in_repository(tmp_path)
    code, issues = gitlab(root)
    assert code == 1
    assert_code_quality(issues)
    drop = drop_column(issues)
    assert drop["location"] == {"path": f"backend/{DROP}", "lines": {"begin": 8}}
    assert drop["severity"] == "critical"
    assert (
        "legacy_code" in drop["description"] and "SeparateDatabaseAndState" in drop["description"]
    )
    warnings = [i for i in issues if i["check_name"] == "RUNPYTHON_REVERSIBLE"]
    assert warnings and {i["severity"] for i in warnings} == {"major"}

    # GitLab matches issues across pipelines by fingerprint: moving the operation keeps it
    path = root / DROP
    path.write_text(path.read_text().replace("    operations = [", "\n\n    operations = ["))
    _, moved = gitlab(root)
    moved_drop = drop_column(moved)
    assert moved_drop["location"]["lines"]["begin"] == 10
    assert moved_drop["fingerprint"] == drop["fingerprint"]
    assert sorted(i["fingerprint"] for i in moved) == sorted(i["fingerprint"] for i in issues)


def test_gitlab_paths_follow_ci_project_dir(tmp_path: Path):
    root = example_in_repository(tmp_path)
    _, issues = gitlab(root, env={"CI_PROJECT_DIR": str(root)})
    assert drop_column(issues)["location"]["path"] == DROP


def test_gitlab_check_reports_the_missing_migration_on_the_field(tmp_path: Path):
    root = make(tmp_path)
    (root / "shop/models.py").write_text(MODELS + "    stock = models.IntegerField(default=0)\n")
    code, issues = gitlab(root, "check", env={"CI_PROJECT_DIR": str(root)})
    assert code == 1
    assert_code_quality(issues)
    missing = [i for i in issues if i["check_name"] == "MISSING_MIGRATION"]
    assert [(i["location"], i["severity"]) for i in missing] == [
        ({"path": "shop/models.py", "lines": {"begin": 7}}, "critical")
    ]


def test_schemas_ship_in_the_package_and_bite(tmp_path: Path):
    assert schema_path("lint").parent.parent.name == "django_migration_lsp"
    result = run_cli("lint", str(EXAMPLE), "--no-cache", "--format", "json", cwd=tmp_path)
    document = assert_valid("lint", result.json())
    broken = copy.deepcopy(document)
    finding = next(f for m in broken["migrations"] for f in m["findings"])
    del finding["severity"]
    with pytest.raises(AssertionError, match="severity"):
        assert_valid("lint", broken)
    broken = copy.deepcopy(document)
    broken["migrations"][0]["status"] = "fine"
    with pytest.raises(AssertionError, match="status"):
        assert_valid("lint", broken)


def test_check_schema_knows_every_check_code():
    finding = load_schema("check")["properties"]["findings"]["items"]
    assert set(finding["properties"]["code"]["enum"]) == set(CHECK_CODES)


def test_sarif_help_links_the_rule_section_of_this_version(tmp_path: Path):
    headings = {
        line.lstrip("#").strip().lower().replace(" ", "-")
        for line in (REPO / "docs/rules.md").read_text().splitlines()
        if line.startswith(("## ", "### "))
    }
    for code in RULES:
        url = docs_url(code)
        assert f"/blob/v{__version__}/docs/rules.md#" in url
        assert url.rsplit("#", 1)[1] in headings, f"docs/rules.md has no section for {code}"
    result = run_cli("lint", str(EXAMPLE), "--no-cache", "--format", "sarif", cwd=tmp_path)
    rules = json.loads(result.stdout)["runs"][0]["tool"]["driver"]["rules"]
    assert {r["id"]: r["helpUri"] for r in rules}["DROP_COLUMN"] == (
        "https://github.com/django-migration-lsp/django-migration-lsp/blob/"
        f"v{__version__}/docs/rules.md#drop-column"
    )


def test_manage_py_lintmigrations_speaks_gitlab_too(tmp_path: Path):
    root = write_project(
        tmp_path / "site",
        {"shop": {"0001_initial": INITIAL, "0002_remove_item_price": DROP_SOURCE}},
        extra_settings='INSTALLED_APPS += ["django_migration_lsp"]',
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(XDG_CACHE_HOME=str(tmp_path / "cache"), CI_PROJECT_DIR=str(root))
    proc = subprocess.run(
        [sys.executable, "manage.py", "lintmigrations", "shop", "--format", "gitlab", "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    issues = json.loads(proc.stdout)
    assert_code_quality(issues)
    assert [(i["check_name"], i["location"]) for i in issues] == [
        (
            "DROP_COLUMN",
            {"path": "shop/migrations/0002_remove_item_price.py", "lines": {"begin": 8}},
        )
    ]
