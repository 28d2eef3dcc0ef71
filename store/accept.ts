import {
  invalidData,
  normalizeEmail,
  type AcceptPreflight,
  type AcceptUndo,
  type AcceptWrite,
  type UserAccount,
} from '../domain';
import { authStore } from './auth';
import { inviteStore } from './invites';
import { recordIn } from './outbox';
import type { PrismaClient } from './prisma';
import { grantInviteRoles } from './rbac';
import { onTransaction } from './transaction';
import { eventStore } from './events';
import { toUserDTO, userStore } from './users';

/**
 * An invite accept as one step: every write in one transaction (claim, login, user, roles, link,
 * events), so the flow has one step and one undo instead of six of each, and a failure part-way leaves
 * nothing to undo. The store methods run on the transaction's client (they use its model delegates).
 */
export function acceptStore(prisma: PrismaClient, newId: (prefix: string) => string) {
  return {
    /** Reads only: the token is the invite's current one, what the write replaces or links as it is, and the write's ids. */
    async acceptPreflight(inviteId: string, tokenHash: string, authIdentityId?: string): Promise<AcceptPreflight> {
      const invite = await inviteStore(prisma).validateInviteToken(inviteId, tokenHash);
      const auth = authStore(prisma);
      const ids = {
        user: newId('user'),
        identity: authIdentityId ?? newId('authid'),
        providerIdentity: newId('provid'),
        events: [newId('evt'), newId('evt')] as [string, string],
      };
      if (authIdentityId) {
        const identity = await auth.checkIdentityForAccept(authIdentityId, invite.email);
        return { invite, ids, squatter: null, identityUpdatedAt: identity.updated_at };
      }
      return { invite, ids, squatter: await auth.unlinkedEmailpassSnapshot(invite.email) };
    },

    /**
     * Claims the invite (the conditional UPDATE that lets one of many concurrent accepts through), then
     * creates or checks the login, creates the user with the invite's e-mail and roles, links them, and
     * records user.created and invite.accepted. Idempotent: a retried attempt finds the user its
     * committed attempt made (the preflight fixed the id, in history) and answers the same; attempts of
     * one run (a timed-out attempt may still be writing) take turns on a lock over the invite id.
     */
    acceptInviteWithEvents(input: AcceptWrite): Promise<UserAccount> {
      return onTransaction(prisma, async (tx) => {
        await tx.$queryRaw`SELECT 1 FROM pg_advisory_xact_lock(hashtext(${input.inviteId}))`;
        const done = await tx.user.findUnique({ where: { id: input.user.id } });
        if (done) return { user: toUserDTO(done), authIdentityId: input.identity.id };

        const invite = await inviteStore(tx).claimInviteForAccept(input.inviteId, input.tokenHash, input.run);
        if (input.email && normalizeEmail(input.email) !== invite.email) {
          throw invalidData(
            'The email does not match the invite: an invite can only be accepted with the email it was sent to',
          );
        }
        const auth = authStore(tx);
        if ('registered' in input.identity) {
          await auth.checkIdentityForAccept(input.identity.id, invite.email);
        } else {
          // No squatting: a login registered with the invitee's e-mail and never linked to a user does
          // not block the invitee, who proved the mailbox with the token (the undo recreates it).
          if (input.squatterId) await tx.authIdentity.deleteMany({ where: { id: input.squatterId, user_id: null } });
          await auth.createEmailpassIdentity({ ...input.identity, email: invite.email });
        }
        const [user] = await userStore(tx, newId).createUsers([
          {
            id: input.user.id,
            email: invite.email,
            first_name: input.user.first_name,
            last_name: input.user.last_name,
          },
        ]);
        await grantInviteRoles(tx, invite.id, user.id);
        await auth.linkIdentity(input.identity.id, user.id);
        await recordIn(tx, input.events);
        return { user, authIdentityId: input.identity.id };
      });
    },

    /** Undoes acceptInviteWithEvents exactly, in one transaction; only what this run wrote. Idempotent. */
    async undoAcceptInvite(input: AcceptUndo): Promise<void> {
      await onTransaction(prisma, async (tx) => {
        // The write is one transaction: without this run's user it never committed, and there is nothing
        // to undo (a replaced login someone deleted since is not this run's to recreate).
        if (!(await tx.user.findUnique({ where: { id: input.userId }, select: { id: true } }))) return;
        const auth = authStore(tx);
        if (input.registered) {
          await auth.unlinkIdentity(input.identityId, input.userId, input.registered.updatedAt);
        } else {
          await auth.deleteAuthIdentity(input.identityId); // the login this run created
        }
        await tx.userRbacRole.deleteMany({ where: { user_id: input.userId } }); // a new user: every link is ours
        await userStore(tx, newId).deleteUsers([input.userId]);
        if (input.squatter) await auth.recreateIdentities([input.squatter]);
        await inviteStore(tx).releaseInviteClaim(input.inviteId, input.run, input.inviteUpdatedAt);
        await eventStore(tx).deleteEvents(input.eventIds);
      });
    },
  };
}
