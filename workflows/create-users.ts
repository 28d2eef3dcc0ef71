import { upsertSearchAttributes } from '@temporalio/workflow';
import { USER_IDS, type CreateUsersInput, type UserDTO } from '../domain';
import { activities, compensations, local } from './activity-options';
import { event, runSaga } from './saga';

export async function createUsersWorkflow(input: CreateUsersInput): Promise<UserDTO[]> {
  return runSaga(async (saga) => {
    // Ids are fixed in history before anything is written: a retried create finds its own rows,
    // and the compensation deletes exactly these users, never someone else's.
    const ids = await local.newIds('user', input.users.length);
    upsertSearchAttributes([{ key: USER_IDS, value: ids }]);

    // Creates the users, and their events in the same transaction (the outbox: no separate step).
    const events = ids.map((id) => event('user.created', { id }));
    const users = await saga.step('create users', {
      undo: async () => {
        await compensations.deleteUsers(ids);
        await compensations.deleteEvents(events.map((e) => e.id));
      },
      run: () =>
        activities.createUsersWithEvents(
          input.users.map((u, i) => ({ ...u, id: ids[i] })),
          events,
        ),
    });
    return users;
  });
}
