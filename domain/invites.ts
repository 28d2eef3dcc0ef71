import type { Metadata } from './users';

export const INVITE_STATUSES = ['pending', 'accepted', 'expired', 'revoked'] as const;
export type InviteStatus = (typeof INVITE_STATUSES)[number];

export type DeliveryStatus = 'pending' | 'sent' | 'failed';

/** An invite as callers see it: never the token, never its hash. */
export interface InviteDTO {
  id: string;
  email: string;
  status: InviteStatus;
  accepted: boolean;
  accepted_at: string | null;
  expires_at: string;
  delivery_status: DeliveryStatus | null;
  metadata: Metadata | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  /** RBAC (issue 12): who invited (a user id, or an API key id). */
  invited_by?: string | null;
  /** RBAC: the ids of the roles the invitee gets on accept (shown by the API). */
  roles?: string[];
}

/** Bounds of a per-invite `expires_in` (seconds): one minute to 30 days. */
export const INVITE_EXPIRES_IN_BOUNDS = { min: 60, max: 30 * 24 * 3600 } as const;

/** An invite to create. */
export interface NewInvite {
  email: string;
  metadata?: Metadata | null;
  /** RBAC: roles the invitee gets on accept; the inviter must hold every policy of them. */
  roles?: string[] | null;
  /** The inviter: a user id, or an API key id (`apk_…`). */
  invited_by?: string | null;
  /** Seconds until the invite expires (INVITE_EXPIRES_IN_BOUNDS); the global setting when absent. */
  expires_in?: number | null;
}

/** What the store creates: the flow decided the id; only the token's hash is kept. */
export interface CreateInviteInput extends NewInvite {
  id: string;
  token_hash: string;
  expires_at: string | Date;
}

export interface InviteUpdate {
  id: string;
  metadata?: Metadata | null;
}

/** A resend's new token (by its hash) and expiry. */
export interface InviteTokenUpdate {
  id: string;
  token_hash: string;
  expires_at: string | Date;
}

/**
 * What an invite token is made of. A token is re-derivable from its claims and the secret (HS256 is
 * deterministic), so workflows carry only claims, never the token; the database keeps only its hash.
 */
export interface InviteTokenClaims {
  inviteId: string;
  jti: string;
  /** seconds since the epoch */
  iat: number;
  /** seconds since the epoch; equals the invite's expires_at */
  exp: number;
}

/**
 * An invite's claims as workflow code makes them (createInvites in one workflow task): without their
 * expiry, which the worker fixes from its configured lifetime (or the invite's expires_in).
 */
export type InviteDraft = Omit<InviteTokenClaims, 'exp'>;

/** What a resend must put back if its flow fails: the previous token hash and expiry. */
export interface InviteTokenState {
  id: string;
  token_hash: string;
  expires_at: string;
  status: InviteStatus;
  updated_at: string;
}

/** What a revoke must put back if its flow fails. */
export interface InviteRowState {
  id: string;
  updated_at: string;
}

export interface InviteFilters {
  id?: string | string[];
  email?: string | string[];
  q?: string;
  status?: InviteStatus | InviteStatus[];
  expires_at?: { gt?: string | Date; gte?: string | Date; lt?: string | Date; lte?: string | Date };
}

/** Constant-time comparison of two hex sha256 hashes (pure, so the store needs no crypto module). */
export function sameHash(a: string, b: string): boolean {
  if (a.length !== b.length || a.length === 0) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
