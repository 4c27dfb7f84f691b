import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { formatSqlResult, sqlDocumentPath } from '../../common/sql';
import { nextProgress } from '../../common/progress';
import { statusView } from '../../common/status';

describe('statusView', () => {
    it('shows the percentage the server sends; its message goes to the tooltip', () => {
        const v = statusView({ kind: 'linting', title: 'Linting migrations of shop', message: '3/12 migrations', percentage: 25 });
        assert.equal(v.text, '$(sync~spin) Django migrations: linting 25%');
        assert.match(v.tooltip, /Linting migrations of shop: 3\/12 migrations/);
        assert.equal(statusView({ kind: 'linting', title: 'Loading', percentage: 41.6 }).text, '$(sync~spin) Django migrations: linting 42%');
    });
    it('reads no number out of the message', () => {
        assert.equal(statusView({ kind: 'linting', title: 'Linting', message: '3/12 migrations' }).text, '$(sync~spin) Django migrations: linting');
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
    it('says so when the server has no result (null), and where to look', () => {
        const text = formatSqlResult(null, src);
        assert.match(text, /^-- No SQL for 0002_remove_item_price: the server has no result for this file\./);
        assert.match(text, /Show Logs/);
        assert.equal(formatSqlResult('', src), text);
    });
});

describe('progress ($/progress values)', () => {
    it('begins, keeps what a report does not say, ends', () => {
        const begun = nextProgress(undefined, { kind: 'begin', title: 'Linting migrations of shop', percentage: 0 });
        assert.deepEqual(begun, { title: 'Linting migrations of shop', message: undefined, percentage: 0 });
        const reported = nextProgress(begun, { kind: 'report', message: '3/12 migrations', percentage: 25 });
        assert.deepEqual(reported, { title: 'Linting migrations of shop', message: '3/12 migrations', percentage: 25 });
        assert.deepEqual(nextProgress(reported, { kind: 'report', percentage: 50 }), {
            title: 'Linting migrations of shop',
            message: '3/12 migrations',
            percentage: 50,
        });
        assert.equal(nextProgress(reported, { kind: 'end', message: 'done' }), undefined);
    });
});
