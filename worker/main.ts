// A stateless usermod worker: run as many as you like against the same Temporal namespace and database.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../activities';
import { loadConfig, type Config } from '../config';
import { parseCodecKeys, usermodDataConverter } from '../codec/aes-gcm-codec';
import { logger } from '../infra/logger';
import { failStartup, standaloneTargets } from '../infra/standalone';
import { temporalConnectionOptions } from '../infra/temporal-connection';
import { ensureInviteExpirySchedule } from './invite-expiry-schedule';
import { ensureReconcileSchedule } from './reconcile-schedule';
import { ensureSearchAttributes } from './search-attributes';
import { ensureWebhookRelaySchedule } from './webhook-relay-schedule';
import { freePort } from '../devstack/free-port';
import { installRuntime } from '../infra/runtime';
import { serveMetrics, watchCompensations } from '../metrics';
import { createStore } from '../store';
import { createPrisma } from '../store/prisma';
import { workerActivityDeps } from './activity-deps';
import { bundleWorkflows, createWorker } from './worker';

export async function runWorker(opts: { databaseUrl: string; temporalAddress: string; signal?: AbortSignal }) {
  const config = loadConfig();
  const prisma = createPrisma(opts.databaseUrl);
  const dataConverter = usermodDataConverter(parseCodecKeys(config.payloadKeys));
  const connectionOptions = temporalConnectionOptions(config, opts.temporalAddress);
  const connection = await NativeConnection.connect(connectionOptions);
  const clientConnection = await Connection.connect(connectionOptions);
  try {
    const client = new Client({ connection: clientConnection, namespace: config.temporal.namespace, dataConverter });
    await ensureSearchAttributes(client, config.temporal.namespace);
    // RBAC: declared policies and the Super Admin role (*:*) exist after every start.
    const store = createStore(prisma);
    await store.syncRbac();
    const worker = await createWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      activities: createActivities(workerActivityDeps(config, { store, temporal: client })),
      workflowBundle: await bundleWorkflows(config.flows),
      dataConverter,
    });
    // Every worker start brings the schedules to the configured spec (idempotent).
    const scheduleId = await ensureInviteExpirySchedule(client, {
      taskQueue: config.temporal.taskQueue,
      intervalSeconds: config.expiry.intervalSeconds,
      batchSize: config.expiry.batchSize,
      retentionSeconds: config.expiry.retentionSeconds,
    });
    const reconcileScheduleId = await ensureReconcileSchedule(client, {
      taskQueue: config.temporal.taskQueue,
      ...config.reconciler,
    });
    if (config.webhooks.relayIntervalSeconds > 0) {
      await ensureWebhookRelaySchedule(client, {
        taskQueue: config.temporal.taskQueue,
        intervalSeconds: config.webhooks.relayIntervalSeconds,
        delivery: config.webhooks,
      });
    }
    // The compensations gauge on /metrics reads Temporal's visibility: flows flagged UsermodCompensating.
    watchCompensations(client);
    const metricsServer = config.metrics.workerPort ? await serveMetrics(config.metrics.workerPort) : undefined;
    opts.signal?.addEventListener('abort', () => worker.shutdown());
    logger.info(
      {
        taskQueue: config.temporal.taskQueue,
        namespace: config.temporal.namespace,
        mail: config.mail.transport,
        schedules: [scheduleId, reconcileScheduleId].filter(Boolean),
        ...(metricsServer ? { metrics: `http://127.0.0.1:${config.metrics.workerPort}/metrics` } : {}),
      },
      'worker running',
    );
    // Worker.run() resolves after a graceful drain; the SDK's runtime handles SIGINT/SIGTERM for it.
    await worker.run().finally(() => metricsServer?.close());
  } finally {
    await clientConnection.close();
    await connection.close();
    await prisma.$disconnect();
  }
}

if (require.main === module) {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    failStartup('the worker', err);
  }
  const targets = standaloneTargets(config, 'the worker');
  (async () => {
    installRuntime({ logLevel: 'WARN', sdkMetricsPort: config.metrics.sdkPort || (await freePort()) });
    await runWorker(targets);
  })().catch((err) => failStartup('the worker', err));
}
