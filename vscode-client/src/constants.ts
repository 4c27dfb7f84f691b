// Identifiers declared once: the extension's commands, the server's commands it calls, the view.

export const EXTENSION_ID = 'django-migration-lsp.django-migration-lsp';
export const CLIENT_ID = 'djangoMigrationLsp';
export const CLIENT_NAME = 'Django Migration Linter';
export const DIAGNOSTIC_SOURCE = 'django-migration-lsp';

/**
 * The extension's own VS Code commands (package.json `contributes.commands`, checked by a unit
 * test). Their ids differ from the server's `workspace/executeCommand` ids, which
 * vscode-languageclient registers as VS Code commands itself (code actions may carry them).
 */
export const COMMANDS = {
    restart: 'djangoMigrationLsp.restartServer',
    showMigrationSql: 'djangoMigrationLsp.openMigrationSql',
    runChecks: 'djangoMigrationLsp.runCrossChecks',
    showLogs: 'djangoMigrationLsp.showLogs',
    selectInterpreter: 'djangoMigrationLsp.selectInterpreter',
    refreshMigrations: 'djangoMigrationLsp.refreshMigrations',
    makeZeroDowntime: 'djangoMigrationLsp.makeMigrationZeroDowntime',
} as const;

/** Server commands (workspace/executeCommand, docs/editors.md) the extension calls with its own UI. */
export const SERVER_COMMANDS = {
    showMigrationSql: 'djangoMigrationLsp.showMigrationSql',
    runChecks: 'djangoMigrationLsp.runChecks',
    listMigrations: 'djangoMigrationLsp.listMigrations',
    makeZeroDowntime: 'djangoMigrationLsp.makeZeroDowntime',
} as const;

/** The explorer view "Django Migrations" (package.json `contributes.views`). */
export const MIGRATIONS_VIEW = 'djangoMigrationLsp.migrations';

/**
 * Migration files, for the view's file list (the server registers its own file watchers,
 * `workspace/didChangeWatchedFiles`, for what it re-lints on).
 */
export const MIGRATION_GLOB = '**/migrations/*.py';
/** Where no project's migrations live: virtualenvs, dependencies, caches. */
export const EXCLUDED_GLOB = '{**/node_modules/**,**/.venv/**,**/venv/**,**/env/**,**/site-packages/**,**/.tox/**,**/.nox/**,**/build/**,**/dist/**}';
