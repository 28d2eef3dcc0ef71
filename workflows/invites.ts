import {
  CancellationScope,
  CancelledFailure,
  patched,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  INVITE_IDS,
  type CreateInvitesInput,
  type DeleteInvitesInput,
  type InvitesWithClaims,
  type RefreshInviteTokensInput,
} from '../domain';
import {
  activities,
  afterCommit as bookkeeping,
  compensations,
  delivery,
  local,
  localAfterCommit,
  localDelivery,
  localSteps,
} from './activity-options';
import { workflowIds, workflowUuids } from './ids';
import { afterCommit, event, recordEvents, runSaga } from './saga';
import {
  awaitBulkDecision,
  batchEvent,
  createInvitesInBatches,
  deliverBatch,
  listedIds,
  SMALL_CALL,
} from './bulk-invites';
import { flowMetrics } from './sinks';

export async function createInvitesWorkflow(input: CreateInvitesInput): Promise<InvitesWithClaims> {
  // More than a few invites: the bulk path (batches, one delivery activity per batch instead of two per invite).
  if (!input.ids && input.invites.length > SMALL_CALL) return createInvitesInBatches(input);
  // An admin's few invites (not a bulk batch, not an import): one workflow task. Runs from before the
  // patch replay below (a local activity for the claims, the create an activity: two tasks).
  if (!input.ids && !input.skipExisting && patched('create-invites-in-one-task')) return createInOneTask(input);
  const created = await runSaga(async (saga) => {
    // Ids, jti and expiry are fixed in history first: retries re-create the very same tokens. A bulk
    // batch gets its ids from the parent run (which undoes the batch by them).
    const expiresIn = input.invites.map((i) => i.expires_in ?? null);
    // Per-invite lifetimes only when some invite has one: runs recorded before expires_in replay unchanged.
    const perInvite = expiresIn.some((e) => e !== null);
    const claims = input.ids
      ? await local.renewInviteClaims(input.ids, ...(perInvite ? [expiresIn] : []))
      : perInvite
        ? await local.newInviteClaims(input.invites.length, expiresIn)
        : await local.newInviteClaims(input.invites.length);
    const ids = claims.map((c) => c.inviteId);
    upsertSearchAttributes([{ key: INVITE_IDS, value: listedIds(ids) }]);

    // Creates the invites (only their token hashes are stored) and, in the same transaction, their
    // events (the outbox). An import that skips e-mails knows its invites only after the step: it
    // records their events in a step of their own.
    const rows = input.invites.map((i, n) => ({ ...i, claims: claims[n] }));
    const eventOf = (id: string) => (input.ids ? batchEvent(id) : event('invite.created', { id }));
    const outbox = input.skipExisting ? [] : ids.map(eventOf);
    const invites = await saga.step('create invites', {
      undo: async () => {
        await compensations.deleteInvites(ids);
        if (outbox.length) await compensations.deleteEvents(outbox.map((e) => e.id));
      },
      run: () =>
        input.skipExisting
          ? activities.createInvites(rows, { skipExisting: true })
          : activities.createInvitesWithEvents(rows, outbox),
    });
    if (input.skipExisting) {
      await recordEvents(
        saga,
        invites.map((i) => eventOf(i.id)),
      );
    }
    // A bulk batch holds its saga open until the parent says every batch is in (or undoes them all).
    if (input.bulk) await awaitBulkDecision(input.bulk);
    if (invites.length === claims.length) return { invites, claims };
    // skipExisting: only the claims of the invites made, and the e-mails left out.
    const made = new Set(invites.map((i) => i.id));
    return {
      invites,
      claims: claims.filter((c) => made.has(c.inviteId)),
      skipped: rows.filter((r) => !made.has(r.claims.inviteId)).map((r) => r.email),
    };
  });
  // After the saga: nothing about delivery can undo the invites. A bulk batch sends its mails in one
  // activity (two per invite would not scale).
  await (input.bulk ? deliverBatch(created) : deliver(created));
  return created;
}

/**
 * createInvites in one workflow task: the claims are made in workflow code (ids, token ids and iat are the
 * same on a retried task and after a reset: workflows/ids.ts), the create is a local step, and the
 * delivery follows in the same task. A cancel arriving while the task runs fails it (a run's last task
 * cannot complete past a new event), and the task runs again, finding what the first attempt did:
 * - the invites were committed (`found`): the run is past its commit point, their mail may have gone out,
 *   so it completes as a create cancelled after its step does, and does not mail them twice;
 * - they were not: undone (nothing, or what this attempt wrote), and the run ends cancelled.
 */
