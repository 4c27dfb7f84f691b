// The notifications the server manager shows: a problem with the interpreter (once per problem),
// Restricted Mode (once per session).

import * as vscode from 'vscode';
import { COMMANDS } from './constants';
import { Verdict } from './common/interpreter';
import { Logger } from './log';

const SELECT_INTERPRETER = 'Select Interpreter';
const SHOW_LOGS = 'Show Logs';
const MANAGE_TRUST = 'Manage Workspace Trust';

const RESTRICTED_MODE =
    "Django Migration Linter is in Restricted Mode: it imports nothing from this workspace (no Django worker), so it checks only what each migration's source tells (syntax, dropped or renamed columns and tables, NOT NULL, RunPython/RunSQL; no SQL rendered). Trust the workspace for the full analysis.";

export class Notices {
    private lastProblem: string | undefined;
    private restrictedShown = false;

    constructor(private readonly log: Logger) {}

    /** The same problem is said once; a different one (another interpreter) is said again. */
    interpreter(verdict: Verdict): void {
        if (verdict.level === 'ok' || this.lastProblem === verdict.message) {
            return;
        }
        this.lastProblem = verdict.message;
        const show = verdict.level === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
        void show(verdict.message, SELECT_INTERPRETER, SHOW_LOGS).then((choice) => {
            if (choice === SELECT_INTERPRETER) {
                void vscode.commands.executeCommand(COMMANDS.selectInterpreter);
            } else if (choice === SHOW_LOGS) {
                this.log.show();
            }
        });
    }

    restrictedMode(): void {
        if (this.restrictedShown) {
            return;
        }
        this.restrictedShown = true;
        void vscode.window.showInformationMessage(RESTRICTED_MODE, MANAGE_TRUST).then((choice) => {
            if (choice === MANAGE_TRUST) {
                void vscode.commands.executeCommand('workbench.trust.manage');
            }
        });
    }
}
