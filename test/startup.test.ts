// First run: readiness, the README's queries, configuration refusals and start-up failure lines.
import { execFile, spawn } from 'node:child_process';
import { readFileSync, statSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { readiness } from '../api/health';
import { buildApi } from '../api/server';
import { acceptInvite, createInvites, createUserAccount } from '../client';
import { ConfigError, loadConfig, projectRoot } from '../config';
import { ensureLocalSecrets } from '../config/secrets';
import { freePort } from '../devstack/free-port';
import { ensureTemporalCli } from '../devstack/temporal-cli';
import { openHarness, testInviteTokens, testSealKeys, testSealer, uniqueEmail, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h.close());

/** Run `fn` with these environment variables, then put the environment back. */
function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T): T {
  const saved = { ...process.env };
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return fn();
  } finally {
    process.env = saved;
  }
}

describe('readiness', () => {
  let app: FastifyInstance;
  afterEach(() => app?.close());

  test('GET /health is 503 naming each part until a worker polls and the seeded admin exists, then 200', async () => {
    const adminEmail = uniqueEmail('seed');
    await h.prisma.$queryRaw`SELECT 1`; // the pool's first connection is not what this test measures
    const usermod = {
      client: h.client,
      taskQueue: `nobody-polls-${Date.now()}`,
      jwtSecret: testInviteTokens.secret,
      seal: testSealer,
    };
    const health = readiness({
      ping: () => h.prisma.$queryRaw`SELECT 1`,
      store: h.store,
      usermod,
      namespace: 'default',
      adminEmail,
    });
    app = await buildApi({ store: h.store, usermod, jwtSecret: testInviteTokens.secret, jwtExpiresIn: '1h', health });
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'unavailable', database: true, temporal: true, worker: false, admin: false });

    // The file's worker polls its own queue; the admin is created through the real flow.
    await h.withWorker(async (ctx) => {
      const ready = readiness({
        ping: () => h.prisma.$queryRaw`SELECT 1`,
        store: h.store,
        usermod: ctx,
        namespace: 'default',
        adminEmail,
      });
      // Readiness turns true once the worker's first poll reaches the server.
      let report = await ready();
      for (let i = 0; i < 50 && !report.worker; i++) report = await new Promise((r) => setTimeout(r, 200)).then(ready);
      expect(report).toEqual({ database: true, temporal: true, worker: true, admin: false });
      await createUserAccount(ctx, { email: adminEmail, password: 'seeded admin password' });
      expect(await ready()).toEqual({ database: true, temporal: true, worker: true, admin: true });
    });
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
  });
});

