import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../config';
import { createDatabase, dropDatabase } from '../devstack/postgres-admin';
import { testCodecKeys, testInviteTokens, testSealKeys, uniqueEmail } from './harness';

// The package as a developer gets it: `npm run build`, `npm pack`, installed into a fresh TypeScript
// project in a temp dir, type-checked, then run (CommonJS and ESM) against the real stack: it migrates
// its own database, runs usermod's worker in the application's process and creates an invite.
jest.setTimeout(15 * 60 * 1000);

const dir = mkdtempSync(join(tmpdir(), 'usermod-consumer-'));
const dbName = `usermod_pkg_${Date.now()}`;
let databaseUrl: string;
const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  execFileSync(cmd, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env }, stdio: 'pipe' });

beforeAll(async () => {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: projectRoot, stdio: 'pipe' });
  execFileSync('npm', ['pack', join(projectRoot, 'dist', 'package'), '--pack-destination', dir], { stdio: 'pipe' });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  // The registry is reachable; the npm cache makes this fast where the project was installed before.
  run('npm', [
    'install',
    `./${tarball}`,
    'typescript@6.0.3',
    '@types/node@20.19.0',
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
    '--ignore-scripts',
  ]);
  databaseUrl = await createDatabase(process.env.USERMOD_TEST_ADMIN_URL!, dbName);
});
afterAll(async () => {
  await dropDatabase(process.env.USERMOD_TEST_ADMIN_URL!, dbName);
  rmSync(dir, { recursive: true, force: true });
});

const APP = `
import { createUsermodService, migrateDatabase, SUPER_ADMIN_ROLE_ID, UsermodError, type InviteWithToken, type UsermodService } from 'usermod';
import { createUsermodWorker } from 'usermod/worker';
import { usermodAdminPlugin } from 'usermod/fastify';
import Fastify from 'fastify';

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL!;
  const { applied } = await migrateDatabase(databaseUrl);
  const usermod = await createUsermodWorker({ databaseUrl, address: process.env.TEMPORAL_ADDRESS, schedules: false });
  const seen: string[] = [];
  usermod.onEvent('invite.created', (e) => void seen.push(e.name));
  const running = usermod.run();
  const service: UsermodService = await createUsermodService({ databaseUrl, temporalAddress: process.env.TEMPORAL_ADDRESS });
  const invite: InviteWithToken = await service.createInvites({ email: process.env.INVITE_EMAIL! });
  const [invites, count] = await service.listAndCountInvites({ id: invite.id });
  const refused = await service.createInvites({ email: 'not-an-email' }).catch((e: unknown) => e);
  // The application's admin is a usermod user with usermod's roles (RBAC applies behind its own auth hook).
  const appAdmin = await service.createUsers({ email: 'admin-' + process.env.INVITE_EMAIL });
  await service.assignUserRoles(appAdmin.id, [SUPER_ADMIN_ROLE_ID]);
  // The admin API in the application's own server, under its prefix, with its own authentication.
  const app = Fastify();
  await app.register(usermodAdminPlugin, {
    prefix: '/usermod',
    service,
    authenticate: async (req) =>
      req.headers['x-app-user'] === 'admin'
        ? { actor_id: appAdmin.id, actor_type: 'user', auth_identity_id: 'authid_app', app_metadata: {} }
        : undefined,
  });
  const viaApi = await app.inject({ method: 'POST', url: '/usermod/admin/invites', headers: { 'x-app-user': 'admin' }, payload: { email: 'api-' + process.env.INVITE_EMAIL } });
  const anonymous = await app.inject({ method: 'GET', url: '/usermod/admin/invites' });
  await app.close();
  console.log(JSON.stringify({
    migrations: applied.length,
    invite: invites[0].id === invite.id && count === 1,
    token: typeof invite.token,
    refused: refused instanceof UsermodError ? [refused.type, refused.status] : String(refused),
    plugin: [viaApi.statusCode, typeof viaApi.json().invite.token, anonymous.statusCode],
  }));
  await service.close();
  usermod.shutdown();
  await running;
}
main().catch((err) => {
  console.error(err);
  process.exit(1);
});
`;

const ESM = `
import { createUsermodService, UsermodError } from 'usermod';
import { createUsermodWorker } from 'usermod/worker';
import { usermodAdminPlugin } from 'usermod/fastify';
console.log(JSON.stringify([typeof createUsermodService, typeof UsermodError, typeof createUsermodWorker, typeof usermodAdminPlugin]));
`;

test('npm pack → npm install in a fresh TypeScript project → type-checks, runs as CommonJS and ESM', () => {
  writeFileSync(join(dir, 'app.ts'), APP);
  writeFileSync(join(dir, 'esm.mts'), ESM);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        skipLibCheck: true,
        outDir: 'out',
        types: ['node'],
      },
      files: ['app.ts', 'esm.mts'],
    }),
  );
  run(join(dir, 'node_modules', '.bin', 'tsc'), ['-p', '.']);

  // Nothing internal is reachable: only the entry points the package exports.
  const deep = run(process.execPath, [
    '-e',
    "try { require('usermod/lib/store'); console.log('reachable') } catch (e) { console.log(e.code) }",
  ]);
  expect(deep.trim()).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');

  expect(JSON.parse(run(process.execPath, ['out/esm.mjs']))).toEqual(['function', 'function', 'function', 'function']);

  const env = {
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
    TEMPORAL_TASK_QUEUE: `consumer-${randomUUID()}`,
    JWT_SECRET: testInviteTokens.secret,
    USERMOD_PAYLOAD_KEYS: testCodecKeys.map((k) => `${k.id}:${k.key.toString('base64')}`).join(','),
    USERMOD_SEAL_KEYS: testSealKeys.privateKeys,
    USERMOD_DATA_DIR: join(dir, 'data'),
    INVITE_EMAIL: uniqueEmail('consumer'),
  };
  const out = JSON.parse(run(process.execPath, ['out/app.js'], env).trim().split('\n').pop()!);
  expect(out).toEqual({
    migrations: expect.any(Number),
    invite: true,
    token: 'string',
    refused: ['invalid_data', 400],
    plugin: [200, 'string', 401],
  });
  expect(out.migrations).toBeGreaterThan(0);
});
