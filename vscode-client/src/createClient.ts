// One language client for one server process: its options, its error handling (the library's
// own restart policy, said in the status bar), and the server's progress in the status bar.

import * as vscode from 'vscode';
import { CloseAction, ErrorAction, ErrorHandler, LanguageClient, State, WorkDoneProgress, WorkDoneProgressCreateRequest } from 'vscode-languageclient/node';
import { clientOptions, ClientOptionsInput, serverOptions } from './clientOptions';
import { CLIENT_ID, CLIENT_NAME, COMMANDS } from './constants';
import { nextProgress, Progress, ProgressValue } from './common/progress';
import { ServerCommand } from './common/serverCommand';
import { ServerState } from './common/status';
import { Logger } from './log';
import { StatusBar } from './statusBar';

/** How many crashes in 3 minutes vscode-languageclient restarts the server after. */
const MAX_RESTARTS = 4;

export function createClient(input: {
    cmd: ServerCommand;
    log: Logger;
    status: StatusBar;
    options: Omit<ClientOptionsInput, 'errorHandler' | 'log'>;
}): LanguageClient {
    const { log, status } = input;
    const library: { handler?: ErrorHandler } = {};
    const errorHandler: ErrorHandler = {
        error: (error, message, count) => {
            log.error(`Connection error: ${error.message}`);
            return library.handler?.error(error, message, count) ?? { action: ErrorAction.Continue };
        },
        closed: async () => {
            const result = (await library.handler?.closed()) ?? { action: CloseAction.DoNotRestart };
            if (result.action === CloseAction.DoNotRestart) {
                status.set({
                    kind: 'error',
                    detail: `The server stopped and was not restarted (it crashed too often). See the logs, then run "Django Migrations: Restart Server" (${COMMANDS.restart}).`,
                });
            } else {
                log.warn('The server stopped: restarting it.');
                status.set({ kind: 'starting' });
            }
            return result;
        },
    };
    const client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions(input.cmd), clientOptions({ ...input.options, log, errorHandler }));
    library.handler = client.createDefaultErrorHandler(MAX_RESTARTS);
    return client;
}

/** The client's state in the status bar: `idle` once running. Ignored once `current()` is false. */
export function followState(client: LanguageClient, status: StatusBar, idle: ServerState, current: () => boolean): vscode.Disposable {
    return client.onDidChangeState((e) => {
        if (!current()) {
            return;
        }
        if (e.newState === State.Running) {
            status.setIdle(idle);
        } else if (e.newState === State.Starting) {
            status.set({ kind: 'starting' });
        } else if (e.newState === State.Stopped && status.current.kind !== 'error') {
            status.set({ kind: 'stopped' });
        }
    });
}

/**
 * Server-initiated work done progress ($/progress) in the status bar, "linting 42%" from its
 * `percentage`. Replaces the library's own handler (a progress notification), so call it after
 * `client.start()`.
 */
export function followProgress(client: LanguageClient, status: StatusBar, current: () => boolean): vscode.Disposable {
    const active = new Map<string | number, Progress>();
    const subscriptions: vscode.Disposable[] = [];
    const show = () => {
        if (!current()) {
            return;
        }
        const last = [...active.values()].pop();
        if (last) {
            status.set({ kind: 'linting', ...last });
        } else if (status.current.kind === 'linting') {
            status.backToIdle();
        }
    };
    subscriptions.push(
        client.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
            const sub = client.onProgress(WorkDoneProgress.type, token, (value) => {
                const next = nextProgress(active.get(token), value as ProgressValue);
                if (next) {
                    active.set(token, next);
                } else {
                    active.delete(token);
                    sub.dispose();
                }
                show();
            });
            subscriptions.push(sub);
        }),
    );
    return { dispose: () => subscriptions.forEach((s) => s.dispose()) };
}
