import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigReader, DEFAULT_DEBOUNCE_MS, expandPath, LINT_OPTION_KEYS, readSettings, serverSettings } from '../../common/settings';

function reader(values: Record<string, unknown>): ConfigReader {
    return { get: <T>(key: string) => values[key] as T | undefined };
}

// The keys package.json declares, for the check that every DESIGN §5 key has a setting.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const manifest = require(path.join(__dirname, '..', '..', '..', 'package.json'));

describe('readSettings: the adoption, lock and MySQL options', () => {
    it('passes the adoption, lock and MySQL options on, and refuses wrong types', () => {
        const s = readSettings(
            reader({ scope: 'all', base: 'origin/main', baseline: '.b.json', includeInstalledApps: true, postgresVersion: 15, mysqlVersion: 'mariadb-10.11' }),
        );
        assert.deepEqual(s.lintOptions, {
            scope: 'all',
            base: 'origin/main',
            baseline: '.b.json',
            includeInstalledApps: true,
            postgresVersion: 15,
            mysqlVersion: 'mariadb-10.11',
        });
        const bad = readSettings(reader({ includeInstalledApps: 'yes', postgresVersion: 15.5 }));
        assert.deepEqual(bad.lintOptions, {});
        assert.equal(bad.problems.length, 2);
    });
});

describe('readSettings', () => {
    it('gives the defaults when nothing is set', () => {
        const s = readSettings(reader({}));
        assert.deepEqual(s.lintOptions, {});
        assert.equal(s.interpreter, '');
        assert.equal(s.lintOnChange, true);
        assert.equal(s.debounceMs, DEFAULT_DEBOUNCE_MS);
        assert.equal(s.trace, 'off');
        assert.deepEqual(s.problems, []);
    });

    it('keeps set values, trims, drops null and empty strings', () => {
        const s = readSettings(
            reader({
                settings: ' shop.settings ',
                database: '',
                excludeMigrationTests: ['create_index', ' RUNSQL_REVERSIBLE ', ''],
                includeApps: null,
                ignoreName: '0001_initial, 0002_x',
                warningsAsErrors: true,
                projectRootPath: null,
                lintOnChange: false,
                debounceMs: 250.4,
                'trace.server': 'verbose',
                interpreter: ' ${workspaceFolder}/.venv/bin/python ',
            }),
        );
        assert.deepEqual(s.lintOptions, {
            settings: 'shop.settings',
            excludeMigrationTests: ['CREATE_INDEX', 'RUNSQL_REVERSIBLE'],
            ignoreName: ['0001_initial', '0002_x'],
            warningsAsErrors: true,
        });
        assert.equal(s.lintOnChange, false);
        assert.equal(s.debounceMs, 250);
        assert.equal(s.trace, 'verbose');
        assert.equal(s.interpreter, '${workspaceFolder}/.venv/bin/python');
    });

    it('accepts warningsAsErrors as a list of codes', () => {
        const s = readSettings(reader({ warningsAsErrors: ['create_index'] }));
        assert.deepEqual(s.lintOptions.warningsAsErrors, ['CREATE_INDEX']);
        assert.equal(readSettings(reader({ warningsAsErrors: false })).lintOptions.warningsAsErrors, false);
    });

    it('reports and ignores values of the wrong type', () => {
        const s = readSettings(reader({ database: 3, includeApps: { a: 1 }, debounceMs: -5, lintOnChange: 'yes', warningsAsErrors: 7, requestTimeout: 0 }));
        assert.deepEqual(s.lintOptions, {});
        assert.equal(s.debounceMs, DEFAULT_DEBOUNCE_MS);
        assert.equal(s.requestTimeout, 30);
        assert.equal(s.lintOnChange, true);
        assert.equal(s.problems.length, 6);
        assert.match(s.problems.join('\n'), /djangoMigrationLsp\.database must be a string/);
    });
});

describe('serverSettings', () => {
    it('sends python, trust, the server keys and only the options that are set', () => {
        const settings = readSettings(reader({ database: 'replica', excludeApps: ['legacy'], debounceMs: 100 }));
        assert.deepEqual(serverSettings({ settings, python: '/venv/bin/python', trusted: true }), {
            python: '/venv/bin/python',
            trusted: true,
            lintOnChange: true,
            debounceMs: 100,
            requestTimeout: 30,
            database: 'replica',
            excludeApps: ['legacy'],
        });
    });

    it('names no settings module to import in an untrusted workspace', () => {
        const settings = readSettings(reader({ settings: 'evil.settings', database: 'default' }));
        const out = serverSettings({ settings, python: '/usr/bin/python3', trusted: false });
        assert.equal(out.trusted, false);
        assert.equal('settings' in out, false);
        assert.equal(out.database, 'default');
    });

    it('copies lists (the caller may not change the settings through it)', () => {
        const settings = readSettings(reader({ includeApps: ['a'] }));
        const out = serverSettings({ settings, python: 'p', trusted: true });
        (out.includeApps as string[]).push('b');
        assert.deepEqual(settings.lintOptions.includeApps, ['a']);
    });
});

describe('package.json contributes a setting for every key', () => {
    const properties = Object.keys(manifest.contributes.configuration.properties);
    for (const key of [...LINT_OPTION_KEYS, 'interpreter', 'lintOnChange', 'debounceMs', 'requestTimeout', 'trace.server']) {
        it(key, () => assert.ok(properties.includes(`djangoMigrationLsp.${key}`)));
    }
    it('and no setting that is not read', () => {
        const known = new Set([...LINT_OPTION_KEYS, 'interpreter', 'lintOnChange', 'debounceMs', 'requestTimeout', 'trace.server'].map((k) => `djangoMigrationLsp.${k}`));
        assert.deepEqual(properties.filter((p) => !known.has(p)), []);
    });
    it('unset DESIGN §5 options default to null (so pyproject.toml applies)', () => {
        for (const key of LINT_OPTION_KEYS) {
            assert.equal(manifest.contributes.configuration.properties[`djangoMigrationLsp.${key}`].default, null, key);
        }
    });
});

describe('expandPath', () => {
    const vars = { workspaceFolder: '/ws/shop', userHome: '/home/u', env: { VENV: '/opt/venv' } };
    it('expands the variables', () => {
        assert.equal(expandPath('${workspaceFolder}/.venv/bin/python', vars), '/ws/shop/.venv/bin/python');
        assert.equal(expandPath('${userHome}/py/bin/python', vars), '/home/u/py/bin/python');
        assert.equal(expandPath('${env:VENV}/bin/python', vars), '/opt/venv/bin/python');
        assert.equal(expandPath('${env:MISSING}/bin/python', vars), '/bin/python');
        assert.equal(expandPath('~/venv/bin/python', vars), '/home/u/venv/bin/python');
    });
    it('makes a relative path relative to the workspace folder', () => {
        assert.equal(expandPath('.venv/bin/python', vars), '/ws/shop/.venv/bin/python');
        assert.equal(expandPath('./venv/bin/python', vars), '/ws/shop/venv/bin/python');
    });
    it('leaves a bare command name for the PATH lookup', () => {
        assert.equal(expandPath('python3.12', vars), 'python3.12');
        assert.equal(expandPath('/usr/bin/python3', vars), '/usr/bin/python3');
    });
});
