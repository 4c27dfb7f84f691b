// Which interpreter runs the server for a folder, and whether it can: the choice (setting >
// Python extension > python3), then one probe of it. The rules are in common/interpreter.ts.

import * as vscode from 'vscode';
import { chooseInterpreter, describeSource, InterpreterChoice, judgeInterpreter, probeInterpreter, Verdict } from './common/interpreter';
import { ExtensionSettings } from './common/settings';
import { Logger } from './log';
import { PythonInterpreters } from './python';

export interface ResolvedInterpreter {
    choice: InterpreterChoice;
    verdict: Verdict;
    /** The probed executable (sys.executable), else the path chosen. */
    interpreter: string;
}

export async function resolveInterpreter(input: {
    folder: vscode.WorkspaceFolder | undefined;
    settings: ExtensionSettings;
    trusted: boolean;
    python: PythonInterpreters;
    log: Logger;
}): Promise<ResolvedInterpreter> {
    const { folder, settings, trusted, log } = input;
    const choice = chooseInterpreter({
        setting: settings.interpreter,
        pythonExtension: trusted ? await input.python.activeInterpreter(folder?.uri) : undefined,
        trusted,
        vars: { workspaceFolder: folder?.uri.fsPath },
    });
    log.info(`Interpreter: ${choice.path} (${describeSource(choice.source)}); workspace ${trusted ? 'trusted' : 'NOT trusted (Restricted Mode)'}.`);
    const probe = await probeInterpreter(choice.path, { cwd: folder?.uri.fsPath, trusted });
    const verdict = judgeInterpreter(choice.path, probe, trusted);
    log.info(`Interpreter check: ${verdict.message}`);
    return { choice, verdict, interpreter: probe.executable ?? choice.path };
}

/** The interpreter of another folder of a multi-root workspace, when it has its own; else undefined. */
export async function folderInterpreter(
    folder: vscode.WorkspaceFolder,
    settings: ExtensionSettings,
    python: PythonInterpreters,
): Promise<string | undefined> {
    const trusted = vscode.workspace.isTrusted;
    const choice = chooseInterpreter({
        setting: settings.interpreter,
        pythonExtension: trusted ? await python.activeInterpreter(folder.uri) : undefined,
        trusted,
        vars: { workspaceFolder: folder.uri.fsPath },
    });
    return choice.source === 'default' ? undefined : choice.path;
}
