// Settings of the `djangoMigrationLsp` section: reading, checking and turning them into the LSP
// configuration the server gets (initializationOptions and workspace/configuration answers).
// No VS Code import: the unit tests run this under plain Node.

import * as os from 'node:os';
import * as path from 'node:path';

export const SECTION = 'djangoMigrationLsp';

/** DESIGN §5 keys (lintmigrations options), as VS Code spells them. Unset (null) = not sent. */
export const LINT_OPTION_KEYS = [
    'settings',
    'database',
    'excludeMigrationTests',
    'includeApps',
    'excludeApps',
    'ignoreNameContains',
    'ignoreName',
    'warningsAsErrors',
    'projectRootPath',
    'scope',
    'base',
    'baseline',
    'includeInstalledApps',
    'postgresVersion',
    'mysqlVersion',
] as const;
export type LintOptionKey = (typeof LINT_OPTION_KEYS)[number];

const STRING_KEYS: ReadonlySet<string> = new Set([
    'settings',
    'database',
    'ignoreNameContains',
    'projectRootPath',
    'scope',
    'base',
    'baseline',
    'mysqlVersion',
]);
const BOOLEAN_KEYS: ReadonlySet<string> = new Set(['includeInstalledApps']);
const INTEGER_KEYS: ReadonlySet<string> = new Set(['postgresVersion']);
const LIST_KEYS: ReadonlySet<string> = new Set(['excludeMigrationTests', 'includeApps', 'excludeApps', 'ignoreName']);

/** The server's own defaults (lsp/server.py), so that an unset setting changes nothing. */
export const DEFAULT_DEBOUNCE_MS = 400;
/** Seconds a request to the project's Django worker may take before it is restarted. */
export const DEFAULT_REQUEST_TIMEOUT = 30;

/** What `WorkspaceConfiguration` offers that we use (so tests can pass a plain object). */
export interface ConfigReader {
    get<T>(key: string): T | undefined;
}

export type LintOptions = Partial<Record<LintOptionKey, string | string[] | boolean | number>>;

export interface ExtensionSettings {
    /** `djangoMigrationLsp.interpreter` as written (not expanded); '' when unset. */
    interpreter: string;
    lintOptions: LintOptions;
    lintOnChange: boolean;
    debounceMs: number;
    requestTimeout: number;
    trace: 'off' | 'messages' | 'verbose';
    /** Problems found while reading (wrong types): logged, the value is ignored. */
    problems: string[];
}

function cleanList(value: unknown): string[] | undefined {
    if (typeof value === 'string') {
        value = value.split(',');
    }
    if (!Array.isArray(value)) {
        return undefined;
    }
    return value.filter((v): v is string => typeof v === 'string').map((v) => v.trim()).filter((v) => v !== '');
}

/** The DESIGN §5 options that are set; wrong types are dropped and said in `problems`. */
function readLintOptions(config: ConfigReader, problems: string[]): LintOptions {
    const lintOptions: LintOptions = {};
    for (const key of LINT_OPTION_KEYS) {
        const value = config.get<unknown>(key);
        if (value === undefined || value === null) {
            continue;
        }
        if (STRING_KEYS.has(key)) {
            if (typeof value !== 'string') {
                problems.push(`${SECTION}.${key} must be a string`);
            } else if (value.trim() !== '') {
                lintOptions[key] = value.trim();
            }
        } else if (LIST_KEYS.has(key)) {
            const list = cleanList(value);
            if (list === undefined) {
                problems.push(`${SECTION}.${key} must be a list of strings`);
            } else {
                lintOptions[key] = key === 'excludeMigrationTests' ? list.map((c) => c.toUpperCase()) : list;
            }
        } else if (BOOLEAN_KEYS.has(key)) {
            if (typeof value !== 'boolean') {
                problems.push(`${SECTION}.${key} must be true or false`);
            } else {
                lintOptions[key] = value;
            }
        } else if (INTEGER_KEYS.has(key)) {
            if (typeof value !== 'number' || !Number.isInteger(value)) {
                problems.push(`${SECTION}.${key} must be a whole number`);
            } else {
                lintOptions[key] = value;
            }
        } else if (key === 'warningsAsErrors') {
            if (typeof value === 'boolean') {
                lintOptions[key] = value;
            } else {
                const list = cleanList(value);
                if (list === undefined) {
                    problems.push(`${SECTION}.${key} must be true, false or a list of codes`);
                } else {
                    lintOptions[key] = list.map((c) => c.toUpperCase());
                }
            }
        }
    }
    return lintOptions;
}

