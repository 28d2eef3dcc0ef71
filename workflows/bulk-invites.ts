// Bulk create: many invites in one call, as batches (child runs of createInvitesWorkflow), so that no
// history, event or payload grows with the call. Each batch's claims, rows and result stay in its own
// run's history; the parent holds only ids, and batches and parent talk by signals:
//   batch: creates its rows and events (its own saga) → signals the parent "committed" → waits;
//   parent: once every batch is in, signals each "deliver" (the batch mails its invites and ends with its
//   result, which the client reads); when a batch fails, signals the others "undo" (each undoes itself)
//   and deletes every batch's rows and events by their ids as well.
// One call is one saga, all or nothing, and nothing is mailed until every batch is in (README, *Bulk invites*).
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  defineSignal,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
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
/** A batch whose parent never decides (terminated by hand) undoes itself after this long. */
const DECISION_TIMEOUT = '1 hour';

export const batchCommitted = defineSignal<[number]>('usermodBatchCommitted');
export const bulkDecision = defineSignal<['deliver' | 'undo']>('usermodBulkDecision');

export const listedIds = (ids: string[]) => ids.slice(0, MAX_LISTED_IDS);

export const batchSizeOf = (input: CreateInvitesInput) =>
  Math.min(1000, Math.max(1, Math.floor(input.batchSize ?? DEFAULT_BATCH_SIZE)));

/** A batch's `invite.created` event: its id follows from the invite, so the parent can undo it too. */
export const batchEvent = (inviteId: string): EventInput => ({
  id: `evt_created_${inviteId}`,
  name: 'invite.created',
  payload: { id: inviteId },
});

/** In a batch, inside its saga: tell the parent the batch is in, then wait for its decision. */
export async function awaitBulkDecision(bulk: { parent: string; batch: number }): Promise<void> {
  let decision: 'deliver' | 'undo' | undefined;
  setHandler(bulkDecision, (d) => void (decision = d));
  await getExternalWorkflowHandle(bulk.parent).signal(batchCommitted, bulk.batch);
  if (!(await condition(() => decision !== undefined, DECISION_TIMEOUT)) || decision === 'undo') {
    throw ApplicationFailure.create({
      type: 'bulk_undone',
      message: 'Another batch of this bulk call failed: every batch is undone',
      nonRetryable: true,
    });
  }
}

/** A batch's mails, after the whole call committed: one activity (activities/delivery.ts, deliverInvites). */
export function deliverBatch({ invites, claims }: InvitesWithClaims): Promise<unknown> {
  const email = new Map(invites.map((i) => [i.id, i.email]));
  const items = claims.map((c) => ({ claims: c, email: email.get(c.inviteId)! }));
  return afterCommit('deliver the batch', () => bulkDelivery.deliverInvites(items));
}

export async function createInvitesInBatches(input: CreateInvitesInput): Promise<InvitesWithClaims> {
  const size = batchSizeOf(input);
  const batches: CreateInvitesInput['invites'][] = [];
  for (let k = 0; k < input.invites.length; k += size) batches.push(input.invites.slice(k, k + size));
  const { workflowId } = workflowInfo();
  const runs = batches.map((_, n) => `${workflowId}-batch-${n + 1}`);
  const committed = new Set<number>();
  setHandler(batchCommitted, (n) => void committed.add(n));
  const handles: ChildWorkflowHandle<(input: CreateInvitesInput) => Promise<InvitesWithClaims>>[] = [];

  await runSaga(async (saga) => {
    for (let k = 0; k < batches.length; k += PARALLEL_BATCHES) {
      const group = batches.slice(k, k + PARALLEL_BATCHES).map(async (invites, j) => {
        const n = k + j;
        const ids = await local.newIds('invite', invites.length);
        if (n === 0) upsertSearchAttributes([{ key: INVITE_IDS, value: listedIds(ids) }]);
        await saga.step(`create invites, batch ${n + 1}`, {
          undo: async () => {
            // A batch still waiting undoes itself when told; its rows and events are deleted here too,
            // by their ids, whatever state it is in.
            const batch = handles[n];
            if (batch) {
              await batch.signal(bulkDecision, 'undo').catch(() => undefined);
              await batch.result().catch(() => undefined);
            }
            await compensations.deleteInvites(ids);
            await compensations.deleteEvents(ids.map((id) => batchEvent(id).id));
          },
          run: async () => {
            handles[n] = await startChild('createInvitesWorkflow', {
              workflowId: runs[n],
              args: [{ invites, ids, skipExisting: input.skipExisting, bulk: { parent: workflowId, batch: n } }],
              typedSearchAttributes: [{ key: FLOW, value: flowId('createInvites') }],
              staticSummary: `batch ${n + 1} of ${batches.length} (${invites.length} invites)`,
              // It outlives the parent by the time it takes to mail its invites.
              parentClosePolicy: ParentClosePolicy.ABANDON,
            });
            // Its signal says it committed; a batch that fails ends instead (its failure is the cause).
            const ended = handles[n].result().then(() => {
              throw ApplicationFailure.create({ message: `batch ${n + 1} ended before the call committed` });
            });
            await Promise.race([condition(() => committed.has(n)), ended]);
          },
        });
      });
      // Every batch of the group settles before a failure is acted on: none may commit after its undo.
      const failed = (await Promise.allSettled(group)).find((s) => s.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    }
  });

  // Every batch is in: each mails its invites and ends with its result.
  await CancellationScope.nonCancellable(() => Promise.all(handles.map((h) => h.signal(bulkDecision, 'deliver'))));
  return { invites: [], claims: [], batches: runs };
}
