import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createUserAccount, removeUserAccount, updateUsers } from '../../client';
import { notAllowed } from '../../store/errors';
import { authGuards } from '../auth';
import { runOptions, type ApiContext } from '../context';
import { avatarUrlField, emailField, idParam, jsonSchema, listPaging, metadataField, oneOrMany, optionalText, passwordField, pickFields, searchText, validate } from '../validation';

const listQuery = z.strictObject({ q: searchText, id: oneOrMany, email: oneOrMany, ...listPaging });
const fieldsQuery = z.strictObject({ fields: listPaging.fields });
const idParams = z.strictObject({ id: idParam });
const updateBody = z.strictObject({ first_name: optionalText, last_name: optionalText, avatar_url: avatarUrlField, metadata: metadataField });
const createBody = z.strictObject({ email: emailField, password: passwordField, first_name: optionalText, last_name: optionalText });

export function userRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const admin = { preHandler: authGuards(ctx.store, ctx.jwtSecret).registered };

  app.get('/admin/users', { ...admin, schema: { tags: ['users'], summary: 'List users', querystring: jsonSchema(listQuery) } }, async (req) => {
    const q = validate(listQuery, req.query);
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    const [users, count] = await ctx.store.listAndCountUsers({ q: q.q, id: q.id, email: q.email }, { limit, offset, order: q.order });
    return { users: users.map((u) => pickFields(u, q.fields)), count, offset, limit };
  });

  app.get('/admin/users/me', { ...admin, schema: { tags: ['users'], summary: 'The logged-in user', querystring: jsonSchema(fieldsQuery) } }, async (req) => {
    const { fields } = validate(fieldsQuery, req.query);
    return { user: pickFields(await ctx.store.retrieveUser(req.auth!.actor_id), fields) };
  });

  app.get('/admin/users/:id', { ...admin, schema: { tags: ['users'], summary: 'One user', params: jsonSchema(idParams), querystring: jsonSchema(fieldsQuery) } }, async (req) => {
    const { id } = validate(idParams, req.params);
    const { fields } = validate(fieldsQuery, req.query);
    return { user: pickFields(await ctx.store.retrieveUser(id), fields) };
  });

  app.post('/admin/users', { ...admin, schema: { tags: ['users'], summary: 'Create a user with an emailpass login', body: jsonSchema(createBody) } }, async (req) => {
    const body = validate(createBody, req.body);
    const { user } = await createUserAccount(ctx.usermod, body, runOptions(req));
    return { user };
  });

  app.post('/admin/users/:id', { ...admin, schema: { tags: ['users'], summary: 'Update a user (email is not updatable)', params: jsonSchema(idParams), body: jsonSchema(updateBody) } }, async (req) => {
    const { id } = validate(idParams, req.params);
    const body = validate(updateBody, req.body);
    const [user] = await updateUsers(ctx.usermod, [{ id, ...body }], runOptions(req));
    return { user };
  });

  app.delete('/admin/users/:id', { ...admin, schema: { tags: ['users'], summary: 'Delete another user (and its logins)', params: jsonSchema(idParams) } }, async (req) => {
    const { id } = validate(idParams, req.params);
    // As Medusa since PR #13960: admins delete others, never themselves (someone must be left to log in).
    if (id === req.auth!.actor_id) throw notAllowed('You are not allowed to delete yourself');
    await removeUserAccount(ctx.usermod, id, runOptions(req));
    return { id, object: 'user', deleted: true };
  });
}
