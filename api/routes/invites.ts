import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { acceptInvite, createInvites, deleteInvites, refreshInviteTokens } from '../../client';
import {
  INVITE_EXPIRES_IN_BOUNDS,
  INVITE_STATUSES,
  invalidData,
  notAllowed,
  unauthorized,
  UsermodError,
  type InviteDTO,
} from '../../domain';
import { checkRoleGrant } from './rbac';
import { runOptions, type ApiContext } from '../context';
import { authGuards } from '../guards';
import { policy, routes } from '../route';
import { deleted, invite, inviteWithToken, page, user } from '../schemas';
import {
  dateParam,
  emailField,
  idParam,
  listPaging,
  metadataField,
  oneOrMany,
  optionalText,
  passwordField,
  pickFields,
  searchText,
  tokenField,
} from '../validation';

const status = z.enum(INVITE_STATUSES);
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
const createBody = z.strictObject({
  email: emailField,
  metadata: metadataField,
  // RBAC: roles the invitee gets on accept (only roles whose every policy the inviter holds).
  roles: z.array(idParam).max(100, { error: 'must name at most 100 roles' }).nullish(),
  expires_in: z
    .number()
    .int()
    .min(INVITE_EXPIRES_IN_BOUNDS.min)
    .max(INVITE_EXPIRES_IN_BOUNDS.max)
    .optional()
    .meta({ description: 'Seconds until the invite expires: 60 to 2592000 (30 days); the global setting if absent' }),
});
const batchBody = z.strictObject({
  invites: z
    .array(createBody)
    .min(1, { error: 'must list at least one invite' })
    .max(100, { error: 'must list at most 100 invites' }),
});
const acceptQuery = z.strictObject({ token: tokenField });
const acceptBody = z.strictObject({
  email: emailField.nullish(),
  first_name: optionalText,
  last_name: optionalText,
  password: passwordField.optional(),
});

