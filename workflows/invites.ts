import { upsertSearchAttributes } from '@temporalio/workflow';
import type { InviteTokenClaims } from '../auth/invite-token';
import type { InviteDTO } from '../store';
import { activities, delivery, local } from './activity-options';
import { event, runSaga } from './saga';
import { INVITE_IDS } from '../domain/search-attributes';

/** Invites with the claims of their new token: the client signs the token from them (never in history). */
export interface InvitesWithClaims {
  invites: InviteDTO[];
  claims: InviteTokenClaims[];
}

export interface CreateInvitesInput {
  invites: { email: string; metadata?: Record<string, unknown> | null }[];
}

export async function createInvitesWorkflow(input: CreateInvitesInput): Promise<InvitesWithClaims> {
  const created = await runSaga(async (saga) => {
    const claims = await local.newInviteClaims(input.invites.length);
    const ids = claims.map((c) => c.inviteId);
    upsertSearchAttributes([{ key: INVITE_IDS, value: ids }]);

    saga.add('delete created invites', () => activities.deleteInvites(ids));
    const invites = await activities.createInvites(input.invites.map((i, n) => ({ ...i, claims: claims[n] })));

    await activities.recordEvents(invites.map((i) => event('invite.created', { id: i.id })));
    return { invites, claims };
  });
  // After the saga: nothing about delivery can undo the invites.
  await deliver(created.claims);
  return created;
}

/**
 * Send each invite. Runs after the flow's saga has completed: a failed delivery never undoes an
 * invite, it marks it `delivery_status: failed` and records `invite.delivery_failed` (resend retries it).
 */
async function deliver(claims: InviteTokenClaims[]): Promise<void> {
  await Promise.all(
    claims.map(async (c) => {
      try {
        await delivery.sendInvite(c);
      } catch (err) {
        const reason = (err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : String(err);
        await activities.markInviteDeliveryFailed(c.inviteId, reason);
        await activities.recordEvents([event('invite.delivery_failed', { id: c.inviteId })]);
      }
    }),
  );
}

/** Resend: a new token and a new expiry; every earlier token of these invites stops working. */
export async function refreshInviteTokensWorkflow(input: { inviteIds: string[] }): Promise<InvitesWithClaims> {
  const refreshed = await runSaga(async (saga) => {
    upsertSearchAttributes([{ key: INVITE_IDS, value: input.inviteIds }]);
    const previous = await activities.inviteTokenStates(input.inviteIds);
    const claims = await local.renewInviteClaims(input.inviteIds);

    saga.add('restore previous tokens', () => activities.restoreInviteTokens(previous));
    const invites = await activities.refreshInviteTokens(claims);

    await activities.recordEvents(invites.map((i) => event('invite.resent', { id: i.id })));
    return { invites, claims };
  });
  await deliver(refreshed.claims);
  return refreshed;
}

/** Revoke: soft delete, so the invite's tokens stop working; restorable. */
export async function deleteInvitesWorkflow(input: { ids: string[] }): Promise<{ ids: string[] }> {
  return runSaga(async (saga) => {
    upsertSearchAttributes([{ key: INVITE_IDS, value: input.ids }]);
    const live = await activities.liveInvites(input.ids);

    saga.add('restore revoked invites', () => activities.restoreInvites(live));
    await activities.softDeleteInvites(live.map((i) => i.id));

    await activities.recordEvents(live.map((i) => event('invite.deleted', { id: i.id })));
    return { ids: input.ids };
  });
}
