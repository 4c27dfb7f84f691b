// "Django Migrations: Select Interpreter": writes djangoMigrationLsp.interpreter.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_INTERPRETER } from './common/interpreter';
import { SECTION } from './common/settings';
import { PythonInterpreters } from './python';

interface Pick extends vscode.QuickPickItem {
    value?: string;
    action?: 'browse' | 'enter' | 'python-extension';
}

const VENV_CANDIDATES = ['.venv/bin/python', 'venv/bin/python', 'env/bin/python', '.venv/Scripts/python.exe', 'venv/Scripts/python.exe'];

export async function selectInterpreter(python: PythonInterpreters, current: string | undefined): Promise<void> {
    const items: Pick[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
        for (const rel of VENV_CANDIDATES) {
            const abs = path.join(folder.uri.fsPath, rel);
            if (fs.existsSync(abs)) {
                items.push({ label: `$(folder) ${rel}`, description: folder.name, detail: abs, value: `\${workspaceFolder}/${rel}` });
            }
        }
    }
    if (python.installed && vscode.workspace.isTrusted) {
        const active = await python.activeInterpreter(vscode.workspace.workspaceFolders?.[0]?.uri);
        items.push({
            label: "$(symbol-misc) Use the Python extension's interpreter",
            description: active ?? '',
            detail: 'Clears djangoMigrationLsp.interpreter; follows the interpreter you pick in the Python extension.',
            action: 'python-extension',
        });
    }
    items.push({ label: `$(terminal) ${DEFAULT_INTERPRETER}`, description: 'from PATH', value: DEFAULT_INTERPRETER });
    items.push({ label: '$(file-directory) Browse…', action: 'browse' });
    items.push({ label: '$(edit) Enter a path…', action: 'enter' });

    const picked = await vscode.window.showQuickPick(items, {
        title: 'Python interpreter of the project (with its Django)',
        placeHolder: current ? `Current: ${current}` : undefined,
        matchOnDetail: true,
    });
    if (!picked) {
        return;
    }
    let value: string | undefined = picked.value;
    if (picked.action === 'python-extension') {
        value = '';
    } else if (picked.action === 'browse') {
        const uris = await vscode.window.showOpenDialog({
            canSelectMany: false,
            openLabel: 'Use this interpreter',
            defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
        });
        value = uris?.[0]?.fsPath;
    } else if (picked.action === 'enter') {
        value = await vscode.window.showInputBox({
            title: 'Path of the Python interpreter',
            value: current,
            placeHolder: '/path/to/venv/bin/python',
        });
    }
    if (value === undefined) {
        return;
    }
    // Workspace Trust ignores workspace values of this setting in Restricted Mode: write the user's.
    const target =
        vscode.workspace.workspaceFolders && vscode.workspace.isTrusted
            ? vscode.ConfigurationTarget.Workspace
            : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration(SECTION).update('interpreter', value, target);
}
