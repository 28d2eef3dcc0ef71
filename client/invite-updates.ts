import type { InviteDTO, InviteUpdate } from '../domain';
import { inviteUpdate, parse } from '../domain/validation';
import { runFlow, type RunOptions, type UsermodClient } from './run';

/** Run updateInvitesWorkflow (metadata only: an invite's e-mail is not updatable, as in Medusa). */
export async function updateInvites(
  ctx: UsermodClient,
  updates: InviteUpdate[],
  options: RunOptions = {},
): Promise<InviteDTO[]> {
  if (updates.length === 0) return [];
  updates = updates.map((u) => parse(inviteUpdate, u, 'invite update'));
  const ids = updates.map((u) => u.id);
  return runFlow(
    ctx,
    'updateInvites',
    { updates },
    {
      subject: ids.length === 1 ? ids[0] : `${ids.length}`,
      summary: `update invite(s) ${ids.join(', ')}`,
      ...options,
    },
  );
}
