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
import { parseCodecKeys } from '../codec/aes-gcm-codec';
import { buildCodecServer } from '../codec/server';
import { runWorker } from '../worker/main';
import { startApi } from '../api/main';

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
    // The codec server lets the Web UI show decrypted payloads (browser → this server, never Temporal).
    const codec = await buildCodecServer({ keys: parseCodecKeys(config.payloadKeys), token: config.codecServer.token, uiOrigins: config.codecServer.uiOrigins });
    await codec.listen({ host: '127.0.0.1', port: config.codecServer.port });
    stops.push(() => codec.close());
    const codecUrl = `http://localhost:${config.codecServer.port}${config.codecServer.token ? `/${config.codecServer.token}` : ''}`;

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
          codecEndpoint: codecUrl,
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
    const api = await startApi({ config, databaseUrl: db.url, temporalAddress: temporalAddress! });
    stops.push(api.close);
    console.log(
      [
        '',
        'usermod is running',
        `  Admin API          ${api.url}  (OpenAPI: ${api.url}/docs, health: ${api.url}/health)`,
        `  Web app            ${api.url}/app/  (admin console; the invite and reset pages the mails link to)`,
        `  Temporal frontend  ${temporalAddress}  (namespace ${config.temporal.namespace}, task queue ${config.temporal.taskQueue})`,
        uiUrl ? `  Temporal Web UI    ${uiUrl}` : '  Temporal Web UI    (external cluster: use its own UI)',
        `  Codec server       http://localhost:${config.codecServer.port}  (the UI decodes payloads through it)`,
        `  Invite mail        ${config.mail.transport === 'smtp' ? 'SMTP' : config.mail.outboxFile}`,
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
