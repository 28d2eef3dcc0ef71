// npm start — the whole stack on one machine: Temporal dev server + Web UI (unless TEMPORAL_ADDRESS
// names a cluster), PostgreSQL (DATABASE_URL or the embedded one), migrations, and a worker.
// Ctrl-C stops all of it, newest first.
import { join } from 'node:path';
import { loadConfig, projectRoot } from '../config';
import { openAppDatabase } from '../infra/database';
import { logger } from '../infra/logger';
import { migrate } from '../infra/migrate';
import { ensureTemporalCli } from '../infra/temporal-cli';
import { startDevServer } from '../infra/temporal-server';
import { runWorker } from '../worker/main';

async function main() {
  const config = loadConfig();
  const stops: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((err) => logger.error({ err }, 'stop failed'));
  };
  const abort = new AbortController();
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping usermod`);
    abort.abort();
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  try {
    let temporalAddress = config.temporal.address;
    let uiUrl: string | undefined;
    const [db] = await Promise.all([
      openAppDatabase(config),
      (async () => {
        if (temporalAddress) return;
        const cliPath = await ensureTemporalCli((l) => logger.info(l));
        const server = await startDevServer({
          cliPath,
          port: config.temporal.devPort,
          uiPort: config.temporal.uiPort,
          dbFile: join(config.dataDir, 'temporal.sqlite'),
          namespace: config.temporal.namespace,
          inheritOutput: true,
        });
        stops.push(server.stop);
        temporalAddress = server.address;
        uiUrl = server.uiUrl;
      })(),
    ]);
    stops.push(db.stop);
    const migrated = await migrate(db.url, join(projectRoot, 'prisma', 'migrations'));
    if (migrated.applied.length) logger.info({ applied: migrated.applied }, 'migrations applied');

    const worker = runWorker({ databaseUrl: db.url, temporalAddress: temporalAddress!, signal: abort.signal });
    console.log(
      [
        '',
        'usermod is running',
        `  Temporal frontend  ${temporalAddress}  (namespace ${config.temporal.namespace}, task queue ${config.temporal.taskQueue})`,
        uiUrl ? `  Temporal Web UI    ${uiUrl}` : '  Temporal Web UI    (external cluster: use its own UI)',
        `  Database           ${db.embedded ? `embedded PostgreSQL 15 in ${join(config.dataDir, 'postgres')}` : 'DATABASE_URL'}`,
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
    await worker;
  } finally {
    await stopAll();
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    logger.error({ err }, 'usermod failed to start');
    process.exit(1);
  },
);
