import { upsertSearchAttributes } from '@temporalio/workflow';
import { USER_IDS, type CreateUserAccountInput, type UserAccount } from '../domain';
import { activities, local } from './activity-options';
import { event, recordEvents, runSaga } from './saga';

/** A user and its emailpass login in one flow (the admin CLI's first admin, POST /admin/users). */
export async function createUserAccountWorkflow(input: CreateUserAccountInput): Promise<UserAccount> {
  return runSaga(async (saga) => {
    const [userId, authIdentityId, providerIdentityId] = [
      ...(await local.newIds('user', 1)),
      ...(await local.newIds('authid', 1)),
      ...(await local.newIds('provid', 1)),
    ];
    upsertSearchAttributes([{ key: USER_IDS, value: [userId] }]);

    // Creates the user.
    const [user] = await saga.step('create the user', {
      undo: () => activities.deleteUsers([userId]),
      run: () =>
        activities.createUsers([
          { id: userId, email: input.email, first_name: input.first_name, last_name: input.last_name },
        ]),
    });

    // Creates its login.
    await saga.step('create the login', {
      undo: () => activities.deleteAuthIdentity(authIdentityId),
      run: () =>
        activities.createEmailpassIdentity({
          id: authIdentityId,
          providerIdentityId,
          email: user.email,
          passwordHash: input.passwordHash,
        }),
    });

    // Links the login to the user.
    await saga.step('link the login', {
      undo: () => activities.unlinkIdentity(authIdentityId, userId),
      run: () => activities.linkIdentity(authIdentityId, userId),
    });

    await recordEvents(saga, [event('user.created', { id: userId })]);
    return { user, authIdentityId };
  });
}
