import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { buildTree, describeFindings, describeMigration, Finding, isMigrationFile, migrationContext, NO_MARKS, parseMigrationList, worstOf } from '../../common/migrationTree';

const WS = '/ws';
const SHOP = '/ws/shop';
const files = [
    `${SHOP}/catalog/migrations/0001_initial.py`,
    `${SHOP}/catalog/migrations/0010_delete_banner.py`,
    `${SHOP}/catalog/migrations/0004_remove_product_legacy_code.py`,
    `${SHOP}/catalog/migrations/0009_remove_product_catalog_prod_cat_stock_idx.py`,
    `${SHOP}/catalog/migrations/__init__.py`,
    `${SHOP}/accounts/migrations/0001_initial.py`,
    `${SHOP}/accounts/migrations/0002_profile_bio.py`,
    `${SHOP}/accounts/migrations/0001_squashed_0002_profile_bio.py`,
    `${SHOP}/orders/migrations/0001_initial.py`,
    `${WS}/tools/lib/migrations/0001_initial.py`,
];
const drop: Finding = { code: 'DROP_COLUMN', severity: 'error', line: 12, character: 8, message: 'Dropping a column…' };
const notNull: Finding = { code: 'NOT_NULL', severity: 'warning', line: 7, character: 8, message: '…' };
const index: Finding = { code: 'CREATE_INDEX', severity: 'info', line: 3, character: 8, message: '…' };

function tree(findings: [string, Finding[]][] = []) {
    return buildTree({ migrationFiles: files, projectRoots: [SHOP], workspaceRoots: [WS], findings: new Map(findings) });
}

describe('buildTree', () => {
    it('groups by project (manage.py), then app, apps by name', () => {
        const projects = tree();
        assert.deepEqual(
            projects.map((p) => [p.name, p.apps.map((a) => a.name)]),
            [
                ['shop', ['accounts', 'catalog', 'orders']],
                // outside every project root: under its workspace folder
                ['ws', ['lib']],
            ],
        );
    });

    it('lists migrations newest first, numbers compared as numbers, without __init__', () => {
        const catalog = tree()[0].apps[1];
        assert.deepEqual(
            catalog.migrations.map((m) => m.name),
            ['0010_delete_banner', '0009_remove_product_catalog_prod_cat_stock_idx', '0004_remove_product_legacy_code', '0001_initial'],
        );
        assert.deepEqual(
            tree()[0].apps[0].migrations.map((m) => m.name),
            ['0002_profile_bio', '0001_squashed_0002_profile_bio', '0001_initial'],
        );
    });

    it('gives each migration, app and project its worst finding; findings by position', () => {
        const file = `${SHOP}/catalog/migrations/0004_remove_product_legacy_code.py`;
        const [shop, ws] = tree([[file, [drop, index, notNull]]]);
        const catalog = shop.apps.find((a) => a.name === 'catalog')!;
        const migration = catalog.migrations.find((m) => m.file === file)!;
        assert.equal(migration.worst, 'error');
        assert.deepEqual(migration.findings.map((f) => f.line), [3, 7, 12]);
        assert.equal(describeFindings(migration), 'DROP_COLUMN, NOT_NULL, CREATE_INDEX');
        assert.equal(catalog.worst, 'error');
        assert.equal(shop.worst, 'error');
        assert.equal(shop.apps.find((a) => a.name === 'orders')!.worst, undefined);
        assert.equal(ws.worst, undefined);
        assert.equal(catalog.migrations[0].worst, undefined);
        assert.equal(describeFindings(catalog.migrations[0]), '');
    });

    it('puts a migration in the innermost project holding it', () => {
        const nested = `${SHOP}/vendor/app2/migrations/0001_initial.py`;
        const projects = buildTree({
            migrationFiles: [nested, files[0]],
            projectRoots: [SHOP, `${SHOP}/vendor`],
            workspaceRoots: [WS],
            findings: new Map(),
        });
        assert.deepEqual(
            projects.map((p) => [p.root, p.apps.map((a) => a.name)]),
            [
                [SHOP, ['catalog']],
                [`${SHOP}/vendor`, ['app2']],
            ],
        );
    });

    it('is empty without migrations', () => {
        assert.deepEqual(buildTree({ migrationFiles: [], projectRoots: [SHOP], workspaceRoots: [WS], findings: new Map() }), []);
    });
});

