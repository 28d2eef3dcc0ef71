import { activities } from './activity-options';
import { event, runSaga } from './saga';

/**
 * Send a password-reset link when the e-mail has a login; say nothing either way (no enumeration).
 * The token is made and sent inside the activity: it never passes through Temporal or the database.
 */
export async function requestPasswordResetWorkflow(input: { email: string }): Promise<void> {
  return runSaga(async () => {
    const entityId = await activities.sendPasswordReset(input.email);
    if (entityId) await activities.recordEvents([event('auth.password_reset', { entity_id: entityId, actor_type: 'user' })]);
  });
}
