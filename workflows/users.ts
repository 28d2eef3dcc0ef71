import type { UpdateUserInput, UserDTO } from '../store';
import { activities, undo } from './activity-options';
import { event, runSaga } from './saga';

/** Update users; if a later step fails, every field (and updated_at) is put back as it was. */
export async function updateUsersWorkflow(input: { updates: UpdateUserInput[] }): Promise<UserDTO[]> {
  return runSaga(async (saga) => {
    const before = await activities.usersForUpdate(input.updates.map((u) => u.id));
    saga.add('restore previous user fields', () => undo.restoreUserFields(before));
    const users = await activities.updateUsers(input.updates);
    await activities.recordEvents(users.map((u) => event('user.updated', { id: u.id })));
    return users;
  });
}

/**
 * Delete a user: soft delete (undo: restore) and remove its logins (undo: recreate them as they were),
 * so the e-mail can be invited again and the old password no longer works (Medusa keeps both).
 */
export async function removeUserAccountWorkflow(input: { userId: string }): Promise<{ id: string }> {
  return runSaga(async (saga) => {
    const [user] = await activities.usersForUpdate([input.userId]);
    saga.add('restore the user', () => undo.restoreUsers([{ id: user.id, updated_at: user.updated_at }]));
    await activities.softDeleteUsers([user.id]);

    const logins = await activities.identitiesOfUser(user.id);
    saga.add('recreate the logins', () => undo.recreateIdentities(logins));
    await activities.deleteAuthIdentities(logins.map((l) => l.id));

    await activities.recordEvents([event('user.deleted', { id: user.id })]);
    return { id: user.id };
  });
}
