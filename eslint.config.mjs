// @ts-check
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const root = dirname(fileURLToPath(import.meta.url));

// Who may import whom, by top-level folder (README, *Architecture*), enforced with
// import-x/no-restricted-paths on resolved paths, plus typescript-eslint's no-restricted-imports where a
// folder may import another's *types* only or only some packages (bundle-safe workflow code).
const FOLDERS = [
  'activities',
  'api',
  'auth',
  'cli',
  'client',
  'codec',
  'config',
  'devstack',
  'domain',
  'generated',
  'infra',
  'scripts',
  'service',
  'examples',
  'store',
  'test',
  'worker',
  'workflows',
];
const allBut = (...allowed) => FOLDERS.filter((f) => !allowed.includes(f));
/** target folder → the folders it must never import (values or types). */
const NEVER = {
  domain: allBut('domain'),
  workflows: allBut('workflows', 'domain', 'activities'), // activities: types only, below
  store: allBut('store', 'domain', 'generated'),
  auth: allBut('auth', 'domain'),
  client: ['activities', 'api', 'cli', 'devstack', 'worker'], // workflows: types only, below
  api: ['activities', 'workflows', 'devstack', 'worker'],
  cli: ['activities', 'workflows', 'devstack', 'worker'],
  devstack: ['activities', 'workflows', 'client', 'api', 'cli', 'worker'],
  // The library facade starts flows through client/ and reads through store/; it never runs them.
  service: ['activities', 'workflows', 'api', 'cli', 'worker'],
  // An application uses the package's public entry points only.
  examples: allBut('examples', 'service'),
};
const zones = Object.entries(NEVER).map(([target, from]) => ({
  target: `./${target}`,
  from: from.map((f) => `./${f}`),
  message: `${target}/ never imports ${from.map((f) => `${f}/`).join(', ')} (README, Architecture)`,
}));

/** Only types from a folder, e.g. workflows/ may name the activities' signatures but never load their code. */
const typesOnly = (folder, why) => ({
  regex: `^(\\.{1,2}/)+${folder}(/|$)`,
  allowTypeImports: true,
  message: `only types may come from ${folder}/: ${why}`,
});
/** Values only from these packages (relative imports are the zones' business). */
const onlyPackages = (pkgs, why) => ({
  regex: `^(?!\\.|${pkgs.map((p) => p.replace(/[/.]/g, '\\$&')).join('|')}$)`,
  allowTypeImports: true,
  message: `values only from ${pkgs.join(', ')}: ${why}`,
});
const BUNDLE = 'this code runs in the deterministic workflow sandbox';

export default tseslint.config(
  { ignores: ['node_modules/', 'generated/', '.tools/', '.data/', '.cache/', 'dist/', 'coverage/', 'web/'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: root } },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })] },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones, basePath: root }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            typesOnly('activities', BUNDLE),
            onlyPackages(['@temporalio/workflow', '@temporalio/common'], BUNDLE),
          ],
        },
      ],
    },
  },
  {
    files: ['domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            onlyPackages(['@temporalio/common', 'zod'], 'domain/ is shared by every layer, workflows included'),
          ],
        },
      ],
    },
  },
  {
    files: ['client/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [typesOnly('workflows', 'the client starts flows by name through Temporal, never runs their code')],
        },
      ],
    },
  },
  {
    // Tests read loosely typed JSON answers.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } },
);
