import { event, recordEvents, runSaga } from './saga';
import { activities } from './activity-options';
import type { RemoveUserAccountInput, UpdateUsersInput, UserDTO } from '../domain';

/** Update users; if a later step fails, every field (and updated_at) is put back as it was. */
export async function updateUsersWorkflow(input: UpdateUsersInput): Promise<UserDTO[]> {
  return runSaga(async (saga) => {
    const before = await activities.usersForUpdate(input.updates.map((u) => u.id));
    // Updates the given fields.
    const users = await saga.step('update users', {
      undo: () => activities.restoreUserSnapshots(before),
      run: () => activities.updateUsers(input.updates),
    });
    await recordEvents(
      saga,
      users.map((u) => event('user.updated', { id: u.id })),
    );
    return users;
  });
}

/**
 * Delete a user: soft delete (undo: restore) and remove its logins (undo: recreate them as they were),
 * so the e-mail can be invited again and the old password no longer works (Medusa keeps both).
 */
export async function removeUserAccountWorkflow(input: RemoveUserAccountInput): Promise<{ id: string }> {
  return runSaga(async (saga) => {
    const [user] = await activities.usersForUpdate([input.userId]);
    // Soft-deletes the user.
    await saga.step('soft delete the user', {
      undo: () => activities.restoreUsers([{ id: user.id, updated_at: user.updated_at }]),
      run: () => activities.softDeleteUsers([user.id]),
    });

    // Removes its logins.
    const logins = await activities.identitySnapshots(user.id);
    await saga.step('delete the logins', {
      undo: () => activities.recreateIdentities(logins),
      run: () => activities.deleteAuthIdentities(logins.map((l) => l.id)),
    });

    await recordEvents(saga, [event('user.deleted', { id: user.id })]);
    return { id: user.id };
  });
}
