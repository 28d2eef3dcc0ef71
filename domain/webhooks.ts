import type { EventName } from './events';

/** A webhook endpoint as callers see it: never its secret. */
export interface WebhookDTO {
  id: string;
  url: string;
  events: string[];
  created_at: string;
  deleted_at: string | null;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookAttemptDTO {
  attempt: number;
  status_code: number | null;
  error: string | null;
  created_at: string;
}

export interface WebhookDeliveryDTO {
  id: string;
  webhook_id: string;
  event_id: string;
  event_name: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
  attempt_log: WebhookAttemptDTO[];
}

/** How long and how often one delivery is tried (the relay hands it to each delivery workflow). */
export interface WebhookRetry {
  retryWindowSeconds: number;
  maxRetryIntervalSeconds: number;
  timeoutSeconds: number;
}

export interface PublishEventsInput {
  /** Events published per run (the schedule runs again soon after). */
  batchSize: number;
  delivery: WebhookRetry;
}

export interface PublishEventsResult {
  published: number;
  dispatched: number;
}

export interface DeliverWebhookInput extends WebhookRetry {
  deliveryId: string;
}

/** An event as subscribers and webhooks receive it: a Medusa name, ids only (never a token or hash). */
export interface PublishedEvent {
  id: string;
  name: EventName;
  payload: Record<string, unknown>;
  created_at: string;
}

/** Payload keys that could carry a secret: never published, whatever a flow recorded. */
export const SECRET_KEY_PATTERN = /token|hash|secret|password/i;

export const publicPayload = (payload: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(payload).filter(([k]) => !SECRET_KEY_PATTERN.test(k)));
