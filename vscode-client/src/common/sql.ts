// The read-only SQL document of a migration: its URI and its text from the answer of the server
// command `djangoMigrationLsp.showMigrationSql`. No VS Code import.

import * as path from 'node:path';

export const SQL_SCHEME = 'django-migration-sql';

/** `django-migration-sql:/<app>/<migration>.sql?<source uri>`: the title shows app and name. */
export function sqlDocumentPath(sourceUri: string): { path: string; query: string } {
    let fsPath: string;
    try {
        fsPath = decodeURIComponent(new URL(sourceUri).pathname);
    } catch {
        fsPath = sourceUri;
    }
    const parts = fsPath.split(/[\\/]/).filter(Boolean);
    const file = parts[parts.length - 1] ?? 'migration.py';
    const name = file.replace(/\.py$/, '');
    const app = parts.length >= 3 && parts[parts.length - 2] === 'migrations' ? parts[parts.length - 3] : undefined;
    return { path: `/${app ? `${app}/` : ''}${name}.sql`, query: sourceUri };
}

/**
 * Text of the SQL document from the answer of `djangoMigrationLsp.showMigrationSql`: the server
 * sends the migration's SQL script as a string, or null when it has no result for the file.
 */
export function formatSqlResult(result: unknown, sourceUri: string): string {
    if (typeof result === 'string' && result !== '') {
        return result.endsWith('\n') ? result : `${result}\n`;
    }
    const name = path.basename(sqlDocumentPath(sourceUri).path, '.sql');
    return [
        `-- No SQL for ${name}: the server has no result for this file.`,
        '-- Is it a migration of a Django project in this workspace, and did the project load?',
        '-- The output channel "Django Migration Linter" (Django Migrations: Show Logs) says why.',
        '',
    ].join('\n');
}
