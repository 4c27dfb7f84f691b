// The status bar item's text and tooltip for each state of the server. No VS Code import.

export type ServerState =
    | { kind: 'starting' }
    | { kind: 'ready'; detail?: string }
    | { kind: 'linting'; title?: string; message?: string; percentage?: number }
    | { kind: 'restricted'; detail?: string }
    | { kind: 'warning'; detail: string }
    | { kind: 'error'; detail: string }
    | { kind: 'stopped' };

export interface StatusView {
    text: string;
    tooltip: string;
    /** 'error' / 'warning': the item gets the matching background colour. */
    severity?: 'error' | 'warning';
}

const NAME = 'Django migrations';

export function statusView(state: ServerState, interpreter?: string): StatusView {
    const where = interpreter ? `\n\nInterpreter: ${interpreter}` : '';
    const click = '\nClick for the logs.';
    switch (state.kind) {
        case 'starting':
            return { text: `$(loading~spin) ${NAME}: starting`, tooltip: `Starting the Django migration language server…${where}${click}` };
        case 'linting': {
            // The percentage the server sends; its message ("3/12 migrations") is for the tooltip.
            const what = state.percentage === undefined ? 'linting' : `linting ${Math.round(state.percentage)}%`;
            const detail = [state.title, state.message].filter(Boolean).join(': ');
            return { text: `$(sync~spin) ${NAME}: ${what}`, tooltip: `${detail || 'Linting migrations'}${where}${click}` };
        }
        case 'ready':
            return { text: `$(check) ${NAME}`, tooltip: `Ready${state.detail ? ` — ${state.detail}` : ''}${where}${click}` };
        case 'restricted':
            return {
                text: `$(shield) ${NAME}: restricted`,
                tooltip: `Restricted Mode: static checks only, nothing of this workspace is imported. Trust the workspace for the full analysis.${state.detail ? `\n${state.detail}` : ''}${where}${click}`,
            };
        case 'warning':
            return { text: `$(warning) ${NAME}`, tooltip: `${state.detail}${where}${click}`, severity: 'warning' };
        case 'error':
            return { text: `$(error) ${NAME}: error`, tooltip: `${state.detail}${where}${click}`, severity: 'error' };
        case 'stopped':
            return { text: `$(circle-slash) ${NAME}: stopped`, tooltip: `The server is not running.${where}${click}` };
    }
}
