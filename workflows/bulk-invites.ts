// Bulk create: many invites in one call, as batches (child runs of createInvitesWorkflow), so that no
// history, event or payload grows with the call: each batch's claims, rows and result stay in its own
// run, the parent holds ids and the batches' workflow ids. One call is one saga: when a batch fails
// (its own saga has undone it), the parent undoes every batch before it; nothing is mailed until all
// batches are in (README, *Bulk invites*).
import { CancellationScope, executeChild, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { FLOW, flowId, INVITE_IDS, type CreateInvitesInput, type EventInput, type InvitesWithClaims } from '../domain';
import { bulkDelivery, compensations, local } from './activity-options';
import { afterCommit, runSaga } from './saga';

export const DEFAULT_BATCH_SIZE = 500;
/** Up to this many invites a call runs as one flow delivering each invite on its own; more take the bulk path. */
export const SMALL_CALL = 20;
/** Batches running at once: enough to keep a 2-core worker and the database busy, not more. */
const PARALLEL_BATCHES = 2;
/**
 * At most this many ids in the UsermodInviteIds search attribute (Temporal refuses a value over 2 KB;
 * an invite id is 33 characters): a bulk run is found by its first invites.
 */
export const MAX_LISTED_IDS = 40;

export const listedIds = (ids: string[]) => ids.slice(0, MAX_LISTED_IDS);

export const batchSizeOf = (input: CreateInvitesInput) =>
  Math.min(1000, Math.max(1, Math.floor(input.batchSize ?? DEFAULT_BATCH_SIZE)));

/** A batch's `invite.created` event: its id follows from the invite, so the parent can undo it too. */
export const batchEvent = (inviteId: string): EventInput => ({
  id: `evt_created_${inviteId}`,
  name: 'invite.created',
  payload: { id: inviteId },
});

export async function createInvitesInBatches(input: CreateInvitesInput): Promise<InvitesWithClaims> {
  const size = batchSizeOf(input);
  const batches: CreateInvitesInput['invites'][] = [];
  for (let k = 0; k < input.invites.length; k += size) batches.push(input.invites.slice(k, k + size));
  const { workflowId } = workflowInfo();
  const runs = batches.map((_, n) => `${workflowId}-batch-${n + 1}`);
  const results: InvitesWithClaims[] = [];

  await runSaga(async (saga) => {
    for (let k = 0; k < batches.length; k += PARALLEL_BATCHES) {
      const group = batches.slice(k, k + PARALLEL_BATCHES).map(async (invites, j) => {
        const n = k + j;
        const ids = await local.newIds('invite', invites.length);
        if (n === 0) upsertSearchAttributes([{ key: INVITE_IDS, value: listedIds(ids) }]);
        results[n] = await saga.step(`create invites, batch ${n + 1}`, {
          undo: async () => {
            await compensations.deleteInvites(ids);
            await compensations.deleteEvents(ids.map((id) => batchEvent(id).id));
          },
          run: () =>
            executeChild('createInvitesWorkflow', {
              workflowId: runs[n],
              args: [{ invites, ids, skipExisting: input.skipExisting }],
              typedSearchAttributes: [{ key: FLOW, value: flowId('createInvites') }],
              staticSummary: `batch ${n + 1} of ${batches.length} (${invites.length} invites)`,
            }) as Promise<InvitesWithClaims>,
        });
      });
      // Every batch of the group settles before a failure is acted on: none may commit after its undo.
      const failed = (await Promise.allSettled(group)).find((s) => s.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    }
  });

  // After the saga: the mails, one activity per batch; a failed mail marks its invite, never the call.
  await CancellationScope.nonCancellable(() =>
    Promise.all(
      results.map((r) => {
        const email = new Map(r.invites.map((i) => [i.id, i.email]));
        const items = r.claims.map((c) => ({ claims: c, email: email.get(c.inviteId)! }));
        return afterCommit('deliver the batch', () => bulkDelivery.deliverInvites(items));
      }),
    ),
  );
  return { invites: [], claims: [], batches: runs, skipped: results.flatMap((r) => r.skipped ?? []) };
}
