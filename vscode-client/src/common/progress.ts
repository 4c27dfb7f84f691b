// The server's work done progress ($/progress), folded into what the status bar shows. No VS Code
// import: the unit tests run this under plain Node.

/** The `value` of a `$/progress` notification (LSP WorkDoneProgressBegin / Report / End). */
export type ProgressValue =
    | { kind: 'begin'; title: string; message?: string; percentage?: number }
    | { kind: 'report'; message?: string; percentage?: number }
    | { kind: 'end'; message?: string };

export interface Progress {
    title?: string;
    message?: string;
    /** 0-100, as the server sends it. */
    percentage?: number;
}

/** The progress after `value`; undefined once it has ended. A report keeps what it does not say. */
export function nextProgress(previous: Progress | undefined, value: ProgressValue): Progress | undefined {
    switch (value.kind) {
        case 'begin':
            return { title: value.title, message: value.message, percentage: value.percentage };
        case 'report':
            return {
                title: previous?.title,
                message: value.message ?? previous?.message,
                percentage: value.percentage ?? previous?.percentage,
            };
        case 'end':
            return undefined;
    }
}
