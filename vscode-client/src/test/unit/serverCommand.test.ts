import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { formatCommand, launcherPath, serverCommand } from '../../common/serverCommand';

const EXTENSION_ROOT = path.join(__dirname, '..', '..', '..');

describe('serverCommand', () => {
    it('runs the bundled launcher with the interpreter, from the workspace folder', () => {
        const cmd = serverCommand({
            interpreter: '/ws/.venv/bin/python',
            extensionPath: '/ext',
            cwd: '/ws',
            env: { PATH: '/usr/bin' },
            trusted: true,
        });
        assert.equal(cmd.command, '/ws/.venv/bin/python');
        assert.deepEqual(cmd.args, [path.join('/ext', 'bundled', 'tool', 'server.py')]);
        assert.equal(cmd.options.cwd, '/ws');
        assert.equal(cmd.options.env.PATH, '/usr/bin');
        assert.equal(cmd.options.env.PYTHONUTF8, '1');
        assert.equal(cmd.options.env.DJANGO_MIGRATION_LSP_UNTRUSTED, undefined);
    });

    it('passes a log file on', () => {
        const cmd = serverCommand({ interpreter: 'python3', extensionPath: '/ext', env: {}, trusted: true, logFile: '/tmp/l og' });
        assert.deepEqual(cmd.args.slice(1), ['--log-file', '/tmp/l og']);
        assert.equal(formatCommand(cmd), `python3 ${path.join('/ext', 'bundled', 'tool', 'server.py')} --log-file '/tmp/l og'`);
    });

    it('marks an untrusted workspace and does not change the caller\'s environment', () => {
        const env = { DJANGO_MIGRATION_LSP_UNTRUSTED: '1' };
        const cmd = serverCommand({ interpreter: 'python3', extensionPath: '/ext', env: {}, trusted: false });
        assert.equal(cmd.options.env.DJANGO_MIGRATION_LSP_UNTRUSTED, '1');
        const trusted = serverCommand({ interpreter: 'python3', extensionPath: '/ext', env, trusted: true });
        assert.equal(trusted.options.env.DJANGO_MIGRATION_LSP_UNTRUSTED, undefined);
        assert.equal(env.DJANGO_MIGRATION_LSP_UNTRUSTED, '1');
    });
});

describe('bundled/tool/server.py', () => {
    const launcher = launcherPath(EXTENSION_ROOT);

    it('exists where the command line points', () => {
        assert.ok(fs.existsSync(launcher), launcher);
    });

    it('puts bundled/server and bundled/libs first on sys.path and runs `serve`', (t) => {
        // A fake bundle: our package's cli.main records its argv and sys.path.
        const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dmlsp-bundle-'));
        fs.mkdirSync(path.join(root, 'bundled', 'tool'), { recursive: true });
        fs.copyFileSync(launcher, path.join(root, 'bundled', 'tool', 'server.py'));
        const pkg = path.join(root, 'bundled', 'server', 'django_migration_lsp');
        fs.mkdirSync(pkg, { recursive: true });
        fs.mkdirSync(path.join(root, 'bundled', 'libs'), { recursive: true });
        fs.writeFileSync(path.join(pkg, '__init__.py'), '');
        fs.writeFileSync(
            path.join(pkg, 'cli.py'),
            'import json, sys\ndef main(argv):\n    print(json.dumps({"argv": argv, "path": sys.path[:3]}))\n    return 0\n',
        );
        const cmd = serverCommand({ interpreter: 'python3', extensionPath: root, env: process.env, trusted: true, logFile: '/tmp/x.log' });
        const run = spawnSync(cmd.command, cmd.args, { env: cmd.options.env, cwd: os.tmpdir(), encoding: 'utf8' });
        if (run.error) {
            t.skip('no python3 on PATH');
            return;
        }
        assert.equal(run.status, 0, run.stderr);
        const out = JSON.parse(run.stdout);
        assert.deepEqual(out.argv, ['serve', '--log-file', '/tmp/x.log']);
        assert.deepEqual(out.path.slice(0, 2), [path.join(root, 'bundled', 'server'), path.join(root, 'bundled', 'libs')]);
        assert.notEqual(out.path[2], path.join(root, 'bundled', 'tool'));
        fs.rmSync(root, { recursive: true });
    });
});
