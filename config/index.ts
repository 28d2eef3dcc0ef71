import { resolve } from 'node:path';

/** Everything usermod reads from the environment, in one place (README "Configuration"). */
export interface Config {
  /** PostgreSQL URL; when unset an embedded PostgreSQL 15 is started in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  embeddedPgPort: number;
  temporal: {
    /** host:port of an existing Temporal frontend; when unset `npm start` runs the dev server. */
    address?: string;
    namespace: string;
    taskQueue: string;
    apiKey?: string;
    tls: boolean;
    tlsCertPath?: string;
    tlsKeyPath?: string;
    tlsCaPath?: string;
    serverName?: string;
    devPort: number;
    uiPort: number;
    cliPath?: string;
  };
  /** NODE_ENV is not `production`: dev defaults (e.g. a fixed JWT secret) are allowed, with a warning. */
  devMode: boolean;
  /** HS256 secret for invite tokens (and the admin API's bearer tokens). */
  jwtSecret: string;
  /** AES-256-GCM keys for Temporal payloads, `id:base64key[,id:base64key...]`; the first encrypts. */
  payloadKeys: string;
  invites: {
    /** THE invite lifetime, in seconds: both the database expiry and the token's `exp`. */
    validDurationSeconds: number;
  };
  logLevel: string;
}

export const DEV_JWT_SECRET = 'usermod-dev-secret-do-not-use-in-production';

function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got '${raw}'`);
  return n;
}

function bool(name: string, fallback: boolean): boolean {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new Error(`${name} must be true or false, got '${raw}'`);
}

const str = (name: string): string | undefined => process.env[name] || undefined;

export const projectRoot = resolve(__dirname, '..');

function jwtSecret(devMode: boolean): string {
  const secret = str('JWT_SECRET');
  if (secret) {
    if (secret.length < 32) throw new Error('JWT_SECRET must be at least 32 characters long');
    return secret;
  }
  if (!devMode) throw new Error('JWT_SECRET is required when NODE_ENV=production (invite and auth tokens are signed with it)');
  return DEV_JWT_SECRET;
}

// A fixed, public key: dev mode only, so that a local stack works with zero setup.
export const DEV_PAYLOAD_KEYS = `dev:${Buffer.alloc(32, 7).toString('base64')}`;

function payloadKeys(devMode: boolean): string {
  const keys = str('USERMOD_PAYLOAD_KEYS');
  if (keys) return keys;
  if (!devMode) throw new Error('USERMOD_PAYLOAD_KEYS is required when NODE_ENV=production (Temporal payloads are encrypted with it)');
  return DEV_PAYLOAD_KEYS;
}

export function loadConfig(): Config {
  const devMode = process.env.NODE_ENV !== 'production';
  return {
    databaseUrl: str('DATABASE_URL'),
    dataDir: resolve(projectRoot, str('USERMOD_DATA_DIR') ?? '.data'),
    embeddedPgPort: int('EMBEDDED_PG_PORT', 54329),
    temporal: {
      address: str('TEMPORAL_ADDRESS'),
      namespace: str('TEMPORAL_NAMESPACE') ?? 'default',
      taskQueue: str('TEMPORAL_TASK_QUEUE') ?? 'usermod',
      apiKey: str('TEMPORAL_API_KEY'),
      tls: bool('TEMPORAL_TLS', Boolean(str('TEMPORAL_API_KEY') || str('TEMPORAL_TLS_CERT_PATH'))),
      tlsCertPath: str('TEMPORAL_TLS_CERT_PATH'),
      tlsKeyPath: str('TEMPORAL_TLS_KEY_PATH'),
      tlsCaPath: str('TEMPORAL_TLS_CA_PATH'),
      serverName: str('TEMPORAL_TLS_SERVER_NAME'),
      devPort: int('TEMPORAL_DEV_PORT', 7233),
      uiPort: int('TEMPORAL_UI_PORT', 8233),
      cliPath: str('TEMPORAL_CLI_PATH'),
    },
    devMode,
    jwtSecret: jwtSecret(devMode),
    payloadKeys: payloadKeys(devMode),
    invites: { validDurationSeconds: int('INVITE_VALID_DURATION', 86_400) },
    logLevel: str('LOG_LEVEL') ?? 'info',
  };
}
