import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  addRolePolicies,
  assignUserRoles,
  createRole,
  deleteRole,
  removeRolePolicies,
  removeUserRoles,
  updateRole,
} from '../../client';
import {
  ESCALATION_MESSAGE,
  expandPermissions,
  forbidden,
  invalidData,
  mayGrant,
  missingRolesMessage,
  notFound,
  type PolicyDTO,
  type RoleDTO,
  type RolePolicyDTO,
} from '../../domain';
import { idList, newRoleBody, roleUpdateBody } from '../../domain/rbac-validation';
import { matches } from '../../domain/validation';
import type { Store } from '../../store';
import { runOptions, type ApiContext } from '../context';
import { authGuards } from '../guards';
import { policy, routes } from '../route';
import { page, user } from '../schemas';
import { idParam, listPaging, oneOrMany, searchText } from '../validation';

// The answers (for /docs), tied to the domain types.
const timestamps = { created_at: z.string(), updated_at: z.string(), deleted_at: z.string().nullable() };
export const role = matches<RoleDTO>()(
  z.object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    ...timestamps,
  }),
);
const policyRow = matches<PolicyDTO>()(
  z.object({
    id: z.string(),
    key: z.string(),
    resource: z.string(),
    operation: z.string(),
    name: z.string().nullable(),
    description: z.string().nullable(),
    ...timestamps,
  }),
);
const rolePolicy = matches<RolePolicyDTO>()(
  z.object({ id: z.string(), role_id: z.string(), policy_id: z.string(), policy: policyRow }),
);
const deletedAs = <O extends string>(object: O) =>
  z.object({ id: z.string(), object: z.literal(object), deleted: z.literal(true) });

const asList = (v: string | string[] | undefined) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);
const paging = z.strictObject({ limit: listPaging.limit, offset: listPaging.offset, order: listPaging.order });
const rolesQuery = z.strictObject({ q: searchText, id: oneOrMany, name: oneOrMany, ...paging.shape });
const policiesQuery = z.strictObject({
  q: searchText,
  id: oneOrMany,
  key: oneOrMany,
  resource: oneOrMany,
  operation: oneOrMany,
  ...paging.shape,
});
const idParams = z.strictObject({ id: idParam });
const rolePolicyParams = z.strictObject({ id: idParam, policy_id: idParam });
const createBody = newRoleBody.extend({ policy_ids: idList.optional() });
const policiesBody = z.strictObject({ policies: idList });
const rolesBody = z.strictObject({ roles: idList });

/**
 * No privilege escalation (beyond Medusa): what is granted must be held by the caller. Checked here,
 * before the flow starts (a clear answer at once), and again inside the flow's granting step (race-safe).
 */
export async function checkRoleGrant(store: Store, req: FastifyRequest, roleIds: string[]): Promise<void> {
  const unknown = await store.unknownRoles(roleIds);
  if (unknown.length) throw invalidData(missingRolesMessage(unknown));
  if (!mayGrant(req.held ?? [], await store.policyKeysOfRoles(roleIds))) throw forbidden(ESCALATION_MESSAGE);
}

