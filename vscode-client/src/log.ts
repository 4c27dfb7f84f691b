// One output channel ("Django Migration Linter") for the extension's own log, the server's
// stderr and the LSP trace.

import * as vscode from 'vscode';

export const CHANNEL_NAME = 'Django Migration Linter';

export type Logger = vscode.LogOutputChannel;

export function createLogger(): Logger {
    return vscode.window.createOutputChannel(CHANNEL_NAME, { log: true });
}
