import type { Client } from '@temporalio/client';
import type { ActivityDeps } from '../activities';
import { fileTransport, smtpTransport, type MailTransport } from '../activities/mail-transport';
import type { EventSubscribers } from '../activities/webhooks';
import { opener, parseSealPrivateKeys } from '../auth/seal';
import { ConfigError, type Config } from '../config';
import type { Store } from '../store';

/** The configured mail transport: SMTP, or the outbox file. */
export function mailTransport(config: Config): MailTransport {
  return config.mail.transport === 'smtp'
    ? smtpTransport(config.mail.smtpUrl!, config.mail.from)
    : fileTransport(config.mail.outboxFile);
}

/**
 * What a worker's activities are built from, read from the configuration: usermod's own worker
 * (worker/main.ts) and an application's (createUsermodWorker) build them the same way. The private
 * seal keys open the hashes flows carry: a worker cannot run without them.
 */
export function workerActivityDeps(
  config: Config,
  parts: {
    store: Store;
    temporal: Client;
    sealKeys?: string;
    jwtSecret?: string;
    transport?: MailTransport;
    webhookKey?: string;
    subscribers?: EventSubscribers;
  },
): ActivityDeps {
  const sealKeys = parts.sealKeys ?? config.sealKeys;
  if (!sealKeys) {
    throw new ConfigError(
      'USERMOD_SEAL_KEYS is not set: workers open the sealed password and token hashes in workflow payloads with it',
    );
  }
  return {
    store: parts.store,
    seal: opener(parseSealPrivateKeys(sealKeys)),
    inviteTokens: {
      secret: parts.jwtSecret ?? config.jwtSecret,
      validDurationSeconds: config.invites.validDurationSeconds,
    },
    delivery: {
      transport: parts.transport ?? mailTransport(config),
      acceptUrl: config.invites.acceptUrl,
      resetUrl: config.invites.resetUrl,
    },
    temporal: parts.temporal,
    webhooks: {
      key: parts.webhookKey ?? config.webhooks.key,
      timeoutSeconds: config.webhooks.timeoutSeconds,
      allowPrivateUrls: config.webhooks.allowPrivateUrls,
      subscribers: parts.subscribers,
    },
  };
}
