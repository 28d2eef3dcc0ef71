import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { acceptInvite, createInvites, resendInvites, revokeInvites } from '../../client';
import { INVITE_STATUSES } from '../../store/invites';
import { invalidData, notAllowed, unauthorized } from '../../store/errors';
import { authGuards } from '../auth';
import { runOptions, type ApiContext } from '../context';
import { dateParam, emailField, idParam, jsonSchema, listPaging, metadataField, oneOrMany, optionalText, passwordField, pickFields, searchText, tokenField, validate } from '../validation';

const status = z.enum(INVITE_STATUSES as [string, ...string[]]);
const listQuery = z.strictObject({
  q: searchText,
  id: oneOrMany,
  email: oneOrMany,
  status: z.union([status, z.array(status).max(4)]).optional(),
  'expires_at[$gt]': dateParam,
  'expires_at[$gte]': dateParam,
  'expires_at[$lt]': dateParam,
  'expires_at[$lte]': dateParam,
  ...listPaging,
});
const fieldsQuery = z.strictObject({ fields: listPaging.fields });
const idParams = z.strictObject({ id: idParam });
const createBody = z.strictObject({ email: emailField, metadata: metadataField });
const acceptQuery = z.strictObject({ token: tokenField });
const acceptBody = z.strictObject({ email: emailField.nullish(), first_name: optionalText, last_name: optionalText, password: passwordField.optional() });

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
    await revokeInvites(ctx.usermod, [id], runOptions(req));
    return { id, object: 'invite', deleted: true };
  });

  app.post('/admin/invites/:id/resend', { ...admin, schema: { tags: ['invites'], summary: 'New token and expiry; earlier tokens stop working', params: jsonSchema(idParams) } }, async (req) => {
    const { id } = validate(idParams, req.params);
    const [invite] = await resendInvites(ctx.usermod, [id], runOptions(req));
    return { invite };
  });
}
