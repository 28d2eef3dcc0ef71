import { activities, local, undo } from './activity-options';
import { event, runSaga } from './saga';

/** Register an emailpass login, not yet linked to a user (Medusa's first step of an invite accept). */
export async function registerEmailpassWorkflow(input: { email: string; passwordHash: string }): Promise<{ authIdentityId: string }> {
  return runSaga(async (saga) => {
    const [id, providerIdentityId] = [...(await local.newIds('authid', 1)), ...(await local.newIds('provid', 1))];
    saga.add('delete the new identity', () => undo.deleteAuthIdentity(id));
    await activities.createEmailpassIdentity({ id, providerIdentityId, email: input.email, passwordHash: input.passwordHash });
    await activities.recordEvents([event('auth.identity_registered', { id })]);
    return { authIdentityId: id };
  });
}

/** Replace the password of an emailpass login; the previous hash is put back if the flow fails. */
export async function updateEmailpassPasswordWorkflow(input: { email: string; passwordHash: string }): Promise<void> {
  return runSaga(async (saga) => {
    const previous = await activities.emailpassPasswordHash(input.email);
    saga.add('restore the previous password', () => undo.setEmailpassPasswordHash(input.email, previous));
    await activities.setEmailpassPasswordHash(input.email, input.passwordHash);
    await activities.recordEvents([event('auth.password_updated', {})]);
  });
}
