// Starting, stopping and restarting the language server; its configuration; its progress.

import * as vscode from 'vscode';
import {
    CloseAction,
    ConfigurationParams,
    DidChangeConfigurationNotification,
    ErrorAction,
    ErrorHandler,
    ExecuteCommandRequest,
    LanguageClient,
    LanguageClientOptions,
    RevealOutputChannelOn,
    ServerOptions,
    State,
    TransportKind,
    WorkDoneProgress,
    WorkDoneProgressBegin,
    WorkDoneProgressCreateRequest,
    WorkDoneProgressReport,
} from 'vscode-languageclient/node';
import { CLIENT_ID, CLIENT_NAME, COMMANDS, SERVER_COMMANDS, WATCHED_GLOBS } from './constants';
import {
    chooseInterpreter,
    describeSource,
    InterpreterChoice,
    judgeInterpreter,
    probeInterpreter,
    Verdict,
} from './common/interpreter';
import { formatCommand, serverCommand } from './common/serverCommand';
import { ExtensionSettings, readSettings, SECTION, serverSettings } from './common/settings';
import { Logger } from './log';
import { PythonInterpreters } from './python';
import { StatusBar } from './statusBar';

const SELECT_INTERPRETER = 'Select Interpreter';
const SHOW_LOGS = 'Show Logs';
const MANAGE_TRUST = 'Manage Workspace Trust';

/** The folder whose interpreter runs the server: the first workspace folder, or none. */
function primaryFolder(): vscode.WorkspaceFolder | undefined {
    return vscode.workspace.workspaceFolders?.[0];
}

interface Running {
    client: LanguageClient;
    interpreter: string;
    source: InterpreterChoice['source'];
    trusted: boolean;
    watchers: vscode.FileSystemWatcher[];
    disposables: vscode.Disposable[];
}

export class ServerManager implements vscode.Disposable {
    private running: Running | undefined;
    private queue: Promise<void> = Promise.resolve();
    private disposed = false;
    private restrictedNoticeShown = false;
    private lastNotice: string | undefined;
    private lastTried: string | undefined;

    constructor(
        private readonly context: vscode.ExtensionContext,
        private readonly log: Logger,
        private readonly status: StatusBar,
        private readonly python: PythonInterpreters,
    ) {}

