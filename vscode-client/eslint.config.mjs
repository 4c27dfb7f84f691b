import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
    { ignores: ['dist/**', 'out/**', 'bundled/**', 'node_modules/**', 'e2e/harness/**'] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        files: ['**/*.ts'],
        rules: {
            '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
            '@typescript-eslint/no-explicit-any': 'error',
            eqeqeq: ['error', 'always', { null: 'ignore' }],
            curly: 'error',
            'no-console': 'error',
            // Small functions (the project's standard): none over 60 lines.
            'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
        },
    },
    {
        files: ['src/common/**/*.ts'],
        rules: {
            // src/common/ is what the unit tests load under plain Node: it must not need VS Code.
            'no-restricted-imports': ['error', { paths: ['vscode', 'vscode-languageclient', 'vscode-languageclient/node'] }],
        },
    },
    {
        files: ['**/*.mjs'],
        // The e2e helpers also pass functions that run in the browser (page.waitForFunction).
        languageOptions: { globals: { ...globals.node, ...globals.browser } },
    },
);
