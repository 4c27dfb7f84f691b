// The status bar item: starting, linting N/M (from the server's $/progress), ready, restricted,
// error. A click shows the logs.

import * as vscode from 'vscode';
import { COMMANDS } from './constants';
import { ServerState, statusView } from './common/status';

export class StatusBar implements vscode.Disposable {
    private readonly item: vscode.StatusBarItem;
    private state: ServerState = { kind: 'stopped' };
    private interpreter: string | undefined;
    /** The state to come back to when progress ends (ready / restricted / warning). */
    private idle: ServerState = { kind: 'ready' };

    constructor() {
        this.item = vscode.window.createStatusBarItem('djangoMigrationLsp.status', vscode.StatusBarAlignment.Left, 50);
        this.item.name = 'Django Migration Linter';
        this.item.command = COMMANDS.showLogs;
        this.render();
        this.item.show();
    }

    get current(): ServerState {
        return this.state;
    }

    setInterpreter(interpreter: string | undefined): void {
        this.interpreter = interpreter;
        this.render();
    }

    /** ready / restricted / warning: also where linting ends up when it is over. */
    setIdle(state: ServerState): void {
        this.idle = state;
        this.set(state);
    }

    backToIdle(): void {
        this.set(this.idle);
    }

    set(state: ServerState): void {
        this.state = state;
        this.render();
    }

    private render(): void {
        const view = statusView(this.state, this.interpreter);
        this.item.text = view.text;
        this.item.tooltip = view.tooltip;
        this.item.backgroundColor =
            view.severity === 'error'
                ? new vscode.ThemeColor('statusBarItem.errorBackground')
                : view.severity === 'warning'
                  ? new vscode.ThemeColor('statusBarItem.warningBackground')
                  : undefined;
    }

    dispose(): void {
        this.item.dispose();
    }
}
