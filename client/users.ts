import type { NewUser, UserDTO, UserUpdate } from '../domain';
import { newUser, parse, userUpdate } from '../domain/validation';
import { runFlow, type RunOptions, type UsermodClient } from './run';

/** Run createUsersWorkflow and return the created users (what an API handler answers with). */
export async function createUsers(ctx: UsermodClient, users: NewUser[], options: RunOptions = {}): Promise<UserDTO[]> {
  const valid = users.map((u) => parse(newUser, u, 'user'));
  return runFlow(ctx, 'createUsers', { users: valid }, { summary: `create ${users.length} user(s)`, ...options });
}

export async function updateUsers(
  ctx: UsermodClient,
  updates: UserUpdate[],
  options: RunOptions = {},
): Promise<UserDTO[]> {
  updates = updates.map((u) => parse(userUpdate, u, 'user update'));
  return runFlow(
    ctx,
    'updateUsers',
    { updates },
    {
      subject: updates.length === 1 ? updates[0].id : `${updates.length}`,
      summary: `update user(s) ${updates.map((u) => u.id).join(', ')}`,
      ...options,
    },
  );
}

/** Soft-deletes the user and removes its logins (the e-mail can then be invited again). */
export function removeUserAccount(
  ctx: UsermodClient,
  userId: string,
  options: RunOptions = {},
): Promise<{ id: string }> {
  return runFlow(
    ctx,
    'removeUserAccount',
    { userId },
    { subject: userId, summary: `remove user ${userId}`, ...options },
  );
}
