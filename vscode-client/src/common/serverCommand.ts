// The server's command line: `<interpreter> <extension>/bundled/tool/server.py [--log-file F]`,
// run from the workspace folder. No VS Code import: the unit tests run this under plain Node.

import * as path from 'node:path';

export interface ServerCommandInput {
    interpreter: string;
    extensionPath: string;
    /** The workspace folder (the server's cwd); undefined when no folder is open. */
    cwd?: string;
    logFile?: string;
    /** The extension host's environment; copied, never changed. */
    env: NodeJS.ProcessEnv;
    trusted: boolean;
}

export interface ServerCommand {
    command: string;
    args: string[];
    options: { cwd?: string; env: NodeJS.ProcessEnv };
}

export function launcherPath(extensionPath: string): string {
    return path.join(extensionPath, 'bundled', 'tool', 'server.py');
}

export function serverCommand(input: ServerCommandInput): ServerCommand {
    const args = [launcherPath(input.extensionPath)];
    if (input.logFile) {
        args.push('--log-file', input.logFile);
    }
    const env: NodeJS.ProcessEnv = { ...input.env };
    // The LSP stream is bytes; keep Python's text I/O (logs, user prints in the worker) in UTF-8.
    env.PYTHONUTF8 = '1';
    env.PYTHONIOENCODING = 'utf-8';
    // Not an interactive session: no buffering surprises in the logs.
    env.PYTHONUNBUFFERED = '1';
    if (!input.trusted) {
        // Said to the server twice: here, and as `trusted: false` in its configuration.
        env.DJANGO_MIGRATION_LSP_UNTRUSTED = '1';
    } else {
        delete env.DJANGO_MIGRATION_LSP_UNTRUSTED;
    }
    return { command: input.interpreter, args, options: { cwd: input.cwd, env } };
}

/** One line for the log: the command as a shell would show it. */
export function formatCommand(cmd: ServerCommand): string {
    const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
    return [cmd.command, ...cmd.args].map(quote).join(' ') + (cmd.options.cwd ? `   (cwd ${cmd.options.cwd})` : '');
}
