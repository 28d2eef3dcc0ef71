import { createHash, randomBytes } from 'node:crypto';
import * as ScryptModule from 'scrypt-kdf';

// scrypt-kdf 4 exports one default object at run time, while its typings declare named functions.
const Scrypt = (ScryptModule as unknown as { default?: typeof ScryptModule }).default ?? ScryptModule;
// As passwords (auth/password.ts): logN 15, r 8, p 1. A key is checked once per request; the redacted
// lookup keeps that to (almost always) one scrypt.
const PARAMS = { logN: 15, r: 8, p: 1 } as const;

/** A new secret: `sk_` and 32 random bytes in hex (Medusa's form, 67 characters). */
export const newApiKeySecret = (): string => `sk_${randomBytes(32).toString('hex')}`;

/** Medusa's redacted form (first 6 characters, ***, last 3): shown, and the lookup key; not unique. */
export const redactApiKey = (secret: string): string => `${secret.slice(0, 6)}***${secret.slice(-3)}`;

export const looksLikeApiKey = (s: string): boolean => /^sk_[0-9a-f]{64}$/.test(s);

/** The stored hash (base64 scrypt-kdf, which embeds its own random salt) and that salt, hex (informative). */
export async function hashApiKey(secret: string): Promise<{ hash: string; salt: string }> {
  const kdf = Buffer.from(await Scrypt.kdf(secret, PARAMS));
  // scrypt-kdf's layout: "scrypt", version, logN, r (4), p (4), then the 32-byte salt.
  return { hash: kdf.toString('base64'), salt: kdf.subarray(16, 48).toString('hex') };
}

/** Whether the secret matches the hash: scrypt-kdf compares the derived keys in constant time. */
export async function verifyApiKey(hash: string, secret: string): Promise<boolean> {
  try {
    return await Scrypt.verify(Buffer.from(hash, 'base64'), secret);
  } catch {
    return false;
  }
}

/**
 * The secret key an `Authorization: Basic …` header carries: `Basic sk_…` as Medusa documents it, or
 * the standard `Basic base64("sk_…:")` (the key as the user name, an empty password).
 */
export function basicApiKey(header: string | undefined): string | undefined {
  const value = /^Basic\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
  if (!value) return undefined;
  if (value.startsWith('sk_')) return value;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const user = decoded.endsWith(':') ? decoded.slice(0, -1) : decoded;
  return user.startsWith('sk_') ? user : undefined;
}

/**
 * Keys this process has verified, so a script's every request does not cost one scrypt (~100 ms of CPU,
 * which would also make API-key requests a cheap way to load the API). Keyed by the SHA-256 of the
 * secret (a 256-bit random secret: a fast digest of it reveals nothing) and tied to the stored hash: the
 * caller still reads the key's row on every request, so a revoked or deleted key stops at once.
 */
export function verifiedKeyCache(ttlMs = 5 * 60_000, max = 1000) {
  const entries = new Map<string, { id: string; hash: string; until: number }>();
  const digest = (secret: string) => createHash('sha256').update(secret).digest('hex');
  return {
    has(secret: string, candidate: { id: string; token_hash: string }): boolean {
      const e = entries.get(digest(secret));
      return !!e && e.id === candidate.id && e.hash === candidate.token_hash && e.until > Date.now();
    },
    add(secret: string, candidate: { id: string; token_hash: string }): void {
      if (entries.size >= max) entries.delete(entries.keys().next().value!);
      entries.set(digest(secret), { id: candidate.id, hash: candidate.token_hash, until: Date.now() + ttlMs });
    },
  };
}
