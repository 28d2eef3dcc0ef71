import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { decryptWebhookSecret, signWebhook } from '../auth/webhook-secret';
import { publicPayload, type EventName, type PublishedEvent } from '../domain';
import type { Store } from '../store';
import { postToWebhook, RefusedDestination } from './webhook-egress';

/** An in-process subscriber: runs inside the relay's `publishEvent` activity, so it is retried on failure. */
export type EventHandler = (event: PublishedEvent) => Promise<void> | void;

/** `onEvent('invite.accepted', handler)`: the handlers of an application's worker (worker/factory.ts). */
export function eventSubscribers() {
  const handlers = new Map<string, EventHandler[]>();
  return {
    onEvent(name: EventName | '*', handler: EventHandler): void {
      handlers.set(name, [...(handlers.get(name) ?? []), handler]);
    },
    handlersFor: (name: string): EventHandler[] => [...(handlers.get(name) ?? []), ...(handlers.get('*') ?? [])],
  };
}
export type EventSubscribers = ReturnType<typeof eventSubscribers>;

export interface WebhookSettings {
  /** The installation's key the signing secrets are encrypted with (base64, 32 bytes). */
  key?: string;
  subscribers?: EventSubscribers;
  /** One attempt's HTTP timeout. */
  timeoutSeconds?: number;
  /** Deliver to loopback and private addresses too (WEBHOOK_ALLOW_PRIVATE_URLS; activities/webhook-egress.ts). */
  allowPrivateUrls?: boolean;
}

/** Body of a webhook: the Standard Webhooks shape (type, timestamp, data); data holds ids only. */
export const webhookBody = (e: PublishedEvent) =>
  JSON.stringify({ type: e.name, timestamp: e.created_at, data: publicPayload(e.payload) });

export function webhookActivities(store: Store, settings: WebhookSettings = {}) {
  const subscribers = settings.subscribers;
  return {
    eventsToPublish: store.eventsToPublish,
    undispatchedDeliveries: store.undispatchedDeliveries,
    markDispatched: store.markDispatched,
    markDeliveryFailed: store.markDeliveryFailed,

    /**
     * Publishes one event: the in-process subscribers first (a failing one fails this activity, which
     * is retried: at least once, and later events wait, so they stay in order), then one delivery per
     * subscribed webhook and `published_at`, in one transaction.
     */
    async publishEvent(eventId: string): Promise<number> {
      const event = await store.eventForPublish(eventId);
      if (!event) return 0;
      const published = { ...event, payload: publicPayload(event.payload) };
      for (const handler of subscribers?.handlersFor(event.name) ?? []) await handler(published);
      return store.fanOutEvent(eventId);
    },

    /**
     * One attempt of one delivery: signed, POSTed, recorded. A 2xx ends it; anything else fails the
     * attempt, which Temporal retries with backoff until the delivery's window is over.
     */
    async sendWebhook(deliveryId: string): Promise<{ status: number }> {
      const found = await store.deliveryForSend(deliveryId);
      if (!found) throw ApplicationFailure.nonRetryable(`Delivery ${deliveryId} does not exist`, 'webhook_gone');
      const { delivery, webhook, event } = found;
      // Recorded as delivered by an earlier attempt whose activity did not complete: never sent twice.
      if (delivery.status === 'delivered') return { status: delivery.last_status_code ?? 200 };
      if (webhook.deleted_at || !event)
        throw ApplicationFailure.nonRetryable(`Webhook ${webhook.id} was deleted`, 'webhook_gone');
      if (!settings.key) throw new Error('no webhook key (USERMOD_WEBHOOK_KEY): the signing secrets cannot be read');
      const body = webhookBody({
        id: event.id,
        name: event.name as EventName,
        payload: event.payload as Record<string, unknown>,
        created_at: event.created_at.toISOString(),
      });
      // The event id is the message id: the same on every attempt, so a receiver can drop a repeat.
      const headers = signWebhook(
        decryptWebhookSecret(settings.key, webhook.secret_ciphertext),
        event.id,
        Math.floor(Date.now() / 1000),
        body,
      );
      const attempt = Context.current().info.attempt;
      let status: number | null = null;
      let error: string | null = null;
      try {
        const res = await postToWebhook(
          webhook.url,
          {
            headers: { 'content-type': 'application/json', 'user-agent': 'usermod-webhooks', ...headers },
            body,
            timeoutMs: (settings.timeoutSeconds ?? 15) * 1000,
          },
          settings.allowPrivateUrls,
        );
        status = res.status;
        await res.body?.cancel();
        if (status < 200 || status >= 300) error = `the receiver answered ${status}`;
      } catch (err) {
        const cause = (err as { cause?: { code?: string } }).cause;
        const refused = [err, cause].find((e) => e instanceof RefusedDestination);
        error = refused ? refused.message : `no answer from the receiver (${cause?.code ?? (err as Error).name})`;
      }
      await store.recordWebhookAttempt(deliveryId, attempt, status, error);
      if (error)
        throw ApplicationFailure.retryable(
          `Delivery ${deliveryId}, attempt ${attempt}: ${error}`,
          'webhook_attempt_failed',
        );
      return { status: status! };
    },
  };
}
