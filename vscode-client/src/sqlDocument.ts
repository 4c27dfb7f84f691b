// Read-only virtual documents (scheme django-migration-sql) holding a migration's SQL.

import * as vscode from 'vscode';
import { SQL_SCHEME, sqlDocumentPath } from './common/sql';

export class SqlDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
    private readonly contents = new Map<string, string>();
    private readonly changed = new vscode.EventEmitter<vscode.Uri>();
    readonly onDidChange = this.changed.event;
    private readonly disposables: vscode.Disposable[] = [];

    constructor() {
        this.disposables.push(
            this.changed,
            vscode.workspace.registerTextDocumentContentProvider(SQL_SCHEME, this),
            vscode.workspace.onDidCloseTextDocument((doc) => {
                if (doc.uri.scheme === SQL_SCHEME) {
                    this.contents.delete(doc.uri.toString());
                }
            }),
        );
    }

    provideTextDocumentContent(uri: vscode.Uri): string {
        return this.contents.get(uri.toString()) ?? '-- Run "Django Migrations: Show Migration SQL" on the migration again.\n';
    }

    /** Opens (or refreshes) the SQL document of `source` beside it. */
    async show(source: vscode.Uri, text: string): Promise<vscode.TextEditor> {
        const { path, query } = sqlDocumentPath(source.toString());
        const uri = vscode.Uri.from({ scheme: SQL_SCHEME, path, query });
        this.contents.set(uri.toString(), text);
        this.changed.fire(uri);
        let doc = await vscode.workspace.openTextDocument(uri);
        if (doc.languageId !== 'sql') {
            doc = await vscode.languages.setTextDocumentLanguage(doc, 'sql');
        }
        return vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: false });
    }

    dispose(): void {
        this.disposables.forEach((d) => d.dispose());
    }
}
