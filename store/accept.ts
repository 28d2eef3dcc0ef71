import {
  invalidData,
  normalizeEmail,
  type AcceptBefore,
  type AcceptOnce,
  type AcceptOnceUndo,
  type AcceptPreflight,
  type AcceptUndo,
  type AcceptWrite,
  type UserAccount,
} from '../domain';
import { authStore } from './auth';
import { inviteStore } from './invites';
import { recordIn } from './outbox';
import type { Prisma, PrismaClient } from './prisma';
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
        const done = await takeTurn(tx, input);
        return done ?? write(tx, input);
      });
    },

    /**
     * The accept as the local step of a one-task run: as acceptInviteWithEvents, but it reads what it
     * replaces itself, in its transaction, and records it there (the undo record, `input.undoId`) for
     * undoAcceptInviteOnce: a local step has no result in history until its task completes, so a
     * retried or reset task could not give its undo what the first attempt found. `found`: an earlier
     * attempt of the run had committed (the run is then past its commit point).
     */
    acceptInviteOnce({ undoId, ...input }: AcceptOnce): Promise<UserAccount & { found: boolean }> {
      return onTransaction(prisma, async (tx) => {
        const done = await takeTurn(tx, input);
        if (done) return { ...done, found: true };
        const invite = await inviteStore(tx).validateInviteToken(input.inviteId, input.tokenHash);
        const auth = authStore(tx);
        const before: AcceptBefore =
          'registered' in input.identity
            ? {
                inviteUpdatedAt: invite.updated_at,
                squatter: null,
                identityUpdatedAt: (await auth.checkIdentityForAccept(input.identity.id, invite.email)).updated_at,
              }
            : { inviteUpdatedAt: invite.updated_at, squatter: await auth.unlinkedEmailpassSnapshot(invite.email) };
        await tx.undoRecord.create({ data: { id: undoId, payload: before as unknown as Prisma.InputJsonValue } });
        return { ...(await write(tx, { ...input, squatterId: before.squatter?.id })), found: false };
      });
    },

    /** Undoes acceptInviteWithEvents exactly, in one transaction; only what this run wrote. Idempotent. */
    async undoAcceptInvite(input: AcceptUndo): Promise<void> {
      await onTransaction(prisma, (tx) => undo(tx, input));
    },

    /** Undoes acceptInviteOnce from its undo record, in one transaction; nothing when it never committed. */
    async undoAcceptInviteOnce({ undoId, ...input }: AcceptOnceUndo): Promise<void> {
      await onTransaction(prisma, async (tx) => {
        const record = await tx.undoRecord.findUnique({ where: { id: undoId } });
        // The record and the write are one transaction: without it, nothing to undo (or undone already).
        if (!record) return;
        const before = record.payload as unknown as AcceptBefore;
        await undo(tx, {
          ...input,
          inviteUpdatedAt: before.inviteUpdatedAt,
          registered: input.registered ? { updatedAt: before.identityUpdatedAt } : undefined,
          squatter: before.squatter,
        });
        await tx.undoRecord.delete({ where: { id: undoId } });
      });
    },

    /** Past its commit point a flow forgets its undo record (it may hold a replaced login's hash). Idempotent. */
    async forgetUndoRecord(id: string): Promise<void> {
      await prisma.undoRecord.deleteMany({ where: { id } });
    },
  };

  /**
   * Attempts of one run (a timed-out attempt, or a lost workflow task's, may still be writing) take
   * turns on a lock over the invite id; the answer of the one that committed, if any.
   */
  async function takeTurn(tx: PrismaClient, input: Pick<AcceptWrite, 'inviteId' | 'user' | 'identity'>) {
    await tx.$queryRaw`SELECT 1 FROM pg_advisory_xact_lock(hashtext(${input.inviteId}))`;
    const done = await tx.user.findUnique({ where: { id: input.user.id } });
    return done ? { user: toUserDTO(done), authIdentityId: input.identity.id } : undefined;
  }

  /** The accept's writes, on the transaction's client: claim, login, user with roles, link, events. */
  async function write(tx: PrismaClient, input: AcceptWrite): Promise<UserAccount> {
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
  }

  /** Everything write() did, put back as it was before; nothing when its user does not exist. */
  async function undo(tx: PrismaClient, input: AcceptUndo): Promise<void> {
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
  }
}
