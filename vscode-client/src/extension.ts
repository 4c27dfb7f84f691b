// Entry point: wires the modules together; the server's life is in languageServer.ts.

import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { SECTION } from './common/settings';
import { SERVER_COMMANDS } from './constants';
import { ServerManager } from './languageServer';
import { createLogger } from './log';
import { MigrationsView } from './migrationsView';
import { PythonInterpreters } from './python';
import { SqlDocuments } from './sqlDocument';
import { StatusBar } from './statusBar';

let manager: ServerManager | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
    const log = createLogger();
    const status = new StatusBar();
    const python = new PythonInterpreters(log);
    const sql = new SqlDocuments();
    manager = new ServerManager(context, log, status, python);
    const m = manager;
    const view = new MigrationsView((refresh) => m.executeServerCommand(SERVER_COMMANDS.listMigrations, [{ refresh }]));
    context.subscriptions.push(log, status, python, sql, m, view);

    registerCommands(context, m, python, sql, log);
    context.subscriptions.push(
        vscode.workspace.onDidChangeConfiguration((e) => {
            if (e.affectsConfiguration(SECTION)) {
                void m.onConfigurationChanged(e);
            }
        }),
        python.onDidChange(() => void m.onPythonInterpreterChanged()),
        vscode.workspace.onDidGrantWorkspaceTrust(() => void m.restart('the workspace is now trusted')),
    );

    await m.restart('activation');
}

export async function deactivate(): Promise<void> {
    await manager?.stop();
    manager = undefined;
}
