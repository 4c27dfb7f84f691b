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

/** "3/12" (or "3 of 12") in a progress message or title. */
export function progressCount(message?: string): { done: number; total: number } | undefined {
    const m = message?.match(/(\d+)\s*(?:\/|of)\s*(\d+)/);
    return m ? { done: Number(m[1]), total: Number(m[2]) } : undefined;
}

export function statusView(state: ServerState, interpreter?: string): StatusView {
    const where = interpreter ? `\n\nInterpreter: ${interpreter}` : '';
    const click = '\nClick for the logs.';
    switch (state.kind) {
        case 'starting':
            return { text: `$(loading~spin) ${NAME}: starting`, tooltip: `Starting the Django migration language server…${where}${click}` };
        case 'linting': {
            const count = progressCount(state.message) ?? progressCount(state.title);
            let what: string;
            if (count) {
                what = `linting ${count.done}/${count.total}`;
            } else if (state.percentage !== undefined) {
                what = `linting ${Math.round(state.percentage)}%`;
            } else {
                what = 'linting';
            }
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
