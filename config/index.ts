import { resolve } from 'node:path';
import { StartupError } from '../infra/startup-error';
import type { FlowPolicy } from '../domain';
import { DEFAULT_HARDENING, type HardeningSettings } from './security';
import { parseSealPrivateKeys, parseSealPublicKey } from '../auth/seal';
import { readLocalSecrets, secretsFile, type LocalSecrets } from './secrets';
import { loadTemporalConnection, type TemporalConnectionSettings } from './temporal';

export type { TemporalConnectionSettings } from './temporal';

/** Everything usermod reads from the environment, in one place (README "Configuration"). */
export interface Config {
  /** PostgreSQL URL; when unset an embedded PostgreSQL 15 is started in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  embeddedPgPort: number;
  /** Temporal's own settings (config/temporal.ts), plus usermod's task queue and dev-server ports. */
  temporal: TemporalConnectionSettings & {
    taskQueue: string;
    devPort: number;
    uiPort: number;
    cliPath?: string;
    /** Base URL of the Temporal Web UI the web app links runs to. */
    uiUrl: string;
  };
  /** Password of the embedded PostgreSQL (from the local secrets file), when DATABASE_URL is unset. */
  embeddedPgPassword?: string;
  /** Public base URL of the API and web app (mail links are built from it). */
  publicUrl: string;
  /** HS256 secret for invite tokens (and the admin API's bearer tokens). */
  jwtSecret: string;
  /** AES-256-GCM keys for Temporal payloads, `id:base64key[,id:base64key...]`; the first encrypts. */
  payloadKeys: string;
  /**
   * Sealed values (auth/seal.ts): password and token hashes in workflow payloads are sealed to this
   * X25519 public key (`id:base64`); only workers hold the private keys (`sealKeys`) that open them.
   */
  sealPublicKey: string;
  /** USERMOD_SEAL_KEYS: the private keys, `id:base64[,...]`, first = current; workers need them. */
  sealKeys?: string;
  invites: {
    /** THE invite lifetime, in seconds: both the database expiry and the token's `exp`. */
    validDurationSeconds: number;
    /** Page the invitee opens; the token is added as `?token=`. */
    acceptUrl: string;
    /** Password-reset page; the token is added as `?token=`. */
    resetUrl: string;
  };
  api: {
    port: number;
    /** Lifetime of the admin API's bearer tokens, e.g. `1d`, `2h`. */
    jwtExpiresIn: string;
    /** What the API exposes and how it limits guessing (README "Security"). */
    hardening: HardeningSettings;
    adminEmail?: string;
    adminPassword?: string;
  };
  mail: {
    /** `file` (default: messages appended to `<dataDir>/mail/outbox.jsonl`) or `smtp`. */
    transport: 'file' | 'smtp';
    /** nodemailer SMTP URL, e.g. smtp://user:pass@host:587 */
    smtpUrl?: string;
    from: string;
    outboxFile: string;
  };
  expiry: {
    /** How often the expiry schedule runs. */
    intervalSeconds: number;
    batchSize: number;
    /** Expired and revoked invites older than this are purged; 0 keeps them. */
    retentionSeconds: number;
  };
  /** How long flows try (fixed into the worker's workflow bundle): domain/policy.ts. */
  flows: FlowPolicy;
  reconciler: {
    /** How often the reconciler schedule runs; 0: no schedule. */
    intervalSeconds: number;
    /** Report what it would repair without repairing it. */
    dryRun: boolean;
    /** Claims younger than this are left alone (an accept may still be about to own them). */
    graceSeconds: number;
  };
  metrics: {
    /** GET /metrics on its own port for a worker run without the API (0: none). */
    workerPort: number;
    /** Port of the Temporal SDK's Prometheus exporter on 127.0.0.1 (0: a free one); read through /metrics. */
    sdkPort: number;
  };
  codecServer: {
    port: number;
    /** When set, /encode and /decode need `Authorization: Bearer <token>` or the `/<token>/decode` path. */
    token?: string;
    /** Origins allowed by CORS: the Temporal Web UI. */
    uiOrigins: string[];
  };
  logLevel: string;
  webhooks: {
    /** base64 of 32 bytes (USERMOD_WEBHOOK_KEY): encrypts the webhooks' signing secrets at rest. */
    key?: string;
    /** How often the outbox relay schedule publishes recorded events (WEBHOOK_RELAY_INTERVAL); 0: no schedule. */
    relayIntervalSeconds: number;
    /** How long one delivery is retried before it is recorded as failed (WEBHOOK_RETRY_WINDOW). */
    retryWindowSeconds: number;
    /** The longest wait between two attempts (WEBHOOK_RETRY_MAX_INTERVAL). */
    maxRetryIntervalSeconds: number;
    /** One attempt's HTTP timeout (WEBHOOK_TIMEOUT). */
    timeoutSeconds: number;
    /** Deliver to loopback and private network addresses too (WEBHOOK_ALLOW_PRIVATE_URLS; default: public only). */
    allowPrivateUrls: boolean;
  };
}

