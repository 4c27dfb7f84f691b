// The Python extension's active interpreter, through its public API (@vscode/python-extension),
// when that extension is installed. Everything here degrades to "no answer" without it.

import * as vscode from 'vscode';
import { PythonExtension } from '@vscode/python-extension';
import { Logger } from './log';

const PYTHON_EXTENSION_ID = 'ms-python.python';

export class PythonInterpreters implements vscode.Disposable {
    private api: PythonExtension | undefined;
    private readonly disposables: vscode.Disposable[] = [];
    private readonly changed = new vscode.EventEmitter<void>();
    /** Fires when the Python extension's active interpreter changes (for any folder). */
    readonly onDidChange = this.changed.event;

    constructor(private readonly log: Logger) {
        this.disposables.push(this.changed);
        // The Python extension may be installed or enabled while we run.
        this.disposables.push(
            vscode.extensions.onDidChange(() => {
                if (!this.api && vscode.extensions.getExtension(PYTHON_EXTENSION_ID)) {
                    this.log.info('The Python extension is now available: following its interpreter.');
                    this.changed.fire();
                }
            }),
        );
    }

    get installed(): boolean {
        return vscode.extensions.getExtension(PYTHON_EXTENSION_ID) !== undefined;
    }

    private async getApi(): Promise<PythonExtension | undefined> {
        if (this.api) {
            return this.api;
        }
        if (!this.installed) {
            return undefined;
        }
        try {
            const api = await PythonExtension.api();
            this.api = api;
            this.disposables.push(
                api.environments.onDidChangeActiveEnvironmentPath((e) => {
                    this.log.info(`The Python extension's interpreter changed: ${e.path}`);
                    this.changed.fire();
                }),
            );
            return api;
        } catch (err) {
            this.log.warn(`The Python extension's API is not available: ${String(err)}`);
            return undefined;
        }
    }

    /** The executable of the active environment for `resource`, or undefined. */
    async activeInterpreter(resource?: vscode.Uri): Promise<string | undefined> {
        const api = await this.getApi();
        if (!api) {
            return undefined;
        }
        try {
            const envPath = api.environments.getActiveEnvironmentPath(resource);
            const resolved = await api.environments.resolveEnvironment(envPath);
            return resolved?.executable.uri?.fsPath ?? undefined;
        } catch (err) {
            this.log.warn(`Could not resolve the Python extension's interpreter: ${String(err)}`);
            return undefined;
        }
    }

    dispose(): void {
        this.disposables.forEach((d) => d.dispose());
    }
}
