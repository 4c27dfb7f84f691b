"""The lock rules on a real project on disk (tests/projects/locks, PostgreSQL settings, linted
offline): each lock code fires on the line of the operation that causes it, and each safe pattern
(NOT VALID then VALIDATE in a later migration, atomic = False with concurrent indexes, the
PostgreSQL 12 NOT NULL pattern, varchar/numeric widening, a two-release removal, a sequence
rename) is clean.

Expected hits are written in the migrations themselves: a comment ``# CODE`` on the line where
the operation starts. A migration with no such comment must have no finding.
"""

from __future__ import annotations

import re
from pathlib import Path

import django
import pytest

from .conftest import run_cli

PROJECT = Path(__file__).resolve().parents[1] / "projects" / "locks"
MIGRATIONS = PROJECT / "inventory" / "migrations"
CODE = re.compile(r"\b[A-Z]+(?:_[A-Z]+)+\b")


def _markers(path: Path) -> set[tuple[str, int]]:
    found = set()
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if "#" in line:
            found |= {(code, number) for code in CODE.findall(line.split("#", 1)[1])}
    return found


@pytest.fixture(scope="module")
def linted(tmp_path_factory) -> dict[str, dict]:
    cwd = tmp_path_factory.mktemp("locks")
    result = run_cli("lint", str(PROJECT), "--no-cache", "--format", "json", cwd=cwd)
    assert result.code == 1, result.stderr  # the project has errors by design
    doc = result.json()
    assert doc["project"]["vendor"] == "postgresql"
    return {m["name"]: m for m in doc["migrations"]}


MIGRATION_NAMES = sorted(p.stem for p in MIGRATIONS.glob("0*.py"))


@pytest.mark.parametrize("name", MIGRATION_NAMES)
def test_each_code_fires_on_its_operation_line_and_safe_patterns_are_clean(linted, name):
    if name == "0024_volatile_default" and django.VERSION < (5, 0):
        pytest.skip("db_default is Django 5.0+")
    migration = linted[name]
    assert migration["error"] is None, migration["error"]
    found = {(f["code"], f["line"]) for f in migration["findings"]}
    assert found == _markers(MIGRATIONS / f"{name}.py")


def test_every_lock_code_is_exercised(linted):
    codes = {f["code"] for m in linted.values() for f in m["findings"]}
    assert {
        "ADD_FOREIGN_KEY",
        "ADD_CHECK",
        "ADD_EXCLUSION",
        "VALIDATE_IN_TRANSACTION",
        "NOT_NULL_SCAN",
        "TABLE_REWRITE",
        "CONCURRENTLY_IN_TRANSACTION",
        "LOCK_TIMEOUT",
        "DATA_MIGRATION_HOLDS_LOCKS",
    } <= codes


def test_findings_say_what_they_lock_and_carry_it_in_json(linted):
    (fk,) = linted["0003_fk_checked"]["findings"]
    assert fk["lock"] == {
        "mode": "SHARE ROW EXCLUSIVE",
        "tables": ["inventory_item", "inventory_shop"],
        "rewrite": False,
        "scan": True,
    }
    assert "reads every row" in fk["message"] and "VALIDATE CONSTRAINT" in fk["message"]
    rewrite = next(f for f in linted["0014_rewrite"]["findings"] if f["code"] == "TABLE_REWRITE")
    assert rewrite["lock"]["rewrite"] is True
    assert "rewrites the whole table" in rewrite["message"]


def test_two_release_removal_contract_step_is_info(linted):
    migration = linted["0020_drop_note_column"]
    (drop,) = migration["findings"]
    assert drop["severity"] == "info" and migration["status"] == "ok"
    assert "already left Django's state in an earlier migration" in drop["message"]


def test_add_unique_message_tells_using_index_from_a_build_under_lock(linted):
    (using,) = linted["0023_unique_using_index"]["findings"]
    assert "USING INDEX attaches an index built beforehand" in using["message"]
    (built,) = linted["0007_check"]["findings"]  # a CHECK, for contrast: scan under the lock
    assert built["lock"]["scan"] is True


def test_a_lock_timeout_in_the_connection_options_counts(tmp_path):
    args = ["lint", str(PROJECT), "--no-cache", "--format", "json"]
    result = run_cli(*args, "--settings", "locksite.settings_lock_timeout", cwd=tmp_path)
    doc = result.json()
    codes = {f["code"] for m in doc["migrations"] for f in m["findings"]}
    assert "LOCK_TIMEOUT" not in codes
    assert "ADD_FOREIGN_KEY" in codes  # the other lock codes still fire
