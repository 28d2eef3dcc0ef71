// npm run build: the installable package in dist/package (npm pack dist/package makes the tarball).
// - the Prisma client generated, then compiled with everything the public entry points reach (tsc,
//   CommonJS + .d.ts, in lib/); the workflow code as JS, for the worker's bundler;
// - ESM wrappers (esm/*.mjs) so `import` and `require` consumers both work;
// - a package.json whose `exports` name the public entry points only (nothing else is importable),
//   with the runtime dependencies the compiled code requires, at the project's exact versions;
// - the migrations, for migrateDatabase().
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectRoot } from '../config';

const out = join(projectRoot, 'dist', 'package');
const lib = join(out, 'lib');
const bin = (name: string) => join(projectRoot, 'node_modules', '.bin', name);

/** The public entry points: subpath → compiled module (without extension), relative to lib/. */
const ENTRIES: Record<string, string> = {
  '.': 'service/index',
  './worker': 'worker/factory',
  './fastify': 'api/plugin',
};

rmSync(out, { recursive: true, force: true });
execFileSync(bin('tsx'), [join(projectRoot, 'scripts', 'prisma-generate.ts')], { stdio: 'inherit' });
execFileSync(bin('tsc'), ['-p', join(projectRoot, 'tsconfig.build.json')], { stdio: 'inherit' });
cpSync(join(projectRoot, 'prisma', 'migrations'), join(lib, 'prisma', 'migrations'), { recursive: true });

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });

// The dependencies: every bare module the compiled code requires or imports, and every package its
// declarations name (fastify's types for the plugin).
const root = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
  version: string;
  description: string;
  license: string;
  engines: Record<string, string>;
  dependencies: Record<string, string>;
};
const used = new Set<string>();
for (const f of files(lib).filter((f) => f.endsWith('.js') || f.endsWith('.d.ts'))) {
  const code = readFileSync(f, 'utf8');
  const specifiers = [
    ...code.matchAll(/(?:require\(|import\()\s*["']([^"'./][^"']*)["']/g),
    ...code.matchAll(/^\s*(?:import|export)\b[^"'\n]*\bfrom\s*["']([^"'./][^"']*)["']/gm),
  ];
  for (const m of specifiers) {
    if (m[1].startsWith('node:')) continue;
    const parts = m[1].split('/');
    used.add(m[1].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]);
  }
}
const dependencies: Record<string, string> = {};
for (const name of [...used].sort()) {
  const version = root.dependencies[name];
  if (!version) throw new Error(`the compiled package requires ${name}, which is not a dependency in package.json`);
  dependencies[name] = version;
}
// The driver the Prisma adapter connects with (migrateDatabase uses it directly as well).
dependencies.pg = root.dependencies.pg;

// ESM wrappers: the CommonJS module's named exports, enumerated at build time.
const exportsMap: Record<string, unknown> = { './package.json': './package.json' };
mkdirSync(join(out, 'esm'), { recursive: true });
for (const [subpath, entry] of Object.entries(ENTRIES)) {
  const name = subpath === '.' ? 'index' : subpath.slice(2);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const names = Object.keys(require(join(lib, `${entry}.js`)) as object).filter((n) => n !== 'default');
  const target = relative(join(out, 'esm'), join(lib, `${entry}.js`));
  writeFileSync(
    join(out, 'esm', `${name}.mjs`),
    `import cjs from '${target}';\nexport const { ${names.join(', ')} } = cjs;\nexport default cjs;\n`,
  );
  exportsMap[subpath] = {
    types: `./lib/${entry}.d.ts`,
    import: `./esm/${name}.mjs`,
    require: `./lib/${entry}.js`,
  };
}

const pkg = {
  name: 'usermod',
  version: root.version,
  description: root.description,
  license: root.license,
  engines: root.engines,
  main: `./lib/${ENTRIES['.']}.js`,
  types: `./lib/${ENTRIES['.']}.d.ts`,
  exports: exportsMap,
  dependencies,
};
writeFileSync(join(out, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
cpSync(join(projectRoot, 'README.md'), join(out, 'README.md'));
console.log(`usermod: package built in ${relative(projectRoot, out)} (npm pack ${relative(projectRoot, out)})`);
