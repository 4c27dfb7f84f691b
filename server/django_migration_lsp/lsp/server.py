"""The language server (pygls 2): handlers of a few lines over the session (projects and their
workers, ``session``), the linter (``linting``) and pure helpers.

Never imports Django or the user's code: each Django project of the workspace gets a worker
process (``lsp.workers``, supervised by ``lsp.supervisor``) in the project's interpreter.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from .. import __version__
from . import commands, migrations_view
from .code_actions import quick_fixes
from .hover import hover_markdown
from .linting import Linter, is_migration, uri_to_path
from .logs import ClientLogHandler
from .progress import ProgressReporter
from .protocol import MigrationProtocol
from .rewrite_actions import KINDS as REWRITE_KINDS
from .rewrite_actions import open_buffers, rewrite_actions
from .session import DEFAULT_PROVIDER, Session
from .store import DiagnosticsStore

CONFIG_SECTION = "djangoMigrationLsp"
WATCH_GLOBS = [
    "**/migrations/*.py",
    "**/models.py",
    "**/models/*.py",
    "**/settings.py",
    "**/settings/*.py",
    "**/pyproject.toml",
    "**/manage.py",  # a new project (did_change_watched_files); the VS Code client watches nothing
]


class MigrationServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("django-migration-lsp", __version__, protocol_cls=MigrationProtocol)
        self.session = Session(self)
        self.store = DiagnosticsStore(self.publish_diagnostics)
        self.linter = Linter(self, self.session, self.store)
        self.session.linter = self.linter
        # not ``progress``: that is pygls's own method
        self.work_progress = ProgressReporter(
            lambda: self.work_done_progress, self.supports_progress
        )
        self.debouncers: dict[str, asyncio.Task[Any]] = {}
        #: the log handler that sends to the client (``serve`` without --log-file)
        self.client_log: ClientLogHandler | None = None
        self.exit_status = 0
        migrations_view.register(self)  # listMigrations, makeZeroDowntime

    def publish_diagnostics(self, uri: str, diagnostics: list[types.Diagnostic]) -> None:
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, diagnostics))

    def supports_progress(self) -> bool:
        window = self.client_capabilities.window
        return bool(window and window.work_done_progress)

    def begin_progress(self, title: str) -> str | None:
        return self.work_progress.begin(title)

    def report_progress(
        self, token: str | None, message: str, percentage: int | None = None
    ) -> None:
        self.work_progress.report(token, message, percentage)

    def end_progress(self, token: str | None, message: str) -> None:
        self.work_progress.end(token, message)

    @property
    def lint_on_change(self) -> bool:
        return bool(self.session.settings.get("lint_on_change", True))

    @property
    def debounce(self) -> float:
        return float(self.session.settings.get("debounce_ms", 400)) / 1000

    def workspace_folders(self) -> list[Path]:
        folders = [uri_to_path(f.uri) for f in self.workspace.folders.values()]
        if not folders and self.workspace.root_path:
            folders = [Path(self.workspace.root_path)]
        return folders

    def schedule(self, key: str, delay: float, coro_factory: Callable[[], Awaitable[Any]]) -> None:
        """Run ``coro_factory()`` after ``delay`` unless rescheduled meanwhile (debounce)."""
        previous = self.debouncers.pop(key, None)
        if previous is not None:
            previous.cancel()

        async def later() -> None:
            await asyncio.sleep(delay)
            self.debouncers.pop(key, None)
            await coro_factory()

        self.debouncers[key] = asyncio.create_task(later())

    def cancel_debounce(self, key: str) -> None:
        previous = self.debouncers.pop(key, None)
        if previous is not None:
            previous.cancel()


server = MigrationServer()


@server.feature(types.INITIALIZE)
def initialize(ls: MigrationServer, params: types.InitializeParams) -> None:
    options = params.initialization_options or {}
    if isinstance(options, dict):
        nested = options.get(CONFIG_SECTION)
        raw = nested if isinstance(nested, dict) else options
        ls.session.settings = commands.client_settings(ls, raw)
    if ls.client_log is not None:
        ls.client_log.connected = True
    # the projects are known from the workspace folders: a didOpen that comes before
    # `initialized` has run finds its project
    for folder in ls.workspace_folders():
        ls.session.add_folder(folder)


@server.feature(types.INITIALIZED)
async def initialized(ls: MigrationServer, params: types.InitializedParams) -> None:
    await pull_configuration(ls)
    await commands.register_watchers(ls, WATCH_GLOBS)
    ls.session.start_all()


async def pull_configuration(ls: MigrationServer) -> None:
    settings = await commands.pull_configuration(ls, CONFIG_SECTION)
    if settings is not None:
        ls.session.settings.update(settings)


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
async def did_change_configuration(
    ls: MigrationServer, params: types.DidChangeConfigurationParams
) -> None:
    settings = params.settings
    if isinstance(settings, dict) and isinstance(settings.get(CONFIG_SECTION), dict):
        ls.session.settings = commands.client_settings(ls, settings[CONFIG_SECTION])
    else:
        await pull_configuration(ls)
    ls.session.restart_changed()


@server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
async def did_change_workspace_folders(
    ls: MigrationServer, params: types.DidChangeWorkspaceFoldersParams
) -> None:
    for folder in params.event.removed:
        await ls.session.remove_folder(uri_to_path(folder.uri))
    for folder in params.event.added:
        for runtime in ls.session.add_folder(uri_to_path(folder.uri)):
            ls.session.start(runtime)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
async def did_open(ls: MigrationServer, params: types.DidOpenTextDocumentParams) -> None:
    await ls.linter.lint_file(params.text_document.uri, params.text_document.text)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: MigrationServer, params: types.DidChangeTextDocumentParams) -> None:
    uri = params.text_document.uri
    if not ls.lint_on_change or not is_migration(uri_to_path(uri)):
        return

    async def run() -> None:
        await ls.linter.lint_file(uri, ls.workspace.get_text_document(uri).source)

    ls.schedule(uri, ls.debounce, run)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
async def did_save(ls: MigrationServer, params: types.DidSaveTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.cancel_debounce(uri)
    if not commands.restart_if_blocked(ls, uri_to_path(uri)):
        await ls.linter.lint_file(uri, None, descendants=True)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: MigrationServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.linter.documents.forget(params.text_document.uri)


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(
    ls: MigrationServer, params: types.DidChangeWatchedFilesParams
) -> None:
    commands.watched_files_changed(ls, params.changes)


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, *REWRITE_KINDS]),
)
def code_action(ls: MigrationServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    path = uri_to_path(uri)
    runtime = ls.session.runtime_for(path)
    root, django = (runtime.root, runtime.django) if runtime else (None, None)
    provider = runtime.provider if runtime else DEFAULT_PROVIDER
    document = ls.workspace.get_text_document(uri)
    diagnostics = list(params.context.diagnostics)
    fixes = quick_fixes(uri, document.source, diagnostics, root, provider)
    last = ls.linter.results.get(str(path))
    return fixes + rewrite_actions(uri, path, document, diagnostics, last, django, open_buffers(ls))


@server.feature(types.TEXT_DOCUMENT_HOVER)
async def hover(ls: MigrationServer, params: types.HoverParams) -> types.Hover | None:
    uri = params.text_document.uri
    markdown = await hover_markdown(ls, uri, params.position)
    if markdown is None:
        return None
    return types.Hover(types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown))


@server.command(commands.SHOW_SQL)
async def show_migration_sql(ls: MigrationServer, *args: Any) -> str:
    return (await commands.show_migration_sql(ls, args)).to_dict()


@server.command(commands.RESTART)
async def restart(ls: MigrationServer, *args: Any) -> bool:
    await ls.session.stop_all()
    ls.session.runtimes.clear()
    for folder in ls.workspace_folders():
        ls.session.add_folder(folder)
    ls.session.start_all()
    return True


@server.command(commands.RUN_CHECKS)
async def run_checks(ls: MigrationServer, *args: Any) -> dict[str, Any]:
    """All cross-checks, databases included; also published as diagnostics."""
    return (await commands.run_checks(ls)).to_dict()


@server.command(commands.MAKEMIGRATIONS)
async def makemigrations(ls: MigrationServer, *args: Any) -> str:
    return await commands.makemigrations(ls, args)


@server.feature(types.SHUTDOWN)
async def shutdown(ls: MigrationServer, params: None) -> None:
    if ls.client_log is not None:  # the client stops listening: the rest of the log to stderr
        ls.client_log.connected = False
    await ls.session.stop_all()


@server.feature(types.EXIT)
def exit_(ls: MigrationServer, params: None) -> None:
    ls.session.kill_all()  # no worker outlives the server, shutdown or not
    ls.exit_status = 0 if ls.protocol._shutdown else 1  # `exit` without `shutdown`: 1


def main(argv: list[str] | None = None) -> int:
    """``django-migration-lsp serve [--tcp HOST:PORT] [--log-file FILE]``."""
    parser = argparse.ArgumentParser(prog="django-migration-lsp serve")
    parser.add_argument("--tcp", metavar="HOST:PORT")
    parser.add_argument("--log-file")
    args = parser.parse_args(argv)
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setFormatter(formatter)
    handler: logging.Handler
    if args.log_file:
        handler = logging.FileHandler(args.log_file)
        handler.setFormatter(formatter)
    else:  # to the client once it is connected (stderr before that, and if it is gone)
        handler = ClientLogHandler(server.window_log_message, stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))  # the client shows the level
        server.client_log = handler
    logging.basicConfig(handlers=[handler], level=logging.INFO)
    logging.getLogger("pygls").setLevel(logging.WARNING)
    try:
        if args.tcp:
            host, _, port = args.tcp.rpartition(":")
            server.start_tcp(host or "127.0.0.1", int(port))
        else:
            server.start_io()
    finally:
        with contextlib.suppress(Exception):
            server.session.kill_all()
    return server.exit_status
