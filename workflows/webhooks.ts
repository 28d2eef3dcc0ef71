import {
  ActivityFailure,
  ApplicationFailure,
  ParentClosePolicy,
  proxyActivities,
  startChild,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Activities } from '../activities';
import type { DeliverWebhookInput, PublishEventsInput, PublishEventsResult } from '../domain';

// The relay's reads and writes: a failure (a subscriber that keeps failing, a database away) fails the
// run, visible in the Temporal UI; the schedule's next run starts again from the oldest unpublished event.
// One batch takes well under a second; an attempt lost with a stopping worker is retried after 20 s, not
// after a minute during which the schedule skips every run (overlap SKIP) and nothing is published.
const relay = proxyActivities<Activities>({
  startToCloseTimeout: '20 seconds',
  scheduleToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

// Marking a delivery failed must happen however long the database is away.
const bookkeeping = proxyActivities<Pick<Activities, 'markDeliveryFailed'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export const deliveryWorkflowId = (deliveryId: string) => `webhook-delivery-${deliveryId}`;

/**
 * The outbox relay (started by the webhook-relay schedule, one run at a time): publishes recorded
 * events oldest first (subscribers, then a delivery per subscribed webhook, then `published_at`), then
 * starts a delivery workflow for every delivery that has none yet. At least once: a run that stops
 * half way leaves the rest unpublished or undispatched for the next run; a delivery workflow's id is
 * its delivery's, so it never starts twice.
 */
export async function publishEventsWorkflow(input: PublishEventsInput): Promise<PublishEventsResult> {
  const events = await relay.eventsToPublish(input.batchSize);
  // One after the other: in order.
  for (const id of events) await relay.publishEvent(id);
  const deliveries = await relay.undispatchedDeliveries(input.batchSize);
  for (const deliveryId of deliveries) {
    try {
      await startChild(deliverWebhookWorkflow, {
        workflowId: deliveryWorkflowId(deliveryId),
        args: [{ deliveryId, ...input.delivery }],
        // Each delivery lives on its own (retried for its window) after this relay run has ended.
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
    } catch (err) {
      // Started by an earlier run that stopped before marking it: it is under way (or done).
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
  if (deliveries.length > 0) await relay.markDispatched(deliveries);
  return { published: events.length, dispatched: deliveries.length };
}

/**
 * One event to one webhook: attempts with exponential backoff (capped) until a 2xx or the end of the
 * retry window; each attempt recorded. Then the delivery is marked failed and this run fails, so the
 * failure shows in the API (GET /admin/webhooks/:id/deliveries) and in the Temporal UI.
 */
export async function deliverWebhookWorkflow(input: DeliverWebhookInput): Promise<{ status: number }> {
  const send = proxyActivities<Pick<Activities, 'sendWebhook'>>({
    startToCloseTimeout: `${input.timeoutSeconds + 10} seconds`,
    scheduleToCloseTimeout: `${input.retryWindowSeconds} seconds`,
    retry: {
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: `${input.maxRetryIntervalSeconds} seconds`,
      nonRetryableErrorTypes: ['webhook_gone'],
    },
  });
  try {
    return await send.sendWebhook(input.deliveryId);
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    const why =
      err.cause instanceof ApplicationFailure && err.cause.type === 'webhook_gone'
        ? err.cause.message
        : `no successful attempt within ${input.retryWindowSeconds} s`;
    await bookkeeping.markDeliveryFailed(input.deliveryId, why);
    throw ApplicationFailure.nonRetryable(
      `Webhook delivery ${input.deliveryId} failed: ${why}`,
      'webhook_delivery_failed',
    );
  }
}
