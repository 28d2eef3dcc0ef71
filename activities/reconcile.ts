import { Client, WorkflowNotFoundError } from '@temporalio/client';
import {
  runRepairEventId,
  SAGA_FLOWS,
  workflowType,
  type ClosedRun,
  type EventInput,
  type Leftovers,
  type OrphanClaim,
  type ReconcileInput,
} from '../domain';
import type { Store } from '../store';
import { reconcilerFindings, reconcilerRepairs } from '../metrics/registry';

/** The flows that undo what they did when they fail: a terminated run of one of them may have left rows. */
const SAGA_WORKFLOW_TYPES = SAGA_FLOWS.map(workflowType);
/**
 * Flows whose first workflow task writes (a local step): terminated inside it, they may have left rows.
 * createInvites' and acceptInvite's re-runs find what they committed and, past their commit point,
 * complete (an invite is delivered, an account stands); createUsers' is undone.
 */
const WRITES_IN_FIRST_TASK: string[] = (['createUsers', 'createInvites', 'acceptInvite'] as const).map(workflowType);

async function runStatus(client: Client, workflowId: string): Promise<{ status: string; runId?: string }> {
  try {
    const d = await client.workflow.getHandle(workflowId).describe();
    return { status: d.status.name, runId: d.runId };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { status: 'NOT_FOUND' };
    throw err;
  }
}

/** The reconciler's activities: it needs the worker's Temporal client besides the store. */
export function reconcileActivities(store: Store, temporal: () => Client) {
  return {
    /** What no running flow owns: terminated runs of saga flows not yet repaired, and orphaned invite claims. */
    async findLeftovers(input: ReconcileInput & { taskQueue: string }): Promise<Leftovers> {
      const client = temporal();
      const limit = input.limit ?? 100;
      const since = new Date(Date.now() - (input.lookbackSeconds ?? 7 * 86_400) * 1000).toISOString();
      const types = SAGA_WORKFLOW_TYPES.map((t) => `'${t}'`).join(', ');
      const query = `TaskQueue = '${input.taskQueue}' AND WorkflowType IN (${types}) AND ExecutionStatus IN ('Terminated', 'TimedOut') AND CloseTime > '${since}'`;
      const runs: ClosedRun[] = [];
      for await (const w of client.workflow.list({ query })) {
        if (runs.length >= limit) break;
        if ((await store.existingEventIds([runRepairEventId(w.runId)])).length) continue;
        runs.push({ workflowId: w.workflowId, runId: w.runId, workflowType: w.type, status: w.status.name });
      }

      const claims: OrphanClaim[] = [];
      const claimedBefore = new Date(Date.now() - input.graceSeconds * 1000);
      for (const invite of await store.claimedInvitesWithoutUser(claimedBefore, limit)) {
        const run = await runStatus(client, invite.accepted_by);
        // A running accept owns its claim; a completed one left what it meant to (the user was then removed).
        if (run.status === 'RUNNING' || run.status === 'COMPLETED') continue;
        // A terminated run found above is undone by its own compensations, claim included.
        if (runs.some((r) => r.workflowId === invite.accepted_by)) continue;
        claims.push({ invite, acceptRunStatus: run.status, leftovers: await store.claimLeftovers(invite) });
      }
      if (runs.length) reconcilerFindings.inc({ kind: 'terminated_run' }, runs.length);
      if (claims.length) reconcilerFindings.inc({ kind: 'orphan_claim' }, claims.length);
      return { runs, claims };
    },

    /**
     * Undo a terminated run through its own compensations: reset it to its last completed workflow task
     * (a new run replays its history and carries on from there), then cancel that run, which undoes every
     * step the saga had registered and ends Cancelled. Idempotent: a second call only cancels again.
     */
    async compensateClosedRun(workflowId: string, runId: string): Promise<{ resetRunId: string | null }> {
      const client = temporal();
      const latest = await runStatus(client, workflowId);
      if (latest.runId && latest.runId !== runId) {
        if (latest.status === 'RUNNING') await client.workflow.getHandle(workflowId, latest.runId).cancel();
        return { resetRunId: latest.runId };
      }
      const events = (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
      // A flow that writes in its first workflow task (one task, a local step) can be terminated inside
      // it, its write committed and no task completed: the reset then re-runs that first task, whose ids
      // are the same (workflows/ids.ts), so its undo finds the rows. Other flows write nothing before
      // their first task completes: no completed task, nothing to undo.
      const flow = events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? '';
      const firstTask = WRITES_IN_FIRST_TASK.includes(flow)
        ? events.find((e) => e.workflowTaskStartedEventAttributes)
        : undefined;
      const lastTask = [...events].reverse().find((e) => e.workflowTaskCompletedEventAttributes) ?? firstTask;
      if (!lastTask?.eventId) return { resetRunId: null };
      const { runId: resetRunId } = await client.workflowService.resetWorkflowExecution({
        namespace: client.options.namespace,
        workflowExecution: { workflowId, runId },
        workflowTaskFinishEventId: lastTask.eventId,
        reason: 'usermod reconciler: undo what a terminated run left',
        requestId: `usermod-reconcile-${runId}`,
      });
      await client.workflow.getHandle(workflowId, resetRunId).cancel();
      return { resetRunId };
    },

    /** Record a repair as an event (once: its id is the repair's), and count it. */
    async recordRepair(kind: 'terminated_run' | 'orphan_claim', event: EventInput): Promise<void> {
      if ((await store.existingEventIds([event.id])).length) return;
      await store.recordEvents([event]);
      reconcilerRepairs.inc({ kind });
    },
  };
}
