import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { formatSqlResult, sqlDocumentPath } from '../../common/sql';
import { progressCount, statusView } from '../../common/status';

describe('statusView', () => {
    it('shows linting N/M from the progress message', () => {
        const v = statusView({ kind: 'linting', title: 'Linting migrations', message: '3/12 shop.0002_remove_price' });
        assert.equal(v.text, '$(sync~spin) Django migrations: linting 3/12');
        assert.match(v.tooltip, /Linting migrations: 3\/12 shop\.0002_remove_price/);
    });
    it('falls back to the percentage', () => {
        assert.equal(statusView({ kind: 'linting', title: 'Loading', percentage: 41.6 }).text, '$(sync~spin) Django migrations: linting 42%');
    });
    it('reads "N of M" too', () => {
        assert.deepEqual(progressCount('migration 2 of 9'), { done: 2, total: 9 });
        assert.equal(progressCount('loading the project'), undefined);
    });
    it('shows the other states, errors in red, with the interpreter', () => {
        assert.equal(statusView({ kind: 'starting' }).text, '$(loading~spin) Django migrations: starting');
        assert.equal(statusView({ kind: 'ready' }).text, '$(check) Django migrations');
        assert.equal(statusView({ kind: 'restricted' }).text, '$(shield) Django migrations: restricted');
        const err = statusView({ kind: 'error', detail: 'boom' }, '/v/bin/python');
        assert.equal(err.severity, 'error');
        assert.match(err.tooltip, /boom\n\nInterpreter: \/v\/bin\/python\nClick for the logs\./);
    });
});

describe('SQL document', () => {
    const src = 'file:///ws/shop/migrations/0002_remove_item_price.py';
    it('is named after app and migration and keeps the source URI', () => {
        assert.deepEqual(sqlDocumentPath(src), { path: '/shop/0002_remove_item_price.sql', query: src });
        assert.equal(sqlDocumentPath('file:///tmp/x.py').path, '/x.sql');
    });
    it('shows a plain string as is', () => {
        assert.equal(formatSqlResult('BEGIN;\nCOMMIT;', src), 'BEGIN;\nCOMMIT;\n');
    });
    it('lists statements', () => {
        assert.equal(formatSqlResult(['ALTER TABLE "a" DROP COLUMN "b" CASCADE', 'SELECT 1;'], src), 'ALTER TABLE "a" DROP COLUMN "b" CASCADE;\nSELECT 1;\n');
    });
    it('labels the operations of a structured answer', () => {
        const text = formatSqlResult(
            {
                app: 'shop',
                name: '0002_remove_item_price',
                vendor: 'postgresql',
                operations: [
                    { index: 0, description: 'Remove field price from item', line: 12, sql: ['ALTER TABLE "shop_item" DROP COLUMN "price" CASCADE'] },
                    { index: 1, description: 'Raw Python operation', sql: [] },
                    { index: 2, description: 'Add field x', error: 'no state', sql: [] },
                ],
            },
            src,
        );
        assert.equal(
            text,
            [
                '-- SQL of shop.0002_remove_item_price on postgresql, rendered offline.',
                '',
                '-- [0] Remove field price from item (line 12)',
                'ALTER TABLE "shop_item" DROP COLUMN "price" CASCADE;',
                '',
                '-- [1] Raw Python operation',
                '-- (no SQL)',
                '',
                '-- [2] Add field x',
                '-- could not be rendered: no state',
                '',
            ].join('\n'),
        );
    });
    it('says so when there is nothing', () => {
        assert.match(formatSqlResult(null, src), /^-- No SQL for 0002_remove_item_price/);
    });
});
