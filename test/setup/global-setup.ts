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
  const cliPath = await ensureTemporalCli();
  const [temporal, db] = await Promise.all([
    freePort().then((port) => startDevServer({ cliPath, port })),
    (async () => {
      const dbName = `usermod_test_${Date.now()}_${process.pid}`;
      if (process.env.DATABASE_URL) {
        const adminUrl = process.env.DATABASE_URL;
        return { adminUrl, dbName, url: await createDatabase(adminUrl, dbName), dbServer: undefined };
      }
      const dbServer = await startEphemeralServer(await freePort());
      return { adminUrl: dbServer.adminUrl, dbName, url: await createDatabase(dbServer.adminUrl, dbName), dbServer };
    })(),
  ]);
  await migrate(db.url, join(projectRoot, 'prisma', 'migrations'));
  mkdirSync(join(projectRoot, '.cache'), { recursive: true });
  writeFileSync(BUNDLE_PATH, (await bundleWorkflows()).code);

  const stack: TestStack = { temporal, dbServer: db.dbServer, adminUrl: db.adminUrl, dbName: db.dbName };
  (globalThis as { __usermodStack?: TestStack }).__usermodStack = stack;
  process.env.USERMOD_TEST_ADMIN_URL = db.adminUrl;
  process.env.DATABASE_URL = db.url;
  process.env.TEMPORAL_ADDRESS = temporal.address;
  process.env.USERMOD_TEST_BUNDLE = BUNDLE_PATH;
  console.log(`\n[setup] temporal ${temporal.address}, database ${db.url.replace(/:[^:@/]*@/, ':***@')}, ready in ${Date.now() - started} ms`);
}
