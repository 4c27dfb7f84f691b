// The language client's options, built from what they depend on; no side effect here.

import * as vscode from 'vscode';
import {
    ConfigurationParams,
    ErrorHandler,
    LanguageClientOptions,
    RevealOutputChannelOn,
    ServerOptions,
    TransportKind,
} from 'vscode-languageclient/node';
import { ServerCommand } from './common/serverCommand';
import { SECTION } from './common/settings';
import { Logger } from './log';

export function serverOptions(cmd: ServerCommand): ServerOptions {
    return { command: cmd.command, args: cmd.args, options: cmd.options, transport: TransportKind.stdio };
}

export interface ClientOptionsInput {
    log: Logger;
    /** The `djangoMigrationLsp` section the server starts with. */
    initializationOptions: Record<string, unknown>;
    errorHandler: ErrorHandler;
    onInitializationFailed: (error: unknown) => void;
    /** The section for a scope, as workspace/configuration answers it (the interpreter resolved). */
    sectionFor: (scope: vscode.Uri | undefined) => Promise<Record<string, unknown>>;
}

/**
 * Python documents of the file system; the server registers the file watchers it needs itself
 * (`workspace/didChangeWatchedFiles`, dynamic registration), so none are declared here.
 */
export function clientOptions(input: ClientOptionsInput): LanguageClientOptions {
    return {
        documentSelector: [{ scheme: 'file', language: 'python' }],
        outputChannel: input.log,
        traceOutputChannel: input.log,
        revealOutputChannelOn: RevealOutputChannelOn.Never,
        initializationOptions: input.initializationOptions,
        errorHandler: input.errorHandler,
        initializationFailedHandler: (error) => {
            input.onInitializationFailed(error);
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
                        params.items.map((item, i) =>
                            item.section === SECTION ? input.sectionFor(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined) : answers[i],
                        ),
                    );
                },
            },
        },
    };
}
