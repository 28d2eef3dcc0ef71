import {
  Client,
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type ScheduleOptionsAction,
  type ScheduleSpec,
} from '@temporalio/client';
import { FLOW, flowId, workflowType, type ReconcileInput } from '../domain';

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
export async function ensureReconcileSchedule(
  client: Client,
  o: ReconcileScheduleOptions,
): Promise<string | undefined> {
  if (!o.intervalSeconds) return undefined;
  const scheduleId = o.scheduleId ?? RECONCILE_SCHEDULE_ID;
  const spec: ScheduleSpec = { intervals: [{ every: `${o.intervalSeconds}s` }] };
  const input: ReconcileInput = { dryRun: o.dryRun, graceSeconds: o.graceSeconds };
  const action: ScheduleOptionsAction = {
    type: 'startWorkflow',
    workflowType: workflowType('reconcile'),
    workflowId: flowId('reconcile'),
    args: [input],
    taskQueue: o.taskQueue,
    typedSearchAttributes: [{ key: FLOW, value: flowId('reconcile') }],
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP };
  try {
    await client.schedule.create({
      scheduleId,
      spec,
      action,
      policies,
      memo: { summary: 'repair what terminated runs left' },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action, policies }));
  }
  return scheduleId;
}
