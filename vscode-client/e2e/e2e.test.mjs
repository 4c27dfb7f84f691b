// End to end in a real VS Code: code-server with the built .vsix installed by --install-extension,
// opened on a copy of examples/shop, driven by Playwright in headless Chromium.
//
//   node --test e2e/e2e.test.mjs
// Environment: E2E_VSIX (default dist/django-migration-lsp.vsix), E2E_PYTHON (the project's
// interpreter, with Django; default: the repository's .venv, else python3), E2E_EXAMPLE (default
// ../examples/shop), E2E_ARTIFACTS (screenshots and logs; default e2e/artifacts).
// Needs e2e/install-harness.sh to have run, and Debian's chromium.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CODE_SERVER, freePort, installExtension, launchBrowser, makeProfile, startCodeServer, Workbench } from './vscode.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const clientRoot = path.resolve(here, '..');
const repo = path.resolve(clientRoot, '..');
const VSIX = process.env.E2E_VSIX ?? path.join(clientRoot, 'dist', 'django-migration-lsp.vsix');
const EXAMPLE = process.env.E2E_EXAMPLE ?? path.join(repo, 'examples', 'shop');
const ARTIFACTS = process.env.E2E_ARTIFACTS ?? path.join(here, 'artifacts');
const PYTHON =
    process.env.E2E_PYTHON ?? (fs.existsSync(path.join(repo, '.venv', 'bin', 'python')) ? path.join(repo, '.venv', 'bin', 'python') : 'python3');
const MIGRATION = path.join('catalog', 'migrations', '0004_remove_product_legacy_code.py');
// A migration that does not parse: its syntax error is reported without any Django context.
const BROKEN_MIGRATION = path.join('catalog', 'migrations', '0016_half_typed.py');
const BROKEN_SOURCE = 'from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = [("catalog", "0015_product_catalog_prod_title_idx")]\n\n    operations = [\n        migrations.RemoveField(model_name="product", name="sku"\n    ]\n';
// Written on disk while the workspace is open: the server lints it without it being opened.
const NEW_MIGRATION = path.join('catalog', 'migrations', '0016_remove_product_sku.py');
const NEW_SOURCE = 'from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = [("catalog", "0015_product_catalog_prod_title_idx")]\n\n    operations = [\n        migrations.RemoveField(model_name="product", name="sku"),\n    ]\n';
const TIMEOUT = 90000;

fs.mkdirSync(ARTIFACTS, { recursive: true });

/** 1-based line and column of the first occurrence of `needle` in a file. */
function positionOf(file, needle) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const index = lines.findIndex((l) => l.includes(needle));
    assert.ok(index >= 0, `${needle} not in ${file}`);
    return { line: index + 1, column: lines[index].indexOf(needle) + 1 };
}

function copyProject(dest) {
    fs.cpSync(EXAMPLE, dest, {
        recursive: true,
        filter: (src) => !/(__pycache__|\.sqlite3$|\.pyc$)/.test(src),
    });
}

/** Copies what helps to see why a run failed: the extension's log, code-server's log. */
function collectLogs(profile, name) {
    const out = path.join(ARTIFACTS, `${name}-logs`);
    fs.rmSync(out, { recursive: true, force: true });
    fs.mkdirSync(out, { recursive: true });
    const walk = (dir) => {
        for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
            const p = path.join(dir, entry.name);
            if (entry.isDirectory()) {
                walk(p);
            } else if (/Django Migration Linter|exthost\.log|remoteagent\.log|code-server\.log/.test(entry.name)) {
                fs.copyFileSync(p, path.join(out, `${path.basename(path.dirname(p))}-${entry.name}`));
            }
        }
    };
    walk(profile.root);
    return out;
}

/** The Problems view rows that carry a rule code, as {code, line, column, text}. */
async function markers(wb) {
    const rows = await wb.page.locator('.markers-panel .monaco-list-row').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
    return rows
        .map((text) => {
            // "<message>django-migration-lsp(CODE)[Ln 8, Col 9]…": the parentheses are CSS, not text.
            const m = text.match(/django-migration-lsp\(?([A-Z_]+)\)?\[Ln (\d+), Col (\d+)\]/);
            return m ? { code: m[1], line: Number(m[2]), column: Number(m[3]), text } : undefined;
        })
        .filter(Boolean);
}

