import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createActivities, type Activities } from '../activities';
import type { MailTransport } from '../activities/mail-transport';
import { parseCodecKeys, usermodDataConverter } from '../codec/aes-gcm-codec';
import { appDatabaseUrl, ConfigError, loadConfig, type Config } from '../config';
import { temporalConnectionOptions } from '../infra/temporal-connection';
import { createStore } from '../store';
import { createPrisma } from '../store/prisma';
import { ensureInviteExpirySchedule } from './invite-expiry-schedule';
import { ensureSearchAttributes } from './search-attributes';
import { ensureWebhookRelaySchedule } from './webhook-relay-schedule';
import { eventSubscribers, type EventHandler } from '../activities/webhooks';
import type { EventName } from '../domain';
import { workerActivityDeps } from './activity-deps';
import { bundleWorkflows, createWorker } from './worker';

export interface CreateUsermodWorkerOptions {
  /** usermod's configuration; default: read from the environment (README "Configuration"). */
  config?: Config;
  /** The application's own connection; default: one to `address`, closed with the worker. */
  connection?: NativeConnection;
  /** Temporal's address when no connection is given; default the configured one, else localhost:7233. */
  address?: string;
  /** Default: the configured DATABASE_URL (or `npm start`'s embedded PostgreSQL). */
  databaseUrl?: string;
  namespace?: string;
  /** The queue the service starts flows on; default the configured one (`usermod`). */
  taskQueue?: string;
  /** Secrets, when not from the configuration: the same as the service's. */
  jwtSecret?: string;
  /** Private seal keys (`id:base64[,...]`, USERMOD_SEAL_KEYS): they open the hashes in flows. */
  sealKeys?: string;
  /** Payload encryption keys (`id:base64key[,...]`, USERMOD_PAYLOAD_KEYS). */
  payloadKeys?: string;
  /** Where invite and reset mails go; default the configured transport (a file, or SMTP). */
  mailTransport?: MailTransport;
  /** Create (or update) the invite-expiry and outbox-relay schedules on start; default true. */
  schedules?: boolean;
  /** The installation's webhook key (USERMOD_WEBHOOK_KEY, base64 of 32 bytes): reads the signing secrets. */
  webhookKey?: string;
  /** Outbox relay and deliveries; default the configured ones (WEBHOOK_*). */
  webhooks?: Partial<Config['webhooks']> & { relayScheduleId?: string };
}

export interface UsermodWorker {
  /** The Temporal Worker: `run()` until `shutdown()`; `runUntil(promise)`. */
  worker: Worker;
  /** The activities the worker runs (for an application's own workflows that reuse them). */
  activities: Activities;
  /**
   * An in-process subscriber: `onEvent('invite.accepted', async (e) => ...)`. It runs as part of the
   * outbox relay's `publishEvent` activity, before the event counts as published: retried when it
   * throws (at least once), events in order. Register before `run()`.
   */
  onEvent(name: EventName | '*', handler: EventHandler): void;
  /** Runs the worker until it is shut down, then closes what the factory opened. */
  run(): Promise<void>;
  shutdown(): void;
}

/**
 * usermod's workflows and activities in an application's own worker process: one Temporal Worker on
 * usermod's task queue, over the application's Temporal connection and database.
 */
export async function createUsermodWorker(options: CreateUsermodWorkerOptions = {}): Promise<UsermodWorker> {
  const config = options.config ?? loadConfig();
  const sealKeys = options.sealKeys ?? config.sealKeys;
  if (!sealKeys)
    throw new ConfigError('createUsermodWorker needs sealKeys (USERMOD_SEAL_KEYS): workers open sealed hashes');
  const namespace = options.namespace ?? config.temporal.namespace;
  const taskQueue = options.taskQueue ?? config.temporal.taskQueue;
  const address = options.address ?? config.temporal.address ?? 'localhost:7233';
  const dataConverter = usermodDataConverter(parseCodecKeys(options.payloadKeys ?? config.payloadKeys));
  const prisma = createPrisma(options.databaseUrl ?? appDatabaseUrl(config));
  const connectionOptions = temporalConnectionOptions(config, address);
  const connection = options.connection ?? (await NativeConnection.connect(connectionOptions));
  // The schedules and the reconciler use a client of the worker's own.
  const clientConnection = await Connection.connect(connectionOptions);
  const client = new Client({ connection: clientConnection, namespace, dataConverter });
  const webhooks = { ...config.webhooks, ...options.webhooks };
  const subscribers = eventSubscribers();
  const store = createStore(prisma);
  // RBAC: declared policies and the Super Admin role (*:*) exist after every start, as with usermod's own worker.
  await store.syncRbac();
  const activities = createActivities(
    workerActivityDeps(
      { ...config, webhooks },
      {
        store,
        temporal: client,
        sealKeys,
        jwtSecret: options.jwtSecret,
        transport: options.mailTransport,
        webhookKey: options.webhookKey,
        subscribers,
      },
    ),
  );
  await ensureSearchAttributes(client, namespace);
  if (options.schedules ?? true) {
    await ensureInviteExpirySchedule(client, { taskQueue, ...config.expiry });
    if (webhooks.relayIntervalSeconds > 0) {
      await ensureWebhookRelaySchedule(client, {
        taskQueue,
        intervalSeconds: webhooks.relayIntervalSeconds,
        delivery: webhooks,
        scheduleId: webhooks.relayScheduleId,
      });
    }
  }
  const worker = await createWorker({
    connection,
    namespace,
    taskQueue,
    activities,
    workflowBundle: await bundleWorkflows(config.flows),
    dataConverter,
  });
  const closeAll = async () => {
    await clientConnection.close();
    if (!options.connection) await connection.close();
    await prisma.$disconnect();
  };
  return {
    worker,
    activities,
    onEvent: subscribers.onEvent,
    run: () => worker.run().finally(closeAll),
    shutdown: () => worker.shutdown(),
  };
}
