// The "Django Migrations" view's tree: project -> app -> migrations (newest first), each with its
// worst finding, built from the migration files of the workspace and the diagnostics the client
// holds, and the markers the server lists (`djangoMigrationLsp.listMigrations`: new vs historical,
// applied or not, rewritable). No VS Code import: the unit tests run this under plain Node.

import * as path from 'node:path';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** One of our diagnostics on a migration file (0-based line and character). */
export interface Finding {
    code: string;
    severity: Severity;
    line: number;
    character: number;
    message: string;
}

/**
 * What the server says of a migration beside its findings; `undefined` where it cannot tell (no
 * git base; a database it cannot read), shown as no marker.
 */
export interface Marks {
    /** Not on the git base ("new" as the adoption scope counts it), or historical. */
    isNew: boolean | undefined;
    /** Recorded in `django_migrations`. */
    applied: boolean | undefined;
    /** "Make zero-downtime" would rewrite it. */
    rewritable: boolean;
}

export const NO_MARKS: Marks = { isNew: undefined, applied: undefined, rewritable: false };

export interface MigrationNode {
    kind: 'migration';
    /** `0004_remove_product_legacy_code` */
    name: string;
    app: string;
    file: string;
    /** Sorted by position: the first is where a click opens the file. */
    findings: Finding[];
    worst: Severity | undefined;
    marks: Marks;
}

export interface AppNode {
    kind: 'app';
    /** The app's directory name (its label unless its AppConfig says otherwise). */
    name: string;
    dir: string;
    migrations: MigrationNode[];
    worst: Severity | undefined;
}

export interface ProjectNode {
    kind: 'project';
    name: string;
    root: string;
    apps: AppNode[];
    worst: Severity | undefined;
}

export type TreeNode = ProjectNode | AppNode | MigrationNode;