/** Reads `probe()` until `done(value)` holds (TIMEOUT at most); the error shows the last value. */
async function until(probe, done, what) {
    const deadline = Date.now() + TIMEOUT;
    for (;;) {
        const value = await probe();
        if (done(value)) {
            return value;
        }
        if (Date.now() > deadline) {
            throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(value)}`);
        }
        await new Promise((r) => setTimeout(r, 250));
    }
}

const waitForMarkers = (wb, predicate, what) => until(() => markers(wb), predicate, `${what} in the Problems view`);

const waitForStatus = (wb, pattern) =>
    until(async () => (await wb.statusText()).trim(), (text) => pattern.test(text), `the status bar item to match ${pattern}`);

/** Worker processes (python -m django_migration_lsp.worker) whose cwd is inside `dir`. */
function workersIn(dir) {
    const found = [];
    for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
        try {
            const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
            const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
            if (cmd.includes('django_migration_lsp.worker') && cwd.startsWith(dir)) {
                found.push(`${pid}: ${cmd}`);
            }
        } catch {
            // gone, or not ours to read
        }
    }
    return found;
}

/**
 * The copy as a git repository whose `main` has every migration but `newFile` (untracked): that
 * one is new, the others historical (and, with the default scope "new", only it is linted).
 */
function committedBut(workspace, newFile) {
    const git = (...args) => execFileSync('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.com', ...args], { cwd: workspace, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('reset', '-q', '--', newFile);
    git('commit', '-q', '-m', 'the example before its DROP_COLUMN migration');
}

/** `manage.py migrate ARGS` on the copy's own SQLite file (the linter only reads it). */
function migrate(workspace, ...args) {
    const env = { ...process.env };
    delete env.DJANGO_SETTINGS_MODULE;
    delete env.DJANGO_MIGRATION_LSP_EXAMPLE_SQLITE;
    delete env.DJANGO_MIGRATION_LSP_EXAMPLE_DATABASE_URL;
    execFileSync(PYTHON, ['manage.py', 'migrate', ...args], { cwd: workspace, env, stdio: 'pipe' });
}

/** The Django Migrations view's pane, focused, with the folders' section collapsed once. */
async function migrationsPane(wb) {
    const page = wb.page;
    await wb.command('Focus on Django Migrations View');
    return page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Django Migrations' }) });
}

/**
 * Expands an app's row of the view. VS Code keeps an item's collapsed state by its id: an app
 * first drawn before its findings arrived stays collapsed, as a user would find it.
 */
async function expandApp(pane, name) {
    const row = pane.locator('.monaco-list-row', { hasText: new RegExp(`^${name}\\d+ migrations`) }).first();
    await row.waitFor({ timeout: TIMEOUT });
    if ((await row.getAttribute('aria-expanded')) === 'false') {
        await row.click();
    }
}

/** The view's row of a migration, once its text matches `pattern` (the server's markers). */
async function migrationRow(pane, name, pattern) {
    const row = pane.locator('.monaco-list-row', { hasText: name }).first();
    await until(async () => ((await row.count()) ? ((await row.textContent()) ?? '') : ''), (t) => pattern.test(t), `the row of ${name} to match ${pattern}`);
    return row;
}

/**
 * Closes a context menu left open: while one is shown, VS Code's `.context-view-block` covers
 * the window and takes every click (CI: the next right-click retried for the whole timeout).
 */
async function closeMenus(page) {
    const menu = page.locator('.context-view .monaco-menu');
    for (let i = 0; i < 5 && (await menu.first().isVisible().catch(() => false)); i++) {
        await page.keyboard.press('Escape');
        await menu.first().waitFor({ state: 'hidden', timeout: 2000 }).catch(() => {});
    }
}

/** The labels of a row's context menu, [] when it did not open (the row was re-drawn). */
async function contextMenu(wb, row) {
    await closeMenus(wb.page);
    const items = wb.page.locator('.context-view .monaco-menu .action-label');
    try {
        await row.click({ button: 'right', timeout: 10000 });
        await items.first().waitFor({ timeout: 10000 });
    } catch {
        return [];
    }
    return items.evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim()).filter(Boolean));
}

function userSettings(extra) {
    return {
        'workbench.startupEditor': 'none',
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'workbench.tips.enabled': false,
        'chat.disableAIFeatures': true,
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'telemetry.telemetryLevel': 'off',
        'editor.minimap.enabled': false,
        'window.zoomLevel': 0,
        'djangoMigrationLsp.interpreter': PYTHON,
        'djangoMigrationLsp.trace.server': 'messages',
        ...extra,
    };
}

async function session(name, settings, folder) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), `dmlsp-e2e-${name}-`));
    const profile = makeProfile(path.join(root, 'profile'), userSettings(settings));
    const installed = await installExtension(profile, VSIX);
    assert.match(installed, /successfully installed/, installed);
    const port = await freePort();
    const server = await startCodeServer(profile, { port, logFile: path.join(profile.root, 'code-server.log') });
    const browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const wb = new Workbench(page);
    const workspace = path.join(root, 'shop');
    copyProject(workspace);
    return {
        root,
        profile,
        wb,
        workspace,
        async open() {
            await wb.open(server.url, folder ?? workspace);
        },
        async close(failed) {
            if (failed) {
                await page.screenshot({ path: path.join(ARTIFACTS, `${name}-failure.png`) }).catch(() => undefined);
            }
            const logs = collectLogs(profile, name);
            await browser.close().catch(() => undefined);
            await server.stop();
            if (!failed && !process.env.E2E_KEEP) {
                fs.rmSync(root, { recursive: true, force: true });
            }
            return logs;
        },
    };
}

/**
 * One code-server session for the tests of a `describe`: started before them (after `prepare`
 * has changed the copied project), closed after them, its screenshot and logs kept when one failed.
 * Returns the session (filled in by `before`) and `step`, which declares a test of it.
 */
function withSession(name, settings, prepare = () => undefined) {
    const s = {};
    let failed = false;
    before(async () => {
        assert.ok(fs.existsSync(VSIX), `no ${VSIX}: run npm run package first`);
        assert.ok(fs.existsSync(CODE_SERVER), 'no code-server: run e2e/install-harness.sh first');
        execFileSync(PYTHON, ['-c', 'import django'], { stdio: 'pipe' });
        Object.assign(s, await session(name, settings));
        prepare(s.workspace);
        await s.open();
    });
    after(async () => {
        if (s.close) {
            const logs = await s.close(failed);
            if (failed) {
                console.log(`# logs of the failed run: ${logs}`);
            }
        }
    });
    const step = (title, fn) =>
        test(title, async () => {
            try {
                await fn();
            } catch (err) {
                failed = true;
                throw err;
            }
        });
    return { s, step };
}