/** A setting usermod cannot run with; the message names the variable and what to do. */
export class ConfigError extends Error {}

function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${name} must be a non-negative integer, got '${raw}'`);
  return n;
}

const str = (name: string): string | undefined => process.env[name] || undefined;

function positive(name: string, fallback: number): number {
  const n = int(name, fallback);
  if (n === 0) throw new ConfigError(`${name} must be at least 1`);
  return n;
}

export const projectRoot = resolve(__dirname, '..');

const missingSecret = (name: string, dataDir: string, what: string) =>
  new ConfigError(
    `${name} is not set (${what}): set it, or run \`npm start\` once to create this installation's secrets in ${secretsFile(dataDir)}`,
  );

function jwtSecret(local: LocalSecrets | undefined, dataDir: string): string {
  const secret = str('JWT_SECRET');
  if (secret) {
    if (secret.length < 32) throw new ConfigError('JWT_SECRET must be at least 32 characters long');
    return secret;
  }
  if (local) return local.jwtSecret;
  throw missingSecret('JWT_SECRET', dataDir, 'invite, reset and session tokens are signed with it');
}

function payloadKeys(local: LocalSecrets | undefined, dataDir: string): string {
  const keys = str('USERMOD_PAYLOAD_KEYS');
  if (keys) return keys;
  if (local) return local.payloadKeys;
  throw missingSecret('USERMOD_PAYLOAD_KEYS', dataDir, 'Temporal payloads are encrypted with it');
}

