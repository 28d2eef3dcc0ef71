import { upsertSearchAttributes } from '@temporalio/workflow';
import { USER_IDS, type CreateUsersInput, type UserDTO } from '../domain';
import { activities, local } from './activity-options';
import { event, recordEvents, runSaga } from './saga';

export async function createUsersWorkflow(input: CreateUsersInput): Promise<UserDTO[]> {
  return runSaga(async (saga) => {
    // Ids are fixed in history before anything is written: a retried create finds its own rows,
    // and the compensation deletes exactly these users, never someone else's.
    const ids = await local.newIds('user', input.users.length);
    upsertSearchAttributes([{ key: USER_IDS, value: ids }]);

    // Creates the users.
    const users = await saga.step('create users', {
      undo: () => activities.deleteUsers(ids),
      run: () => activities.createUsers(input.users.map((u, i) => ({ ...u, id: ids[i] }))),
    });

    await recordEvents(
      saga,
      users.map((u) => event('user.created', { id: u.id })),
    );
    return users;
  });
}