export function inviteRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const r = routes(app, authGuards(ctx.sessions!), 'invites');
  /** Invites as the API shows them: with their roles (RBAC). */
  const withRoles = async <T extends InviteDTO>(list: T[]): Promise<T[]> => {
    const roles = await ctx.store.inviteRoleIds(list.map((i) => i.id));
    return list.map((i) => ({ ...i, roles: roles[i.id] ?? [] }));
  };

  r.get(
    '/admin/invites',
    {
      summary: 'List invites (never with tokens)',
      guard: 'registered',
      policies: [policy('invite', 'read')],
      query: listQuery,
      reply: page('invites', invite),
    },
    async ({ query: q }) => {
      const ops = ['gt', 'gte', 'lt', 'lte'] as const;
      const range = Object.fromEntries(
        ops.flatMap((op) => (q[`expires_at[$${op}]`] ? [[op, q[`expires_at[$${op}]`]]] : [])),
      );
      const [limit, offset] = [q.limit ?? 50, q.offset ?? 0];
      const filters = {
        q: q.q,
        id: q.id,
        email: q.email,
        status: q.status,
        expires_at: Object.keys(range).length ? range : undefined,
      };
      const [invites, count] = await ctx.store.listAndCountInvites(filters, { limit, offset, order: q.order });
      return { invites: (await withRoles(invites)).map((i) => pickFields(i, q.fields)), count, offset, limit };
    },
  );

  const createSpec = {
    summary: 'Invite someone (the answer carries the token)',
    guard: 'registered' as const,
    policies: [policy('invite', 'create')],
    body: createBody,
    reply: z.object({ invite: inviteWithToken }),
  };
  r.post('/admin/invites', createSpec, async ({ body, req }) => {
    if (body.roles?.length) await checkRoleGrant(ctx.store, req, body.roles);
    const [created] = await createInvites(ctx.usermod, [{ ...body, invited_by: req.grantor!.id }], runOptions(req));
    return { invite: (await withRoles([created]))[0] };
  });

  // One flow for the batch, compensated as a whole. What the request alone shows is refused per item
  // and starts nothing (a role the caller cannot grant, an e-mail listed twice), so a retry with the same
  // Idempotency-Key sees the same batch; the other invites are made together by one createInvites flow,
  // and if that flow refuses (an e-mail already invited), none of them is kept and each reports why.
  const batchSpec = {
    summary: 'Invite up to 100 people in one compensated flow; per-item results',
    guard: 'registered' as const,
    policies: [policy('invite', 'create')],
    body: batchBody,
    reply: z.object({
      invites: z.array(
        z.object({
          email: z.string(),
          invite: inviteWithToken.optional(),
          error: z.object({ type: z.string(), message: z.string() }).optional(),
        }),
      ),
    }),
  };
  r.post('/admin/invites/batch', batchSpec, async ({ body, req }) => {
    const refusals = new Map<number, UsermodError>();
    const taken = new Set<string>();
    for (const [n, item] of body.invites.entries()) {
      const email = item.email.toLowerCase();
      try {
        if (taken.has(email)) throw invalidData(`Invite with email: ${item.email}, is listed twice in the batch.`);
        taken.add(email);
        if (item.roles?.length) await checkRoleGrant(ctx.store, req, item.roles);
      } catch (err) {
        if (!(err instanceof UsermodError)) throw err;
        refusals.set(n, err);
      }
    }
    const accepted = body.invites.filter((_, n) => !refusals.has(n));
    let created: Awaited<ReturnType<typeof withRoles>> = [];
    let failure: UsermodError | undefined;
    if (accepted.length) {
      try {
        const made = await createInvites(
          ctx.usermod,
          accepted.map((item) => ({ ...item, invited_by: req.grantor!.id })),
          runOptions(req),
        );
        created = await withRoles(made);
      } catch (err) {
        if (!(err instanceof UsermodError)) throw err;
        failure = err;
      }
    }
    let next = 0;
    const invites = body.invites.map((item, n) => {
      const error = refusals.get(n) ?? failure;
      if (error) return { email: item.email, error: { type: error.type, message: error.message } };
      return { email: item.email, invite: created[next++] };
    });
    return { invites };
  });

  // Declared before /:id so that "accept" is never taken for an id.
  const acceptSpec = {
    summary: "Accept an invite: with the bearer from register (Medusa's two steps), or with a password",
    guard: 'optional' as const,
    query: acceptQuery,
    body: acceptBody,
    reply: z.object({ user }),
    errors: ['unauthorized', 'not_found', 'not_allowed', 'conflict'] as const,
  };
  r.post('/admin/invites/accept', acceptSpec, async ({ query, body: { password, ...fields }, req }) => {
    if (req.auth?.actor_id) throw notAllowed('The user is already authenticated and cannot accept an invite.');
    if (req.auth && password !== undefined)
      throw invalidData('Give either a password or the bearer of a registered login, not both');
    if (!req.auth && password === undefined)
      throw unauthorized("Unauthorized: register first and send its bearer token, or give a 'password'");
    const accepted = await acceptInvite(
      ctx.usermod,
      {
        token: query.token,
        password,
        authIdentityId: req.auth?.auth_identity_id,
        user: fields,
        inviteEmail: (id) =>
          ctx.store.retrieveInvite(id).then(
            (i) => i.email,
            () => undefined,
          ),
      },
      runOptions(req),
    );
    return { user: accepted.user };
  });

  const one = { guard: 'registered' as const, params: idParams, errors: ['not_found' as const] };
  r.get(
    '/admin/invites/:id',
    {
      ...one,
      policies: [policy('invite', 'read')],
      summary: 'One invite',
      query: fieldsQuery,
      reply: z.object({ invite }),
    },
    async ({ params, query }) => {
      const [one] = await withRoles([await ctx.store.retrieveInvite(params.id)]);
      return { invite: pickFields(one, query.fields) };
    },
  );

  r.delete(
    '/admin/invites/:id',
    { ...one, policies: [policy('invite', 'delete')], summary: 'Revoke an invite', reply: deleted('invite') },
    async ({ params, req }) => {
      await deleteInvites(ctx.usermod, [params.id], runOptions(req));
      return { id: params.id, object: 'invite', deleted: true };
    },
  );

  const resendSpec = {
    ...one,
    policies: [policy('invite', 'update')],
    summary: 'New token and expiry; earlier tokens stop working',
    reply: z.object({ invite: inviteWithToken }),
  };
  r.post('/admin/invites/:id/resend', resendSpec, async ({ params, req }) => {
    const [resent] = await refreshInviteTokens(ctx.usermod, [params.id], runOptions(req));
    return { invite: resent };
  });
}
