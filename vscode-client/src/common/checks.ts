// What "Run Cross-Checks" tells the user, from the answer of the server command
// `djangoMigrationLsp.runChecks`: the list of findings it returns today, or a summary object
// `{findings: [...], summary: {errors, warnings, infos}}` (the shape of `check --format json`).
// No VS Code import.

export interface CheckFinding {
    code: string;
    severity: string;
    app?: string | null;
}

export interface ChecksSummary {
    text: string;
    /** Something was found: the message offers to show the Problems view. */
    problems: boolean;
}

const MAX_NAMED = 3;

function asFinding(value: unknown): CheckFinding | undefined {
    if (!value || typeof value !== 'object') {
        return undefined;
    }
    const v = value as Record<string, unknown>;
    if (typeof v.code !== 'string') {
        return undefined;
    }
    return { code: v.code, severity: typeof v.severity === 'string' ? v.severity : 'info', app: typeof v.app === 'string' ? v.app : null };
}

function counted(findings: CheckFinding[], summary: unknown): { errors: number; warnings: number; infos: number } {
    const s = summary && typeof summary === 'object' ? (summary as Record<string, unknown>) : {};
    const count = (key: string, severity: (f: CheckFinding) => boolean) =>
        typeof s[key] === 'number' ? (s[key] as number) : findings.filter(severity).length;
    return {
        errors: count('errors', (f) => f.severity === 'error'),
        warnings: count('warnings', (f) => f.severity === 'warning'),
        infos: count('infos', (f) => f.severity !== 'error' && f.severity !== 'warning'),
    };
}

function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "2 errors, 1 warning: MISSING_MIGRATION in shop, CONFLICT in orders." */
export function summariseChecks(result: unknown): ChecksSummary {
    const list = Array.isArray(result)
        ? result
        : result && typeof result === 'object' && Array.isArray((result as Record<string, unknown>).findings)
          ? ((result as Record<string, unknown>).findings as unknown[])
          : undefined;
    if (list === undefined) {
        return { text: 'Cross-checks: the server gave no findings (is the project loaded? See the logs).', problems: false };
    }
    const findings = list.map(asFinding).filter((f): f is CheckFinding => f !== undefined);
    const summary = Array.isArray(result) ? undefined : (result as Record<string, unknown>).summary;
    const { errors, warnings, infos } = counted(findings, summary);
    if (errors + warnings + infos === 0) {
        return { text: 'Cross-checks: nothing found (models, migrations, database and conflicts agree).', problems: false };
    }
    const counts = [plural(errors, 'error'), plural(warnings, 'warning'), plural(infos, 'info')].filter((c) => !c.startsWith('0 '));
    const named = [...new Set(findings.map((f) => `${f.code} in ${f.app ?? 'the project'}`))];
    const shown = named.slice(0, MAX_NAMED).join(', ') + (named.length > MAX_NAMED ? ` and ${named.length - MAX_NAMED} more` : '');
    return { text: `Cross-checks: ${counts.join(', ')}${shown ? `: ${shown}` : ''}.`, problems: true };
}
