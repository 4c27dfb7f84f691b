// Which Python runs the server and the worker, and whether it can.
// Order: `djangoMigrationLsp.interpreter` > the Python extension's active interpreter > python3.
// No VS Code import: the unit tests run this under plain Node.

import { execFile } from 'node:child_process';
import { expandPath, PathVariables } from './settings';

export const MIN_PYTHON: readonly [number, number] = [3, 10];
export const MIN_DJANGO: readonly [number, number] = [4, 2];
export const DEFAULT_INTERPRETER = process.platform === 'win32' ? 'python' : 'python3';

export type InterpreterSource = 'setting' | 'python-extension' | 'default';

export interface InterpreterChoice {
    path: string;
    source: InterpreterSource;
}

export interface InterpreterInputs {
    /** `djangoMigrationLsp.interpreter` (in an untrusted workspace VS Code gives the user value only). */
    setting?: string;
    /** The Python extension's active interpreter for the folder, when it is installed. */
    pythonExtension?: string;
    /** Workspace Trust. The Python extension's choice is usually the workspace's own venv: not used untrusted. */
    trusted: boolean;
    vars?: PathVariables;
}

export function chooseInterpreter(inputs: InterpreterInputs): InterpreterChoice {
    const setting = inputs.setting?.trim();
    if (setting) {
        return { path: expandPath(setting, inputs.vars), source: 'setting' };
    }
    const fromExtension = inputs.pythonExtension?.trim();
    if (fromExtension && inputs.trusted) {
        return { path: fromExtension, source: 'python-extension' };
    }
    return { path: DEFAULT_INTERPRETER, source: 'default' };
}

export function describeSource(source: InterpreterSource): string {
    switch (source) {
        case 'setting':
            return 'setting djangoMigrationLsp.interpreter';
        case 'python-extension':
            return "the Python extension's active interpreter";
        default:
            return 'default';
    }
}

/** Prints one JSON line: the interpreter's version and, when asked, Django's. Imports nothing else. */
export const PROBE_SCRIPT = [
    'import json, sys',
    'out = {"executable": sys.executable, "python": list(sys.version_info[:3]), "django": None, "djangoError": None}',
    'if "--django" in sys.argv:',
    '    try:',
    '        import django',
    '        out["django"] = django.get_version()',
    '    except Exception as exc:',
    '        out["djangoError"] = "%s: %s" % (type(exc).__name__, exc)',
    'sys.stdout.write("DMLSP-PROBE " + json.dumps(out) + "\\n")',
].join('\n');

export interface ProbeResult {
    /** false: the interpreter could not be run (missing, not Python, timed out). */
    ran: boolean;
    executable?: string;
    python?: [number, number, number];
    django?: string | null;
    djangoError?: string | null;
    error?: string;
}

export type Runner = (
    command: string,
    args: string[],
    options: { cwd?: string; timeoutMs: number; env?: NodeJS.ProcessEnv },
) => Promise<{ stdout: string; stderr: string; error?: Error & { code?: string | number | null; killed?: boolean } }>;

export const execRunner: Runner = (command, args, options) =>
    new Promise((resolve) => {
        execFile(
            command,
            args,
            { cwd: options.cwd, timeout: options.timeoutMs, env: options.env, windowsHide: true, maxBuffer: 1 << 20 },
            (error, stdout, stderr) => resolve({ stdout: String(stdout), stderr: String(stderr), error: error ?? undefined }),
        );
    });

/**
 * Runs the interpreter once. Trusted: from the project folder, importing Django as the worker
 * will. Untrusted: isolated (`-I`: no current directory nor PYTHON* variables on the path) and
 * without importing Django, so that nothing of the workspace runs.
 */
export async function probeInterpreter(
    interpreter: string,
    options: { cwd?: string; trusted: boolean; timeoutMs?: number; env?: NodeJS.ProcessEnv; runner?: Runner },
): Promise<ProbeResult> {
    const runner = options.runner ?? execRunner;
    const args = options.trusted ? ['-c', PROBE_SCRIPT, '--django'] : ['-I', '-c', PROBE_SCRIPT];
    const { stdout, stderr, error } = await runner(interpreter, args, {
        cwd: options.trusted ? options.cwd : undefined,
        timeoutMs: options.timeoutMs ?? 30000,
        env: options.env,
    });
    const line = stdout.split(/\r?\n/).find((l) => l.startsWith('DMLSP-PROBE '));
    if (line) {
        try {
            const data = JSON.parse(line.slice('DMLSP-PROBE '.length));
            return {
                ran: true,
                executable: data.executable,
                python: data.python,
                django: data.django ?? null,
                djangoError: data.djangoError ?? null,
            };
        } catch {
            // fall through
        }
    }
    let message: string;
    if (error?.code === 'ENOENT') {
        message = 'not found';
    } else if (error?.code === 'EACCES') {
        message = 'not executable';
    } else if (error?.killed) {
        message = 'did not answer in time';
    } else {
        const detail = (stderr || stdout || error?.message || '').trim().split(/\r?\n/).slice(-3).join(' ');
        message = `is not a working Python interpreter${detail ? ` (${detail})` : ''}`;
    }
    return { ran: false, error: message };
}

export function parseVersion(version: string): number[] {
    return version.split(/[.+-]/).map((p) => Number.parseInt(p, 10)).filter((n) => !Number.isNaN(n));
}

function atLeast(actual: readonly number[], minimum: readonly number[]): boolean {
    for (let i = 0; i < minimum.length; i++) {
        const a = actual[i] ?? 0;
        if (a !== minimum[i]) {
            return a > minimum[i];
        }
    }
    return true;
}

export type Verdict =
    | { level: 'ok'; message: string }
    /** The server runs, with the static checks only (no Django context). */
    | { level: 'warning'; message: string }
    /** The server cannot run with this interpreter. */
    | { level: 'error'; message: string };

/** What to tell the user about a probed interpreter. */
export function judgeInterpreter(interpreter: string, probe: ProbeResult, trusted: boolean): Verdict {
    if (!probe.ran || !probe.python) {
        return {
            level: 'error',
            message: `Django Migration Linter: the Python interpreter "${interpreter}" ${probe.error ?? 'could not be run'}. Pick the project's interpreter (the one with its Django).`,
        };
    }
    const version = probe.python.join('.');
    if (!atLeast(probe.python, MIN_PYTHON)) {
        return {
            level: 'error',
            message: `Django Migration Linter needs Python ${MIN_PYTHON.join('.')} or newer; "${interpreter}" is Python ${version}. Pick another interpreter.`,
        };
    }
    if (!trusted) {
        return { level: 'ok', message: `Python ${version} (Restricted Mode: Django not imported)` };
    }
    if (!probe.django) {
        return {
            level: 'warning',
            message: `Django is not importable by "${interpreter}" (Python ${version}${probe.djangoError ? `: ${probe.djangoError}` : ''}): only the checks that need no Django run. Pick the project's interpreter for the full analysis.`,
        };
    }
    if (!atLeast(parseVersion(probe.django), MIN_DJANGO)) {
        return {
            level: 'warning',
            message: `Django ${probe.django} of "${interpreter}" is too old (${MIN_DJANGO.join('.')} or newer is needed): only the checks that need no Django run. Pick another interpreter.`,
        };
    }
    return { level: 'ok', message: `Python ${version}, Django ${probe.django}` };
}
