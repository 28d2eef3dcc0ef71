import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSealKeys } from '../auth/seal';

// Secrets of one local installation, made once by `npm start` (random, never in the code) and read by
// every local entry point (API, worker, CLI) so they always agree. Production sets them through the
// environment instead; without either, usermod refuses to start.

export interface LocalSecrets {
  /** HS256 secret of invite, reset and session tokens. */
  jwtSecret: string;
  /** `id:base64(32 bytes)` AES-256-GCM key for Temporal payloads. */
  payloadKeys: string;
  /** The codec server's bearer token (the Web UI gets it in the codec endpoint's path). */
  codecServerToken: string;
  /** Password of the embedded PostgreSQL's `postgres` role. */
  embeddedPgPassword: string;
  /** X25519 private key(s) that open sealed values in workflow payloads (workers only), `id:base64`. */
  sealKeys: string;
  /** Its public half (enough to seal: the API and the CLI), `id:base64`. */
  sealPublicKey: string;
  /** base64 of 32 bytes: encrypts webhook signing secrets at rest (added later: absent in older files). */
  webhookKey?: string;
}

export const secretsFile = (dataDir: string) => join(dataDir, 'secrets.json');

export function readLocalSecrets(dataDir: string): LocalSecrets | undefined {
  const file = secretsFile(dataDir);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as LocalSecrets;
}

const newSealKeys = () => {
  const { privateKeys, publicKey } = generateSealKeys(`local-${randomBytes(4).toString('hex')}`);
  return { sealKeys: privateKeys, sealPublicKey: publicKey };
};

/** Read the installation's secrets, creating them (mode 0600) the first time. */
export function ensureLocalSecrets(dataDir: string): LocalSecrets {
  const existing = readLocalSecrets(dataDir);
  if (existing?.sealKeys && existing.webhookKey) return existing;
  if (existing) {
    // Made by an earlier version, before sealed values or webhooks: add what is missing, keep the rest.
    const upgraded = {
      ...existing,
      ...(existing.sealKeys ? {} : newSealKeys()),
      webhookKey: existing.webhookKey ?? randomBytes(32).toString('base64'),
    };
    writeFileSync(secretsFile(dataDir), JSON.stringify(upgraded, null, 2) + '\n', { mode: 0o600 });
    return upgraded;
  }
  // The folder stays traversable (the embedded PostgreSQL's own user may keep its data below it); the file is 0600.
  mkdirSync(dataDir, { recursive: true });
  const secrets: LocalSecrets = {
    jwtSecret: randomBytes(48).toString('base64url'),
    payloadKeys: `local-${randomBytes(4).toString('hex')}:${randomBytes(32).toString('base64')}`,
    codecServerToken: randomBytes(24).toString('base64url'),
    embeddedPgPassword: randomBytes(24).toString('base64url'),
    ...newSealKeys(),
    webhookKey: randomBytes(32).toString('base64'),
  };
  // `wx`: if another process created it meanwhile, theirs wins and we read it.
  try {
    writeFileSync(secretsFile(dataDir), JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return readLocalSecrets(dataDir)!;
  }
  return secrets;
}
