import { Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy, type ScheduleOptionsAction, type ScheduleSpec } from '@temporalio/client';
import { expireInvitesWorkflow, type ExpireInvitesInput } from '../workflows/expire-invites';
import { FLOW } from '../domain/search-attributes';

export const INVITE_EXPIRY_SCHEDULE_ID = 'usermod-invite-expiry';

export interface ExpiryScheduleOptions extends ExpireInvitesInput {
  taskQueue: string;
  intervalSeconds: number;
  scheduleId?: string;
}

/**
 * Creates the invite-expiry schedule, or brings an existing one to the configured spec: safe to call
 * from every worker start. Overlap SKIP: a slow run is never doubled. A paused schedule stays paused.
 */
export async function ensureInviteExpirySchedule(client: Client, o: ExpiryScheduleOptions): Promise<string> {
  const scheduleId = o.scheduleId ?? INVITE_EXPIRY_SCHEDULE_ID;
  const spec: ScheduleSpec = { intervals: [{ every: `${o.intervalSeconds}s` }] };
  const action: ScheduleOptionsAction = {
    type: 'startWorkflow',
    workflowType: expireInvitesWorkflow,
    workflowId: 'invite-expiry',
    args: [{ batchSize: o.batchSize, retentionSeconds: o.retentionSeconds }],
    taskQueue: o.taskQueue,
    typedSearchAttributes: [{ key: FLOW, value: 'invite-expiry' }],
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies, memo: { summary: 'expire stale invites' } });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action, policies }));
  }
  return scheduleId;
}
