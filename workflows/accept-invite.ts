import { ApplicationFailure, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { UserDTO } from '../store';
import { activities, local } from './activity-options';
import { event, runSaga } from './saga';
import { INVITE_IDS, USER_IDS } from '../domain/search-attributes';

export interface AcceptInviteInput {
  inviteId: string;
  /** sha256 of the presented token; the token itself never enters Temporal. */
  tokenHash: string;
  /** One-step accept: the new login's scrypt hash (the password is hashed before the flow starts). */
  passwordHash?: string;
  /** Two-step accept (Medusa's): an identity the caller registered, still unlinked. */
  authIdentityId?: string;
  user: { email?: string | null; first_name?: string | null; last_name?: string | null };
}

export interface AcceptInviteResult {
  user: UserDTO;
  authIdentityId: string;
}

export async function acceptInviteWorkflow(input: AcceptInviteInput): Promise<AcceptInviteResult> {
  if (!input.passwordHash === !input.authIdentityId) {
    throw ApplicationFailure.create({ type: 'invalid_data', message: 'Accept needs either a password or a registered identity', nonRetryable: true });
  }
  return runSaga(async (saga) => {
    const run = workflowInfo().workflowId;
    upsertSearchAttributes([{ key: INVITE_IDS, value: [input.inviteId] }]);

    // 1. Validate the token, then claim the invite in one conditional UPDATE: the database guard that lets
    //    exactly one of many concurrent accepts through. The claim marks it accepted (accepted, accepted_at).
    const before = await activities.validateInviteToken(input.inviteId, input.tokenHash);
    saga.add('release the invite', () => activities.releaseInviteClaim(input.inviteId, run, before.updated_at));
    const invite = await activities.claimInviteForAccept(input.inviteId, input.tokenHash, run);
    if (input.user.email && input.user.email.trim().toLowerCase() !== invite.email) {
      throw ApplicationFailure.create({
        type: 'invalid_data',
        message: 'The email does not match the invite: an invite can only be accepted with the email it was sent to',
        nonRetryable: true,
      });
    }

    // 2. The login: created here (undone on failure), or the caller's own, left unlinked and usable on failure.
    let authIdentityId: string;
    let identityUpdatedAt: string | undefined;
    if (input.authIdentityId) {
      const identity = await activities.checkIdentityForAccept(input.authIdentityId, invite.email);
      [authIdentityId, identityUpdatedAt] = [identity.id, identity.updated_at];
    } else {
      const [identityId, providerIdentityId] = [(await local.newIds('authid', 1))[0], (await local.newIds('provid', 1))[0]];
      authIdentityId = identityId;
      saga.add('delete the new identity', () => activities.deleteAuthIdentity(identityId));
      await activities.createEmailpassIdentity({ id: identityId, providerIdentityId, email: invite.email, passwordHash: input.passwordHash! });
    }

    // 3. The user, with the invite's e-mail.
    const [userId] = await local.newIds('user', 1);
    upsertSearchAttributes([{ key: USER_IDS, value: [userId] }]);
    saga.add('delete the new user', () => activities.deleteUsers([userId]));
    const [user] = await activities.createUsers([
      { id: userId, email: invite.email, first_name: input.user.first_name, last_name: input.user.last_name },
    ]);

    // 4. Link the login to the user.
    saga.add('unlink the identity', () => activities.unlinkIdentity(authIdentityId, userId, identityUpdatedAt));
    await activities.linkIdentity(authIdentityId, userId);

    await activities.recordEvents([event('user.created', { id: userId }), event('invite.accepted', { id: invite.id, user_id: userId })]);
    return { user, authIdentityId };
  });
}
