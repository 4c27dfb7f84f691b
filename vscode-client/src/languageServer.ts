// Starting, stopping and restarting the language server, one at a time; its configuration.
// The steps are elsewhere: resolveInterpreter.ts, createClient.ts (with clientOptions.ts).

import * as vscode from 'vscode';
import { DidChangeConfigurationNotification, ExecuteCommandRequest, LanguageClient } from 'vscode-languageclient/node';
import { Verdict } from './common/interpreter';
import { formatCommand, serverCommand } from './common/serverCommand';
import { ExtensionSettings, readSettings, SECTION, serverSettings } from './common/settings';
import { ServerState } from './common/status';
import { createClient, followProgress, followState } from './createClient';
import { Logger } from './log';
import { Notices } from './notices';
import { PythonInterpreters } from './python';
import { folderInterpreter, resolveInterpreter } from './resolveInterpreter';
import { StatusBar } from './statusBar';

/** The folder whose interpreter runs the server: the first workspace folder, or none. */
function primaryFolder(): vscode.WorkspaceFolder | undefined {
    return vscode.workspace.workspaceFolders?.[0];
}

function idleState(trusted: boolean, verdict: Verdict): ServerState {
    if (!trusted) {
        return { kind: 'restricted', detail: verdict.message };
    }
    return verdict.level === 'warning' ? { kind: 'warning', detail: verdict.message } : { kind: 'ready', detail: verdict.message };
}

interface Running {
    client: LanguageClient;
    interpreter: string;
    disposables: vscode.Disposable[];
}

export class ServerManager implements vscode.Disposable {
    private running: Running | undefined;
    private queue: Promise<void> = Promise.resolve();
    private disposed = false;
    private lastTried: string | undefined;
    private readonly notices: Notices;

    constructor(
        private readonly context: vscode.ExtensionContext,
        private readonly log: Logger,
        private readonly status: StatusBar,
        private readonly python: PythonInterpreters,
    ) {
        this.notices = new Notices(log);
    }

    /** The interpreter the server runs with, else the one the last start tried (it may be missing). */
    get interpreter(): string | undefined {
        return this.running?.interpreter ?? this.lastTried;
    }

