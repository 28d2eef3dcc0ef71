import { Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy, type ScheduleOptionsAction } from '@temporalio/client';
import type { PublishEventsInput, WebhookRetry } from '../domain';

export const WEBHOOK_RELAY_SCHEDULE_ID = 'usermod-webhook-relay';

export interface RelayScheduleOptions {
  taskQueue: string;
  intervalSeconds: number;
  delivery: WebhookRetry;
  batchSize?: number;
  scheduleId?: string;
}

/**
 * Creates the outbox relay's schedule, or brings an existing one to the configured spec (safe on every
 * worker start). Overlap SKIP: one relay run at a time, so events are published in order.
 */
export async function ensureWebhookRelaySchedule(client: Client, o: RelayScheduleOptions): Promise<string> {
  const scheduleId = o.scheduleId ?? WEBHOOK_RELAY_SCHEDULE_ID;
  const spec = { intervals: [{ every: `${o.intervalSeconds}s` }] };
  const input: PublishEventsInput = { batchSize: o.batchSize ?? 200, delivery: o.delivery };
  const action: ScheduleOptionsAction = {
    type: 'startWorkflow',
    workflowType: 'publishEventsWorkflow',
    workflowId: 'publish-events',
    args: [input],
    taskQueue: o.taskQueue,
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies, memo: { summary: 'publish recorded events' } });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action, policies }));
  }
  return scheduleId;
}