export interface TreeInput {
    /** Absolute paths of the `migrations/*.py` files of the workspace. */
    migrationFiles: readonly string[];
    /** Directories holding a `manage.py` (the server's project roots). */
    projectRoots: readonly string[];
    /** The workspace folders: the project of migrations outside every project root. */
    workspaceRoots: readonly string[];
    /** Our findings by absolute file path. */
    findings: ReadonlyMap<string, readonly Finding[]>;
    /** The server's markers by absolute file path (none yet: no markers). */
    marks?: ReadonlyMap<string, Marks>;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

export function worstOf(severities: Iterable<Severity | undefined>): Severity | undefined {
    let worst: Severity | undefined;
    for (const s of severities) {
        if (s !== undefined && (worst === undefined || RANK[s] < RANK[worst])) {
            worst = s;
        }
    }
    return worst;
}

/** A migration module as the server sees one: `<app>/migrations/<name>.py`, not `__init__.py`. */
export function isMigrationFile(file: string): boolean {
    return path.basename(path.dirname(file)) === 'migrations' && file.endsWith('.py') && !path.basename(file).startsWith('__');
}

function contains(root: string, file: string): boolean {
    const rel = path.relative(root, file);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** The innermost root holding `file`, else the directory above its app. */
function rootOf(file: string, input: TreeInput): string {
    const holding = (roots: readonly string[]) =>
        roots.filter((r) => contains(r, file)).sort((a, b) => b.length - a.length)[0];
    return holding(input.projectRoots) ?? holding(input.workspaceRoots) ?? path.dirname(path.dirname(path.dirname(file)));
}

function migrationNode(file: string, findings: readonly Finding[] = [], marks: Marks = NO_MARKS): MigrationNode {
    const sorted = [...findings].sort((a, b) => a.line - b.line || a.character - b.character);
    return {
        kind: 'migration',
        name: path.basename(file, '.py'),
        app: path.basename(path.dirname(path.dirname(file))),
        file,
        findings: sorted,
        worst: worstOf(sorted.map((f) => f.severity)),
        marks,
    };
}

/** Newest first: `0010_…` before `0009_…` (numbers compared as numbers). */
function newestFirst(a: MigrationNode, b: MigrationNode): number {
    return b.name.localeCompare(a.name, 'en', { numeric: true });
}

export function buildTree(input: TreeInput): ProjectNode[] {
    const projects = new Map<string, Map<string, MigrationNode[]>>();
    for (const file of new Set(input.migrationFiles)) {
        if (!isMigrationFile(file)) {
            continue;
        }
        const root = rootOf(file, input);
        const appDir = path.dirname(path.dirname(file));
        const apps = projects.get(root) ?? new Map<string, MigrationNode[]>();
        projects.set(root, apps);
        apps.set(appDir, [...(apps.get(appDir) ?? []), migrationNode(file, input.findings.get(file), input.marks?.get(file))]);
    }
    return [...projects.entries()]
        .sort(([a], [b]) => path.basename(a).localeCompare(path.basename(b)) || a.localeCompare(b))
        .map(([root, apps]) => {
            const appNodes: AppNode[] = [...apps.entries()]
                .map(([dir, migrations]): AppNode => ({
                    kind: 'app',
                    name: path.basename(dir),
                    dir,
                    migrations: migrations.sort(newestFirst),
                    worst: worstOf(migrations.map((m) => m.worst)),
                }))
                .sort((a, b) => a.name.localeCompare(b.name) || a.dir.localeCompare(b.dir));
            return { kind: 'project', name: path.basename(root), root, apps: appNodes, worst: worstOf(appNodes.map((a) => a.worst)) };
        });
}

/** The view's description of a migration: its codes, worst first ("DROP_COLUMN, NOT_NULL"). */
export function describeFindings(node: MigrationNode): string {
    const codes = [...node.findings].sort((a, b) => RANK[a.severity] - RANK[b.severity]).map((f) => f.code);
    return [...new Set(codes)].join(', ');
}

/** The view's markers of a migration: "new" or "historical", "applied" or "not applied". */
export function describeMarks(marks: Marks): string[] {
    const out: string[] = [];
    if (marks.isNew !== undefined) {
        out.push(marks.isNew ? 'new' : 'historical');
    }
    if (marks.applied !== undefined) {
        out.push(marks.applied ? 'applied' : 'not applied');
    }
    return out;
}

/** A migration's description: its markers, then its codes ("new · not applied — DROP_COLUMN"). */
export function describeMigration(node: MigrationNode): string {
    const marks = describeMarks(node.marks).join(' · ');
    const codes = describeFindings(node);
    return marks && codes ? `${marks} — ${codes}` : marks || codes;
}

/** `contextValue` of a migration's tree item: `migration`, `migration.rewritable` (menus). */
export function migrationContext(node: MigrationNode): string {
    return node.marks.rewritable ? 'migration.rewritable' : 'migration';
}

function optionalBoolean(value: unknown): boolean | undefined {
    return typeof value === 'boolean' ? value : undefined;
}

/**
 * The markers by file path from a `listMigrations` result (`{projects: [{migrations: [{path, new,
 * applied, rewritable}]}]}`); anything malformed is left out (no marker), never an error.
 */
export function parseMigrationList(result: unknown): Map<string, Marks> {
    const out = new Map<string, Marks>();
    const projects = (result as { projects?: unknown } | null)?.projects;
    for (const project of Array.isArray(projects) ? projects : []) {
        const migrations = (project as { migrations?: unknown } | null)?.migrations;
        for (const m of Array.isArray(migrations) ? migrations : []) {
            const entry = m as Record<string, unknown> | null;
            if (entry && typeof entry.path === 'string') {
                out.set(entry.path, {
                    isNew: optionalBoolean(entry.new),
                    applied: optionalBoolean(entry.applied),
                    rewritable: entry.rewritable === true,
                });
            }
        }
    }
    return out;
}
