import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../config';
import { startEphemeralServer, type DatabaseServer } from '../../devstack/database';
import { createDatabase } from '../../devstack/postgres-admin';
import { migrate } from '../../devstack/migrate';
import { ensureTemporalCli } from '../../devstack/temporal-cli';
import { startDevServer, type DevServer } from '../../devstack/temporal-server';
import { bundleWorkflows } from '../../worker/worker';
import { freePort } from '../../devstack/free-port';

export const BUNDLE_PATH = join(projectRoot, '.cache', 'test-workflow-bundle.js');
export const PIDS_PATH = join(projectRoot, '.cache', 'test-stack-pids.json');
type StartDb = () => Promise<{ adminUrl: string; dbName: string; url: string; dbServer?: DatabaseServer }>;

export interface TestStack {
  temporal: DevServer;
  dbServer?: DatabaseServer;
  adminUrl: string;
  dbName: string;
}

/**
 * One real stack for the whole run: a headless Temporal dev server (the pinned CLI build), a fresh
 * database on DATABASE_URL's server (else an embedded PostgreSQL in a temp dir) with the migrations
 * applied, and the workflow bundle built once.
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  // Quiet by default: expected refusals print nothing. TEST_LOG_LEVEL=info (or debug) to see logs.
  process.env.LOG_LEVEL = (process.env.TEST_LOG_LEVEL ?? 'error').toLowerCase();
  const cliPath = await ensureTemporalCli();
  // Jest skips the global teardown when the setup throws: stop what did start, then fail with the cause.
  const parts = await Promise.allSettled([
    freePort().then((port) => startDevServer({ cliPath, port })),
    (async () => {
      const dbName = `usermod_test_${Date.now()}_${process.pid}`;
      if (process.env.DATABASE_URL) {
        const adminUrl = process.env.DATABASE_URL;
        return { adminUrl, dbName, url: await createDatabase(adminUrl, dbName), dbServer: undefined };
      }
      const dbServer = await startEphemeralServer(await freePort());
      try {
        return { adminUrl: dbServer.adminUrl, dbName, url: await createDatabase(dbServer.adminUrl, dbName), dbServer };
      } catch (err) {
        await dbServer.stop();
        throw err;
      }
    })(),
  ]);
  const [temporal, db] = parts.map((p) => (p.status === 'fulfilled' ? p.value : undefined)) as [
    DevServer | undefined,
    Awaited<ReturnType<StartDb>> | undefined,
  ];
  // If this process dies anyway, scripts/test.sh stops these by pid.
  mkdirSync(join(projectRoot, '.cache'), { recursive: true });
  writeFileSync(PIDS_PATH, JSON.stringify([temporal?.pid, db?.dbServer?.pid].filter(Boolean)));
  try {
    const failed = parts.find((p): p is PromiseRejectedResult => p.status === 'rejected');
    if (failed) throw failed.reason;
    await migrate(db!.url, join(projectRoot, 'prisma', 'migrations'));
    writeFileSync(BUNDLE_PATH, (await bundleWorkflows()).code);
  } catch (err) {
    await temporal?.stop();
    await db?.dbServer?.stop();
    throw new Error(`test stack failed to start: ${(err as Error).message}`);
  }

  const stack: TestStack = { temporal: temporal!, dbServer: db!.dbServer, adminUrl: db!.adminUrl, dbName: db!.dbName };
  (globalThis as { __usermodStack?: TestStack }).__usermodStack = stack;
  process.env.USERMOD_TEST_ADMIN_URL = db!.adminUrl;
  process.env.DATABASE_URL = db!.url;
  process.env.TEMPORAL_ADDRESS = temporal!.address;
  process.env.USERMOD_TEST_BUNDLE = BUNDLE_PATH;
  process.stdout.write(
    `\n[setup] temporal ${temporal!.address}, database ${db!.dbName}, ready in ${Date.now() - started} ms\n`,
  );
}