describe('VS Code (code-server) with the packaged extension, trusted workspace', { timeout: 6 * 60000 }, () => {
    // A git repository where the DROP_COLUMN migration is not committed yet (new, the others
    // historical), migrated up to catalog 0003 (applied), so that the view's markers say so.
    const { s, step } = withSession('trusted', { 'security.workspace.trust.enabled': false }, (workspace) => {
        committedBut(workspace, MIGRATION);
        migrate(workspace, 'catalog', '0003');
    });

    step('opening a migration starts the bundled server with the configured interpreter', async () => {
        await s.wb.openFile(path.join(s.workspace, MIGRATION));
        await waitForStatus(s.wb, /Django migrations$/);
    });

    step('the DROP_COLUMN marker is on the RemoveField call', async () => {
        const expected = positionOf(path.join(s.workspace, MIGRATION), 'migrations.RemoveField(');
        await s.wb.showProblems();
        const found = await waitForMarkers(s.wb, (ms) => ms.some((m) => m.code === 'DROP_COLUMN'), 'a DROP_COLUMN marker');
        const drop = found.find((m) => m.code === 'DROP_COLUMN');
        assert.deepEqual({ line: drop.line, column: drop.column }, expected, drop.text);
        // The squiggle is in the editor too.
        await s.wb.page.locator('.editor-group-container.active .squiggly-error').first().waitFor({ timeout: TIMEOUT });
        await s.wb.page.screenshot({ path: path.join(ARTIFACTS, 'diagnostics.png') });
    });

    step('the Django Migrations view shows the apps, and the DROP_COLUMN migration with an error icon', async () => {
        const page = s.wb.page;
        // The folders' section collapsed, so that the view has the sidebar's height (its rows are
        // rendered only when they are in sight).
        await page.locator('.pane', { has: page.locator('.explorer-folders-view') }).locator('.pane-header').first().click();
        await s.wb.command('Focus on Django Migrations View');
        const pane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Django Migrations' }) });
        const rows = pane.locator('.monaco-list-row');
        const texts = await until(
            () => rows.evaluateAll((els) => els.map((e) => e.textContent ?? '')),
            (t) => ['shop', 'accounts', 'catalog', 'orders'].every((name) => t.some((x) => x.startsWith(name))) && t.some((x) => x.includes('0004_remove_product_legacy_code')),
            "the project, its apps and the DROP_COLUMN migration in the Django Migrations view",
        );
        // Newest first.
        const catalog = texts.filter((t) => /^00\d\d_/.test(t)).map((t) => t.slice(0, 4));
        assert.ok(catalog.indexOf('0015') < catalog.indexOf('0004'), `not newest first: ${catalog.join(' ')}`);
        const row = rows.filter({ hasText: '0004_remove_product_legacy_code' }).first();
        await row.locator('.codicon-error').waitFor({ timeout: TIMEOUT });
        assert.match(await row.textContent(), /DROP_COLUMN/);
        // The server's markers: 0004 not on main (new), the others on it (historical); catalog
        // 0001-0003 applied, 0004 not.
        await migrationRow(pane, '0004_remove_product_legacy_code', /new · not applied — DROP_COLUMN/);
        await migrationRow(pane, '0003_product_stock', /historical · applied/);
        // SQLite: no rewrite applies (they are PostgreSQL's), so no "Make Zero-Downtime".
        const menu = await until(() => contextMenu(s.wb, row), (labels) => labels.length > 0, 'the context menu of 0004');
        assert.ok(menu.includes('Show Migration SQL'), menu.join(', '));
        assert.ok(!menu.includes('Make Zero-Downtime'), menu.join(', '));
        await closeMenus(page);
        await page.screenshot({ path: path.join(ARTIFACTS, 'migrations-view.png') });
        // A click opens the migration at its first finding.
        const expected = positionOf(path.join(s.workspace, MIGRATION), 'migrations.RemoveField(');
        await s.wb.command('View: Close All Editors');
        await row.click();
        await page.locator('.tabs-container .tab.active[aria-label*="0004_remove_product_legacy_code.py"]').waitFor({ timeout: TIMEOUT });
        await until(
            async () => (await page.locator('[id="status.editor.selection"]').first().textContent()) ?? '',
            (text) => text.includes(`Ln ${expected.line}, Col ${expected.column}`),
            'the cursor on the finding',
        );
        // Its inline action shows the migration's SQL.
        await row.hover();
        await row.locator('.action-label[aria-label="Show Migration SQL"]').click();
        await page.locator('.tabs-container .tab[aria-label*="0004_remove_product_legacy_code.sql"]').first().waitFor({ timeout: TIMEOUT });
        // VS Code draws spaces as no-break spaces.
        await page.waitForFunction(() => /DROP[\s\u00a0]COLUMN[\s\u00a0]"legacy_code"/.test(document.querySelector('.editor-group-container.active .view-lines')?.textContent ?? ''), undefined, { timeout: TIMEOUT });
        await s.wb.command('View: Close Editor');
        // Back to the migration's editor, for the steps below.
        await s.wb.openFile(path.join(s.workspace, MIGRATION));
    });

    step('hovering the operation shows the SQL it runs', async () => {
        const page = s.wb.page;
        const { line, column } = positionOf(path.join(s.workspace, MIGRATION), 'RemoveField(');
        await s.wb.gotoLine(line, column + 2);
        await s.wb.command('Show or Focus Hover');
        // The server's hover (not only the diagnostic's text, which VS Code shows in it too).
        const hover = page.locator('.monaco-hover', { hasText: 'SQL on SQLite' }).first();
        await hover.waitFor({ state: 'visible', timeout: TIMEOUT });
        const text = (await hover.textContent()).replace(/\u00a0/g, ' ');
        assert.match(text, /RemoveField — Remove field legacy_code from product/);
        assert.match(text, /SQL on SQLite:\s*ALTER TABLE "catalog_product" DROP COLUMN "legacy_code"/);
        await page.screenshot({ path: path.join(ARTIFACTS, 'hover.png') });
        await page.keyboard.press('Escape');
    });

    step('"Show Migration SQL" opens a read-only SQL document', async () => {
        const page = s.wb.page;
        await s.wb.command('Django Migrations: Show Migration SQL');
        const tab = page.locator('.tabs-container .tab[aria-label*="0004_remove_product_legacy_code.sql"]');
        await tab.first().waitFor({ timeout: TIMEOUT });
        const editor = page.locator('.editor-group-container.active .monaco-editor');
        await page.waitForFunction(() => /catalog_product/.test(document.querySelector('.editor-group-container.active .view-lines')?.textContent ?? ''), undefined, { timeout: TIMEOUT });
        const text = await editor.locator('.view-lines').first().textContent();
        assert.match(text, /legacy_code/);
        // Read-only: typing is refused with VS Code's own message, and the text stays as it was.
        await editor.locator('.view-lines').first().click();
        await page.keyboard.type('x');
        await page.locator('.monaco-editor-overlaymessage', { hasText: /read-only/i }).first().waitFor({ timeout: 10000 });
        assert.equal(await editor.locator('.view-lines').first().textContent(), text);
        // Language mode SQL (highlighted as such), shown in the status bar.
        assert.match(await page.locator('[id="status.editor.mode"]').first().textContent(), /SQL/);
        await page.screenshot({ path: path.join(ARTIFACTS, 'sql.png') });
        await s.wb.command('View: Close Editor');
    });

    step('a quick fix from the light bulb makes the marker go away', async () => {
        const page = s.wb.page;
        const file = path.join(s.workspace, MIGRATION);
        const { line } = positionOf(file, 'migrations.RemoveField(');
        await s.wb.openFile(file);
        await s.wb.gotoLine(line, 9);
        const bulb = page.locator('.editor-group-container.active .lightBulbWidget');
        await bulb.waitFor({ state: 'visible', timeout: TIMEOUT });
        await bulb.click();
        const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Ignore DROP_COLUMN for this operation' });
        await fix.first().waitFor({ state: 'visible', timeout: TIMEOUT });
        await page.screenshot({ path: path.join(ARTIFACTS, 'quickfix.png') });
        await fix.first().click();
        await waitForMarkers(s.wb, (ms) => !ms.some((m) => m.code === 'DROP_COLUMN'), 'the DROP_COLUMN marker to go away');
        const buffer = await page.locator('.editor-group-container.active .view-lines').first().textContent();
        assert.match(buffer.replace(/\u00a0/g, ' '), /# migration-lint: ignore\[DROP_COLUMN\]/);
        await page.keyboard.press('Control+S');
        await until(() => fs.readFileSync(file, 'utf8'), (text) => /# migration-lint: ignore\[DROP_COLUMN\]/.test(text), 'the fix to be saved to disk');
        // Saving lints the file again (didSave); once the server is idle, still no DROP_COLUMN.
        await waitForStatus(s.wb, /Django migrations$/);
        assert.deepEqual((await markers(s.wb)).filter((m) => m.code === 'DROP_COLUMN'), []);
        await page.screenshot({ path: path.join(ARTIFACTS, 'fixed.png') });
    });

    step('a migration written on disk (not opened) is linted and appears in the Django Migrations view', async () => {
        // The server's own file watchers (didChangeWatchedFiles, registered by the server) hear of
        // it; the view lists the file and, once the server has linted it, its error.
        fs.writeFileSync(path.join(s.workspace, NEW_MIGRATION), NEW_SOURCE);
        await s.wb.command('Focus on Django Migrations View');
        const pane = s.wb.page.locator('.pane', { has: s.wb.page.locator('.pane-header', { hasText: 'Django Migrations' }) });
        const row = pane.locator('.monaco-list-row', { hasText: '0016_remove_product_sku' }).first();
        await row.locator('.codicon-error').waitFor({ timeout: TIMEOUT });
        assert.match(await row.textContent(), /DROP_COLUMN/);
        // Not committed: new; not migrated: not applied.
        await migrationRow(pane, '0016_remove_product_sku', /new · not applied — DROP_COLUMN/);
    });
});

describe('VS Code (code-server) with the packaged extension, PostgreSQL settings', { timeout: 5 * 60000 }, () => {
    // The example's PostgreSQL settings with no server to reach: SQL rendered offline, the
    // rewrites (PostgreSQL's) apply, and no applied marker (the database cannot be read).
    const INDEX = path.join('catalog', 'migrations', '0008_product_weight_and_index.py');
    const { s, step } = withSession('postgresql', { 'security.workspace.trust.enabled': false, 'djangoMigrationLsp.scope': 'all' }, (workspace) => {
        try {
            execFileSync(PYTHON, ['-c', 'import psycopg'], { stdio: 'pipe' });
        } catch {
            assert.fail(`${PYTHON} has no psycopg: the example's PostgreSQL settings need it (ci.sh installs it)`);
        }
        const settings = path.join(workspace, 'shopsite', 'settings.py');
        const text = fs.readFileSync(settings, 'utf8');
        const line = '_url = os.environ.get("DJANGO_MIGRATION_LSP_EXAMPLE_DATABASE_URL", "")';
        assert.ok(text.includes(line), 'the example settings changed');
        fs.writeFileSync(settings, text.replace(line, '_url = "postgresql://nobody@127.0.0.1:1/none"'));
    });

    step('"Make Zero-Downtime" on a migration of the view rewrites it', async () => {
        const page = s.wb.page;
        await s.wb.openFile(path.join(s.workspace, MIGRATION));
        await waitForStatus(s.wb, /Django migrations$/);
        await page.locator('.pane', { has: page.locator('.explorer-folders-view') }).locator('.pane-header').first().click();
        const pane = await migrationsPane(s.wb);
        await expandApp(pane, 'catalog');
        // scope "all": every migration linted; not a git repository and no database: no markers.
        const row = await migrationRow(pane, '0008_product_weight_and_index', /CREATE_INDEX/);
        assert.doesNotMatch(await row.textContent(), /new|historical|applied/);
        const menu = await until(
            async () => {
                const labels = await contextMenu(s.wb, row);
                await closeMenus(page);
                return labels;
            },
            (labels) => labels.includes('Make Zero-Downtime'),
            'the "Make Zero-Downtime" context action on 0008',
        );
        assert.ok(menu.includes('Show Migration SQL'), menu.join(', '));
        await page.screenshot({ path: path.join(ARTIFACTS, 'make-zero-downtime-menu.png') });
        // The rewrite is applied to the migration, shown in its editor. A click on a menu that
        // the view re-draws under it (its rows refresh as findings arrive) is lost: choose again.
        const tab = page.locator('.tabs-container .tab.active[aria-label*="0008_product_weight_and_index.py"]');
        await until(
            async () => {
                const labels = await contextMenu(s.wb, row);
                if (!labels.includes('Make Zero-Downtime')) {
                    return false;
                }
                const item = page.locator('.context-view .monaco-menu .action-label', { hasText: 'Make Zero-Downtime' }).first();
                const clicked = await item.click({ timeout: 10000 }).then(() => true, () => false);
                return clicked && tab.waitFor({ timeout: 15000 }).then(() => true, () => false);
            },
            (shown) => shown,
            'the rewritten 0008 shown after "Make Zero-Downtime"',
        );
        await page.waitForFunction(() => /AddIndexConcurrently/.test(document.querySelector('.editor-group-container.active .view-lines')?.textContent ?? ''), undefined, { timeout: TIMEOUT });
        await s.wb.notification('rewritten for a zero-downtime deploy', { timeout: TIMEOUT });
        await page.screenshot({ path: path.join(ARTIFACTS, 'make-zero-downtime.png') });
        // VS Code saves a refactoring of a file that was not open (files.refactoring.autoSave).
        await until(() => fs.readFileSync(path.join(s.workspace, INDEX), 'utf8'), (t) => /atomic = False/.test(t) && /AddIndexConcurrently\(/.test(t), 'the rewrite on disk');
    });
});

describe('VS Code (code-server) with the packaged extension, untrusted workspace', { timeout: 4 * 60000 }, () => {
    const { s, step } = withSession(
        'untrusted',
        { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' },
        (workspace) => fs.writeFileSync(path.join(workspace, BROKEN_MIGRATION), BROKEN_SOURCE),
    );

    step('Restricted Mode: checks from the source alone, no worker, and it says so', async () => {
        const page = s.wb.page;
        await s.wb.openFile(path.join(s.workspace, BROKEN_MIGRATION));
        await waitForStatus(s.wb, /restricted/);
        // It says so once, with a way to trust the workspace.
        const notice = await s.wb.notification('Restricted Mode', { timeout: TIMEOUT });
        assert.match(notice, /imports nothing from this workspace/);
        assert.match(notice, /Manage Workspace Trust/);
        await s.wb.showProblems();
        // What needs no import of the project still works: the syntax check…
        await waitForMarkers(s.wb, (ms) => ms.some((m) => m.code === 'RENDER_ERROR'), 'the static syntax-error marker');
        // …and the rules on what the source alone tells, saying that this is all it is.
        await s.wb.openFile(path.join(s.workspace, MIGRATION));
        const expected = positionOf(path.join(s.workspace, MIGRATION), 'migrations.RemoveField(');
        const found = await waitForMarkers(s.wb, (ms) => ms.some((m) => m.code === 'DROP_COLUMN'), 'a static DROP_COLUMN marker');
        const drop = found.find((m) => m.code === 'DROP_COLUMN');
        assert.deepEqual({ line: drop.line, column: drop.column }, expected, drop.text);
        assert.match(drop.text, /Restricted Mode/);
        assert.deepEqual(workersIn(s.workspace), []);
        await page.screenshot({ path: path.join(ARTIFACTS, 'restricted.png') });
    });
});

describe('VS Code (code-server) with the packaged extension, missing interpreter', { timeout: 4 * 60000 }, () => {
    const MISSING = '/nonexistent/venv/bin/python';
    const { s, step } = withSession('interpreter', { 'security.workspace.trust.enabled': false, 'djangoMigrationLsp.interpreter': MISSING });

    step('a missing interpreter is an error notification whose "Select Interpreter" button fixes it', async () => {
        const page = s.wb.page;
        await s.wb.openFile(path.join(s.workspace, MIGRATION));
        await waitForStatus(s.wb, /error$/);
        const notice = await s.wb.notification(MISSING, { timeout: TIMEOUT, click: 'Select Interpreter' });
        assert.match(notice, /not found/);
        assert.match(notice, /Pick the project's interpreter/);
        // The picker says which interpreter failed; "Enter a path…", then the project's interpreter.
        const picker = page.locator('.quick-input-widget .quick-input-box input');
        await page.waitForFunction((missing) => document.querySelector('.quick-input-widget .quick-input-box input')?.placeholder.includes(missing), MISSING, { timeout: 15000 });
        assert.equal(await picker.getAttribute('placeholder'), `Current: ${MISSING}`);
        await page.screenshot({ path: path.join(ARTIFACTS, 'interpreter-picker.png') });
        await s.wb.pick('Enter a path…');
        await picker.fill(PYTHON);
        await picker.press('Enter');
        await waitForStatus(s.wb, /Django migrations$/);
        await s.wb.showProblems();
        await waitForMarkers(s.wb, (ms) => ms.some((m) => m.code === 'DROP_COLUMN'), 'a DROP_COLUMN marker once the interpreter is set');
        // The choice is the workspace's setting, so the next start uses it too.
        const workspaceSettings = JSON.parse(fs.readFileSync(path.join(s.workspace, '.vscode', 'settings.json'), 'utf8'));
        assert.equal(workspaceSettings['djangoMigrationLsp.interpreter'], PYTHON);
    });
});
