// The benchmark's worker, in a process of its own so that its CPU and peak RSS are read apart from the
// client's and the API's. Settings come from the environment the benchmark sets.
import { readFileSync } from 'node:fs';
import { NativeConnection, Runtime, DefaultLogger } from '@temporalio/worker';
import { createActivities, type Activities } from '../activities';
import { fileTransport } from '../activities/mail-transport';
import { opener, parseSealPrivateKeys } from '../auth/seal';
import { parseCodecKeys, usermodDataConverter } from '../codec/aes-gcm-codec';
import { createStore } from '../store';
import { createPrisma } from '../store/prisma';
import { bundleWorkflows, createWorker } from '../worker/worker';
import { DEFAULT_POLICY } from '../domain';

const env = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (bench/main.ts sets it)`);
  return v;
};

async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const prisma = createPrisma(env('DATABASE_URL'));
  const store = createStore(prisma);
  const activities = {
    ...createActivities({
      store,
      seal: opener(parseSealPrivateKeys(env('BENCH_SEAL_KEYS'))),
      inviteTokens: { secret: env('BENCH_JWT_SECRET'), validDurationSeconds: 3600 },
      delivery: { transport: fileTransport(env('BENCH_OUTBOX')), acceptUrl: 'http://localhost/invite' },
    }),
    // The floors' activity: a round trip through Temporal that does nothing.
    benchNoop: async () => undefined,
  } as Activities;
  const connection = await NativeConnection.connect({ address: env('TEMPORAL_ADDRESS') });
  const worker = await createWorker({
    connection,
    namespace: 'default',
    taskQueue: env('BENCH_TASK_QUEUE'),
    activities,
    // Bundled by the benchmark beforehand, as the tests do: the worker's memory is then its own, not
    // webpack's (bundling in-process leaves ~150 MB more resident; README, Performance).
    workflowBundle: process.env.BENCH_BUNDLE
      ? { code: readFileSync(process.env.BENCH_BUNDLE, 'utf8') }
      : await bundleWorkflows(DEFAULT_POLICY, require.resolve('./workflows')),
    dataConverter: usermodDataConverter(parseCodecKeys(env('BENCH_PAYLOAD_KEYS'))),
    tuning: process.env.BENCH_WORKER_TUNING ? JSON.parse(process.env.BENCH_WORKER_TUNING) : undefined,
  });
  process.once('SIGTERM', () => worker.shutdown());
  const running = worker.run();
  if (process.env.BENCH_MEMLOG) logMemory(Number(process.env.BENCH_MEMLOG));
  console.log('ready');
  await running;
  await connection.close();
  await prisma.$disconnect();
}

/**
 * BENCH_MEMLOG=<ms>: where the worker's resident memory goes. Every <ms>, the main thread's V8 heap, the
 * memory V8 knows outside it (external, of which ArrayBuffers) and the rest of the RSS (the workflow
 * thread's isolate, the Rust core, code) are printed, with the peak of each so far.
 */
function logMemory(everyMs: number) {
  const mb = (b: number) => Math.round(b / 2 ** 20);
  const peak: Record<string, number> = {};
  setInterval(() => {
    const m = process.memoryUsage();
    const now = {
      rss: mb(m.rss),
      heapTotal: mb(m.heapTotal),
      heapUsed: mb(m.heapUsed),
      external: mb(m.external),
      arrayBuffers: mb(m.arrayBuffers),
      rest: mb(m.rss - m.heapTotal - m.external),
    };
    for (const [k, v] of Object.entries(now)) peak[k] = Math.max(peak[k] ?? 0, v);
    const fmt = (o: Record<string, number>) =>
      Object.entries(o)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
    console.log(`mem MB ${fmt(now)} | peak ${fmt(peak)}`);
  }, everyMs).unref();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
