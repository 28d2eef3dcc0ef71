import { randomUUID } from 'node:crypto';
import { inviteTokenHash } from '../auth';
import type { InviteDTO, InviteTokenClaims, NewInvite } from '../domain';
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

  return {
    /** Local activity: ids, jti and expiry fixed in history, so retries re-create the very same tokens. */
    async newInviteClaims(count: number, expiresIn: (number | null)[] = []): Promise<InviteTokenClaims[]> {
      return Array.from({ length: count }, (_, n) => claimsFor(newId('invite'), expiresIn[n] ?? undefined));
    },

    /** Local activity: fresh claims (new jti, new expiry) for a resend. */
    async renewInviteClaims(ids: string[]): Promise<InviteTokenClaims[]> {
      return ids.map((id) => claimsFor(id));
    },

    /** store.createInvites with the hash of each invite's token, made from its claims. */
    async createInvites(items: (NewInvite & { claims: InviteTokenClaims })[]): Promise<InviteDTO[]> {
      const rows = items.map(async ({ claims, ...invite }) => ({
        ...invite,
        id: claims.inviteId,
        token_hash: await inviteTokenHash(claims, tokens.secret),
        expires_at: expiry(claims),
      }));
      return store.createInvites(await Promise.all(rows));
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
