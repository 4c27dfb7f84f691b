// The extension's commands.

import * as vscode from 'vscode';
import { COMMANDS, SERVER_COMMANDS } from './constants';
import { summariseChecks } from './common/checks';
import { MigrationNode } from './common/migrationTree';
import { formatSqlResult } from './common/sql';
import { selectInterpreter } from './interpreterPicker';
import { ServerManager } from './languageServer';
import { Logger } from './log';
import { PythonInterpreters } from './python';
import { SqlDocuments } from './sqlDocument';

/** The migration a command is for: a URI, a node of the Migrations view, else the active editor's. */
function targetUri(arg: unknown): vscode.Uri | undefined {
    if (arg instanceof vscode.Uri) {
        return arg;
    }
    if (typeof arg === 'string') {
        return vscode.Uri.parse(arg);
    }
    if (arg && typeof arg === 'object' && (arg as MigrationNode).kind === 'migration') {
        return vscode.Uri.file((arg as MigrationNode).file);
    }
    return vscode.window.activeTextEditor?.document.uri;
}

/** The server's `makeZeroDowntime` result, `{applied, message}`. */
function rewriteOutcome(result: unknown): { applied: boolean; message: string } {
    const r = (result ?? {}) as { applied?: unknown; message?: unknown };
    return { applied: r.applied === true, message: typeof r.message === 'string' ? r.message : 'The server sent no answer' };
}

/** The server's whole-file rewrite of a migration (sent back as workspace/applyEdit), then shown. */
async function makeZeroDowntime(manager: ServerManager, uri: vscode.Uri | undefined, fail: (what: string, err: unknown) => void): Promise<void> {
    if (!uri || uri.scheme !== 'file') {
        void vscode.window.showInformationMessage('Pick a migration to rewrite for a zero-downtime deploy.');
        return;
    }
    try {
        const result = await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Window, title: 'Rewriting the migration…' },
            () => manager.executeServerCommand(SERVER_COMMANDS.makeZeroDowntime, [uri.toString()]),
        );
        const { applied, message } = rewriteOutcome(result);
        if (applied) {
            const editor = await vscode.window.showTextDocument(uri, { preview: false });
            const next = editor.document.isDirty ? 'Review it, then save.' : 'Review it.';
            void vscode.window.showInformationMessage(`${message}. ${next}`);
        } else {
            void vscode.window.showWarningMessage(message);
        }
    } catch (err) {
        fail('could not rewrite the migration', err);
    }
}

export function registerCommands(
    context: vscode.ExtensionContext,
    manager: ServerManager,
    python: PythonInterpreters,
    sql: SqlDocuments,
    log: Logger,
): void {
    const fail = (what: string, err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        log.error(`${what}: ${message}`);
        void vscode.window.showErrorMessage(`Django Migration Linter: ${what}: ${message}`, 'Show Logs').then((c) => {
            if (c) {
                log.show();
            }
        });
    };

    context.subscriptions.push(
        vscode.commands.registerCommand(COMMANDS.restart, () => manager.restart('restart command')),

        vscode.commands.registerCommand(COMMANDS.showLogs, () => log.show()),

        vscode.commands.registerCommand(COMMANDS.selectInterpreter, () => selectInterpreter(python, manager.interpreter)),

        vscode.commands.registerCommand(COMMANDS.showMigrationSql, async (arg?: unknown) => {
            const uri = targetUri(arg);
            if (!uri || uri.scheme !== 'file') {
                void vscode.window.showInformationMessage('Open a migration file to see its SQL.');
                return;
            }
            try {
                const result = await vscode.window.withProgress(
                    { location: vscode.ProgressLocation.Window, title: 'Rendering the migration SQL…' },
                    () => manager.executeServerCommand(SERVER_COMMANDS.showMigrationSql, [uri.toString()]),
                );
                await sql.show(uri, formatSqlResult(result, uri.toString()));
            } catch (err) {
                fail('could not show the SQL', err);
            }
        }),

        vscode.commands.registerCommand(COMMANDS.makeZeroDowntime, (arg?: unknown) => makeZeroDowntime(manager, targetUri(arg), fail)),

        vscode.commands.registerCommand(COMMANDS.runChecks, async () => {
            const folder = vscode.workspace.workspaceFolders?.[0];
            try {
                const result = await vscode.window.withProgress(
                    { location: vscode.ProgressLocation.Notification, title: 'Django migrations: running the cross-checks…' },
                    () => manager.executeServerCommand(SERVER_COMMANDS.runChecks, folder ? [folder.uri.toString()] : []),
                );
                const { text, problems } = summariseChecks(result);
                log.info(text);
                const choice = await vscode.window.showInformationMessage(text, ...(problems ? ['Show Problems'] : []));
                if (choice) {
                    await vscode.commands.executeCommand('workbench.actions.view.problems');
                }
            } catch (err) {
                fail('the cross-checks failed', err);
            }
        }),
    );
}
