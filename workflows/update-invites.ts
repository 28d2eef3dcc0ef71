import { upsertSearchAttributes } from '@temporalio/workflow';
import { INVITE_IDS, type InviteDTO, type UpdateInvitesInput } from '../domain';
import { activities, compensations } from './activity-options';
import { event, recordEvents, runSaga } from './saga';

/** Update invites' metadata (Medusa's updateInvites); if a later step fails, metadata and updated_at go back. */
export async function updateInvitesWorkflow(input: UpdateInvitesInput): Promise<InviteDTO[]> {
  return runSaga(async (saga) => {
    const ids = input.updates.map((u) => u.id);
    upsertSearchAttributes([{ key: INVITE_IDS, value: ids }]);
    const before = await activities.invitesForUpdate(ids);
    // Updates the given fields.
    const invites = await saga.step('update invites', {
      undo: () => compensations.restoreInviteSnapshots(before),
      run: () => activities.updateInvites(input.updates),
    });
    await recordEvents(
      saga,
      invites.map((i) => event('invite.updated', { id: i.id })),
    );
    return invites;
  });
}
