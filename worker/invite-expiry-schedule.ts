import {
  Client,
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type ScheduleOptionsAction,
  type ScheduleSpec,
} from '@temporalio/client';
import { FLOW, flowId, workflowType, type ExpireInvitesInput } from '../domain';

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
  const input: ExpireInvitesInput = { batchSize: o.batchSize, retentionSeconds: o.retentionSeconds };
  const action: ScheduleOptionsAction = {
    type: 'startWorkflow',
    workflowType: workflowType('expireInvites'),
    workflowId: flowId('expireInvites'),
    args: [input],
    taskQueue: o.taskQueue,
    typedSearchAttributes: [{ key: FLOW, value: flowId('expireInvites') }],
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
