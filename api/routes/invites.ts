import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { acceptInvite, createInvites, refreshInviteTokens, deleteInvites } from '../../client';
import { INVITE_STATUSES, invalidData, notAllowed, unauthorized } from '../../domain';
import { authGuards } from '../guards';
import { runOptions, type ApiContext } from '../context';
import { jsonSchema, listPaging, metadataField, oneOrMany, optionalText, pickFields, validate } from '../validation';

const status = z.enum(INVITE_STATUSES);
const listQuery = z.strictObject({
  q: z.string().optional(),
  id: oneOrMany,
  email: oneOrMany,
  status: z.union([status, z.array(status)]).optional(),
  'expires_at[$gt]': z.string().optional(),
  'expires_at[$gte]': z.string().optional(),
  'expires_at[$lt]': z.string().optional(),
  'expires_at[$lte]': z.string().optional(),
  ...listPaging,
});
const fieldsQuery = z.strictObject({ fields: z.string().optional() });
const idParams = z.strictObject({ id: z.string().min(1) });
const createBody = z.strictObject({ email: z.string(), metadata: metadataField });
const acceptQuery = z.strictObject({ token: z.string().min(1) });
const acceptBody = z.strictObject({ email: optionalText, first_name: optionalText, last_name: optionalText, password: z.string().optional() });

export function inviteRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const guard = authGuards(ctx.store, ctx.jwtSecret);
  const admin = { preHandler: guard.registered };

  app.get('/admin/invites', { ...admin, schema: { tags: ['invites'], summary: 'List invites (never with tokens)', querystring: jsonSchema(listQuery) } }, async (req) => {
    const q = validate(listQuery, req.query);
    const range = Object.fromEntries(
      (['gt', 'gte', 'lt', 'lte'] as const).flatMap((op) => (q[`expires_at[$${op}]`] ? [[op, q[`expires_at[$${op}]`]]] : [])),
    );
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    const [invites, count] = await ctx.store.listAndCountInvites(
      { q: q.q, id: q.id, email: q.email, status: q.status as never, expires_at: Object.keys(range).length ? range : undefined },
      { limit, offset, order: q.order },
    );
    return { invites: invites.map((i) => pickFields(i, q.fields)), count, offset, limit };
  });

  app.post('/admin/invites', { ...admin, schema: { tags: ['invites'], summary: 'Invite someone (the answer carries the token)', body: jsonSchema(createBody) } }, async (req) => {
    const body = validate(createBody, req.body);
    const [invite] = await createInvites(ctx.usermod, [body], runOptions(req));
    return { invite };
  });

  // Declared before /:id so that "accept" is never taken for an id.
  app.post('/admin/invites/accept', {
    preHandler: guard.optional,
    schema: { tags: ['invites'], summary: "Accept an invite: with the bearer from register (Medusa's two steps), or with a password", querystring: jsonSchema(acceptQuery), body: jsonSchema(acceptBody) },
  }, async (req) => {
    const { token } = validate(acceptQuery, req.query);
    const { password, ...user } = validate(acceptBody, req.body);
    if (req.auth?.actor_id) throw notAllowed('The user is already authenticated and cannot accept an invite.');
    if (req.auth && password !== undefined) throw invalidData('Give either a password or the bearer of a registered login, not both');
    if (!req.auth && password === undefined) throw unauthorized("Unauthorized: register first and send its bearer token, or give a 'password'");
    const result = await acceptInvite(ctx.usermod, { token, password, authIdentityId: req.auth?.auth_identity_id, user }, runOptions(req));
    return { user: result.user };
  });

  app.get('/admin/invites/:id', { ...admin, schema: { tags: ['invites'], summary: 'One invite', params: jsonSchema(idParams), querystring: jsonSchema(fieldsQuery) } }, async (req) => {
    const { id } = validate(idParams, req.params);
    const { fields } = validate(fieldsQuery, req.query);
    return { invite: pickFields(await ctx.store.retrieveInvite(id), fields) };
  });

  app.delete('/admin/invites/:id', { ...admin, schema: { tags: ['invites'], summary: 'Revoke an invite', params: jsonSchema(idParams) } }, async (req) => {
    const { id } = validate(idParams, req.params);
    await deleteInvites(ctx.usermod, [id], runOptions(req));
    return { id, object: 'invite', deleted: true };
  });

  app.post('/admin/invites/:id/resend', { ...admin, schema: { tags: ['invites'], summary: 'New token and expiry; earlier tokens stop working', params: jsonSchema(idParams) } }, async (req) => {
    const { id } = validate(idParams, req.params);
    const [invite] = await refreshInviteTokens(ctx.usermod, [id], runOptions(req));
    return { invite };
  });
}
