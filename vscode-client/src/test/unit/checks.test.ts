import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { summariseChecks } from '../../common/checks';

// What `djangoMigrationLsp.runChecks` returns today: the findings of `check --format json`.
const FINDINGS = [
    { code: 'MISSING_MIGRATION', severity: 'error', message: 'Model changes without a migration', app: 'shop', migration: null, database: null, path: '/p/shop/models.py', line: 3 },
    { code: 'UNAPPLIED_MIGRATION', severity: 'warning', message: '…', app: 'orders', migration: '0002_x', database: 'default', path: null, line: null },
    { code: 'MISSING_MIGRATION', severity: 'error', message: '…', app: 'shop', migration: null, database: null, path: null, line: null },
];

describe('summariseChecks', () => {
    it('counts the findings of a list and names them by code and app', () => {
        assert.deepEqual(summariseChecks(FINDINGS), {
            text: 'Cross-checks: 2 errors, 1 warning: MISSING_MIGRATION in shop, UNAPPLIED_MIGRATION in orders.',
            problems: true,
        });
    });

    it('takes the counts of a summary object', () => {
        const result = { findings: FINDINGS.slice(0, 1), summary: { errors: 1, warnings: 0, infos: 2 } };
        assert.equal(summariseChecks(result).text, 'Cross-checks: 1 error, 2 infos: MISSING_MIGRATION in shop.');
    });

    it('says when nothing was found', () => {
        for (const empty of [[], { findings: [], summary: { errors: 0, warnings: 0, infos: 0 } }]) {
            const s = summariseChecks(empty);
            assert.equal(s.problems, false);
            assert.match(s.text, /^Cross-checks: nothing found/);
        }
    });

    it('names at most three, then how many more; a finding without an app is the project\'s', () => {
        const many = ['A', 'B', 'C', 'D', 'E'].map((code) => ({ code, severity: 'info', app: null }));
        assert.equal(summariseChecks(many).text, 'Cross-checks: 5 infos: A in the project, B in the project, C in the project and 2 more.');
    });

    it('says so when the answer is not findings', () => {
        for (const odd of [null, 'text', { message: 'x' }]) {
            assert.deepEqual(summariseChecks(odd), { text: 'Cross-checks: the server gave no findings (is the project loaded? See the logs).', problems: false });
        }
    });
});
