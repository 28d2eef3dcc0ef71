// A stateless usermod worker: run as many as you like against the same Temporal namespace and database.
import { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../activities';
import { loadConfig } from '../config';
import { logger } from '../infra/logger';
import { temporalConnectionOptions } from '../infra/temporal-connection';
import { createStore } from '../store';
import { createPrisma } from '../store/prisma';
import { bundleWorkflows, createWorker } from './worker';
import { parseCodecKeys, usermodDataConverter } from '../codec/aes-gcm-codec';

export async function runWorker(opts: { databaseUrl: string; temporalAddress: string; signal?: AbortSignal }) {
  const config = loadConfig();
  const prisma = createPrisma(opts.databaseUrl);
  const connection = await NativeConnection.connect(temporalConnectionOptions(config, opts.temporalAddress));
  try {
    const worker = await createWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      activities: createActivities({
        store: createStore(prisma),
        inviteTokens: { secret: config.jwtSecret, validDurationSeconds: config.invites.validDurationSeconds },
      }),
      workflowBundle: await bundleWorkflows(),
      dataConverter: usermodDataConverter(parseCodecKeys(config.payloadKeys)),
    });
    opts.signal?.addEventListener('abort', () => worker.shutdown());
    logger.info({ taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace }, 'worker running');
    // Worker.run() resolves after a graceful drain; the SDK's runtime handles SIGINT/SIGTERM for it.
    await worker.run();
  } finally {
    await connection.close();
    await prisma.$disconnect();
  }
}

if (require.main === module) {
  const config = loadConfig();
  if (!config.databaseUrl || !config.temporal.address) {
    logger.error('worker/main needs DATABASE_URL and TEMPORAL_ADDRESS (npm start runs a worker for you)');
    process.exit(2);
  }
  runWorker({ databaseUrl: config.databaseUrl, temporalAddress: config.temporal.address }).catch((err) => {
    logger.error({ err }, 'worker failed');
    process.exit(1);
  });
}
