import { upsertSearchAttributes } from '@temporalio/workflow';
import {
  USER_IDS,
  type AddRolePoliciesInput,
  type AssignUserRolesInput,
  type CreateRoleInput,
  type DeleteRoleInput,
  type RemoveRolePoliciesInput,
  type RemoveUserRolesInput,
  type RoleDTO,
  type RolePolicyDTO,
  type UpdateRoleInput,
} from '../domain';
import { activities, compensations, local } from './activity-options';
import { event, recordEvents, runSaga } from './saga';

export async function createRoleWorkflow(input: CreateRoleInput): Promise<RoleDTO> {
  return runSaga(async (saga) => {
    const [id] = await local.newIds('role', 1);
    const policyIds = [...new Set(input.policyIds ?? [])];
    const linkIds = await local.newIds('rlpl', policyIds.length);
    const policyLinks = policyIds.map((policy_id, n) => ({ id: linkIds[n], role_id: id, policy_id }));
    // Creates the role with its policies (refused when the caller does not hold them).
    const role = await saga.step('create the role', {
      undo: () => compensations.purgeRole(id),
      run: () => activities.createRole({ ...input.role, id, policyLinks, grantor: input.grantor }),
    });
    await recordEvents(saga, [event('rbac_role.created', { id })]);
    return role;
  });
}

export async function updateRoleWorkflow(input: UpdateRoleInput): Promise<RoleDTO> {
  return runSaga(async (saga) => {
    const before = await activities.roleSnapshot(input.update.id);
    // Updates name, description, metadata.
    const role = await saga.step('update the role', {
      undo: () => compensations.restoreRole(before),
      run: () => activities.updateRole(input.update),
    });
    await recordEvents(saga, [event('rbac_role.updated', { id: role.id })]);
    return role;
  });
}

export async function deleteRoleWorkflow(input: DeleteRoleInput): Promise<{ id: string }> {
  return runSaga(async (saga) => {
    const before = await activities.roleSnapshot(input.id);
    // Soft-deletes the role: its holders lose its policies at once.
    await saga.step('delete the role', {
      undo: () => compensations.restoreRole(before),
      run: () => activities.softDeleteRole(input.id),
    });
    await recordEvents(saga, [event('rbac_role.deleted', { id: input.id })]);
    return { id: input.id };
  });
}

export async function addRolePoliciesWorkflow(input: AddRolePoliciesInput): Promise<RolePolicyDTO[]> {
  return runSaga(async (saga) => {
    const existing = await activities.rolePolicyLinks(input.roleId, input.policyIds);
    const have = new Set(existing.map((l) => l.policy_id));
    const adding = [...new Set(input.policyIds)].filter((p) => !have.has(p));
    const ids = await local.newIds('rlpl', adding.length);
    const links = adding.map((policy_id, n) => ({ id: ids[n], role_id: input.roleId, policy_id }));
    // Links the policies (refused when the caller does not hold them); only the new links are undone.
    const rows = await saga.step('add role policies', {
      undo: () => compensations.deleteRolePolicyLinks(ids),
      run: () => activities.addRolePolicies({ links: [...existing, ...links], grantor: input.grantor }),
    });
    await recordEvents(
      saga,
      links.map((l) => event('rbac_role_policy.created', { id: l.id, role_id: l.role_id, policy_id: l.policy_id })),
    );
    return rows;
  });
}

export async function removeRolePoliciesWorkflow(input: RemoveRolePoliciesInput): Promise<{ ids: string[] }> {
  return runSaga(async (saga) => {
    const links = await activities.rolePolicyLinks(input.roleId, input.policyIds);
    // Unlinks the policies (never *:* from Super Admin).
    await saga.step('remove role policies', {
      undo: () => compensations.restoreRolePolicyLinks(links),
      run: () => activities.deleteRolePolicyLinks(links.map((l) => l.id)),
    });
    await recordEvents(
      saga,
      links.map((l) => event('rbac_role_policy.deleted', { id: l.id, role_id: l.role_id, policy_id: l.policy_id })),
    );
    return { ids: links.map((l) => l.id) };
  });
}

export async function assignUserRolesWorkflow(input: AssignUserRolesInput): Promise<{ roleIds: string[] }> {
  return runSaga(async (saga) => {
    upsertSearchAttributes([{ key: USER_IDS, value: [input.userId] }]);
    const wanted = [...new Set(input.roleIds)].map((role_id) => ({ user_id: input.userId, role_id }));
    const existing = await activities.existingUserRoles(wanted);
    const adding = wanted.filter((w) => !existing.some((e) => e.role_id === w.role_id));
    // Assigns the roles (refused when the caller could not grant them); only the new links are undone.
    await saga.step('assign user roles', {
      undo: () => compensations.unassignUserRoles(adding),
      run: () => activities.assignUserRoles({ links: wanted, grantor: input.grantor }),
    });
    await recordEvents(
      saga,
      adding.map((l) => event('user_role.assigned', { user_id: l.user_id, role_id: l.role_id })),
    );
    return { roleIds: adding.map((l) => l.role_id) };
  });
}

export async function removeUserRolesWorkflow(input: RemoveUserRolesInput): Promise<{ roleIds: string[] }> {
  return runSaga(async (saga) => {
    upsertSearchAttributes([{ key: USER_IDS, value: [input.userId] }]);
    const wanted = [...new Set(input.roleIds)].map((role_id) => ({ user_id: input.userId, role_id }));
    const existing = await activities.existingUserRoles(wanted);
    // Removes the roles (never the last Super Admin's; refused when the caller could not grant them).
    await saga.step('remove user roles', {
      undo: () => compensations.restoreUserRoles(existing),
      run: () => activities.removeUserRoles({ links: existing, grantor: input.grantor }),
    });
    await recordEvents(
      saga,
      existing.map((l) => event('user_role.removed', { user_id: l.user_id, role_id: l.role_id })),
    );
    return { roleIds: existing.map((l) => l.role_id) };
  });
}
