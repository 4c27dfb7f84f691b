"""A real LSP client (pytest-lsp) talking to `django-migration-lsp serve` over stdio."""

from __future__ import annotations

import asyncio
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "shop"


def copy_example(target: Path) -> Path:
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("__pycache__", "db.sqlite3"))
    return target


async def wait_for(predicate: Callable[[], object], timeout: float = 60.0) -> object:
    """Poll until ``predicate()`` is truthy (the server publishes asynchronously)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the server")
        await asyncio.sleep(0.05)


def codes(client: LanguageClient, uri: str) -> list[str]:
    return sorted(str(d.code) for d in client.diagnostics.get(uri, []))


SERVER = ClientServerConfig(
    server_command=[sys.executable, "-m", "django_migration_lsp", "serve"],
)


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, tmp_path: Path):
    """A client connected to a server whose workspace is a fresh copy of the example."""
    root = copy_example(tmp_path / "shop")
    lsp_client.workspace_root = root  # type: ignore[attr-defined]
    lsp_client.registrations = []  # type: ignore[attr-defined]

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        lsp_client.registrations.extend(params.registrations)  # type: ignore[attr-defined]

    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="shop")],
            initialization_options={"djangoMigrationLsp": {"debounceMs": 100}},
        )
    )
    yield
    await lsp_client.shutdown_session()


async def start(client: LanguageClient, folders: list[Path], **settings) -> None:
    """Initialize a session on ``folders`` with these ``djangoMigrationLsp`` settings."""

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        return None

    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=folders[0].as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=f.as_uri(), name=f.name) for f in folders],
            initialization_options={"djangoMigrationLsp": {"debounceMs": 50, **settings}},
        )
    )


@pytest_lsp.fixture(config=SERVER)
async def bare(lsp_client: LanguageClient):
    """A client not yet initialized (the test calls ``start``)."""
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def root(client: LanguageClient) -> Path:
    return client.workspace_root  # type: ignore[attr-defined,no-any-return]
