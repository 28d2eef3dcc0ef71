import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import {
  NativeConnection,
  Runtime,
  DefaultLogger,
  type LogEntry,
  type LogLevel,
  type Worker,
} from '@temporalio/worker';
import { oneLine } from '../infra/runtime';
import { createActivities, type Activities, type ActivityDeps } from '../activities';
import { generateSealKeys, opener, parseSealPrivateKeys, parseSealPublicKey, sealer } from '../auth/seal';
import type { DeliverySettings } from '../activities/delivery';
import type { MailMessage } from '../activities/mail-transport';
import { createStore, type Store } from '../store';
import { createPrisma, type PrismaClient } from '../store/prisma';
import { createWorker } from '../worker/worker';
import type { UsermodClient } from '../client';
import { usermodDataConverter } from '../codec/aes-gcm-codec';

// Workers log through the SDK runtime, one line per entry: errors only (expected refusals print nothing);
// TEST_LOG_LEVEL raises it. Every entry is also kept, so a test can check an ERROR a flow must log (and
// declare it expected, so it does not print).
interface SdkLogs {
  entries: LogEntry[];
  expected: RegExp[];
}
const sdkLogs: SdkLogs = ((globalThis as { __usermodSdkLogs?: SdkLogs }).__usermodSdkLogs ??= {
  entries: [],
  expected: [],
});
const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
const level = (process.env.TEST_LOG_LEVEL ?? 'ERROR').toUpperCase() as LogLevel;
/**
 * Everything the workers of this process logged at DEBUG and above (the secrets test greps it), as
 * JSON lines.
 */
export const workerLog: string[] = [];
const logger = new DefaultLogger('DEBUG', (entry) => {
  if (sdkLogs.entries.push(entry) > 5000) sdkLogs.entries.splice(0, 1000);
  workerLog.push(
    JSON.stringify({ level: entry.level, message: entry.message, meta: entry.meta }, (_k, v) =>
      typeof v === 'bigint' ? String(v) : v,
    ),
  );
  if (workerLog.length > 50_000) workerLog.splice(0, 10_000);
  if (LEVELS.indexOf(entry.level) < LEVELS.indexOf(level)) return;
  if (entry.level !== 'ERROR' || !sdkLogs.expected.some((re) => re.test(entry.message))) oneLine(entry);
});
const logging = { forward: {}, filter: { core: 'WARN', other: 'ERROR' } } as const;
// Each test file gets a runtime of its own (Jest's module registry), while the previous file's may still
// hold its port: its Prometheus exporter binds a port free right now (found by a child process: this
// runs at import, synchronously).
const metricsPort = Number(
  execFileSync(
    process.execPath,
    [
      '-e',
      "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })",
    ],
    { encoding: 'utf8' },
  ).trim(),
);
try {
  Runtime.install({
    logger,
    telemetryOptions: {
      logging,
      metrics: {
        prometheus: {
          bindAddress: `127.0.0.1:${metricsPort}`,
          countersTotalSuffix: true,
          useSecondsForDurations: true,
        },
      },
    },
  });
  process.env.USERMOD_SDK_METRICS_URL = `http://127.0.0.1:${metricsPort}/metrics`;
} catch {
  // Never fall back to the SDK's default runtime (multi-line INFO logs): at least the logger.
  try {
    Runtime.install({ logger, telemetryOptions: { logging } });
  } catch {
    /* a runtime is installed already in this module registry */
  }
}

/** The SDK log entries so far whose message matches; `expect` also keeps such ERRORs from printing. */
export function sdkLog(pattern: RegExp, options: { expect?: boolean } = {}): LogEntry[] {
  if (options.expect) sdkLogs.expected.push(pattern);
  return sdkLogs.entries.filter((e) => pattern.test(e.message));
}

export const testCodecKeys = [{ id: 'test-key', key: Buffer.alloc(32, 9) }];
export const testDataConverter = usermodDataConverter(testCodecKeys);

// A seal key pair made for this run (tests never share one with an installation).
export const testSealKeys = generateSealKeys('test-seal');
/** What the workers open sealed hashes with. */
export const testOpener = opener(parseSealPrivateKeys(testSealKeys.privateKeys));
/** What clients seal with: the public half only, as the API has it. */
export const testSealer = sealer(parseSealPublicKey(testSealKeys.publicKey));

export const testInviteTokens = { secret: 'test-secret-0123456789-0123456789-0123456789', validDurationSeconds: 3600 };

/** Messages "sent" by the default test transport (real SMTP delivery has its own test). */
export const sentMail: MailMessage[] = [];
export const testDelivery: DeliverySettings = {
  transport: { name: 'memory', send: async (m) => void sentMail.push(m) },
  acceptUrl: 'https://admin.example.test/invite',
};

/** The activities' dependencies as the tests' workers get them; override any part. */
export const testDeps = (store: Store, overrides: Partial<ActivityDeps> = {}): ActivityDeps => ({
  store,
  seal: testOpener,
  inviteTokens: testInviteTokens,
  delivery: testDelivery,
  ...overrides,
});

