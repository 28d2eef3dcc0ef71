import type { ClaimedInvite, ClaimLeftovers } from '../domain';
import type { PrismaClient } from './prisma';

// A user row's created_at comes from the database clock, the claim's accepted_at from the worker's:
// allow this much skew when telling "created by the accept" from "there before".
const CLOCK_SKEW = "interval '1 second'";

/** Queries for the reconciler (workflows/reconcile.ts): state no running flow may own. Read-only. */
export function reconcileStore(prisma: PrismaClient) {
  return {
    /** Which of these event ids are recorded already (a repair is recorded once). */
    async existingEventIds(ids: string[]): Promise<string[]> {
      const rows = await prisma.event.findMany({ where: { id: { in: ids } }, select: { id: true } });
      return rows.map((r) => r.id);
    },

    /**
     * Claimed (accepted) invites older than `claimedBefore` without a finished accept's mark: no user
     * with the invite's e-mail created from the claim on that has a login, or was deleted since.
     * Whether the run holding the claim is still running is Temporal's to say, not the database's.
     */
    async claimedInvitesWithoutUser(claimedBefore: Date, limit: number): Promise<ClaimedInvite[]> {
      const rows = await prisma.$queryRawUnsafe<
        { id: string; email: string; accepted_by: string; accepted_at: Date; updated_at: Date }[]
      >(
        `SELECT i.id, i.email, i.accepted_by, i.accepted_at, i.updated_at
           FROM invite i
          WHERE i.accepted AND i.accepted_by IS NOT NULL AND i.accepted_at < $1 AND i.deleted_at IS NULL
            AND NOT EXISTS (
              SELECT 1 FROM "user" u
               WHERE lower(u.email) = lower(i.email) AND u.created_at >= i.accepted_at - ${CLOCK_SKEW}
                 AND (u.deleted_at IS NOT NULL OR EXISTS (SELECT 1 FROM auth_identity a WHERE a.user_id = u.id)))
          ORDER BY i.accepted_at, i.id
          LIMIT $2`,
        claimedBefore,
        limit,
      );
      return rows.map((r) => ({
        ...r,
        accepted_at: r.accepted_at.toISOString(),
        updated_at: r.updated_at.toISOString(),
      }));
    },

    /** What the accept that claimed this invite left: see ClaimLeftovers. */
    async claimLeftovers(invite: Pick<ClaimedInvite, 'email' | 'accepted_at'>): Promise<ClaimLeftovers> {
      const since = new Date(invite.accepted_at);
      const users = await prisma.$queryRawUnsafe<{ id: string }[]>(
        `SELECT id FROM "user" WHERE lower(email) = lower($1) AND deleted_at IS NULL AND created_at >= $2::timestamptz - ${CLOCK_SKEW} ORDER BY id`,
        invite.email,
        since,
      );
      const userIds = users.map((u) => u.id);
      const logins = await prisma.authIdentity.findMany({
        where: {
          OR: [
            {
              created_at: { gte: since },
              provider_identities: { some: { provider: 'emailpass', entity_id: invite.email.toLowerCase() } },
            },
            { user_id: { in: userIds } },
          ],
        },
        select: { id: true, user_id: true, created_at: true },
        orderBy: { id: 'asc' },
      });
      const created = logins.filter((l) => l.created_at >= since);
      const registered = logins.filter((l) => l.created_at < since && l.user_id);
      return {
        userIds,
        loginIds: created.map((l) => l.id),
        links: registered.map((l) => ({ authIdentityId: l.id, userId: l.user_id! })),
      };
    },
  };
}