    /** (Re)starts the server; calls are queued, never run concurrently. */
    restart(reason: string): Promise<void> {
        const next = this.queue.then(() => this.doRestart(reason));
        this.queue = next.catch((err) => {
            this.log.error(`Restart failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
            this.status.set({ kind: 'error', detail: `The server could not start: ${String(err)}` });
        });
        return this.queue;
    }

    stop(): Promise<void> {
        this.queue = this.queue.then(() => this.stopClient()).catch(() => undefined);
        return this.queue;
    }

    /** The configuration changed: restart when the interpreter did, else tell the server. */
    async onConfigurationChanged(e: vscode.ConfigurationChangeEvent): Promise<void> {
        if (!e.affectsConfiguration(SECTION)) {
            return;
        }
        if (e.affectsConfiguration(`${SECTION}.interpreter`) || !this.running) {
            await this.restart('the interpreter setting changed');
            return;
        }
        const client = this.running.client;
        if (client.isRunning()) {
            await client.sendNotification(DidChangeConfigurationNotification.type, {
                settings: { [SECTION]: await this.sectionFor(primaryFolder()?.uri) },
            });
        }
    }

    /** The Python extension's interpreter changed: restart if it is the one we follow. */
    async onPythonInterpreterChanged(): Promise<void> {
        const folder = primaryFolder();
        if (this.settingsOf(folder?.uri).interpreter || !vscode.workspace.isTrusted) {
            return;
        }
        const now = await this.python.activeInterpreter(folder?.uri);
        if (now && now !== this.running?.interpreter) {
            await this.restart(`the Python extension's interpreter is now ${now}`);
        }
    }

    private settingsOf(scope: vscode.Uri | undefined): ExtensionSettings {
        return readSettings(vscode.workspace.getConfiguration(SECTION, scope));
    }

    private async stopClient(): Promise<void> {
        const running = this.running;
        this.running = undefined;
        if (!running) {
            return;
        }
        running.disposables.forEach((d) => d.dispose());
        try {
            if (running.client.needsStop()) {
                await running.client.stop(5000);
            }
        } catch (err) {
            this.log.warn(`Stopping the server: ${String(err)}`);
        }
        await running.client.dispose(2000).catch(() => undefined);
        this.status.set({ kind: 'stopped' });
    }

    private async doRestart(reason: string): Promise<void> {
        if (this.disposed) {
            return;
        }
        this.log.info(`Starting the server (${reason}).`);
        await this.stopClient();
        this.status.set({ kind: 'starting' });
        const trusted = vscode.workspace.isTrusted;
        const folder = primaryFolder();
        const settings = this.settingsOf(folder?.uri);
        settings.problems.forEach((p) => this.log.warn(`Setting ignored: ${p}`));
        const { choice, verdict, interpreter } = await resolveInterpreter({ folder, settings, trusted, python: this.python, log: this.log });
        this.lastTried = choice.path;
        this.status.setInterpreter(interpreter);
        this.notices.interpreter(verdict);
        if (verdict.level === 'error') {
            this.status.set({ kind: 'error', detail: verdict.message });
            return;
        }
        if (!trusted) {
            this.notices.restrictedMode();
        }
        const running = this.newClient(interpreter, serverSettings({ settings, python: interpreter, trusted }), folder);
        const current = () => this.running === running;
        running.disposables.push(followState(running.client, this.status, idleState(trusted, verdict), current));
        if (await this.startClient(running)) {
            running.disposables.push(followProgress(running.client, this.status, current));
        }
    }

    private newClient(interpreter: string, initializationOptions: Record<string, unknown>, folder: vscode.WorkspaceFolder | undefined): Running {
        const cmd = serverCommand({
            interpreter,
            extensionPath: this.context.extensionPath,
            cwd: folder?.uri.fsPath,
            env: process.env,
            trusted: vscode.workspace.isTrusted,
        });
        this.log.info(`Server command: ${formatCommand(cmd)}`);
        const client = createClient({
            cmd,
            log: this.log,
            status: this.status,
            options: {
                initializationOptions,
                sectionFor: (scope) => this.sectionFor(scope),
                onInitializationFailed: (error) => {
                    this.log.error(`The server failed to initialise: ${String(error)}`);
                    this.status.set({ kind: 'error', detail: `The server failed to initialise: ${String(error)}` });
                },
            },
        });
        this.running = { client, interpreter, disposables: [] };
        return this.running;
    }

    /** Starts the client; false (said in the status bar and a notification) when it did not start. */
    private async startClient(running: Running): Promise<boolean> {
        try {
            await running.client.start();
        } catch (err) {
            this.log.error(`The server did not start: ${String(err)}`);
            if (this.status.current.kind !== 'error') {
                this.status.set({ kind: 'error', detail: `The server did not start with "${running.interpreter}": ${String(err)}` });
            }
            this.notices.interpreter({
                level: 'error',
                message: `Django Migration Linter: the server did not start with "${running.interpreter}". See the logs; pick another interpreter if it lacks something.`,
            });
            return false;
        }
        const info = running.client.initializeResult?.serverInfo;
        this.log.info(`Server running${info ? `: ${info.name} ${info.version ?? ''}` : ''}.`);
        return true;
    }

    /** The `djangoMigrationLsp` section for a scope, as the server gets it. */
    private async sectionFor(scope: vscode.Uri | undefined): Promise<Record<string, unknown>> {
        const folder = (scope && vscode.workspace.getWorkspaceFolder(scope)) ?? primaryFolder();
        const settings = this.settingsOf(folder?.uri ?? scope);
        let python = this.running?.interpreter ?? '';
        if (folder && folder.uri.toString() !== primaryFolder()?.uri.toString()) {
            // Another folder of a multi-root workspace may have its own interpreter for its worker.
            python = (await folderInterpreter(folder, settings, this.python)) ?? python;
        }
        return serverSettings({ settings, python, trusted: vscode.workspace.isTrusted });
    }

    /** workspace/executeCommand to the server, for the extension's own commands. */
    async executeServerCommand(command: string, args: unknown[]): Promise<unknown> {
        const client = this.running?.client;
        if (!client || !client.isRunning()) {
            throw new Error('the server is not running');
        }
        const supported = client.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
        if (!supported.includes(command)) {
            throw new Error(`this server does not offer the command ${command}`);
        }
        return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
    }

    dispose(): void {
        this.disposed = true;
        void this.stop();
    }
}