/** What a test file needs: the real database and Temporal server of this run, and a way to run workers. */
export interface Harness {
  prisma: PrismaClient;
  store: Store;
  client: Client;
  /** The real activities, for an override that wraps one of them. */
  realActivities: Activities;
  /** Run `fn` against the file's worker, with these activities replacing the real ones meanwhile. */
  withWorker<T>(fn: (ctx: UsermodClient) => Promise<T>, activities?: Partial<Activities>): Promise<T>;
  /** The file's worker for a server under test, with these activity overrides until `stop()`. */
  startWorker(activities?: Partial<Activities>): Promise<{ ctx: UsermodClient; stop(): Promise<void> }>;
  close(): Promise<void>;
}

export async function openHarness(): Promise<Harness> {
  const databaseUrl = process.env.DATABASE_URL!;
  const address = process.env.TEMPORAL_ADDRESS!;
  const workflowBundle = { code: readFileSync(process.env.USERMOD_TEST_BUNDLE!, 'utf8') };
  const prisma = createPrisma(databaseUrl);
  const store = createStore(prisma);
  const connection = await Connection.connect({ address });
  const native = await NativeConnection.connect({ address });
  const client = new Client({ connection, namespace: 'default', dataConverter: testDataConverter });
  const real = createActivities(testDeps(store));
  // As the API and worker do at start-up: declared policies and Super Admin exist (idempotent).
  await store.syncRbac();

  // One worker per test file (starting and draining a worker costs ~1.6 s). A test's activity overrides
  // are swapped in for the duration of its call: tests in a file run one after another, so a flow only
  // ever sees the overrides of the test that started it.
  let overrides: Partial<Activities> = {};
  const dispatch = Object.fromEntries(
    Object.keys(real).map((name) => [
      name,
      (...args: unknown[]) => {
        const fn = (overrides[name as keyof Activities] ?? real[name as keyof Activities]) as (
          ...a: unknown[]
        ) => unknown;
        return fn(...args);
      },
    ]),
  ) as unknown as Activities;
  const taskQueue = `test-${randomUUID()}`;
  const ctx: UsermodClient = { client, taskQueue, jwtSecret: testInviteTokens.secret, seal: testSealer };
  let running: { worker: Worker; done: Promise<void> } | undefined;
  const ensureWorker = async () => {
    if (running) return;
    const worker = await createWorker({
      connection: native,
      namespace: 'default',
      taskQueue,
      activities: dispatch,
      workflowBundle,
      dataConverter: testDataConverter,
    });
    running = { worker, done: worker.run() };
  };

  return {
    prisma,
    store,
    client,
    realActivities: real,
    async withWorker(fn, activities = {}) {
      await ensureWorker();
      overrides = activities;
      try {
        return await fn(ctx);
      } finally {
        overrides = {};
      }
    },
    async startWorker(activities = {}) {
      await ensureWorker();
      overrides = activities;
      return { ctx, stop: async () => void (overrides = {}) };
    },
    async close() {
      if (running) {
        running.worker.shutdown();
        await running.done;
      }
      await native.close();
      await connection.close();
      await prisma.$disconnect();
    },
  };
}

/** Every row of every usermod table, to prove a failed flow left the database exactly as it found it. */
export async function snapshot(prisma: PrismaClient) {
  const [users, invites, authIdentities, providerIdentities, events] = await Promise.all([
    prisma.user.findMany({ orderBy: { id: 'asc' } }),
    prisma.invite.findMany({ orderBy: { id: 'asc' } }),
    prisma.authIdentity.findMany({ orderBy: { id: 'asc' } }),
    prisma.providerIdentity.findMany({ orderBy: { id: 'asc' } }),
    prisma.event.findMany({ orderBy: { id: 'asc' } }),
  ]);
  // RBAC tables (issue 12).
  const [roles, rolePolicies, userRoles, inviteRoles, apiKeys, apiKeyRoles] = await Promise.all([
    prisma.rbacRole.findMany({ orderBy: { id: 'asc' } }),
    prisma.rbacRolePolicy.findMany({ orderBy: { id: 'asc' } }),
    prisma.userRbacRole.findMany({ orderBy: [{ user_id: 'asc' }, { role_id: 'asc' }] }),
    prisma.inviteRbacRole.findMany({ orderBy: [{ invite_id: 'asc' }, { role_id: 'asc' }] }),
    prisma.apiKey.findMany({ orderBy: { id: 'asc' } }),
    prisma.apiKeyRbacRole.findMany({ orderBy: [{ api_key_id: 'asc' }, { role_id: 'asc' }] }),
  ]);
  // What a one-task step keeps for its undo (store/accept.ts): gone once its run is done or undone.
  const undoRecords = await prisma.undoRecord.findMany({ orderBy: { id: 'asc' } });
  return {
    users,
    invites,
    authIdentities,
    providerIdentities,
    events,
    roles,
    rolePolicies,
    userRoles,
    inviteRoles,
    apiKeys,
    apiKeyRoles,
    undoRecords,
  };
}

export const uniqueEmail = (tag = 'user') => `${tag}-${randomUUID().slice(0, 8)}@example.com`;

/**
 * RBAC test setup: gives a user roles directly in the store (as an operator's CLI grant would), e.g. an
 * admin the tests log in as: `grantRoles(h, admin.id)` makes it a Super Admin.
 */
export async function grantRoles(h: Pick<Harness, 'store'>, userId: string, roleIds = ['role_super_admin']) {
  await h.store.restoreUserRoles(roleIds.map((role_id) => ({ user_id: userId, role_id })));
}
