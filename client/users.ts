import type { CreateUserInput, UpdateUserInput, UserDTO } from '../store';
import { removeUserAccountWorkflow, updateUsersWorkflow } from '../workflows/users';
import { createUsersWorkflow } from '../workflows/create-users';
import { runFlow, type RunOptions, type UsermodClient } from './run';

/** Run createUsersWorkflow and return the created users (what an API handler answers with). */
export function createUsers(ctx: UsermodClient, users: Omit<CreateUserInput, 'id'>[], options: RunOptions = {}): Promise<UserDTO[]> {
  return runFlow(ctx, createUsersWorkflow, 'create-users', [{ users }], {
    summary: `create ${users.length} user(s)`,
    ...options,
  });
}

export function updateUsers(ctx: UsermodClient, updates: UpdateUserInput[], options: RunOptions = {}): Promise<UserDTO[]> {
  return runFlow(ctx, updateUsersWorkflow, 'user-update', [{ updates }], {
    subject: updates.length === 1 ? updates[0].id : String(updates.length),
    summary: `update user(s) ${updates.map((u) => u.id).join(', ')}`,
    ...options,
  });
}

/** Soft-deletes the user and removes its logins (the e-mail can then be invited again). */
export function removeUserAccount(ctx: UsermodClient, userId: string, options: RunOptions = {}): Promise<{ id: string }> {
  return runFlow(ctx, removeUserAccountWorkflow, 'user-remove', [{ userId }], { subject: userId, summary: `remove user ${userId}`, ...options });
}
