"""Baseline fingerprints: by app, migration, operation and code; robust to line moves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from django_migration_lsp.baseline import apply_baseline, read_baseline, write_baseline
from django_migration_lsp.config import ConfigError
from django_migration_lsp.findings import Finding, LintRun, MigrationResult, ProjectInfo, Span

PROJECT = ProjectInfo("/site", "proj.settings", "sqlite", "5.2", "default")


def finding(code: str, severity: str, index: int, line: int) -> Finding:
    return Finding(code, severity, "m", index, None, [], Span(line, 8, line + 2, 9))  # type: ignore[arg-type]


def run(line: int = 12) -> LintRun:
    drop = finding("DROP_COLUMN", "error", 1, line)
    index = finding("CREATE_INDEX", "warning", 0, line - 6)
    return LintRun(
        PROJECT,
        [
            MigrationResult("shop", "0002", "p", "error", [index, drop]),
            MigrationResult(
                "shop", "0003", "q", "warning", [finding("CREATE_INDEX", "warning", 0, 3)]
            ),
        ],
    )


def test_written_then_applied_after_lines_moved(tmp_path: Path):
    path = tmp_path / "baseline.json"
    assert write_baseline(path, run()) == 3
    accepted = read_baseline(path)
    moved = apply_baseline(run(line=40), accepted)
    assert moved.baselined == 3
    assert [r.status for r in moved.results] == ["ok", "ok"]
    assert all(r.findings == [] for r in moved.results)


def test_only_new_findings_are_left_and_the_status_follows(tmp_path: Path):
    path = tmp_path / "baseline.json"
    old = run()
    old.results[0].findings.pop()  # DROP_COLUMN was not there when the baseline was written
    write_baseline(path, old)
    result = apply_baseline(run(), read_baseline(path))
    assert result.baselined == 2
    assert [f.code for f in result.results[0].findings] == ["DROP_COLUMN"]
    assert result.results[0].status == "error"
    assert result.results[1].status == "ok"


def test_rewrite_is_stable_and_drops_what_left(tmp_path: Path):
    path = tmp_path / "baseline.json"
    write_baseline(path, run())
    first = path.read_text()
    write_baseline(path, run(line=50))
    assert path.read_text() == first
    smaller = run()
    smaller.results.pop()
    write_baseline(path, smaller)
    assert [f["migration"] for f in json.loads(path.read_text())["findings"]] == ["0002", "0002"]


@pytest.mark.parametrize("text", ["not json", "[1]", '{"version": 2, "findings": []}'])
def test_a_file_that_is_not_a_baseline_is_a_located_error(tmp_path: Path, text: str):
    path = tmp_path / "b.json"
    path.write_text(text)
    with pytest.raises(ConfigError, match=str(path)):
        read_baseline(path)
