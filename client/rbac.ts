import type { Grantor, NewRole, RoleDTO, RolePolicyDTO, RoleUpdate } from '../domain';
import { idList, newRoleBody, roleUpdateBody } from '../domain/rbac-validation';
import { parse } from '../domain/validation';
import { runFlow, type RunOptions, type UsermodClient } from './run';

/** RBAC flows (issue 12). `grantor`: the caller; the grant is re-checked inside the flow's step. */

export function createRole(
  ctx: UsermodClient,
  input: { role: NewRole; policyIds?: string[]; grantor?: Grantor },
  options: RunOptions = {},
): Promise<RoleDTO> {
  const role = parse(newRoleBody, input.role, 'role');
  const policyIds = input.policyIds?.length ? parse(idList, input.policyIds, 'policy_ids') : undefined;
  return runFlow(
    ctx,
    'createRole',
    { role, policyIds, grantor: input.grantor },
    { summary: 'create a role', ...options },
  );
}

export function updateRole(ctx: UsermodClient, update: RoleUpdate, options: RunOptions = {}): Promise<RoleDTO> {
  const { id, ...fields } = update;
  return runFlow(
    ctx,
    'updateRole',
    { update: { id, ...parse(roleUpdateBody, fields, 'role') } },
    { subject: id, summary: `update role ${id}`, ...options },
  );
}

export function deleteRole(ctx: UsermodClient, id: string, options: RunOptions = {}): Promise<{ id: string }> {
  return runFlow(ctx, 'deleteRole', { id }, { subject: id, summary: `delete role ${id}`, ...options });
}

export function addRolePolicies(
  ctx: UsermodClient,
  input: { roleId: string; policyIds: string[]; grantor?: Grantor },
  options: RunOptions = {},
): Promise<RolePolicyDTO[]> {
  const policyIds = parse(idList, input.policyIds, 'policies');
  return runFlow(
    ctx,
    'addRolePolicies',
    { ...input, policyIds },
    { subject: input.roleId, summary: `add policies to role ${input.roleId}`, ...options },
  );
}

export function removeRolePolicies(
  ctx: UsermodClient,
  input: { roleId: string; policyIds: string[] },
  options: RunOptions = {},
): Promise<{ ids: string[] }> {
  const policyIds = parse(idList, input.policyIds, 'policies');
  return runFlow(
    ctx,
    'removeRolePolicies',
    { ...input, policyIds },
    { subject: input.roleId, summary: `remove policies from role ${input.roleId}`, ...options },
  );
}

export function assignUserRoles(
  ctx: UsermodClient,
  input: { userId: string; roleIds: string[]; grantor?: Grantor },
  options: RunOptions = {},
): Promise<{ roleIds: string[] }> {
  const roleIds = parse(idList, input.roleIds, 'roles');
  return runFlow(
    ctx,
    'assignUserRoles',
    { ...input, roleIds },
    { subject: input.userId, summary: `assign roles to user ${input.userId}`, ...options },
  );
}

export function removeUserRoles(
  ctx: UsermodClient,
  input: { userId: string; roleIds: string[]; grantor?: Grantor },
  options: RunOptions = {},
): Promise<{ roleIds: string[] }> {
  const roleIds = parse(idList, input.roleIds, 'roles');
  return runFlow(
    ctx,
    'removeUserRoles',
    { ...input, roleIds },
    { subject: input.userId, summary: `remove roles from user ${input.userId}`, ...options },
  );
}
