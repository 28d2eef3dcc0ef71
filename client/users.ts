import type { CreateUserInput, UserDTO } from '../store';
import { createUsersWorkflow } from '../workflows/create-users';
import { runFlow, type RunOptions, type UsermodClient } from './run';

/** Run createUsersWorkflow and return the created users (what an API handler answers with). */
export function createUsers(ctx: UsermodClient, users: Omit<CreateUserInput, 'id'>[], options: RunOptions = {}): Promise<UserDTO[]> {
  return runFlow(ctx, createUsersWorkflow, 'create-users', [{ users }], {
    summary: `create ${users.length} user(s)`,
    ...options,
  });
}
