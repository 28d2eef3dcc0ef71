import type { RegisterEmailpassInput, RequestPasswordResetInput, UpdateEmailpassPasswordInput } from '../domain';
import { activities, local } from './activity-options';
import { event, recordEvents, runSaga } from './saga';

/** Register an emailpass login, not yet linked to a user (Medusa's first step of an invite accept). */
export async function registerEmailpassWorkflow(input: RegisterEmailpassInput): Promise<{ authIdentityId: string }> {
  return runSaga(async (saga) => {
    const [id, providerIdentityId] = [...(await local.newIds('authid', 1)), ...(await local.newIds('provid', 1))];
    // Creates the login.
    await saga.step('create the login', {
      undo: () => activities.deleteAuthIdentity(id),
      run: () =>
        activities.createEmailpassIdentity({
          id,
          providerIdentityId,
          email: input.email,
          passwordHash: input.passwordHash,
        }),
    });
    await recordEvents(saga, [event('auth.identity_registered', { id })]);
    return { authIdentityId: id };
  });
}

/** Replace the password of an emailpass login; the previous one is put back if the flow fails. */
export async function updateEmailpassPasswordWorkflow(input: UpdateEmailpassPasswordInput): Promise<void> {
  return runSaga(async (saga) => {
    const previous = await activities.passwordState(input.email);
    // Sets the new password hash.
    await saga.step('update the password', {
      undo: () => activities.restorePassword(previous),
      run: () => activities.updateEmailpassPassword(input.email, input.passwordHash),
    });
    await recordEvents(saga, [event('auth.password_updated', {})]);
  });
}

/**
 * Send a password-reset link when the e-mail has a login; say nothing either way (no enumeration).
 * The token is made and sent inside the activity: it never passes through Temporal or the database.
 */
export async function requestPasswordResetWorkflow(input: RequestPasswordResetInput): Promise<void> {
  return runSaga(async (saga) => {
    const entityId = await activities.sendPasswordReset(input.email);
    if (entityId) await recordEvents(saga, [event('auth.password_reset', { entity_id: entityId, actor_type: 'user' })]);
  });
}
