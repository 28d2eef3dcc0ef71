import { randomUUID } from 'node:crypto';
import { hashToken, signInviteToken, type InviteTokenClaims } from '../auth/invite-token';
import type { InviteDTO, InviteRowState, InviteTokenState, Store } from '../store';
import { newId } from '../store/ids';

export interface InviteTokenSettings {
  secret: string;
  /** THE invite lifetime in seconds (database expiry = token exp). */
  validDurationSeconds: number;
}

export function inviteActivities(store: Store, tokens: InviteTokenSettings) {
  const claimsFor = (inviteId: string): InviteTokenClaims => {
    const iat = Math.floor(Date.now() / 1000);
    return { inviteId, jti: randomUUID(), iat, exp: iat + tokens.validDurationSeconds };
  };
  const tokenHash = async (c: InviteTokenClaims) => hashToken(await signInviteToken(c, tokens.secret));

  return {
    /** Local activity: ids, jti and expiry fixed in history, so retries re-create the very same tokens. */
    async newInviteClaims(count: number): Promise<InviteTokenClaims[]> {
      return Array.from({ length: count }, () => claimsFor(newId('invite')));
    },

    /** Local activity: fresh claims (new jti, new expiry) for a resend. */
    async renewInviteClaims(ids: string[]): Promise<InviteTokenClaims[]> {
      return ids.map(claimsFor);
    },

    /** Idempotent: when an earlier attempt committed, its rows are returned as they are. */
    async createInvites(items: { claims: InviteTokenClaims; email: string; metadata?: Record<string, unknown> | null }[]): Promise<InviteDTO[]> {
      const ids = items.map((i) => i.claims.inviteId);
      const existing = await store.listInvites({ id: ids }, { withDeleted: true, limit: ids.length });
      if (existing.length === ids.length) return ids.map((id) => existing.find((i) => i.id === id)!);
      return store.createInvites(
        await Promise.all(
          items.map(async (i) => ({
            id: i.claims.inviteId,
            email: i.email,
            metadata: i.metadata,
            token_hash: await tokenHash(i.claims),
            expires_at: new Date(i.claims.exp * 1000),
          })),
        ),
      );
    },

    /** Compensation of createInvites. */
    async deleteInvites(ids: string[]): Promise<void> {
      await store.deleteInvites(ids);
    },

    async inviteTokenStates(ids: string[]): Promise<InviteTokenState[]> {
      return store.inviteTokenStates(ids);
    },

    async refreshInviteTokens(claims: InviteTokenClaims[]): Promise<InviteDTO[]> {
      return store.refreshInviteTokens(
        await Promise.all(claims.map(async (c) => ({ id: c.inviteId, token_hash: await tokenHash(c), expires_at: new Date(c.exp * 1000) }))),
      );
    },

    /** Compensation of refreshInviteTokens: the previous token works again, with its expiry. */
    async restoreInviteTokens(states: InviteTokenState[]): Promise<void> {
      await store.restoreInviteTokens(states);
    },

    /** Which of these invites are live now: exactly what a revoke will revoke (and its undo restore). */
    async liveInvites(ids: string[]): Promise<InviteRowState[]> {
      return (await store.listInvites({ id: ids }, { limit: ids.length })).map((i) => ({ id: i.id, updated_at: i.updated_at }));
    },

    async softDeleteInvites(ids: string[]): Promise<string[]> {
      return store.softDeleteInvites(ids);
    },

    /** Compensation of softDeleteInvites. */
    async restoreInvites(rows: InviteRowState[]): Promise<void> {
      await store.restoreInvites(rows);
    },

    validateInviteToken: store.validateInviteToken,
    claimInviteForAccept: store.claimInviteForAccept,
    releaseInviteClaim: store.releaseInviteClaim,
  };
}