async function createInOneTask(input: CreateInvitesInput): Promise<InvitesWithClaims> {
  const created = await runSaga(async (saga): Promise<InvitesWithClaims> => {
    const ids = workflowIds('invite', input.invites.length);
    const jtis = workflowUuids('jti', ids.length);
    const iat = Math.floor(workflowInfo().startTime.getTime() / 1000);
    upsertSearchAttributes([{ key: INVITE_IDS, value: listedIds(ids) }]);
    const eventIds = workflowIds('evt', ids.length);
    const outbox = ids.map((id, n) => event('invite.created', { id }, eventIds[n]));
    const drafts = input.invites.map((invite, n) => ({ ...invite, draft: { inviteId: ids[n], jti: jtis[n], iat } }));

    // The invites (their token hashes) and their events, in one transaction; the step ends before a
    // cancel is seen (as createUsers': the SDK does not wait for a cancelled local activity).
    const made = await saga.step('create invites', {
      undo: async () => {
        await compensations.deleteInvites(ids);
        await compensations.deleteEvents(eventIds);
      },
      run: () => CancellationScope.nonCancellable(() => localSteps.createInvitesFromDrafts(drafts, outbox)),
    });
    if (!made.found && CancellationScope.current().consideredCancelled) {
      throw new CancelledFailure('the create was cancelled');
    }
    return { invites: made.invites, claims: made.claims };
  });
  // Only the pending are sent: new invites are, and an earlier attempt's delivery left its mark on the
  // invites it reached (sent, or failed and recorded).
  const due = created.invites.flatMap((invite, n) =>
    invite.delivery_status === 'pending' ? [{ invite, claims: created.claims[n] }] : [],
  );
  // Local delivery without asking: this path is newer than that patch (no marker, no search attribute to write).
  await deliver({ invites: due.map((d) => d.invite), claims: due.map((d) => d.claims) }, true);
  return created;
}

/**
 * Send each invite. Runs after the flow's saga has completed: a failed delivery never undoes an
 * invite, it marks it `delivery_status: failed` and records `invite.delivery_failed` (resend retries it).
 * Past the commit point nothing fails the flow: the bookkeeping retries until done, detached from
 * cancellation, so the caller's answer always matches the database.
 */
function deliver({ invites, claims }: InvitesWithClaims, local = false): Promise<unknown> {
  // Sending and its bookkeeping as local activities: all of delivery is one workflow task instead of
  // two round trips per invite. Runs from before the patch replay with activities.
  const inOneTask = local || patched('invite-delivery-in-one-task');
  const send = inOneTask ? localDelivery : delivery;
  const books = inOneTask ? localAfterCommit : bookkeeping;
  return CancellationScope.nonCancellable(() =>
    Promise.all(
      claims.map(async (c, n) => {
        // Bounded (it is mail): a bounce, or too many failed attempts, ends here and is marked below.
        // true: sent and marked; false: sent, the marking left to the flow (runs from before sendInvite
        // marked answer nothing); a string: why it was not sent.
        const outcome = await send.sendInvite(c, invites[n].email).then(
          (marked) => marked === true,
          (err: Error) => (err.cause instanceof Error ? err.cause.message : String(err)),
        );
        if (outcome === true) return;
        if (outcome === false) {
          await afterCommit('mark the invite sent', () => books.setInviteDelivery(c.inviteId, 'sent'));
          return;
        }
        const failure = outcome;
        flowMetrics.deliveryFailed();
        await afterCommit('mark the delivery failed', () => books.setInviteDelivery(c.inviteId, 'failed', failure));
        await afterCommit('record the failed delivery', () =>
          books.recordEvents([event('invite.delivery_failed', { id: c.inviteId })]),
        );
      }),
    ),
  );
}

/** Resend: a new token and a new expiry; every earlier token of these invites stops working. */
export async function refreshInviteTokensWorkflow(input: RefreshInviteTokensInput): Promise<InvitesWithClaims> {
  const refreshed = await runSaga(async (saga) => {
    upsertSearchAttributes([{ key: INVITE_IDS, value: listedIds(input.inviteIds) }]);
    const previous = await activities.inviteTokenStates(input.inviteIds);
    const claims = await local.renewInviteClaims(input.inviteIds);

    // Sets the new token hashes and expiries.
    const invites = await saga.step('refresh invite tokens', {
      undo: () => compensations.restoreInviteTokens(previous),
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
    upsertSearchAttributes([{ key: INVITE_IDS, value: listedIds(input.ids) }]);
    const live = await activities.liveInvites(input.ids);

    // Revokes the live ones.
    await saga.step('revoke invites', {
      undo: () => compensations.restoreInvites(live),
      run: () => activities.softDeleteInvites(live.map((i) => i.id)),
    });

    await recordEvents(
      saga,
      live.map((i) => event('invite.deleted', { id: i.id })),
    );
    return { ids: input.ids };
  });
}
