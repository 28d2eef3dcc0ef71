import { Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy, type ScheduleOptionsAction, type ScheduleSpec } from '@temporalio/client';
import { reconcileWorkflow } from '../workflows/reconcile';
import { FLOW } from '../workflows/search-attributes';

export const RECONCILE_SCHEDULE_ID = 'usermod-reconcile';

export interface ReconcileScheduleOptions {
  taskQueue: string;
  /** 0: no schedule (an existing one is left as it is; pause or delete it with the CLI). */
  intervalSeconds: number;
  dryRun: boolean;
  graceSeconds: number;
  scheduleId?: string;
}

/**
 * Creates the reconciler's schedule, or brings an existing one to the configured spec: safe to call
 * from every worker start. Overlap SKIP: two reconcilers never run at once. A paused schedule stays
 * paused. Trigger a run now with `temporal schedule trigger --schedule-id usermod-reconcile`.
 */
export async function ensureReconcileSchedule(client: Client, o: ReconcileScheduleOptions): Promise<string | undefined> {
  if (!o.intervalSeconds) return undefined;
  const scheduleId = o.scheduleId ?? RECONCILE_SCHEDULE_ID;
  const spec: ScheduleSpec = { intervals: [{ every: `${o.intervalSeconds}s` }] };
  const action: ScheduleOptionsAction = {
    type: 'startWorkflow',
    workflowType: reconcileWorkflow,
    workflowId: 'reconcile',
    args: [{ dryRun: o.dryRun, graceSeconds: o.graceSeconds }],
    taskQueue: o.taskQueue,
    typedSearchAttributes: [{ key: FLOW, value: 'reconcile' }],
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies, memo: { summary: 'repair what terminated runs left' } });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action, policies }));
  }
  return scheduleId;
}