describe("the README's queries find real runs", () => {
  test('every UsermodFlow / UsermodInviteIds / UsermodUserIds query in README.md, in the SDK and with `temporal workflow list`', async () => {
    const email = uniqueEmail('query');
    const { invite, user } = await h.withWorker(async (ctx) => {
      const [created] = await createInvites(ctx, [{ email }]);
      const accepted = await acceptInvite(ctx, { token: created.token, password: 'query password 1' });
      return { invite: created, user: accepted.user };
    });
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    const queries = [...new Set([...readme.matchAll(/(Usermod\w+) = (["'])([^"'\n]+)\2/g)].map((m) => m[0]))];
    expect(queries.length).toBeGreaterThanOrEqual(3);
    // Placeholders in the README (`invite_01…`) stand for this run's real ids.
    const real = (q: string) => q.replace(/invite_01[^"']*/, invite.id).replace(/user_01[^"']*/, user.id);

    const cli = await ensureTemporalCli(() => undefined);
    for (const q of queries) {
      const query = real(q);
      let found: string[] = [];
      // Visibility is eventually consistent: give it a few seconds.
      for (let i = 0; i < 50 && found.length === 0; i++) {
        found = [];
        for await (const wf of h.client.workflow.list({ query })) found.push(wf.workflowId);
        found = found.filter((id) => id.includes(invite.id) || id.startsWith('create-invites-'));
        if (!found.length) await new Promise((r) => setTimeout(r, 200));
      }
      expect({ query, found: found.length > 0 }).toEqual({ query, found: true });
      const { stdout } = await promisify(execFile)(cli, [
        'workflow',
        'list',
        '--address',
        process.env.TEMPORAL_ADDRESS!,
        '--query',
        query,
        '-o',
        'json',
      ]);
      expect({ query, cliFound: JSON.parse(stdout || '[]').length > 0 }).toEqual({ query, cliFound: true });
    }
  });
});

describe('configuration', () => {
  test('without JWT_SECRET and without local secrets, usermod refuses to start and names the variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'usermod-cfg-'));
    expect(() =>
      withEnv({ USERMOD_DATA_DIR: dir, JWT_SECRET: undefined, USERMOD_PAYLOAD_KEYS: undefined }, loadConfig),
    ).toThrow(ConfigError);
    expect(() => withEnv({ USERMOD_DATA_DIR: dir, JWT_SECRET: undefined }, loadConfig)).toThrow(
      /^JWT_SECRET is not set/,
    );
    expect(() =>
      withEnv({ USERMOD_DATA_DIR: dir, JWT_SECRET: 'x'.repeat(40), USERMOD_PAYLOAD_KEYS: undefined }, loadConfig),
    ).toThrow(/^USERMOD_PAYLOAD_KEYS is not set/);
    const keys = { JWT_SECRET: 'x'.repeat(40), USERMOD_PAYLOAD_KEYS: `k:${Buffer.alloc(32).toString('base64')}` };
    expect(() =>
      withEnv(
        { USERMOD_DATA_DIR: dir, ...keys, USERMOD_SEAL_KEYS: undefined, USERMOD_SEAL_PUBLIC_KEY: undefined },
        loadConfig,
      ),
    ).toThrow(/^USERMOD_SEAL_KEYS is not set/);
    expect(() => withEnv({ USERMOD_DATA_DIR: dir, ...keys, USERMOD_SEAL_KEYS: 'k:short' }, loadConfig)).toThrow(
      /^USERMOD_SEAL_KEYS entries must look like/,
    );
  });

  test('local secrets are random, private (0600) and shared by every entry point that reads the same data folder', () => {
    const a = mkdtempSync(join(tmpdir(), 'usermod-cfg-'));
    const b = mkdtempSync(join(tmpdir(), 'usermod-cfg-'));
    const sa = ensureLocalSecrets(a);
    expect(ensureLocalSecrets(a)).toEqual(sa);
    expect(ensureLocalSecrets(b).jwtSecret).not.toBe(sa.jwtSecret);
    expect(statSync(join(a, 'secrets.json')).mode & 0o777).toBe(0o600);
    const config = withEnv(
      {
        USERMOD_DATA_DIR: a,
        JWT_SECRET: undefined,
        USERMOD_PAYLOAD_KEYS: undefined,
        CODEC_SERVER_TOKEN: undefined,
        USERMOD_SEAL_KEYS: undefined,
        USERMOD_SEAL_PUBLIC_KEY: undefined,
      },
      loadConfig,
    );
    expect(config).toMatchObject({
      jwtSecret: sa.jwtSecret,
      payloadKeys: sa.payloadKeys,
      embeddedPgPassword: sa.embeddedPgPassword,
      sealKeys: sa.sealKeys,
      sealPublicKey: sa.sealPublicKey,
    });
    expect(config.codecServer.token).toBe(sa.codecServerToken);
  });

  test('mail links follow PORT, or PUBLIC_URL when set', () => {
    const env = {
      JWT_SECRET: 'x'.repeat(40),
      USERMOD_PAYLOAD_KEYS: `k:${Buffer.alloc(32).toString('base64')}`,
      USERMOD_SEAL_KEYS: testSealKeys.privateKeys,
      INVITE_ACCEPT_URL: undefined,
      PASSWORD_RESET_URL: undefined,
    };
    expect(withEnv({ ...env, PORT: '9123', PUBLIC_URL: undefined }, loadConfig).invites).toMatchObject({
      acceptUrl: 'http://localhost:9123/app/invite',
      resetUrl: 'http://localhost:9123/app/reset-password',
    });
    expect(withEnv({ ...env, PUBLIC_URL: 'https://admin.example.com/' }, loadConfig).invites.acceptUrl).toBe(
      'https://admin.example.com/app/invite',
    );
    expect(() => withEnv({ ...env, PUBLIC_URL: 'ftp://x' }, loadConfig)).toThrow(/^PUBLIC_URL must be http\(s\)/);
  });
});

describe('start-up failures print one line naming the cause', () => {
  /** `npm start`'s entry point with these settings: its exit code and what it printed. */
  async function start(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
    const dataDir = mkdtempSync(join(tmpdir(), 'usermod-start-'));
    const ports = {
      PORT: String(await freePort()),
      CODEC_SERVER_PORT: String(await freePort()),
      TEMPORAL_DEV_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      EMBEDDED_PG_PORT: String(await freePort()),
    };
    const child = spawn(join(projectRoot, 'node_modules', '.bin', 'tsx'), ['scripts/start.ts'], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: '', TEMPORAL_ADDRESS: '', USERMOD_DATA_DIR: dataDir, ...ports, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    return { code, out: out.trim() };
  }

  let holder: Server;
  afterEach(() => holder?.close());

  test('a taken port names the port, its variable and the process holding it; nothing else is started', async () => {
    const port = await freePort();
    holder = createServer().listen(port, '127.0.0.1');
    const { code, out } = await start({ PORT: String(port) });
    expect(code).toBe(1);
    expect(out.split('\n')).toHaveLength(1);
    expect(out).toMatch(
      new RegExp(
        `^usermod failed to start: ports: port ${port} \\(PORT\\) is already in use by pid ${process.pid} \\(.*\\): stop it or set PORT to a free port$`,
      ),
    );
  });

  test('an unreachable DATABASE_URL names the setting and why', async () => {
    const { code, out } = await start({
      DATABASE_URL: 'postgresql://u:p@no-such-host.invalid:5432/x',
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!,
    });
    expect(code).toBe(1);
    expect(out).toBe("usermod failed to start: database: DATABASE_URL: host 'no-such-host.invalid' not found");
  });

  test('a missing Temporal CLI says how to get one', async () => {
    const { code, out } = await start({
      TEMPORAL_CLI_PATH: '/nonexistent/temporal',
      DATABASE_URL: process.env.DATABASE_URL!,
    });
    expect(code).toBe(1);
    expect(out).toBe(
      'usermod failed to start: Temporal CLI: TEMPORAL_CLI_PATH points at /nonexistent/temporal, which does not exist',
    );
  });
});
