export const EXTENSION_ID = 'django-migration-lsp.django-migration-lsp';
export const CLIENT_ID = 'djangoMigrationLsp';
export const CLIENT_NAME = 'Django Migration Linter';
export const DIAGNOSTIC_SOURCE = 'django-migration-lsp';

export const COMMANDS = {
    restart: 'djangoMigrationLsp.restart',
    showMigrationSql: 'djangoMigrationLsp.showMigrationSql',
    runChecks: 'djangoMigrationLsp.runChecks',
    showLogs: 'djangoMigrationLsp.showLogs',
    selectInterpreter: 'djangoMigrationLsp.selectInterpreter',
} as const;

/** Server commands (workspace/executeCommand) that the extension calls itself, with its own UI. */
export const SERVER_COMMANDS = {
    restart: 'djangoMigrationLsp.restart',
    showMigrationSql: 'djangoMigrationLsp.showMigrationSql',
    runChecks: 'djangoMigrationLsp.runChecks',
} as const;

/** Files whose changes the server hears of (DESIGN §7), besides the open documents. */
export const WATCHED_GLOBS = [
    '**/migrations/*.py',
    '**/models.py',
    '**/models/*.py',
    '**/settings.py',
    '**/settings/*.py',
    '**/pyproject.toml',
    '**/manage.py',
];
