// The explorer view "Django Migrations": project -> app -> migrations, newest first, each with
// its worst finding and the server's markers (new / historical, applied / not applied). Built from
// the workspace's migration files, the diagnostics VS Code holds from the server, and the server's
// `listMigrations` (asked again when files or diagnostics change); the tree itself is built in
// common/migrationTree.ts.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, DIAGNOSTIC_SOURCE, EXCLUDED_GLOB, MIGRATION_GLOB, MIGRATIONS_VIEW } from './constants';
import {
    buildTree,
    describeMarks,
    describeMigration,
    Finding,
    isMigrationFile,
    Marks,
    migrationContext,
    MigrationNode,
    parseMigrationList,
    Severity,
    TreeNode,
} from './common/migrationTree';

/** Rebuild at most this often while diagnostics stream in (a whole-project lint). */
const REFRESH_DELAY_MS = 300;
/** Ask the server for the markers at most this often. */
const MARKS_DELAY_MS = 1000;

/**
 * The server's `listMigrations` result; throws when the server is not running. `refresh`: git and
 * the database are asked again (else only what the latest lint changed, `rewritable`).
 */
export type ListMigrations = (refresh: boolean) => Promise<unknown>;

const SEVERITY: Record<vscode.DiagnosticSeverity, Severity> = {
    [vscode.DiagnosticSeverity.Error]: 'error',
    [vscode.DiagnosticSeverity.Warning]: 'warning',
    [vscode.DiagnosticSeverity.Information]: 'info',
    [vscode.DiagnosticSeverity.Hint]: 'hint',
};

const ICON: Record<Severity, vscode.ThemeIcon> = {
    error: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
    warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
    info: new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground')),
    hint: new vscode.ThemeIcon('lightbulb'),
};
const NO_FINDING = new vscode.ThemeIcon('circle-outline');

/** Our diagnostics on the migration files, by path. */
function ourFindings(): Map<string, Finding[]> {
    const out = new Map<string, Finding[]>();
    for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
        const ours = diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
        if (uri.scheme !== 'file' || ours.length === 0 || !isMigrationFile(uri.fsPath)) {
            continue;
        }
        out.set(
            uri.fsPath,
            ours.map((d) => ({
                code: typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? ''),
                severity: SEVERITY[d.severity],
                line: d.range.start.line,
                character: d.range.start.character,
                message: d.message,
            })),
        );
    }
    return out;
}

function migrationItem(node: MigrationNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
    const uri = vscode.Uri.file(node.file);
    const first = node.findings[0];
    item.id = `migration:${node.file}`;
    item.resourceUri = uri;
    item.iconPath = node.worst ? ICON[node.worst] : NO_FINDING;
    item.description = describeMigration(node);
    item.contextValue = migrationContext(node);
    const marks = describeMarks(node.marks);
    const heading = `${node.app}.${node.name}${marks.length ? ` (${marks.join(', ')})` : ''}`;
    item.tooltip = first
        ? new vscode.MarkdownString().appendText(`${heading}\n\n`).appendText(node.findings.map((f) => `${f.code} (line ${f.line + 1})`).join('\n'))
        : `${heading}: no finding reported (the server reports the new migrations and the ones you open).`;
    const selection = first ? new vscode.Range(first.line, first.character, first.line, first.character) : undefined;
    item.command = { command: 'vscode.open', title: 'Open', arguments: [uri, { selection, preview: true }] };
    return item;
}

