// The packaged .vsix, unzipped: it holds the bundled extension, the Python server and every
// dependency of requirements.txt, and nothing else; the server it ships answers an LSP initialize
// from an interpreter with no site-packages at all (`-I -S`), so it needs nothing installed.
//
//   node --test e2e/vsix.test.mjs        (after `npm run package`)
// Environment: E2E_VSIX (default dist/django-migration-lsp.vsix), PYTHON (default python3).

import { strict as assert } from 'node:assert';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';

const here = path.dirname(new URL(import.meta.url).pathname);
const clientRoot = path.resolve(here, '..');
const VSIX = process.env.E2E_VSIX ?? path.join(clientRoot, 'dist', 'django-migration-lsp.vsix');
const PYTHON = process.env.PYTHON ?? 'python3';
const SERVER_COMMANDS = ['djangoMigrationLsp.showMigrationSql', 'djangoMigrationLsp.runChecks'];

/** `name==version` lines of requirements.txt. */
function requirements() {
    return fs
        .readFileSync(path.join(clientRoot, 'requirements.txt'), 'utf8')
        .split('\n')
        .map((l) => l.replace(/#.*/, '').trim())
        .filter(Boolean)
        .map((l) => {
            const [name, version] = l.split('==');
            return { name, version };
        });
}

const normalise = (name) => name.toLowerCase().replace(/[-_.]+/g, '_');

/** Every file of the tree under `dir`, relative to it, with forward slashes. */
function walk(dir, prefix = '') {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const rel = prefix ? `${prefix}/${e.name}` : e.name;
        return e.isDirectory() ? walk(path.join(dir, e.name), rel) : [rel];
    });
}

/** One LSP exchange over stdio: initialize, shutdown, exit. Resolves with the initialize result and the exit code. */
function initializeAndExit(command, args, cwd) {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
        let buffer = Buffer.alloc(0);
        let stderr = '';
        let initialized;
        const timer = setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`no answer from the server in 60 s; stderr:\n${stderr}`));
        }, 60000);
        const send = (message) => {
            const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
            child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
            child.stdin.write(body);
        };
        const onMessage = (message) => {
            if (message.id === 1) {
                initialized = message;
                send({ method: 'initialized', params: {} });
                send({ id: 2, method: 'shutdown' });
            } else if (message.id === 2) {
                send({ method: 'exit' });
            }
        };
        child.stderr.on('data', (d) => (stderr += d));
        child.stdout.on('data', (chunk) => {
            buffer = Buffer.concat([buffer, chunk]);
            for (;;) {
                const headerEnd = buffer.indexOf('\r\n\r\n');
                const length = headerEnd >= 0 && Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString())?.[1]);
                if (!length || buffer.length < headerEnd + 4 + length) {
                    return;
                }
                onMessage(JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8')));
                buffer = buffer.subarray(headerEnd + 4 + length);
            }
        });
        child.on('error', reject);
        child.on('exit', (code) => {
            clearTimeout(timer);
            resolve({ initialized, code, stderr });
        });
        send({ id: 1, method: 'initialize', params: { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: {} } });
    });
}

describe('the packaged .vsix', () => {
    let root;
    let extension;
    let files;

    before(() => {
        assert.ok(fs.existsSync(VSIX), `no ${VSIX}: run npm run package first`);
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'dmlsp-vsix-'));
        execFileSync(PYTHON, ['-m', 'zipfile', '-e', VSIX, root]);
        extension = path.join(root, 'extension');
        files = walk(extension);
    });
    after(() => root && fs.rmSync(root, { recursive: true, force: true }));

    test('holds the bundled extension and the launcher', () => {
        for (const file of ['package.json', 'dist/extension.js', 'bundled/tool/server.py', 'readme.md', 'LICENSE.txt']) {
            assert.ok(files.includes(file), `${file} is not in the .vsix`);
        }
    });

    test('holds our Python package alone in bundled/server', () => {
        const top = new Set(files.filter((f) => f.startsWith('bundled/server/')).map((f) => f.split('/')[2]));
        assert.ok(files.includes('bundled/server/django_migration_lsp/__init__.py'));
        assert.ok(files.includes('bundled/server/django_migration_lsp/cli.py'));
        assert.deepEqual(
            [...top].filter((t) => !/^django_migration_lsp(-[^/]+\.dist-info)?$/.test(t)),
            [],
            'bundled/server holds something else than our package',
        );
    });

    test('holds every dependency of requirements.txt, at its version, in bundled/libs', () => {
        const distInfos = new Set(files.filter((f) => /^bundled\/libs\/[^/]+\.dist-info\/METADATA$/.test(f)).map((f) => normalise(f.split('/')[2].replace(/\.dist-info$/, ''))));
        for (const { name, version } of requirements()) {
            assert.ok(distInfos.has(normalise(`${name}-${version}`)), `${name} ${version} is not bundled (found: ${[...distInfos].join(', ')})`);
        }
        for (const pkg of ['pygls', 'lsprotocol', 'cattrs', 'attrs', 'sqlparse']) {
            assert.ok(files.some((f) => f.startsWith(`bundled/libs/${pkg}/`)), `no bundled/libs/${pkg}/`);
        }
    });

    test('ships no sources, tests, node_modules nor bytecode', () => {
        const unwanted = files.filter((f) => /(^|\/)(node_modules|__pycache__|src|e2e|scripts)\/|\.(ts|pyc|map)$|\.vsix$/.test(f));
        assert.deepEqual(unwanted, []);
    });

    test('its server answers initialize from an interpreter without site-packages', async () => {
        const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'dmlsp-vsix-ws-'));
        try {
            const launcher = path.join(extension, 'bundled', 'tool', 'server.py');
            const { initialized, code, stderr } = await initializeAndExit(PYTHON, ['-I', '-S', launcher], workspace);
            assert.ok(initialized?.result, `no initialize result; stderr:\n${stderr}`);
            const ours = files.find((f) => /^bundled\/server\/django_migration_lsp-[^/]+\.dist-info\/METADATA$/.test(f));
            const version = ours.split('/')[2].replace(/^django_migration_lsp-|\.dist-info$/g, '');
            assert.deepEqual(initialized.result.serverInfo, { name: 'django-migration-lsp', version });
            const commands = initialized.result.capabilities.executeCommandProvider?.commands ?? [];
            for (const command of SERVER_COMMANDS) {
                assert.ok(commands.includes(command), `the server does not offer ${command}`);
            }
            assert.equal(code, 0, `exit code ${code}; stderr:\n${stderr}`);
        } finally {
            fs.rmSync(workspace, { recursive: true, force: true });
        }
    });
});
