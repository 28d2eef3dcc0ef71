import {
  notFound,
  type EventName,
  type PublishedEvent,
  type WebhookDeliveryDTO,
  type WebhookDeliveryStatus,
  type WebhookDTO,
} from '../domain';
import { newId } from './ids';
import type { Prisma, PrismaClient } from './prisma';

type WebhookRow = Prisma.WebhookGetPayload<object>;
type DeliveryRow = Prisma.WebhookDeliveryGetPayload<{ include: { attempt_rows: true } }>;

const toWebhookDTO = (w: WebhookRow): WebhookDTO => ({
  id: w.id,
  url: w.url,
  events: w.events as string[],
  created_at: w.created_at.toISOString(),
  deleted_at: w.deleted_at?.toISOString() ?? null,
});

const toDeliveryDTO = (d: DeliveryRow): WebhookDeliveryDTO => ({
  id: d.id,
  webhook_id: d.webhook_id,
  event_id: d.event_id,
  event_name: d.event_name,
  status: d.status as WebhookDeliveryStatus,
  attempts: d.attempts,
  last_status_code: d.last_status_code,
  last_error: d.last_error,
  delivered_at: d.delivered_at?.toISOString() ?? null,
  created_at: d.created_at.toISOString(),
  attempt_log: d.attempt_rows
    .sort((a, b) => a.attempt - b.attempt)
    .map((a) => ({
      attempt: a.attempt,
      status_code: a.status_code,
      error: a.error,
      created_at: a.created_at.toISOString(),
    })),
});

/**
 * Webhooks, the outbox relay's reads and writes on the event table, and deliveries with their
 * attempts. Every write is idempotent (Temporal retries activities).
 */
export function webhookStore(prisma: PrismaClient) {
  return {
    /** The secret arrives encrypted (auth/webhook-secret.ts): this store never sees it in plaintext. */
    async createWebhook(data: { url: string; events: string[]; secret_ciphertext: string }): Promise<WebhookDTO> {
      return toWebhookDTO(await prisma.webhook.create({ data: { id: newId('wh'), ...data } }));
    },

    async listWebhooks(): Promise<WebhookDTO[]> {
      const rows = await prisma.webhook.findMany({ where: { deleted_at: null }, orderBy: { id: 'asc' } });
      return rows.map(toWebhookDTO);
    },

    async retrieveWebhook(id: string): Promise<WebhookDTO> {
      const w = await prisma.webhook.findFirst({ where: { id, deleted_at: null } });
      if (!w) throw notFound(`Webhook with id: ${id} was not found`);
      return toWebhookDTO(w);
    },

    /** Soft delete: no new deliveries; its pending ones end as failed; its log stays readable. */
    async deleteWebhook(id: string): Promise<void> {
      const { count } = await prisma.webhook.updateMany({
        where: { id, deleted_at: null },
        data: { deleted_at: new Date() },
      });
      if (count === 0) throw notFound(`Webhook with id: ${id} was not found`);
    },

    async listWebhookDeliveries(webhookId: string, status?: WebhookDeliveryStatus): Promise<WebhookDeliveryDTO[]> {
      const rows = await prisma.webhookDelivery.findMany({
        where: { webhook_id: webhookId, ...(status ? { status } : {}) },
        include: { attempt_rows: true },
        orderBy: [{ created_at: 'asc' }, { id: 'asc' }],
      });
      return rows.map(toDeliveryDTO);
    },

    /** Unpublished events, oldest first: the relay publishes them in this order. */
    async eventsToPublish(limit: number): Promise<string[]> {
      const rows = await prisma.event.findMany({
        where: { published_at: null },
        orderBy: [{ created_at: 'asc' }, { id: 'asc' }],
        take: limit,
        select: { id: true },
      });
      return rows.map((r) => r.id);
    },

    async eventForPublish(id: string): Promise<PublishedEvent | undefined> {
      const e = await prisma.event.findUnique({ where: { id } });
      if (!e || e.published_at) return undefined;
      return {
        id: e.id,
        name: e.name as EventName,
        payload: e.payload as Record<string, unknown>,
        created_at: e.created_at.toISOString(),
      };
    },

    /**
     * Publishes one event: a delivery for every live webhook that subscribes to its name (and existed
     * when it was recorded), and `published_at`, in one transaction. Again for a published event: nothing.
     */
    async fanOutEvent(id: string): Promise<number> {
      return prisma.$transaction(async (tx) => {
        const e = await tx.event.findUnique({ where: { id } });
        if (!e || e.published_at) return 0;
        const hooks = (
          await tx.webhook.findMany({ where: { deleted_at: null, created_at: { lte: e.created_at } } })
        ).filter((w) => (w.events as string[]).includes(e.name));
        const { count } = await tx.webhookDelivery.createMany({
          data: hooks.map((w) => ({ id: newId('whd'), webhook_id: w.id, event_id: e.id, event_name: e.name })),
          skipDuplicates: true,
        });
        await tx.event.update({ where: { id }, data: { published_at: new Date() } });
        return count;
      });
    },

    /** Deliveries whose workflow the relay has not started yet, oldest first. */
    async undispatchedDeliveries(limit: number): Promise<string[]> {
      const rows = await prisma.webhookDelivery.findMany({
        where: { dispatched_at: null },
        orderBy: [{ created_at: 'asc' }, { id: 'asc' }],
        take: limit,
        select: { id: true },
      });
      return rows.map((r) => r.id);
    },

    async markDispatched(ids: string[]): Promise<void> {
      await prisma.webhookDelivery.updateMany({
        where: { id: { in: ids }, dispatched_at: null },
        data: { dispatched_at: new Date() },
      });
    },

    /** What one attempt needs: the delivery, its webhook (secret still encrypted) and its event. */
    async deliveryForSend(id: string) {
      const d = await prisma.webhookDelivery.findUnique({ where: { id }, include: { webhook: true } });
      if (!d) return undefined;
      const e = await prisma.event.findUnique({ where: { id: d.event_id } });
      return { delivery: d, webhook: d.webhook, event: e };
    },

    /** One attempt's outcome; a 2xx marks the delivery delivered. Retried attempts overwrite their own row. */
    async recordWebhookAttempt(deliveryId: string, attempt: number, statusCode: number | null, error: string | null) {
      const delivered = statusCode !== null && statusCode >= 200 && statusCode < 300;
      await prisma.$transaction([
        prisma.webhookAttempt.upsert({
          where: { id: `wha_${deliveryId}_${attempt}` },
          create: {
            id: `wha_${deliveryId}_${attempt}`,
            delivery_id: deliveryId,
            attempt,
            status_code: statusCode,
            error,
          },
          update: { status_code: statusCode, error },
        }),
        prisma.webhookDelivery.update({
          where: { id: deliveryId },
          data: {
            attempts: attempt,
            last_status_code: statusCode,
            last_error: error,
            updated_at: new Date(),
            ...(delivered ? { status: 'delivered', delivered_at: new Date() } : {}),
          },
        }),
      ]);
    },

    async markDeliveryFailed(deliveryId: string, reason: string): Promise<void> {
      await prisma.webhookDelivery.updateMany({
        where: { id: deliveryId, status: 'pending' },
        data: { status: 'failed', last_error: reason, updated_at: new Date() },
      });
    },
  };
}
