import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { apiKeyTitle, createApiKey, deleteApiKey, revokeApiKey, revokeIn } from '../../client';
import { matches } from '../../domain/validation';
import type { ApiKeyDTO } from '../../domain';
import { runOptions, type ApiContext } from '../context';
import { authGuards } from '../guards';
import { policy, routes } from '../route';
import { page } from '../schemas';
import { idParam, listPaging, searchText } from '../validation';
import { checkRoleGrant } from './rbac';

const apiKey = matches<ApiKeyDTO>()(
  z.object({
    id: z.string(),
    title: z.string(),
    type: z.literal('secret'),
    token: z.string().meta({ description: 'The secret (sk_…) in the create answer only; "" everywhere else' }),
    redacted: z.string(),
    created_by: z.string(),
    revoked_by: z.string().nullable(),
    revoked_at: z.string().nullable(),
    last_used_at: z.string().nullable(),
    roles: z.array(z.string()),
    created_at: z.string(),
    updated_at: z.string(),
    deleted_at: z.string().nullable(),
  }),
);
const oneKey = z.object({ api_key: apiKey });
const idParams = z.strictObject({ id: idParam });
const listQuery = z.strictObject({
  q: searchText,
  limit: listPaging.limit,
  offset: listPaging.offset,
  order: listPaging.order,
});
const createBody = z.strictObject({
  title: apiKeyTitle,
  type: z.literal('secret').optional(),
  // The roles the key acts with: only roles whose every policy the caller holds.
  roles: z.array(idParam).max(100, { error: 'must name at most 100 roles' }).optional(),
});
const revokeBody = z.strictObject({
  revoke_in: revokeIn.optional().meta({ description: 'Seconds the key keeps working: 0 (default) to 2592000' }),
});

/** Secret API keys (Medusa's /admin/api-keys), each acting with its own roles. */
export function apiKeyRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const r = routes(app, authGuards(ctx.sessions!), 'api-keys');
  const admin = { guard: 'registered' as const };
  const one = { ...admin, params: idParams, errors: ['not_found' as const] };

  r.get(
    '/admin/api-keys',
    {
      ...admin,
      policies: [policy('api_key', 'read')],
      summary: 'List secret API keys (redacted only)',
      query: listQuery,
      reply: page('api_keys', apiKey),
    },
    async ({ query: q }) => {
      const [limit, offset] = [q.limit ?? 20, q.offset ?? 0];
      const [api_keys, count] = await ctx.store.listAndCountApiKeys({ q: q.q }, { limit, offset, order: q.order });
      return { api_keys, count, offset, limit };
    },
  );

  r.post(
    '/admin/api-keys',
    {
      ...admin,
      policies: [policy('api_key', 'create')],
      summary: 'Create a secret API key: the secret (token) is in this answer only',
      body: createBody,
      reply: oneKey,
      errors: ['forbidden'],
    },
    async ({ body, req }) => {
      if (body.roles?.length) await checkRoleGrant(ctx.store, req, body.roles);
      const key = await createApiKey(
        ctx.usermod,
        { title: body.title, roleIds: body.roles, createdBy: req.grantor!.id },
        runOptions(req),
      );
      return { api_key: key };
    },
  );

  r.get(
    '/admin/api-keys/:id',
    { ...one, policies: [policy('api_key', 'read')], summary: 'One secret API key (redacted)', reply: oneKey },
    async ({ params }) => ({ api_key: await ctx.store.retrieveApiKey(params.id) }),
  );

  r.post(
    '/admin/api-keys/:id/revoke',
    {
      ...one,
      policies: [policy('api_key', 'read'), policy('api_key', 'update')],
      summary: 'Revoke a key, at once or after revoke_in seconds of grace',
      body: revokeBody,
      reply: oneKey,
    },
    async ({ params, body, req }) => {
      await ctx.store.retrieveApiKey(params.id);
      const key = await revokeApiKey(
        ctx.usermod,
        { id: params.id, revokedBy: req.grantor!.id, revokeIn: body.revoke_in },
        runOptions(req),
      );
      return { api_key: key };
    },
  );

  r.delete(
    '/admin/api-keys/:id',
    {
      ...one,
      policies: [policy('api_key', 'read'), policy('api_key', 'delete')],
      summary: 'Delete a revoked key (400 while it is not revoked, or still in its grace period)',
      reply: z.object({ id: z.string(), object: z.literal('api_key'), deleted: z.literal(true) }),
    },
    async ({ params, req }) => {
      await ctx.store.retrieveApiKey(params.id);
      await deleteApiKey(ctx.usermod, params.id, runOptions(req));
      return { id: params.id, object: 'api_key' as const, deleted: true as const };
    },
  );
}
