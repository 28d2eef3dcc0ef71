/*
 * Secret API keys (issue 12, Medusa's /admin/api-keys): `sk_…` shown once, stored as a salted slow hash,
 * found by its redacted form, sent as HTTP Basic; each key acts with its own roles.
 */

/** A key as callers see it: never the secret, never its hash or salt (`token` is always ""). */
export interface ApiKeyDTO {
  id: string;
  title: string;
  type: 'secret';
  token: string;
  redacted: string;
  created_by: string;
  revoked_by: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  roles: string[];
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** What a revoke or delete must put back if its flow fails. */
export interface ApiKeyState {
  id: string;
  revoked_at: string | null;
  revoked_by: string | null;
  deleted_at: string | null;
  updated_at: string;
}

/** Bound of `revoke_in` (seconds of grace before a revoked key stops working): 0 to 30 days. */
export const API_KEY_REVOKE_IN_MAX = 30 * 24 * 3600;

export const BEARER_SECRET_KEY_MESSAGE =
  'A secret API key was passed as a Bearer token. Secret API keys must be sent using HTTP Basic authentication instead (Authorization: Basic <secret-api-key>).';

export interface CreateApiKeyInput {
  id: string;
  title: string;
  redacted: string;
  /** scrypt-kdf hash of the secret, sealed (auth/seal.ts); the secret itself never enters a flow. */
  tokenHash: string;
  salt: string;
  createdBy: string;
  roleIds: string[];
}

export interface RevokeApiKeyInput {
  id: string;
  revokedBy: string;
  /** Seconds the key keeps working (0: at once). */
  revokeIn: number;
}

export interface DeleteApiKeyInput {
  id: string;
}
