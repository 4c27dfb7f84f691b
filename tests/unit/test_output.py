"""The one reporting path: lint runs and cross-check reports through the same position type
and the same GitHub escaping (pure: no Django)."""

from __future__ import annotations

import pytest

from django_migration_lsp.checks.findings import CheckFinding, CheckReport
from django_migration_lsp.config import LintOptions
from django_migration_lsp.findings import Finding, LintRun, MigrationResult, ProjectInfo, Span
from django_migration_lsp.output import exit_status, render

ROOT = "/w/site"


def lint_run() -> LintRun:
    drop = Finding("DROP_COLUMN", "error", "gone", 0, None, [], Span(12, 8, 15, 9))
    broken = MigrationResult(
        "shop", "0003", "shop/migrations/0003.py", "render_error", error="boom", fatal=True
    )
    broken.error_location = {"line": 6, "column": 3}
    return LintRun(
        ProjectInfo(ROOT, "proj.settings", "sqlite", "5.2", "default"),
        [MigrationResult("shop", "0002", "shop/migrations/0002.py", "error", [drop]), broken],
    )


def check_report(message: str = "Add field stock to item") -> CheckReport:
    finding = CheckFinding(
        "MISSING_MIGRATION", message, app="shop", path=f"{ROOT}/shop/models.py", line=7, col=4
    )
    return CheckReport({"root": ROOT}, [finding])


def test_github_paths_are_relative_to_the_workspace_for_lint_and_check(monkeypatch):
    monkeypatch.setenv("GITHUB_WORKSPACE", "/w")
    lint = render(lint_run(), "github").splitlines()
    assert lint[0].startswith("::error file=site/shop/migrations/0002.py,line=12,col=9,endLine=15")
    assert lint[1].startswith("::error file=site/shop/migrations/0003.py,line=6,title=RENDER_ERROR")
    check = render(check_report(), "github")
    assert check.startswith("::error file=site/shop/models.py,line=7,title=MISSING_MIGRATION::")


def test_github_escaping_is_the_same_for_check():
    check = render(check_report("a\r\nb: 100%, c"), "github")
    assert check.endswith("::a%0D%0Ab: 100%25, c")


def test_text_positions():
    text = render(lint_run(), "text")
    assert "shop/migrations/0002.py:12:9: DROP_COLUMN gone [error]" in text
    assert "shop/migrations/0003.py:6:3: RENDER_ERROR" in text
    assert render(check_report(), "text").startswith("shop/models.py:7:5: MISSING_MIGRATION")


@pytest.mark.parametrize(
    ("options", "status"),
    [
        (LintOptions(), 1),
        (LintOptions(exclude_migration_tests=["DROP_COLUMN", "RENDER_ERROR"]), 0),
    ],
)
def test_exit_status(options: LintOptions, status: int):
    run = lint_run()
    if options.exclude_migration_tests:
        run.results[0].findings.clear()
    assert exit_status(run, options) == status
    assert exit_status(check_report()) == 1
