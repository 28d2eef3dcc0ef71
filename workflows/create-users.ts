import { upsertSearchAttributes } from '@temporalio/workflow';
import type { CreateUserInput, UserDTO } from '../store';
import { activities, local } from './activity-options';
import { event, runSaga } from './saga';
import { USER_IDS } from '../domain/search-attributes';

export interface CreateUsersInput {
  users: Omit<CreateUserInput, 'id'>[];
}

export async function createUsersWorkflow(input: CreateUsersInput): Promise<UserDTO[]> {
  return runSaga(async (saga) => {
    // Ids are fixed in history before anything is written: a retried create finds its own rows,
    // and the compensation deletes exactly these users, never someone else's.
    const ids = await local.newIds('user', input.users.length);
    upsertSearchAttributes([{ key: USER_IDS, value: ids }]);

    saga.add('delete created users', () => activities.deleteUsers(ids));
    const users = await activities.createUsers(input.users.map((u, i) => ({ ...u, id: ids[i] })));

    await activities.recordEvents(users.map((u) => event('user.created', { id: u.id })));
    return users;
  });
}