    get client(): LanguageClient | undefined {
        return this.running?.client;
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
        const next = this.queue.then(() => this.stopClient());
        this.queue = next.catch(() => undefined);
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
            const folder = primaryFolder();
            await client.sendNotification(DidChangeConfigurationNotification.type, {
                settings: { [SECTION]: await this.sectionFor(folder?.uri) },
            });
        }
    }

    /** The Python extension's interpreter changed: restart if it is the one we follow. */
    async onPythonInterpreterChanged(): Promise<void> {
        const folder = primaryFolder();
        const settings = readSettings(vscode.workspace.getConfiguration(SECTION, folder?.uri));
        if (settings.interpreter || !vscode.workspace.isTrusted) {
            return;
        }
        const now = await this.python.activeInterpreter(folder?.uri);
        if (now && now !== this.running?.interpreter) {
            await this.restart(`the Python extension's interpreter is now ${now}`);
        }
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
        try {
            await running.client.dispose(2000);
        } catch {
            // already stopped
        }
        running.watchers.forEach((w) => w.dispose());
        this.status.set({ kind: 'stopped' });
    }

    private notify(verdict: Verdict): void {
        // The same problem is said once; a different one (another interpreter) is said again.
        if (verdict.level === 'ok' || this.lastNotice === verdict.message) {
            return;
        }
        this.lastNotice = verdict.message;
        const show = verdict.level === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
        void show(verdict.message, SELECT_INTERPRETER, SHOW_LOGS).then((choice) => {
            if (choice === SELECT_INTERPRETER) {
                void vscode.commands.executeCommand(COMMANDS.selectInterpreter);
            } else if (choice === SHOW_LOGS) {
                this.log.show();
            }
        });
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
        const settings = readSettings(vscode.workspace.getConfiguration(SECTION, folder?.uri));
        settings.problems.forEach((p) => this.log.warn(`Setting ignored: ${p}`));
        const fromExtension = trusted ? await this.python.activeInterpreter(folder?.uri) : undefined;
        const choice = chooseInterpreter({
            setting: settings.interpreter,
            pythonExtension: fromExtension,
            trusted,
            vars: { workspaceFolder: folder?.uri.fsPath },
        });
        this.status.setInterpreter(choice.path);
        this.lastTried = choice.path;
        this.log.info(`Interpreter: ${choice.path} (${describeSource(choice.source)}); workspace ${trusted ? 'trusted' : 'NOT trusted (Restricted Mode)'}.`);

        const probe = await probeInterpreter(choice.path, { cwd: folder?.uri.fsPath, trusted });
        const verdict = judgeInterpreter(choice.path, probe, trusted);
        this.log.info(`Interpreter check: ${verdict.message}`);
        if (verdict.level === 'error') {
            this.status.set({ kind: 'error', detail: verdict.message });
            this.notify(verdict);
            return;
        }
        this.notify(verdict);
        const interpreter = probe.executable ?? choice.path;
        this.status.setInterpreter(interpreter);

        if (!trusted && !this.restrictedNoticeShown) {
            this.restrictedNoticeShown = true;
            void vscode.window
                .showInformationMessage(
                    'Django Migration Linter is in Restricted Mode: it imports nothing from this workspace (no Django worker), so it checks only what each migration\'s source tells (syntax, dropped or renamed columns and tables, NOT NULL, RunPython/RunSQL; no SQL rendered). Trust the workspace for the full analysis.',
                    MANAGE_TRUST,
                )
                .then((choice) => {
                    if (choice === MANAGE_TRUST) {
                        void vscode.commands.executeCommand('workbench.trust.manage');
                    }
                });
        }

        const cmd = serverCommand({
            interpreter,
            extensionPath: this.context.extensionPath,
            cwd: folder?.uri.fsPath,
            env: process.env,
            trusted,
        });
        this.log.info(`Server command: ${formatCommand(cmd)}`);
        const serverOptions: ServerOptions = {
            command: cmd.command,
            args: cmd.args,
            options: cmd.options,
            transport: TransportKind.stdio,
        };

        const watchers = WATCHED_GLOBS.map((glob) => vscode.workspace.createFileSystemWatcher(glob));
        // vscode-languageclient's own handler (restarts a crashed server up to 4 times in 3 minutes).
        const fallback: { handler?: ErrorHandler } = {};
        const errorHandler: ErrorHandler = {
            error: (error, message, count) => {
                this.log.error(`Connection error: ${error.message}`);
                return fallback.handler?.error(error, message, count) ?? { action: ErrorAction.Continue };
            },
            closed: async () => {
                const result = (await fallback.handler?.closed()) ?? { action: CloseAction.DoNotRestart };
                if (result.action === CloseAction.DoNotRestart) {
                    this.status.set({
                        kind: 'error',
                        detail: 'The server stopped and was not restarted (it crashed too often). See the logs, then run "Django Migrations: Restart Server".',
                    });
                } else {
                    this.log.warn('The server stopped: restarting it.');
                    this.status.set({ kind: 'starting' });
                }
                return result;
            },
        };

        const clientOptions: LanguageClientOptions = {
            documentSelector: [{ scheme: 'file', language: 'python' }],
            outputChannel: this.log,
            traceOutputChannel: this.log,
            revealOutputChannelOn: RevealOutputChannelOn.Never,
            initializationOptions: serverSettings({ settings, python: interpreter, trusted }),
            synchronize: { fileEvents: watchers },
            errorHandler,
            initializationFailedHandler: (error) => {
                this.log.error(`The server failed to initialise: ${String(error)}`);
                this.status.set({ kind: 'error', detail: `The server failed to initialise: ${String(error)}` });
                return false;
            },
            middleware: {
                workspace: {
                    configuration: async (params: ConfigurationParams, token, next) => {
                        const answers = await next(params, token);
                        if (answers instanceof Error || !Array.isArray(answers)) {
                            return answers;
                        }
                        return Promise.all(
                            params.items.map(async (item, i) => {
                                if (item.section !== SECTION) {
                                    return answers[i];
                                }
                                const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
                                return this.sectionFor(scope);
                            }),
                        );
                    },
                },
            },
        };

        const client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
        fallback.handler = client.createDefaultErrorHandler(4);
        this.keepClientCommandsLocal(client);

        const running: Running = { client, interpreter, source: choice.source, trusted, watchers, disposables: [] };
        this.running = running;
        const idle = trusted
            ? verdict.level === 'warning'
                ? ({ kind: 'warning', detail: verdict.message } as const)
                : ({ kind: 'ready', detail: verdict.message } as const)
            : ({ kind: 'restricted', detail: verdict.message } as const);
        running.disposables.push(
            client.onDidChangeState((e) => {
                if (this.running !== running) {
                    return;
                }
                if (e.newState === State.Running) {
                    this.status.setIdle(idle);
                } else if (e.newState === State.Starting) {
                    this.status.set({ kind: 'starting' });
                } else if (e.newState === State.Stopped && this.status.current.kind !== 'error') {
                    this.status.set({ kind: 'stopped' });
                }
            }),
        );

        try {
            await client.start();
        } catch (err) {
            this.log.error(`The server did not start: ${String(err)}`);
            if (this.status.current.kind !== 'error') {
                this.status.set({
                    kind: 'error',
                    detail: `The server did not start with "${interpreter}": ${String(err)}`,
                });
            }
            this.notify({
                level: 'error',
                message: `Django Migration Linter: the server did not start with "${interpreter}". See the logs; pick another interpreter if it lacks something.`,
            });
            return;
        }
        this.followProgress(running);
        const info = client.initializeResult?.serverInfo;
        this.log.info(`Server running${info ? `: ${info.name} ${info.version ?? ''}` : ''}.`);
    }

    /** The `djangoMigrationLsp` section for a scope, as the server gets it. */
    private async sectionFor(scope: vscode.Uri | undefined): Promise<Record<string, unknown>> {
        const trusted = vscode.workspace.isTrusted;
        const folder = (scope && vscode.workspace.getWorkspaceFolder(scope)) ?? primaryFolder();
        const settings: ExtensionSettings = readSettings(vscode.workspace.getConfiguration(SECTION, folder?.uri ?? scope));
        let python = this.running?.interpreter ?? '';
        if (folder && folder.uri.toString() !== primaryFolder()?.uri.toString()) {
            // Another folder of a multi-root workspace may have its own interpreter for its worker.
            const choice = chooseInterpreter({
                setting: settings.interpreter,
                pythonExtension: trusted ? await this.python.activeInterpreter(folder.uri) : undefined,
                trusted,
                vars: { workspaceFolder: folder.uri.fsPath },
            });
            if (choice.source !== 'default') {
                python = choice.path;
            }
        }
        return serverSettings({ settings, python, trusted });
    }

    /**
     * The server's own commands that the extension calls with its own UI (show SQL, run checks,
     * restart) are registered by the extension; vscode-languageclient must not register them a
     * second time (VS Code refuses a command registered twice). The server's other commands
     * (those that code actions may carry) are registered as usual.
     */
    private keepClientCommandsLocal(client: LanguageClient): void {
        const feature = client.getFeature(ExecuteCommandRequest.method);
        const local = new Set<string>(Object.values(SERVER_COMMANDS));
        const register = feature.register.bind(feature);
        feature.register = (data) => {
            const commands = (data.registerOptions.commands ?? []).filter((c) => !local.has(c));
            register({ ...data, registerOptions: { ...data.registerOptions, commands } });
        };
    }

    /** Server-initiated work done progress ($/progress) drives the status bar: "linting N/M". */
    private followProgress(running: Running): void {
        const client = running.client;
        const active = new Map<string | number, { title?: string; message?: string; percentage?: number }>();
        const show = () => {
            if (this.running !== running) {
                return;
            }
            const last = [...active.values()].pop();
            if (last) {
                this.status.set({ kind: 'linting', ...last });
            } else if (this.status.current.kind === 'linting') {
                this.status.backToIdle();
            }
        };
        running.disposables.push(
            client.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
                const sub = client.onProgress(WorkDoneProgress.type, token, (value) => {
                    if (value.kind === 'begin') {
                        const begin = value as WorkDoneProgressBegin;
                        active.set(token, { title: begin.title, message: begin.message, percentage: begin.percentage });
                    } else if (value.kind === 'report') {
                        const report = value as WorkDoneProgressReport;
                        const prev = active.get(token) ?? {};
                        active.set(token, {
                            title: prev.title,
                            message: report.message ?? prev.message,
                            percentage: report.percentage ?? prev.percentage,
                        });
                    } else {
                        active.delete(token);
                        sub.dispose();
                    }
                    show();
                });
                running.disposables.push(sub);
            }),
        );
    }

    /** workspace/executeCommand to the server, for the client-side commands. */
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
