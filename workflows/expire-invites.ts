import { continueAsNew } from '@temporalio/workflow';
import type { ExpireInvitesInput, ExpireInvitesResult } from '../domain';
import { activities } from './activity-options';

// Bounded history: after this many batches the run continues as a new one.
const MAX_BATCHES_PER_RUN = 200;

/**
 * Run by the expiry schedule. Each batch expires invites and records their `invite.expired` events in
 * one database transaction, so nothing is left to compensate: a failure keeps only batches that fully
 * happened, and a second run changes nothing that the first already did.
 */
export async function expireInvitesWorkflow(input: ExpireInvitesInput, carried = 0): Promise<ExpireInvitesResult> {
  let expired = carried;
  for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
    const ids = await activities.expireDueInvites(input.batchSize);
    expired += ids.length;
    if (ids.length < input.batchSize) {
      const purged = input.retentionSeconds > 0 ? await activities.purgeInvites(input.retentionSeconds) : 0;
      return { expired, purged };
    }
  }
  return continueAsNew<typeof expireInvitesWorkflow>(input, expired);
}