export function rbacRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const r = routes(app, authGuards(ctx.sessions!), 'rbac');
  const admin = { guard: 'registered' as const };
  const one = { ...admin, params: idParams, errors: ['not_found' as const] };

  async function checkPolicyGrant(req: FastifyRequest, policyIds: string[]) {
    const { keys, missing } = await ctx.store.policiesByIds(policyIds);
    if (missing.length) throw notFound(`The following policies do not exist: ${missing.join(', ')}`);
    if (!mayGrant(req.held ?? [], keys)) throw forbidden(ESCALATION_MESSAGE);
  }

  r.get(
    '/admin/rbac/roles',
    {
      ...admin,
      policies: [policy('rbac_role', 'read')],
      summary: 'List roles',
      query: rolesQuery,
      reply: page('roles', role),
    },
    async ({ query: q }) => {
      const [limit, offset] = [q.limit ?? 50, q.offset ?? 0];
      const [roles, count] = await ctx.store.listAndCountRoles(
        { q: q.q, id: asList(q.id), name: asList(q.name) },
        { limit, offset, order: q.order },
      );
      return { roles, count, offset, limit };
    },
  );

  r.post(
    '/admin/rbac/roles',
    {
      ...admin,
      policies: [policy('rbac_role', 'create')],
      summary: 'Create a role, optionally with policies (only policies the caller holds)',
      body: createBody,
      reply: z.object({ role }),
      errors: ['not_found', 'forbidden'],
    },
    async ({ body: { policy_ids, ...fields }, req }) => {
      if (policy_ids) await checkPolicyGrant(req, policy_ids);
      const created = await createRole(
        ctx.usermod,
        { role: fields, policyIds: policy_ids, grantor: req.grantor },
        runOptions(req),
      );
      return { role: created };
    },
  );

  r.get(
    '/admin/rbac/roles/:id',
    { ...one, policies: [policy('rbac_role', 'read')], summary: 'One role', reply: z.object({ role }) },
    async ({ params }) => ({ role: await ctx.store.retrieveRole(params.id) }),
  );

  r.post(
    '/admin/rbac/roles/:id',
    {
      ...one,
      policies: [policy('rbac_role', 'update')],
      summary: 'Update a role',
      body: roleUpdateBody,
      reply: z.object({ role }),
    },
    async ({ params, body, req }) => ({
      role: await updateRole(ctx.usermod, { id: params.id, ...body }, runOptions(req)),
    }),
  );

  r.delete(
    '/admin/rbac/roles/:id',
    {
      ...one,
      policies: [policy('rbac_role', 'delete')],
      summary: 'Delete a role (never Super Admin): its holders lose its policies at once',
      reply: deletedAs('rbac_role'),
      errors: ['not_found', 'not_allowed'],
    },
    async ({ params, req }) => {
      await deleteRole(ctx.usermod, params.id, runOptions(req));
      return { id: params.id, object: 'rbac_role' as const, deleted: true as const };
    },
  );

  r.get(
    '/admin/rbac/roles/:id/policies',
    {
      ...one,
      policies: [policy('rbac_role', 'read')],
      summary: "A role's policies",
      query: paging,
      reply: page('policies', rolePolicy),
    },
    async ({ params, query: q }) => {
      const [limit, offset] = [q.limit ?? 50, q.offset ?? 0];
      const [policies, count] = await ctx.store.listAndCountRolePolicies(params.id, { limit, offset, order: q.order });
      return { policies, count, offset, limit };
    },
  );

  r.post(
    '/admin/rbac/roles/:id/policies',
    {
      ...one,
      policies: [policy('rbac_role', 'update')],
      summary: 'Add policies to a role (only policies the caller holds)',
      body: policiesBody,
      reply: z.object({ policies: z.array(rolePolicy) }),
      errors: ['not_found', 'forbidden'],
    },
    async ({ params, body, req }) => {
      await ctx.store.retrieveRole(params.id);
      await checkPolicyGrant(req, body.policies);
      const policies = await addRolePolicies(
        ctx.usermod,
        { roleId: params.id, policyIds: body.policies, grantor: req.grantor },
        runOptions(req),
      );
      return { policies };
    },
  );

  r.delete(
    '/admin/rbac/roles/:id/policies/:policy_id',
    {
      ...admin,
      params: rolePolicyParams,
      policies: [policy('rbac_role', 'update')],
      summary: 'Remove a policy from a role (never *:* from Super Admin)',
      reply: deletedAs('rbac_role_policy'),
      errors: ['not_found', 'not_allowed'],
    },
    async ({ params, req }) => {
      await ctx.store.retrieveRole(params.id);
      const { ids } = await removeRolePolicies(
        ctx.usermod,
        { roleId: params.id, policyIds: [params.policy_id] },
        runOptions(req),
      );
      return { id: ids[0] ?? params.policy_id, object: 'rbac_role_policy' as const, deleted: true as const };
    },
  );

  r.get(
    '/admin/rbac/roles/:id/users',
    {
      ...one,
      policies: [policy('user', 'read')],
      summary: 'The users holding a role',
      query: paging,
      reply: page('users', user),
    },
    async ({ params, query: q }) => {
      const [limit, offset] = [q.limit ?? 50, q.offset ?? 0];
      const [users, count] = await ctx.store.listAndCountRoleUsers(params.id, { limit, offset, order: q.order });
      return { users, count, offset, limit };
    },
  );

  r.get(
    '/admin/rbac/policies',
    {
      ...admin,
      policies: [policy('rbac_policy', 'read')],
      summary: 'List policies (resource:operation)',
      query: policiesQuery,
      reply: page('policies', policyRow),
    },
    async ({ query: q }) => {
      const [limit, offset] = [q.limit ?? 20, q.offset ?? 0];
      const [policies, count] = await ctx.store.listAndCountPolicies(
        {
          q: q.q,
          id: asList(q.id),
          key: asList(q.key),
          resource: asList(q.resource),
          operation: asList(q.operation),
        },
        { limit, offset, order: q.order },
      );
      return { policies, count, offset, limit };
    },
  );

  r.get(
    '/admin/rbac/me/permissions',
    {
      ...admin,
      policies: [],
      summary: "The caller's permissions now: flat, sorted, wildcards expanded ([] without roles)",
      reply: z.object({ permissions: z.array(z.string()) }),
    },
    async ({ req }) => ({ permissions: expandPermissions(req.held ?? [], await ctx.store.knownPolicyKeys()) }),
  );

  const userRoles = { ...one, errors: ['not_found' as const, 'forbidden' as const, 'not_allowed' as const] };
  r.get(
    '/admin/users/:id/roles',
    {
      ...one,
      policies: [policy('user', 'read'), policy('rbac_role', 'read')],
      summary: "A user's roles",
      query: paging,
      reply: page('roles', role),
    },
    async ({ params, query: q }) => {
      await ctx.store.retrieveUser(params.id);
      const [limit, offset] = [q.limit ?? 50, q.offset ?? 0];
      const [roles, count] = await ctx.store.listAndCountUserRoles(params.id, { limit, offset, order: q.order });
      return { roles, count, offset, limit };
    },
  );

  r.post(
    '/admin/users/:id/roles',
    {
      ...userRoles,
      policies: [policy('user', 'update'), policy('rbac_role', 'update')],
      summary: 'Assign roles to a user (only roles whose every policy the caller holds)',
      body: rolesBody,
      reply: z.object({ roles: z.array(role) }),
    },
    async ({ params, body, req }) => {
      await ctx.store.retrieveUser(params.id);
      await checkRoleGrant(ctx.store, req, body.roles);
      await assignUserRoles(
        ctx.usermod,
        { userId: params.id, roleIds: body.roles, grantor: req.grantor },
        runOptions(req),
      );
      const [roles] = await ctx.store.listAndCountUserRoles(params.id, { limit: 1000 });
      return { roles };
    },
  );

  r.delete(
    '/admin/users/:id/roles',
    {
      ...userRoles,
      policies: [policy('user', 'update'), policy('rbac_role', 'update')],
      summary: "Remove roles from a user (never the last Super Admin's)",
      body: rolesBody,
      reply: z.object({ ids: z.array(z.string()), object: z.literal('user_role'), deleted: z.literal(true) }),
    },
    async ({ params, body, req }) => {
      await ctx.store.retrieveUser(params.id);
      await checkRoleGrant(ctx.store, req, body.roles);
      await removeUserRoles(
        ctx.usermod,
        { userId: params.id, roleIds: body.roles, grantor: req.grantor },
        runOptions(req),
      );
      return { ids: body.roles, object: 'user_role' as const, deleted: true as const };
    },
  );
}
