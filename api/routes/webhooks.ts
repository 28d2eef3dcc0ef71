import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { encryptWebhookSecret, newWebhookSecret } from '../../auth/webhook-secret';
import { notAllowed, type EventName } from '../../domain';
import type { ApiContext } from '../context';
import { authGuards } from '../guards';
import { policy, routes } from '../route';
import { deleted } from '../schemas';
import { idParam } from '../validation';

/** The events a webhook may subscribe to: Medusa's names (domain/events.ts). */
export const WEBHOOK_EVENTS = [
  'user.created',
  'user.updated',
  'user.deleted',
  'invite.created',
  'invite.updated',
  'invite.resent',
  'invite.deleted',
  'invite.accepted',
  'invite.expired',
  'invite.delivery_failed',
  'auth.identity_registered',
  'auth.password_updated',
  'auth.password_reset',
  'rbac_role.created',
  'rbac_role.updated',
  'rbac_role.deleted',
  'rbac_role_policy.created',
  'rbac_role_policy.deleted',
  'user_role.assigned',
  'user_role.removed',
  'api_key.created',
  'api_key.revoked',
  'api_key.deleted',
] as const satisfies readonly EventName[];

const webhook = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  created_at: z.string(),
  deleted_at: z.string().nullable(),
});
const attempt = z.object({
  attempt: z.number(),
  status_code: z.number().nullable(),
  error: z.string().nullable(),
  created_at: z.string(),
});
const delivery = z.object({
  id: z.string(),
  webhook_id: z.string(),
  event_id: z.string(),
  event_name: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number(),
  last_status_code: z.number().nullable(),
  last_error: z.string().nullable(),
  delivered_at: z.string().nullable(),
  created_at: z.string(),
  attempt_log: z.array(attempt),
});

const url = z
  .string()
  .max(2000)
  .refine((u) => URL.canParse(u) && ['http:', 'https:'].includes(new URL(u).protocol), {
    error: 'must be an absolute http(s) URL',
  });
const createBody = z.strictObject({
  url,
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length),
});
const idParams = z.strictObject({ id: idParam });
const deliveriesQuery = z.strictObject({ status: z.enum(['pending', 'delivered', 'failed']).optional() });

/**
 * Webhooks (issue 14): signed with the Standard Webhooks format; the secret is shown once, at creation,
 * and kept encrypted with the installation's webhook key. Deliveries and their attempts are readable.
 */
export function webhookRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const r = routes(app, authGuards(ctx.sessions!), 'webhooks');

  r.post(
    '/admin/webhooks',
    {
      summary: 'Add a webhook; the answer carries its signing secret, shown this once',
      guard: 'registered',
      policies: [policy('webhook', 'create')],
      body: createBody,
      status: 201,
      reply: z.object({ webhook, secret: z.string() }),
      errors: ['not_allowed'],
    },
    async ({ body, reply }) => {
      if (!ctx.webhookKey) throw notAllowed('Webhooks are not configured here: USERMOD_WEBHOOK_KEY is not set');
      const secret = newWebhookSecret();
      const created = await ctx.store.createWebhook({
        url: body.url,
        events: [...new Set(body.events)],
        secret_ciphertext: encryptWebhookSecret(ctx.webhookKey, secret),
      });
      reply.code(201);
      return { webhook: created, secret };
    },
  );

  r.get(
    '/admin/webhooks',
    {
      summary: 'List webhooks (never their secrets)',
      guard: 'registered',
      policies: [policy('webhook', 'read')],
      reply: z.object({ webhooks: z.array(webhook) }),
    },
    async () => ({ webhooks: await ctx.store.listWebhooks() }),
  );

  r.get(
    '/admin/webhooks/:id',
    {
      summary: 'A webhook',
      guard: 'registered',
      policies: [policy('webhook', 'read')],
      params: idParams,
      reply: z.object({ webhook }),
      errors: ['not_found'],
    },
    async ({ params }) => ({ webhook: await ctx.store.retrieveWebhook(params.id) }),
  );

  r.delete(
    '/admin/webhooks/:id',
    {
      summary: 'Remove a webhook (its pending deliveries end as failed)',
      guard: 'registered',
      policies: [policy('webhook', 'delete')],
      params: idParams,
      reply: deleted('webhook'),
      errors: ['not_found'],
    },
    async ({ params }) => {
      await ctx.store.deleteWebhook(params.id);
      return { id: params.id, object: 'webhook' as const, deleted: true as const };
    },
  );

  r.get(
    '/admin/webhooks/:id/deliveries',
    {
      summary: "A webhook's deliveries, each with its attempts (status code or error); failed ones included",
      guard: 'registered',
      policies: [policy('webhook', 'read')],
      params: idParams,
      query: deliveriesQuery,
      reply: z.object({ deliveries: z.array(delivery) }),
      errors: ['not_found'],
    },
    async ({ params, query }) => {
      await ctx.store.retrieveWebhook(params.id);
      return { deliveries: await ctx.store.listWebhookDeliveries(params.id, query.status) };
    },
  );
}