/** A number setting: its default when unset, else the value if `valid`, else the default and a problem. */
function readNumber(config: ConfigReader, key: string, fallback: number, valid: (n: number) => boolean, problem: string, problems: string[]): number {
    const value = config.get<unknown>(key);
    if (value === undefined || value === null) {
        return fallback;
    }
    if (typeof value === 'number' && Number.isFinite(value) && valid(value)) {
        return value;
    }
    problems.push(`${SECTION}.${key} ${problem}`);
    return fallback;
}

/** Reads and checks the section. Wrong types are dropped (and reported in `problems`). */
export function readSettings(config: ConfigReader): ExtensionSettings {
    const problems: string[] = [];
    const lintOptions = readLintOptions(config, problems);
    const interpreter = config.get<unknown>('interpreter');
    if (interpreter !== undefined && interpreter !== null && typeof interpreter !== 'string') {
        problems.push(`${SECTION}.interpreter must be a string (a path)`);
    }
    const lintOnChange = config.get<unknown>('lintOnChange');
    if (lintOnChange !== undefined && typeof lintOnChange !== 'boolean') {
        problems.push(`${SECTION}.lintOnChange must be true or false`);
    }
    const debounceMs = Math.round(readNumber(config, 'debounceMs', DEFAULT_DEBOUNCE_MS, (n) => n >= 0, 'must be a number of milliseconds >= 0', problems));
    const requestTimeout = readNumber(config, 'requestTimeout', DEFAULT_REQUEST_TIMEOUT, (n) => n > 0, 'must be a number of seconds > 0', problems);
    const traceValue = config.get<unknown>('trace.server');
    const trace = traceValue === 'messages' || traceValue === 'verbose' ? traceValue : 'off';

    return {
        interpreter: typeof interpreter === 'string' ? interpreter.trim() : '',
        lintOptions,
        lintOnChange: typeof lintOnChange === 'boolean' ? lintOnChange : true,
        debounceMs,
        requestTimeout,
        trace,
        problems,
    };
}

export interface ServerSettingsInput {
    settings: ExtensionSettings;
    /** The interpreter the server runs with; it is also the worker's (`python`). */
    python: string;
    /** Workspace Trust. Untrusted: the server must not start a worker nor import the project. */
    trusted: boolean;
}

/**
 * The `djangoMigrationLsp` configuration section as the server gets it, in initializationOptions
 * and in answers to workspace/configuration: `{python, trusted, lintOnChange, debounceMs, requestTimeout, ...the
 * DESIGN §5 options that are set}`. Unset options are left out, so that pyproject.toml and
 * MIGRATION_LINTER_OPTIONS still apply (client settings override them only when set).
 */
export function serverSettings(input: ServerSettingsInput): Record<string, unknown> {
    const { settings } = input;
    const out: Record<string, unknown> = {
        python: input.python,
        trusted: input.trusted,
        lintOnChange: settings.lintOnChange,
        debounceMs: settings.debounceMs,
        requestTimeout: settings.requestTimeout,
    };
    for (const key of LINT_OPTION_KEYS) {
        const value = settings.lintOptions[key];
        if (value !== undefined) {
            out[key] = Array.isArray(value) ? [...value] : value;
        }
    }
    if (!input.trusted) {
        // Nothing that names project code to import: only the static checks run.
        delete out.settings;
    }
    return out;
}

export interface PathVariables {
    workspaceFolder?: string;
    userHome?: string;
    env?: Record<string, string | undefined>;
}

/**
 * Expands `${workspaceFolder}`, `${userHome}`, `${env:NAME}` and a leading `~`, and makes a
 * relative path that contains a separator relative to the workspace folder. A bare name
 * (`python3`) is left for the PATH lookup.
 */
export function expandPath(value: string, vars: PathVariables = {}): string {
    const home = vars.userHome ?? os.homedir();
    const env = vars.env ?? process.env;
    let out = value.trim();
    out = out.replace(/\$\{(workspaceFolder|userHome|env:([A-Za-z_][A-Za-z0-9_]*))\}/g, (_m, name: string, envName?: string) => {
        if (envName !== undefined) {
            return env[envName] ?? '';
        }
        if (name === 'userHome') {
            return home;
        }
        return vars.workspaceFolder ?? '';
    });
    if (out === '~') {
        out = home;
    } else if (out.startsWith('~/') || out.startsWith('~\\')) {
        out = path.join(home, out.slice(2));
    }
    const hasSeparator = out.includes('/') || out.includes('\\');
    if (hasSeparator && !path.isAbsolute(out) && vars.workspaceFolder) {
        out = path.join(vars.workspaceFolder, out);
    }
    return out;
}