function treeItem(node: TreeNode): vscode.TreeItem {
    if (node.kind === 'migration') {
        return migrationItem(node);
    }
    const expanded = vscode.TreeItemCollapsibleState.Expanded;
    const item = new vscode.TreeItem(node.name, node.kind === 'project' || node.worst ? expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `${node.kind}:${node.kind === 'project' ? node.root : node.dir}`;
    item.contextValue = node.kind;
    item.iconPath = node.worst ? ICON[node.worst] : new vscode.ThemeIcon(node.kind === 'project' ? 'project' : 'package');
    item.description = node.kind === 'project' ? vscode.workspace.asRelativePath(node.root) : `${node.migrations.length} migrations`;
    item.resourceUri = vscode.Uri.file(node.kind === 'project' ? node.root : node.dir);
    return item;
}

export class MigrationsView implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
    private readonly changed = new vscode.EventEmitter<void>();
    readonly onDidChangeTreeData = this.changed.event;
    private readonly disposables: vscode.Disposable[] = [this.changed];
    private files: Promise<{ migrations: string[]; roots: string[] }> | undefined;
    private timer: NodeJS.Timeout | undefined;
    private marks = new Map<string, Marks>();
    private marksTimer: NodeJS.Timeout | undefined;
    private fetching = false;
    private fetchAgain = false;
    /** The next request asks git and the database again (files came or went, Refresh). */
    private refreshMarks = true;

    constructor(private readonly listMigrations: ListMigrations) {
        const watcher = vscode.workspace.createFileSystemWatcher(MIGRATION_GLOB, false, true, false);
        this.disposables.push(
            watcher,
            watcher.onDidCreate(() => this.refresh(true)),
            watcher.onDidDelete(() => this.refresh(true)),
            vscode.languages.onDidChangeDiagnostics(() => {
                this.refresh(false);
                this.scheduleMarks(false);
            }),
            vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh(true)),
            vscode.window.registerTreeDataProvider(MIGRATIONS_VIEW, this),
            vscode.commands.registerCommand(COMMANDS.refreshMigrations, () => this.refresh(true)),
        );
    }

    /** Redraws soon; `rescan`: the migration files and projects are searched again. */
    refresh(rescan: boolean): void {
        if (rescan) {
            this.files = undefined;
            this.scheduleMarks(true);
        }
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.changed.fire(), REFRESH_DELAY_MS);
    }

    /** Asks the server for the markers soon (one request at a time; again after it if asked). */
    private scheduleMarks(refresh: boolean): void {
        this.refreshMarks ||= refresh;
        clearTimeout(this.marksTimer);
        this.marksTimer = setTimeout(() => void this.fetchMarks(), MARKS_DELAY_MS);
    }

    private async fetchMarks(): Promise<void> {
        if (this.fetching) {
            this.fetchAgain = true;
            return;
        }
        this.fetching = true;
        const refresh = this.refreshMarks;
        this.refreshMarks = false;
        try {
            this.marks = parseMigrationList(await this.listMigrations(refresh));
            this.refresh(false);
        } catch {
            // the server is not running (yet), or is older: no markers until it answers
            this.refreshMarks ||= refresh;
        } finally {
            this.fetching = false;
            if (this.fetchAgain) {
                this.fetchAgain = false;
                this.scheduleMarks(false);
            }
        }
    }

    /** The markers by the workspace's paths (the server sends real paths). */
    private marksOf(files: readonly string[]): Map<string, Marks> {
        const out = new Map<string, Marks>();
        for (const file of files) {
            let marks = this.marks.get(file);
            if (!marks) {
                try {
                    marks = this.marks.get(fs.realpathSync.native(file));
                } catch {
                    // gone meanwhile
                }
            }
            if (marks) {
                out.set(file, marks);
            }
        }
        return out;
    }

    private scan(): Promise<{ migrations: string[]; roots: string[] }> {
        this.files ??= Promise.all([
            vscode.workspace.findFiles(MIGRATION_GLOB, EXCLUDED_GLOB),
            vscode.workspace.findFiles('**/manage.py', EXCLUDED_GLOB),
        ]).then(([migrations, managers]) => ({
            migrations: migrations.map((u) => u.fsPath),
            roots: managers.map((u) => path.dirname(u.fsPath)),
        }));
        return this.files;
    }

    getTreeItem(node: TreeNode): vscode.TreeItem {
        return treeItem(node);
    }

    async getChildren(node?: TreeNode): Promise<TreeNode[]> {
        if (node) {
            return node.kind === 'project' ? node.apps : node.kind === 'app' ? node.migrations : [];
        }
        const { migrations, roots } = await this.scan();
        return buildTree({
            migrationFiles: migrations,
            projectRoots: roots,
            workspaceRoots: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
            findings: ourFindings(),
            marks: this.marksOf(migrations),
        });
    }

    dispose(): void {
        clearTimeout(this.timer);
        clearTimeout(this.marksTimer);
        this.disposables.forEach((d) => d.dispose());
    }
}
