export const EMAILPASS = 'emailpass';

/** An auth identity with its emailpass login; never the password hash. */
export interface AuthIdentityDTO {
  id: string;
  user_id: string | null;
  /** Medusa's shape: `{ user_id }` once linked. */
  app_metadata: Record<string, unknown>;
  updated_at: string;
  provider_identities: { id: string; provider: string; entity_id: string }[];
}

/** A new emailpass login: ids decided by the flow, the password already scrypt-hashed. */
export interface NewEmailpassIdentity {
  id: string;
  providerIdentityId: string;
  email: string;
  passwordHash: string;
}

/** The emailpass login of an e-mail, with its hash (for password checks only). */
export interface EmailpassLogin {
  authIdentityId: string;
  userId: string | null;
  passwordHash: string | null;
}

/** A login's password as stored, what a failed password update puts back. */
export interface PasswordState {
  email: string;
  passwordHash: string;
  updated_at: string;
}

/** A login exactly as stored (password hash included): what a compensation needs to recreate it. */
export interface IdentitySnapshot {
  id: string;
  user_id: string | null;
  app_metadata: unknown;
  created_at: string;
  updated_at: string;
  providers: {
    id: string;
    provider: string;
    entity_id: string;
    password_hash: string | null;
    user_metadata: unknown;
    provider_metadata: unknown;
    created_at: string;
    updated_at: string;
  }[];
}
