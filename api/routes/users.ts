import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createUserAccount, removeUserAccount, updateUsers } from '../../client';
import { notAllowed } from '../../domain';
import { runOptions, type ApiContext } from '../context';
import { authGuards } from '../guards';
import { policy, routes } from '../route';
import { deleted, page, user } from '../schemas';
import {
  avatarUrlField,
  emailField,
  idParam,
  listPaging,
  metadataField,
  oneOrMany,
  optionalText,
  passwordField,
  pickFields,
  searchText,
} from '../validation';

const listQuery = z.strictObject({ q: searchText, id: oneOrMany, email: oneOrMany, ...listPaging });
const fieldsQuery = z.strictObject({ fields: listPaging.fields });
const idParams = z.strictObject({ id: idParam });
const updateBody = z.strictObject({
  first_name: optionalText,
  last_name: optionalText,
  avatar_url: avatarUrlField,
  metadata: metadataField,
});
const createBody = z.strictObject({
  email: emailField,
  password: passwordField,
  first_name: optionalText,
  last_name: optionalText,
});
const oneUser = z.object({ user });

export function userRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const r = routes(app, authGuards(ctx.sessions!), 'users');
  const admin = { guard: 'registered' as const };

  r.get(
    '/admin/users',
    {
      ...admin,
      policies: [policy('user', 'read')],
      summary: 'List users',
      query: listQuery,
      reply: page('users', user),
    },
    async ({ query: q }) => {
      const [limit, offset] = [q.limit ?? 50, q.offset ?? 0];
      const [users, count] = await ctx.store.listAndCountUsers(
        { q: q.q, id: q.id, email: q.email },
        { limit, offset, order: q.order },
      );
      return { users: users.map((u) => pickFields(u, q.fields)), count, offset, limit };
    },
  );

  r.get(
    '/admin/users/me',
    {
      ...admin,
      policies: [],
      summary: 'The logged-in user',
      query: fieldsQuery,
      reply: oneUser,
      errors: ['not_allowed'],
    },
    async ({ query, req }) => {
      if (!req.auth) throw notAllowed("An API key is not a user: /admin/users/me needs a user's login");
      return { user: pickFields(await ctx.store.retrieveUser(req.auth.actor_id), query.fields) };
    },
  );

  const one = { ...admin, params: idParams, errors: ['not_found' as const] };
  r.get(
    '/admin/users/:id',
    { ...one, policies: [policy('user', 'read')], summary: 'One user', query: fieldsQuery, reply: oneUser },
    async ({ params, query }) => {
      return { user: pickFields(await ctx.store.retrieveUser(params.id), query.fields) };
    },
  );

  r.post(
    '/admin/users',
    {
      ...admin,
      policies: [policy('user', 'create')],
      summary: 'Create a user with an emailpass login',
      body: createBody,
      reply: oneUser,
    },
    async ({ body, req }) => {
      return { user: (await createUserAccount(ctx.usermod, body, runOptions(req))).user };
    },
  );

  r.post(
    '/admin/users/:id',
    {
      ...one,
      policies: [policy('user', 'update')],
      summary: 'Update a user (email is not updatable)',
      body: updateBody,
      reply: oneUser,
    },
    async ({ params, body, req }) => {
      const [updated] = await updateUsers(ctx.usermod, [{ id: params.id, ...body }], runOptions(req));
      return { user: updated };
    },
  );

  const removeSpec = {
    ...one,
    policies: [policy('user', 'delete')],
    summary: 'Delete another user (and its logins)',
    reply: deleted('user'),
    errors: ['not_found' as const, 'not_allowed' as const],
    description: 'The last holder of Super Admin cannot be deleted (400 not_allowed).',
  };
  r.delete('/admin/users/:id', removeSpec, async ({ params, req }) => {
    // As Medusa since PR #13960: admins delete others, never themselves (someone must be left to log in).
    if (params.id === req.auth?.actor_id) throw notAllowed('You are not allowed to delete yourself');
    await removeUserAccount(ctx.usermod, params.id, runOptions(req));
    return { id: params.id, object: 'user', deleted: true };
  });
}