function sealKeys(local: LocalSecrets | undefined, dataDir: string): { sealKeys?: string; sealPublicKey: string } {
  const privateKeys = str('USERMOD_SEAL_KEYS') ?? (str('USERMOD_SEAL_PUBLIC_KEY') ? undefined : local?.sealKeys);
  let publicKey = str('USERMOD_SEAL_PUBLIC_KEY') ?? (privateKeys ? undefined : local?.sealPublicKey);
  try {
    if (privateKeys) {
      const [current] = parseSealPrivateKeys(privateKeys);
      publicKey ??= `${current.id}:${current.publicKey.toString('base64')}`;
    }
    if (publicKey) parseSealPublicKey(publicKey);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  if (!publicKey) {
    throw missingSecret(
      'USERMOD_SEAL_KEYS',
      dataDir,
      'password and token hashes in workflow payloads are sealed with it',
    );
  }
  return { sealKeys: privateKeys, sealPublicKey: publicKey };
}

function bool(name: string, fallback: boolean): boolean {
  const raw = str(name);
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got '${raw.slice(0, 40)}'`);
}

/** TRUST_PROXY: `true`/`false`, a hop count, or the proxies' addresses (Fastify's trustProxy). */
function trustProxy(): boolean | number | string {
  const raw = str('TRUST_PROXY');
  if (raw === undefined || ['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  if (['true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw; // e.g. `127.0.0.1,10.0.0.0/8`
}

function hardening(): HardeningSettings {
  const d = DEFAULT_HARDENING.limits;
  const positive = (name: string, fallback: number) => {
    const n = int(name, fallback);
    if (n === 0) throw new ConfigError(`${name} must be at least 1`);
    return n;
  };
  return {
    docs: bool('API_DOCS', true),
    trustProxy: trustProxy(),
    limits: {
      windowSeconds: positive('RATE_LIMIT_WINDOW', d.windowSeconds),
      perIp: positive('RATE_LIMIT_PER_IP', d.perIp),
      perIdentifier: positive('RATE_LIMIT_PER_IDENTIFIER', d.perIdentifier),
      loginFailures: positive('LOGIN_LOCKOUT_AFTER', d.loginFailures),
      lockoutSeconds: positive('LOGIN_LOCKOUT_SECONDS', d.lockoutSeconds),
      lockoutMaxSeconds: positive('LOGIN_LOCKOUT_MAX_SECONDS', d.lockoutMaxSeconds),
    },
  };
}

function mailTransport(): 'file' | 'smtp' {
  const t = str('MAIL_TRANSPORT') ?? (str('SMTP_URL') ? 'smtp' : 'file');
  if (t !== 'file' && t !== 'smtp') throw new ConfigError(`MAIL_TRANSPORT must be file or smtp, got '${t}'`);
  if (t === 'smtp' && !str('SMTP_URL')) throw new ConfigError('MAIL_TRANSPORT=smtp needs SMTP_URL');
  return t;
}

/** PUBLIC_URL (what browsers and mail links use), else the API on localhost. */
function publicBaseUrl(port: number): string {
  const raw = str('PUBLIC_URL');
  if (!raw) return `http://localhost:${port}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an absolute http(s) URL, got '${raw.slice(0, 80)}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError(`PUBLIC_URL must be http(s), got '${url.protocol}'`);
  return raw.replace(/\/+$/, '');
}

export function loadConfig(): Config {
  const dataDir = resolve(projectRoot, str('USERMOD_DATA_DIR') ?? '.data');
  const local = readLocalSecrets(dataDir);
  const uiPort = int('TEMPORAL_UI_PORT', 8233);
  const port = int('PORT', 9000);
  const publicUrl = publicBaseUrl(port);
  return {
    databaseUrl: str('DATABASE_URL'),
    dataDir,
    embeddedPgPort: int('EMBEDDED_PG_PORT', 54329),
    temporal: {
      ...loadTemporalConnection(),
      taskQueue: str('TEMPORAL_TASK_QUEUE') ?? 'usermod',
      devPort: int('TEMPORAL_DEV_PORT', 7233),
      uiPort,
      cliPath: str('TEMPORAL_CLI_PATH'),
      uiUrl: (str('TEMPORAL_UI_URL') ?? `http://localhost:${uiPort}`).replace(/\/+$/, ''),
    },
    embeddedPgPassword: local?.embeddedPgPassword,
    publicUrl,
    jwtSecret: jwtSecret(local, dataDir),
    payloadKeys: payloadKeys(local, dataDir),
    ...sealKeys(local, dataDir),
    invites: {
      validDurationSeconds: int('INVITE_VALID_DURATION', 86_400),
      acceptUrl: str('INVITE_ACCEPT_URL') ?? `${publicUrl}/app/invite`,
      resetUrl: str('PASSWORD_RESET_URL') ?? `${publicUrl}/app/reset-password`,
    },
    api: {
      port,
      jwtExpiresIn: str('JWT_EXPIRES_IN') ?? '1d',
      hardening: hardening(),
      adminEmail: str('ADMIN_EMAIL'),
      adminPassword: str('ADMIN_PASSWORD'),
    },
    mail: {
      transport: mailTransport(),
      smtpUrl: str('SMTP_URL'),
      from: str('MAIL_FROM') ?? 'usermod <no-reply@localhost>',
      outboxFile: resolve(dataDir, 'mail', 'outbox.jsonl'),
    },
    expiry: {
      intervalSeconds: int('INVITE_EXPIRY_INTERVAL', 3600),
      batchSize: int('INVITE_EXPIRY_BATCH', 500),
      retentionSeconds: int('INVITE_RETENTION', 0),
    },
    flows: {
      forwardBudgetSeconds: positive('USERMOD_FORWARD_BUDGET_SECONDS', 300),
      compensationAlertSeconds: positive('USERMOD_COMPENSATION_ALERT_SECONDS', 60),
      maxRetryIntervalSeconds: positive('USERMOD_RETRY_MAX_INTERVAL_SECONDS', 30),
    },
    reconciler: {
      intervalSeconds: int('RECONCILE_INTERVAL', 600),
      dryRun: bool('RECONCILE_DRY_RUN', false),
      graceSeconds: int('RECONCILE_GRACE_SECONDS', 300),
    },
    metrics: {
      workerPort: int('WORKER_METRICS_PORT', 0),
      sdkPort: int('SDK_METRICS_PORT', 0),
    },
    codecServer: {
      port: int('CODEC_SERVER_PORT', 8888),
      token: str('CODEC_SERVER_TOKEN') ?? local?.codecServerToken,
      uiOrigins: (str('CODEC_CORS_ORIGINS') ?? `http://localhost:${uiPort},http://127.0.0.1:${uiPort}`)
        .split(',')
        .map((o) => o.trim()),
    },
    logLevel: str('LOG_LEVEL') ?? 'info',
    webhooks: {
      key: str('USERMOD_WEBHOOK_KEY') ?? local?.webhookKey,
      relayIntervalSeconds: int('WEBHOOK_RELAY_INTERVAL', 5),
      retryWindowSeconds: positive('WEBHOOK_RETRY_WINDOW', 24 * 3600),
      maxRetryIntervalSeconds: positive('WEBHOOK_RETRY_MAX_INTERVAL', 600),
      timeoutSeconds: positive('WEBHOOK_TIMEOUT', 15),
      allowPrivateUrls: bool('WEBHOOK_ALLOW_PRIVATE_URLS', false),
    },
  };
}

/** The embedded PostgreSQL's URL (devstack/database.ts starts it; its password is in the local secrets file). */
export const embeddedDatabaseUrl = (port: number, password: string, db: string) =>
  `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}`;

/** Where the application database is while `npm start` runs (for the CLI): DATABASE_URL or the embedded one. */
export function appDatabaseUrl(config: {
  databaseUrl?: string;
  embeddedPgPort: number;
  embeddedPgPassword?: string;
}): string {
  if (config.databaseUrl) return config.databaseUrl;
  if (!config.embeddedPgPassword) {
    throw new StartupError(
      'database',
      'DATABASE_URL is not set and no embedded PostgreSQL was ever started here (run `npm start`)',
    );
  }
  return embeddedDatabaseUrl(config.embeddedPgPort, config.embeddedPgPassword, 'usermod');
}
