"""Progress on a terminal: ``lint`` and ``check`` write a progress line to stderr when it is a
real pseudo-terminal (``os.openpty``), and nothing when it is piped or ``CI`` is set."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ..checks.test_checks import make
from ..engine.conftest import INITIAL, write_project

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "shop"
CLEAR = "\r\x1b[2K"


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "DJANGO_SETTINGS_MODULE")}
    return {**env, "TERM": "xterm", **extra}


def run_on_pty(*args: str, env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    """Run the CLI with stderr on a pty and stdout on a pipe: (status, stdout, pty text)."""
    master, slave = os.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "django_migration_lsp", *args],
        stdout=subprocess.PIPE,
        stderr=slave,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=cwd,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed its end
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    stdout = proc.stdout.read().decode()
    proc.stdout.close()
    return proc.wait(timeout=120), stdout, b"".join(chunks).decode()


def frames(text: str) -> list[str]:
    return [frame for frame in text.split(CLEAR) if frame]


@pytest.mark.parametrize("cache", [["--no-cache"], []], ids=["no-cache", "cold-cache"])
def test_lint_shows_migrations_done_of_total_and_the_app_then_clears(
    tmp_path: Path, cache: list[str]
):
    env = environment(XDG_CACHE_HOME=str(tmp_path / "cache"))
    status, stdout, tty = run_on_pty(
        "lint", str(EXAMPLE), *cache, "--format", "json", env=env, cwd=tmp_path
    )
    assert status == 1
    total = json.loads(stdout)["summary"]["migrations"]  # stdout stays clean JSON
    shown = frames(tty)
    assert shown[0] == "lint: setting Django up"
    counts = []
    for frame in shown[1:]:
        match = re.fullmatch(r"lint: (\d+)/(\d+) migrations \((\w+)\)", frame)
        assert match, frame
        assert int(match[2]) == total and match[3] in {"catalog", "orders", "accounts"}
        counts.append(int(match[1]))
    assert counts == sorted(counts) and counts[-1] == total
    assert tty.endswith(CLEAR)  # the line is gone before the results


def test_check_shows_its_steps(tmp_path: Path):
    root = make(tmp_path)
    status, stdout, tty = run_on_pty("check", str(root), env=environment(), cwd=root)
    assert status in (0, 1), stdout
    assert frames(tty) == [
        "check: setting Django up",
        "check: loading the migrations",
        "check: 1/3 models vs migrations",
        "check: 2/3 conflicts",
        "check: 3/3 database 'default'",
    ]
    assert tty.endswith(CLEAR)
    assert CLEAR not in stdout


def test_nothing_under_ci_even_on_a_terminal(tmp_path: Path):
    status, stdout, tty = run_on_pty(
        "lint", str(EXAMPLE), "--no-cache", env=environment(CI="true"), cwd=tmp_path
    )
    assert status == 1 and "DROP_COLUMN" in stdout
    assert tty == ""


def test_nothing_when_stderr_is_piped(tmp_path: Path):
    proc = subprocess.run(
        [sys.executable, "-m", "django_migration_lsp", "lint", str(EXAMPLE), "--no-cache"],
        capture_output=True,
        text=True,
        env=environment(),
        cwd=tmp_path,
        timeout=120,
    )
    assert proc.returncode == 1 and "DROP_COLUMN" in proc.stdout
    assert proc.stderr == ""


def test_an_error_starts_on_a_clean_line(tmp_path: Path):
    root = write_project(
        tmp_path / "site", {"shop": {"0001_initial": INITIAL}}, extra_settings="import nowhere\n"
    )
    status, stdout, tty = run_on_pty("lint", str(root), "--no-cache", env=environment(), cwd=root)
    assert status == 2 and stdout == ""
    shown = frames(tty)
    assert shown[0] == "lint: setting Django up"
    assert shown[1].startswith("django-migration-lsp: ") and "nowhere" in shown[1], shown
