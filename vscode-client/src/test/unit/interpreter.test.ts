import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
    chooseInterpreter,
    DEFAULT_INTERPRETER,
    judgeInterpreter,
    parseVersion,
    probeInterpreter,
    ProbeResult,
    Runner,
} from '../../common/interpreter';

describe('chooseInterpreter', () => {
    const vars = { workspaceFolder: '/ws', userHome: '/home/u', env: {} };
    it('prefers the setting', () => {
        assert.deepEqual(chooseInterpreter({ setting: '${workspaceFolder}/.venv/bin/python', pythonExtension: '/x/python', trusted: true, vars }), {
            path: '/ws/.venv/bin/python',
            source: 'setting',
        });
    });
    it("then the Python extension's interpreter", () => {
        assert.deepEqual(chooseInterpreter({ setting: '  ', pythonExtension: '/x/bin/python', trusted: true, vars }), {
            path: '/x/bin/python',
            source: 'python-extension',
        });
    });
    it('then python3', () => {
        assert.deepEqual(chooseInterpreter({ trusted: true, vars }), { path: DEFAULT_INTERPRETER, source: 'default' });
    });
    it("ignores the Python extension's choice (the workspace's venv) when untrusted", () => {
        assert.equal(chooseInterpreter({ pythonExtension: '/ws/.venv/bin/python', trusted: false, vars }).source, 'default');
        // The setting VS Code gives untrusted is the user's own: still honoured.
        assert.equal(chooseInterpreter({ setting: '/usr/bin/python3.12', trusted: false, vars }).path, '/usr/bin/python3.12');
    });
});

describe('judgeInterpreter', () => {
    const ok: ProbeResult = { ran: true, executable: '/v/bin/python', python: [3, 12, 1], django: '5.2.8' };
    it('accepts Python >= 3.10 with Django >= 4.2', () => {
        assert.equal(judgeInterpreter('python3', ok, true).level, 'ok');
        assert.equal(judgeInterpreter('python3', { ...ok, python: [3, 10, 0], django: '4.2' }, true).level, 'ok');
        assert.equal(judgeInterpreter('python3', { ...ok, django: '6.0a1' }, true).level, 'ok');
    });
    it('refuses a missing interpreter, with its name', () => {
        const v = judgeInterpreter('/nope/python', { ran: false, error: 'not found' }, true);
        assert.equal(v.level, 'error');
        assert.match(v.message, /"\/nope\/python" not found/);
    });
    it('refuses Python < 3.10', () => {
        const v = judgeInterpreter('python3', { ...ok, python: [3, 9, 18] }, true);
        assert.equal(v.level, 'error');
        assert.match(v.message, /needs Python 3\.10 or newer; "python3" is Python 3\.9\.18/);
    });
    it('warns (static checks only) without Django or with an old one', () => {
        const none = judgeInterpreter('python3', { ...ok, django: null, djangoError: "ModuleNotFoundError: No module named 'django'" }, true);
        assert.equal(none.level, 'warning');
        assert.match(none.message, /Django is not importable by "python3".*No module named 'django'/);
        const old = judgeInterpreter('python3', { ...ok, django: '3.2.25' }, true);
        assert.equal(old.level, 'warning');
        assert.match(old.message, /Django 3\.2\.25 .* too old \(4\.2 or newer/);
    });
    it('does not ask for Django when untrusted', () => {
        assert.equal(judgeInterpreter('python3', { ...ok, django: null }, false).level, 'ok');
    });
    it('parses versions', () => {
        assert.deepEqual(parseVersion('5.2.19'), [5, 2, 19]);
        assert.deepEqual(parseVersion('6.0a1'), [6, 0]);
    });
});

describe('probeInterpreter', () => {
    it('runs isolated, from no folder and without importing Django, when untrusted', async () => {
        const calls: { args: string[]; cwd?: string }[] = [];
        const runner: Runner = async (_cmd, args, options) => {
            calls.push({ args, cwd: options.cwd });
            return { stdout: 'DMLSP-PROBE {"executable": "/p", "python": [3, 11, 7], "django": null}\n', stderr: '' };
        };
        const r = await probeInterpreter('python3', { cwd: '/ws', trusted: false, runner });
        assert.deepEqual(r, { ran: true, executable: '/p', python: [3, 11, 7], django: null, djangoError: null });
        assert.equal(calls[0].args[0], '-I');
        assert.ok(!calls[0].args.includes('--django'));
        assert.equal(calls[0].cwd, undefined);
    });
    it('imports Django from the project folder when trusted', async () => {
        let seen: { args: string[]; cwd?: string } | undefined;
        const runner: Runner = async (_cmd, args, options) => {
            seen = { args, cwd: options.cwd };
            return { stdout: 'noise\nDMLSP-PROBE {"executable": "/p", "python": [3, 12, 0], "django": "5.2"}\n', stderr: '' };
        };
        const r = await probeInterpreter('python3', { cwd: '/ws', trusted: true, runner });
        assert.equal(r.django, '5.2');
        assert.ok(seen?.args.includes('--django'));
        assert.equal(seen?.cwd, '/ws');
    });
    it('says "not found" for a missing program', async () => {
        const r = await probeInterpreter(path.join(os.tmpdir(), 'no-such-python-here'), { trusted: true });
        assert.deepEqual(r, { ran: false, error: 'not found' });
    });
    it('says what a program that is not Python printed', async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dmlsp-'));
        const fake = path.join(dir, 'python');
        fs.writeFileSync(fake, '#!/bin/sh\necho "I am not python" >&2\nexit 1\n', { mode: 0o755 });
        const r = await probeInterpreter(fake, { trusted: true });
        assert.equal(r.ran, false);
        assert.match(r.error ?? '', /is not a working Python interpreter \(I am not python\)/);
        fs.rmSync(dir, { recursive: true });
    });
    it('reads a real interpreter (python3 on PATH)', async (t) => {
        try {
            execFileSync('python3', ['-c', 'pass']);
        } catch {
            t.skip('no python3 on PATH');
            return;
        }
        const r = await probeInterpreter('python3', { trusted: true, cwd: os.tmpdir() });
        assert.equal(r.ran, true);
        assert.equal(r.python?.[0], 3);
        assert.ok(r.executable && path.isAbsolute(r.executable));
        assert.ok(r.django === null || typeof r.django === 'string');
    });
});
