import { upsertSearchAttributes } from '@temporalio/workflow';
import {
  INVITE_IDS,
  type CreateInvitesInput,
  type DeleteInvitesInput,
  type InvitesWithClaims,
  type RefreshInviteTokensInput,
} from '../domain';
import { activities, delivery, local } from './activity-options';
import { event, recordEvents, runSaga } from './saga';

export async function createInvitesWorkflow(input: CreateInvitesInput): Promise<InvitesWithClaims> {
  const created = await runSaga(async (saga) => {
    // Ids, jti and expiry are fixed in history first: retries re-create the very same tokens.
    const claims = await local.newInviteClaims(input.invites.length);
    const ids = claims.map((c) => c.inviteId);
    upsertSearchAttributes([{ key: INVITE_IDS, value: ids }]);

    // Creates the invites (only their token hashes are stored).
    const invites = await saga.step('create invites', {
      undo: () => activities.deleteInvites(ids),
      run: () => activities.createInvites(input.invites.map((i, n) => ({ ...i, claims: claims[n] }))),
    });

    await recordEvents(
      saga,
      invites.map((i) => event('invite.created', { id: i.id })),
    );
    return { invites, claims };
  });
  // After the saga: nothing about delivery can undo the invites.
  await deliver(created);
  return created;
}

/**
 * Send each invite. Runs after the flow's saga has completed: a failed delivery never undoes an
 * invite, it marks it `delivery_status: failed` and records `invite.delivery_failed` (resend retries it).
 */
async function deliver({ invites, claims }: InvitesWithClaims): Promise<void> {
  await Promise.all(
    claims.map(async (c, n) => {
      try {
        await delivery.sendInvite(c, invites[n].email);
      } catch (err) {
        const reason = (err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : String(err);
        await activities.setInviteDelivery(c.inviteId, 'failed', reason);
        await activities.recordEvents([event('invite.delivery_failed', { id: c.inviteId })]);
      }
    }),
  );
}

/** Resend: a new token and a new expiry; every earlier token of these invites stops working. */
export async function refreshInviteTokensWorkflow(input: RefreshInviteTokensInput): Promise<InvitesWithClaims> {
  const refreshed = await runSaga(async (saga) => {
    upsertSearchAttributes([{ key: INVITE_IDS, value: input.inviteIds }]);
    const previous = await activities.inviteTokenStates(input.inviteIds);
    const claims = await local.renewInviteClaims(input.inviteIds);

    // Sets the new token hashes and expiries.
    const invites = await saga.step('refresh invite tokens', {
      undo: () => activities.restoreInviteTokens(previous),
      run: () => activities.refreshInviteTokens(claims),
    });

    await recordEvents(
      saga,
      invites.map((i) => event('invite.resent', { id: i.id })),
    );
    return { invites, claims };
  });
  await deliver(refreshed);
  return refreshed;
}

/** Revoke: soft delete, so the invite's tokens stop working; restorable. */
export async function deleteInvitesWorkflow(input: DeleteInvitesInput): Promise<{ ids: string[] }> {
  return runSaga(async (saga) => {
    upsertSearchAttributes([{ key: INVITE_IDS, value: input.ids }]);
    const live = await activities.liveInvites(input.ids);

    // Revokes the live ones.
    await saga.step('revoke invites', {
      undo: () => activities.restoreInvites(live),
      run: () => activities.softDeleteInvites(live.map((i) => i.id)),
    });

    await recordEvents(
      saga,
      live.map((i) => event('invite.deleted', { id: i.id })),
    );
    return { ids: input.ids };
  });
}
