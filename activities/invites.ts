import { randomUUID } from 'node:crypto';
import { inviteTokenHash } from '../auth';
import type { EventInput, InviteDraft, InviteDTO, InvitesWithClaims, InviteTokenClaims, NewInvite } from '../domain';
import type { Store } from '../store';
import { newId } from '../store/ids';

export interface InviteTokenSettings {
  secret: string;
  /** THE invite lifetime in seconds (database expiry = token exp). */
  validDurationSeconds: number;
}

export function inviteActivities(store: Store, tokens: InviteTokenSettings) {
  // A per-invite lifetime (expires_in, bounded by validation) or the global setting.
  const claimsFor = (inviteId: string, seconds = tokens.validDurationSeconds): InviteTokenClaims => {
    const iat = Math.floor(Date.now() / 1000);
    return { inviteId, jti: randomUUID(), iat, exp: iat + seconds };
  };
  const expiry = (c: InviteTokenClaims) => new Date(c.exp * 1000);
  /** The row of an invite: only the hash of the token its claims make is stored. */
  const row = async ({ claims, ...invite }: NewInvite & { claims: InviteTokenClaims }) => ({
    ...invite,
    id: claims.inviteId,
    token_hash: await inviteTokenHash(claims, tokens.secret),
    expires_at: expiry(claims),
  });

  return {
    /** Local activity: ids, jti and expiry fixed in history, so retries re-create the very same tokens. */
    async newInviteClaims(count: number, expiresIn: (number | null)[] = []): Promise<InviteTokenClaims[]> {
      return Array.from({ length: count }, (_, n) => claimsFor(newId('invite'), expiresIn[n] ?? undefined));
    },

    /** Local activity: fresh claims (new jti, new expiry) for a resend. */
    async renewInviteClaims(ids: string[], expiresIn: (number | null)[] = []): Promise<InviteTokenClaims[]> {
      return ids.map((id, n) => claimsFor(id, expiresIn[n] ?? undefined));
    },

    /** store.createInvites with the hash of each invite's token, made from its claims. */
    async createInvites(
      items: (NewInvite & { claims: InviteTokenClaims })[],
      options?: { skipExisting?: boolean },
    ): Promise<InviteDTO[]> {
      return store.createInvites(await Promise.all(items.map(row)), options);
    },

    /** createInvites with the invites' events in the same transaction (the outbox, store/outbox.ts). */
    async createInvitesWithEvents(
      items: (NewInvite & { claims: InviteTokenClaims })[],
      events: EventInput[],
    ): Promise<InviteDTO[]> {
      return store.createInvitesWithEvents(await Promise.all(items.map(row)), events);
    },

    /**
     * createInvitesWithEvents as the one-task create's local step: its claims come from workflow code
     * (the same on every attempt: iat is the workflow's start), their expiry from this worker's lifetime.
     * `found`: an earlier attempt of the run had committed them (store/outbox.ts createInvitesOnce).
     */
    async createInvitesFromDrafts(
      drafts: (NewInvite & { draft: InviteDraft })[],
      events: EventInput[],
    ): Promise<InvitesWithClaims & { found: boolean }> {
      const items = drafts.map(({ draft, ...invite }) => ({
        ...invite,
        claims: { ...draft, exp: draft.iat + (invite.expires_in ?? tokens.validDurationSeconds) },
      }));
      const { invites, found } = await store.createInvitesOnce(await Promise.all(items.map(row)), events);
      return { invites, claims: items.map((i) => i.claims), found };
    },

    /** store.refreshInviteTokens with the hashes of the new tokens. */
    async refreshInviteTokens(claims: InviteTokenClaims[]): Promise<InviteDTO[]> {
      const updates = claims.map(async (c) => ({
        id: c.inviteId,
        token_hash: await inviteTokenHash(c, tokens.secret),
        expires_at: expiry(c),
      }));
      return store.refreshInviteTokens(await Promise.all(updates));
    },
  };
}