describe('helpers', () => {
    it('isMigrationFile', () => {
        assert.equal(isMigrationFile('/a/app/migrations/0001_initial.py'), true);
        assert.equal(isMigrationFile('/a/app/migrations/__init__.py'), false);
        assert.equal(isMigrationFile('/a/app/models.py'), false);
        assert.equal(isMigrationFile('/a/app/migrations/notes.txt'), false);
    });
    it('worstOf', () => {
        assert.equal(worstOf(['info', undefined, 'warning', 'hint']), 'warning');
        assert.equal(worstOf([undefined]), undefined);
    });
});

describe('the server\'s markers', () => {
    const DROP = `${SHOP}/catalog/migrations/0004_remove_product_legacy_code.py`;
    const INITIAL = `${SHOP}/catalog/migrations/0001_initial.py`;
    // A listMigrations result as the server sends it (tests/lsp/test_migrations_view.py).
    const listed = {
        projects: [
            {
                root: SHOP,
                migrations: [
                    { app: 'catalog', name: '0004_remove_product_legacy_code', path: DROP, new: true, applied: false, rewritable: true },
                    { app: 'catalog', name: '0001_initial', path: INITIAL, new: false, applied: true, rewritable: false },
                    { app: 'catalog', name: '0010_delete_banner', path: `${SHOP}/catalog/migrations/0010_delete_banner.py`, new: null, applied: null, rewritable: false },
                ],
                new_unknown: null,
                applied_unknown: null,
                error: null,
            },
        ],
    };

    function markedTree() {
        return buildTree({ migrationFiles: files, projectRoots: [SHOP], workspaceRoots: [WS], findings: new Map([[DROP, [drop]]]), marks: parseMigrationList(listed) });
    }
    const migration = (name: string) =>
        markedTree()[0].apps.find((a) => a.name === 'catalog')!.migrations.find((m) => m.name === name)!;

    it('reads new, applied and rewritable per path; null is no marker', () => {
        const marks = parseMigrationList(listed);
        assert.deepEqual(marks.get(DROP), { isNew: true, applied: false, rewritable: true });
        assert.deepEqual(marks.get(INITIAL), { isNew: false, applied: true, rewritable: false });
        assert.deepEqual(marks.get(`${SHOP}/catalog/migrations/0010_delete_banner.py`), NO_MARKS);
    });

    it('ignores what is malformed instead of failing', () => {
        assert.equal(parseMigrationList(undefined).size, 0);
        assert.equal(parseMigrationList({ projects: 'x' }).size, 0);
        assert.equal(parseMigrationList({ projects: [{ migrations: [{ name: 'no path' }, null] }] }).size, 0);
        assert.deepEqual(parseMigrationList({ projects: [{ migrations: [{ path: '/p', new: 'yes' }] }] }).get('/p'), NO_MARKS);
    });

    it('describes a migration by its markers, then its codes', () => {
        assert.equal(describeMigration(migration('0004_remove_product_legacy_code')), 'new · not applied — DROP_COLUMN');
        assert.equal(describeMigration(migration('0001_initial')), 'historical · applied');
        // unknown (no git base, no database): no marker
        assert.equal(describeMigration(migration('0010_delete_banner')), '');
        // no listMigrations answer yet: the codes alone, as before
        const bare = tree([[DROP, [drop]]])[0].apps.find((a) => a.name === 'catalog')!.migrations.find((m) => m.file === DROP)!;
        assert.equal(describeMigration(bare), 'DROP_COLUMN');
        assert.deepEqual(bare.marks, NO_MARKS);
    });

    it('offers "Make zero-downtime" (its context value) only on a rewritable migration', () => {
        assert.equal(migrationContext(migration('0004_remove_product_legacy_code')), 'migration.rewritable');
        assert.equal(migrationContext(migration('0001_initial')), 'migration');
        assert.equal(migrationContext(migration('0010_delete_banner')), 'migration');
    });
});
