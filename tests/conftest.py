"""Shared fixtures: a real PostgreSQL server for the session, paths."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .pg import PostgresServer, PostgresUnavailable, running_server

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def result_cache_out_of_home(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Servers, workers and CLI runs started by the tests keep their result cache in a
    temporary directory, not in ~/.cache."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def python_exe() -> str:
    return sys.executable


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server. Locally skipped when none can start; in CI, a failure."""
    try:
        with running_server() as server:
            yield server
    except PostgresUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI: {exc}")
        pytest.skip(f"PostgreSQL not available: {exc}")
