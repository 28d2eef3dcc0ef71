// @ts-check
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';

const root = dirname(fileURLToPath(import.meta.url));

/**
 * Who may import whom, by top-level folder (README, *Architecture*). `only`: the project folders a
 * folder may import (besides itself); `never`: those it must not; `typesOf`: folders it may import
 * types from only; `packages`: the only packages it may import values from (bundle-safe code).
 */
const ZONES = {
  domain: { only: [], packages: ['@temporalio/common', 'zod'] },
  workflows: { only: ['domain'], typesOf: ['activities'], packages: ['@temporalio/workflow', '@temporalio/common'] },
  store: { only: ['domain', 'generated'] },
  auth: { only: ['domain'] },
  client: { never: ['activities', 'api', 'cli', 'devstack', 'worker'], typesOf: ['workflows'] },
  api: { never: ['activities', 'workflows', 'devstack', 'worker'] },
  cli: { never: ['activities', 'workflows', 'devstack', 'worker'] },
  devstack: { never: ['activities', 'workflows', 'client', 'api', 'cli', 'worker'] },
};

/** The top-level folder of a file, or of the folder or module an import resolves to. */
const topFolder = (path) => {
  const rel = relative(root, path);
  return rel === '' || rel.startsWith('..') ? undefined : rel.split(sep)[0];
};

/** @type {import('eslint').Rule.RuleModule} */
const zonesRule = {
  meta: {
    type: 'problem',
    schema: [],
    docs: { description: 'imports stay inside their zone (eslint.config.mjs ZONES)' },
  },
  create(context) {
    const from = relative(root, context.filename).includes(sep) ? topFolder(context.filename) : undefined;
    const zone = from && ZONES[from];
    if (!zone) return {};
    const check = (node, source, typeOnly) => {
      if (!source || typeof source.value !== 'string') return;
      const spec = source.value;
      if (!spec.startsWith('.')) {
        const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        if (zone.packages && !typeOnly && !zone.packages.includes(pkg)) {
          context.report({
            node,
            message: `${from}/ may import values only from ${zone.packages.join(', ')}; not '${spec}'`,
          });
        }
        return;
      }
      const to = topFolder(resolve(dirname(context.filename), spec));
      if (!to || to === from) return;
      if (typeOnly && zone.typesOf?.includes(to)) return;
      const allowed = zone.only ? zone.only.includes(to) : !zone.never.includes(to) && !zone.typesOf?.includes(to);
      if (!allowed) {
        const rule = zone.only
          ? `${from}/ may import only ${zone.only.length ? zone.only.map((z) => `${z}/`).join(', ') : 'its own files'}${zone.typesOf ? ` (and types of ${zone.typesOf.join(', ')}/)` : ''}`
          : `${from}/ never imports ${zone.never.map((z) => `${z}/`).join(', ')}${zone.typesOf ? ` (only types of ${zone.typesOf.join(', ')}/)` : ''}`;
        context.report({ node, message: `${rule}: '${spec}' is in ${to}/` });
      }
    };
    const onlyTypes = (node) =>
      node.importKind === 'type' ||
      node.exportKind === 'type' ||
      (node.specifiers?.length > 0 && node.specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type'));
    return {
      ImportDeclaration: (node) => check(node, node.source, onlyTypes(node)),
      ExportNamedDeclaration: (node) => check(node, node.source, onlyTypes(node)),
      ExportAllDeclaration: (node) => check(node, node.source, node.exportKind === 'type'),
      ImportExpression: (node) => check(node, node.source, false),
      TSImportType: (node) => check(node, node.argument?.literal ?? node.source, true),
      CallExpression: (node) => {
        const callee = node.callee;
        const isRequire = callee.type === 'Identifier' && callee.name === 'require';
        const isResolve =
          callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && callee.object.name === 'require';
        if ((isRequire || isResolve) && node.arguments[0]?.type === 'Literal') check(node, node.arguments[0], false);
      },
    };
  },
};

export default tseslint.config(
  { ignores: ['node_modules/', 'generated/', '.tools/', '.data/', '.cache/', 'dist/', 'coverage/', 'web/'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: root } },
    plugins: { usermod: { rules: { zones: zonesRule } } },
    rules: {
      'usermod/zones': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
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
