// npm run bench — what usermod's flows cost on this machine, beside the floors they stand on, measured in
// the same run: a PostgreSQL insert through the store, a Temporal frontend round trip, one scrypt hash.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger } from '@temporalio/worker';
import { createActivities } from '../activities';
import { generateSealKeys, opener, parseSealPrivateKeys, parseSealPublicKey, sealer } from '../auth/seal';
import { hashPassword } from '../auth/password';
import { acceptInvite, createInvites, createUsers, type InviteWithToken, type UsermodClient } from '../client';
import { usermodDataConverter } from '../codec/aes-gcm-codec';
import { projectRoot } from '../config';
import { fileTransport } from '../activities/mail-transport';
import { startEphemeralServer } from '../devstack/database';
import { createDatabase } from '../devstack/postgres-admin';
import { migrate } from '../devstack/migrate';
import { ensureTemporalCli } from '../devstack/temporal-cli';
import { startDevServer } from '../devstack/temporal-server';
import { createStore } from '../store';
import { createPrisma } from '../store/prisma';
import { bundleWorkflows, createWorker } from '../worker/worker';
import { freePort } from '../devstack/free-port';

const N = Number(process.env.BENCH_N ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);

function stats(ms: number[], wallMs: number) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(1);
  return {
    n: s.length,
    'ops/s': ((s.length / wallMs) * 1000).toFixed(1),
    'p50 ms': q(0.5),
    'p95 ms': q(0.95),
    'max ms': s[s.length - 1].toFixed(1),
  };
}

async function measure(n: number, concurrency: number, op: (i: number) => Promise<unknown>) {
  const times: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const t = performance.now();
        await op(i);
        times.push(performance.now() - t);
      }
    }),
  );
  return stats(times, performance.now() - start);
}

async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const cliPath = await ensureTemporalCli((l) => console.error(l));
  const [temporal, pg] = await Promise.all([
    freePort().then((port) => startDevServer({ cliPath, port })),
    freePort().then(startEphemeralServer),
  ]);
  const url = await createDatabase(pg.adminUrl, 'usermod_bench');
  await migrate(url, join(projectRoot, 'prisma', 'migrations'));
  const prisma = createPrisma(url, 20);
  const store = createStore(prisma);
  const dataConverter = usermodDataConverter([{ id: 'bench', key: Buffer.alloc(32, 1) }]);
  const secret = 'bench-secret-0123456789-0123456789-0123';
  const native = await NativeConnection.connect({ address: temporal.address });
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, dataConverter });
  const taskQueue = `bench-${randomUUID()}`;
  const benchSeal = generateSealKeys('bench');
  const worker = await createWorker({
    connection: native,
    namespace: 'default',
    taskQueue,
    workflowBundle: await bundleWorkflows(),
    dataConverter,
    activities: createActivities({
      store,
      seal: opener(parseSealPrivateKeys(benchSeal.privateKeys)),
      inviteTokens: { secret, validDurationSeconds: 3600 },
      delivery: {
        transport: fileTransport(join(mkdtempSync(join(tmpdir(), 'usermod-bench-')), 'outbox.jsonl')),
        acceptUrl: 'http://localhost/invite',
      },
    }),
  });
  const ctx: UsermodClient = {
    client,
    taskQueue,
    jwtSecret: secret,
    seal: sealer(parseSealPublicKey(benchSeal.publicKey)),
  };
  const email = (tag: string, i: number) => `${tag}-${i}-${randomUUID().slice(0, 6)}@bench.test`;

  const rows: Record<string, Record<string, string | number>> = {};
  await worker.runUntil(async () => {
    rows['floor: store.createUsers (1 user, PostgreSQL)'] = await measure(N, CONCURRENCY, (i) =>
      store.createUsers([{ email: email('raw', i) }]),
    );
    rows['floor: Temporal getSystemInfo round trip'] = await measure(N, CONCURRENCY, () =>
      client.workflowService.getSystemInfo({}),
    );
    rows['floor: scrypt hash (logN 15)'] = await measure(Math.min(N, 40), 2, () => hashPassword('bench password 1'));
    rows['createUsersWorkflow (1 user)'] = await measure(N, CONCURRENCY, (i) =>
      createUsers(ctx, [{ email: email('wf', i) }]),
    );
    const invites: InviteWithToken[] = [];
    rows['createInvitesWorkflow (1 invite + delivery)'] = await measure(N, CONCURRENCY, async (i) =>
      invites.push(...(await createInvites(ctx, [{ email: email('inv', i) }]))),
    );
    const n = Math.min(N, 60);
    rows['acceptInviteWorkflow (one step, incl. scrypt)'] = await measure(n, CONCURRENCY, (i) =>
      acceptInvite(ctx, { token: invites[i].token, password: 'bench password 1' }),
    );
  });
  console.log(
    `\nusermod benchmark — ${N} runs per row (accept: ${Math.min(N, 60)}), concurrency ${CONCURRENCY}, one worker, dev server in memory, embedded PostgreSQL, payloads encrypted`,
  );
  console.table(rows);

  await native.close();
  await connection.close();
  await prisma.$disconnect();
  await temporal.stop();
  await pg.stop();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
