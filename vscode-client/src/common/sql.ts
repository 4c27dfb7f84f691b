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

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function asStatements(value: Json | undefined): string[] {
    if (value == null) {
        return [];
    }
    if (typeof value === 'string') {
        return [value];
    }
    if (Array.isArray(value)) {
        return value.flatMap((v) => asStatements(v));
    }
    if (typeof value === 'object' && 'sql' in value) {
        return asStatements(value.sql);
    }
    return [];
}

function terminate(statement: string): string {
    const s = statement.trimEnd();
    return s.endsWith(';') || s.startsWith('--') ? s : `${s};`;
}

function comment(text: string): string {
    return text
        .split(/\r?\n/)
        .map((l) => `-- ${l}`.trimEnd())
        .join('\n');
}

/**
 * Text of the SQL document. Accepts what the server may answer: a string; a list of statements;
 * `{sql}`; or `{operations: [{index?, description?|name?, line?, sql, error?, note?}], ...}` with
 * optional `app`, `name`, `vendor`, `database`, `error`, `notes`.
 */
export function formatSqlResult(result: unknown, sourceUri: string): string {
    const header: string[] = [];
    const body: string[] = [];
    const fileName = path.basename(sqlDocumentPath(sourceUri).path, '.sql');
    const data = result as Json;
    if (typeof data === 'string') {
        return data.endsWith('\n') ? data : `${data}\n`;
    }
    if (data == null) {
        return `${comment(`No SQL for ${fileName}: the server answered nothing.`)}\n`;
    }
    if (Array.isArray(data)) {
        body.push(...asStatements(data).map(terminate));
    } else if (typeof data === 'object') {
        const title = [data.app, data.name ?? data.migration].filter((v) => typeof v === 'string').join('.');
        header.push(comment(`SQL of ${title || fileName}${typeof data.vendor === 'string' ? ` on ${data.vendor}` : ''}${typeof data.database === 'string' ? ` (database "${data.database}")` : ''}, rendered offline.`));
        if (typeof data.error === 'string' && data.error) {
            header.push(comment(`Error: ${data.error}`));
        }
        for (const note of Array.isArray(data.notes) ? data.notes : []) {
            if (typeof note === 'string') {
                header.push(comment(note));
            }
        }
        const operations = Array.isArray(data.operations) ? data.operations : undefined;
        if (operations) {
            operations.forEach((op, i) => {
                if (op === null || typeof op !== 'object' || Array.isArray(op)) {
                    body.push(...asStatements(op).map(terminate));
                    return;
                }
                const index = typeof op.index === 'number' ? op.index : i;
                const label = op.description ?? op.name ?? op.operation ?? op.type;
                const line = typeof op.line === 'number' ? ` (line ${op.line})` : '';
                body.push(comment(`[${index}] ${typeof label === 'string' ? label : 'operation'}${line}`));
                if (typeof op.error === 'string' && op.error) {
                    body.push(comment(`could not be rendered: ${op.error}`));
                }
                if (typeof op.note === 'string' && op.note) {
                    body.push(comment(op.note));
                }
                const statements = asStatements(op.sql ?? op.statements ?? null);
                if (statements.length === 0 && !op.error) {
                    body.push(comment('(no SQL)'));
                }
                body.push(...statements.map(terminate));
                body.push('');
            });
        } else {
            const statements = asStatements(data.sql ?? data.statements ?? null);
            if (statements.length > 0) {
                body.push(...statements.map(terminate));
            } else if (!data.error) {
                body.push(comment(JSON.stringify(data, null, 2)));
            }
        }
    } else {
        body.push(comment(String(data)));
    }
    const text = [...header, ...(header.length ? [''] : []), ...body].join('\n').replace(/\n+$/, '');
    return `${text}\n`;
}
