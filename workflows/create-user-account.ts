import { upsertSearchAttributes } from '@temporalio/workflow';
import type { UserDTO } from '../store';
import { activities, local } from './activity-options';
import { event, runSaga } from './saga';
import { USER_IDS } from '../domain/search-attributes';

export interface CreateUserAccountInput {
  email: string;
  /** scrypt hash; the password is hashed before the flow starts. */
  passwordHash: string;
  first_name?: string | null;
  last_name?: string | null;
}

/** A user and its emailpass login in one flow (the admin CLI's first admin). */
export async function createUserAccountWorkflow(input: CreateUserAccountInput): Promise<{ user: UserDTO; authIdentityId: string }> {
  return runSaga(async (saga) => {
    const [userId, authIdentityId, providerIdentityId] = [
      ...(await local.newIds('user', 1)),
      ...(await local.newIds('authid', 1)),
      ...(await local.newIds('provid', 1)),
    ];
    upsertSearchAttributes([{ key: USER_IDS, value: [userId] }]);

    saga.add('delete the new user', () => activities.deleteUsers([userId]));
    const [user] = await activities.createUsers([{ id: userId, email: input.email, first_name: input.first_name, last_name: input.last_name }]);

    saga.add('delete the new identity', () => activities.deleteAuthIdentity(authIdentityId));
    await activities.createEmailpassIdentity({ id: authIdentityId, providerIdentityId, email: user.email, passwordHash: input.passwordHash });

    saga.add('unlink the identity', () => activities.unlinkIdentity(authIdentityId, userId));
    await activities.linkIdentity(authIdentityId, userId);

    await activities.recordEvents([event('user.created', { id: userId })]);
    return { user, authIdentityId };
  });
}
