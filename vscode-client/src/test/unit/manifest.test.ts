import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { COMMANDS, MIGRATIONS_VIEW, SERVER_COMMANDS } from '../../constants';
import { DEFAULT_DEBOUNCE_MS, DEFAULT_REQUEST_TIMEOUT } from '../../common/settings';

const clientRoot = path.join(__dirname, '..', '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const manifest = require(path.join(clientRoot, 'package.json'));
const serverPackage = path.join(clientRoot, '..', 'server', 'django_migration_lsp');

function pythonSources(dir: string): string {
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .map((e) => (e.isDirectory() ? pythonSources(path.join(dir, e.name)) : e.name.endsWith('.py') ? fs.readFileSync(path.join(dir, e.name), 'utf8') : ''))
        .join('\n');
}

describe('package.json and constants.ts agree', () => {
    const contributed: string[] = manifest.contributes.commands.map((c: { command: string }) => c.command);

    it('contributes exactly the commands of COMMANDS', () => {
        assert.deepEqual([...contributed].sort(), Object.values(COMMANDS).sort());
    });

    it('menus name only contributed commands', () => {
        for (const [menu, entries] of Object.entries(manifest.contributes.menus) as [string, { command: string }[]][]) {
            for (const entry of entries) {
                assert.ok(contributed.includes(entry.command), `${menu}: ${entry.command} is not contributed`);
            }
        }
    });

    it('declares the Migrations view in the explorer', () => {
        assert.deepEqual(
            manifest.contributes.views.explorer.map((v: { id: string }) => v.id),
            [MIGRATIONS_VIEW],
        );
    });

    it('declares the defaults the settings module (and the server) use', () => {
        const props = manifest.contributes.configuration.properties;
        assert.equal(props['djangoMigrationLsp.debounceMs'].default, DEFAULT_DEBOUNCE_MS);
        assert.equal(props['djangoMigrationLsp.requestTimeout'].default, DEFAULT_REQUEST_TIMEOUT);
        assert.equal(props['djangoMigrationLsp.lintOnChange'].default, true);
    });
});

describe('the server commands', () => {
    const source = pythonSources(serverPackage);

    it('the extension calls are the server\'s', () => {
        for (const id of Object.values(SERVER_COMMANDS)) {
            assert.ok(source.includes(`"${id}"`), `the server (${serverPackage}) has no command ${id}`);
        }
    });

    it('no extension command has a server command\'s id (vscode-languageclient registers those)', () => {
        for (const id of Object.values(COMMANDS)) {
            assert.ok(!source.includes(`"${id}"`), `${id} is also a server command: VS Code would refuse the second registration`);
        }
    });
});
