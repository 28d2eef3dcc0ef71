import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/*
 * Webhook signing secrets and signatures, in the Standard Webhooks format (standardwebhooks.com):
 * a secret `whsec_<base64 key>`; headers webhook-id, webhook-timestamp (seconds) and
 * webhook-signature `v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`.
 * The secret is shown once; the database keeps it encrypted (AES-256-GCM) with the installation's key.
 */

export const newWebhookSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

function keyOf(installationKey: string): Buffer {
  const key = Buffer.from(installationKey, 'base64');
  if (key.length !== 32) throw new Error('the webhook key must be 32 bytes, base64 (USERMOD_WEBHOOK_KEY)');
  return key;
}

/** `v1:<iv>:<ciphertext>:<tag>`, base64 parts. */
export function encryptWebhookSecret(installationKey: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(installationKey), iv);
  const ct = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['v1', iv, ct, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64'))).join(':');
}

export function decryptWebhookSecret(installationKey: string, sealed: string): string {
  const [version, iv, ct, tag] = sealed.split(':');
  if (version !== 'v1' || !iv || !ct || !tag) throw new Error('unreadable webhook secret');
  const decipher = createDecipheriv('aes-256-gcm', keyOf(installationKey), Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]).toString('utf8');
}

/** The three Standard Webhooks headers of one message. */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const mac = createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': `v1,${mac}`,
  };
}
