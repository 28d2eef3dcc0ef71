import {
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  patched,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  acceptEvents,
  INVITE_IDS,
  normalizeEmail,
  USER_IDS,
  type AcceptInviteInput,
  type AcceptPreflight,
  type AcceptWrite,
  type UserAccount,
} from '../domain';
import { activities, compensations, local, localAfterCommit, localSteps } from './activity-options';
import { workflowIds } from './ids';
import { afterCommit, event, recordEvents, runSaga, type Saga } from './saga';

export async function acceptInviteWorkflow(input: AcceptInviteInput): Promise<UserAccount> {
  if (!input.passwordHash === !input.authIdentityId) {
    throw ApplicationFailure.create({
      type: 'invalid_data',
      message: 'Accept needs either a password or a registered identity',
      nonRetryable: true,
    });
  }
  // Now one workflow task; runs from before took a read and a write activity, and before those six steps.
  if (patched('accept-in-one-task')) return acceptInOneTask(input);
  return runSaga(async (saga) => {
    if (patched('accept-in-one-transaction')) return acceptInOneStep(saga, input);
    const run = workflowInfo().workflowId;
    upsertSearchAttributes([{ key: INVITE_IDS, value: [input.inviteId] }]);

    // 1. Validate the token, then claim the invite in one conditional UPDATE: the database guard that lets
    //    exactly one of many concurrent accepts through. The claim marks it accepted (accepted, accepted_at).
    const before = await activities.validateInviteToken(input.inviteId, input.tokenHash);
    const invite = await saga.step('claim the invite', {
      undo: () => compensations.releaseInviteClaim(input.inviteId, run, before.updated_at),
      run: () => activities.claimInviteForAccept(input.inviteId, input.tokenHash, run),
    });
    if (input.user.email && normalizeEmail(input.user.email) !== invite.email) {
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
      const [identityId, providerIdentityId] = [
        (await local.newIds('authid', 1))[0],
        (await local.newIds('provid', 1))[0],
      ];
      authIdentityId = identityId;
      // No squatting: a login someone registered with the invitee's e-mail and never linked to a user
      // does not block the invitee, who proved the mailbox with the invite token. It is replaced
      // (and recreated exactly if the accept fails).
      const squatter = await activities.unlinkedEmailpassSnapshot(invite.email);
      if (squatter) {
        await saga.step('replace the unlinked login', {
          undo: () => activities.recreateIdentities([squatter]),
          run: () => activities.deleteAuthIdentities([squatter.id]),
        });
      }
      await saga.step('create the login', {
        undo: () => compensations.deleteAuthIdentity(identityId),
        run: () =>
          activities.createEmailpassIdentity({
            id: identityId,
            providerIdentityId,
            email: invite.email,
            passwordHash: input.passwordHash!,
          }),
      });
    }

    // 3. The user, with the invite's e-mail.
    const [userId] = await local.newIds('user', 1);
    upsertSearchAttributes([{ key: USER_IDS, value: [userId] }]);
    const [user] = await saga.step('create the user', {
      undo: () => compensations.deleteUsers([userId]),
      run: () =>
        activities.createUsers([
          { id: userId, email: invite.email, first_name: input.user.first_name, last_name: input.user.last_name },
        ]),
    });

    // 3b. RBAC: the invite's roles, assigned to the new user (a role deleted since the invite fails the
    //     accept with its id, and everything above is undone: the invite is pending again).
    if (patched('invite-roles')) {
      const roleIds = (await activities.inviteRoleIds([invite.id]))[invite.id] ?? [];
      if (roleIds.length) {
        const links = roleIds.map((role_id) => ({ user_id: userId, role_id }));
        await saga.step('assign the invite roles', {
          undo: () => compensations.unassignUserRoles(links),
          run: () => activities.assignUserRoles({ links }),
        });
      }
    }

    // 4. Link the login to the user.
    await saga.step('link the login', {
      undo: () => compensations.unlinkIdentity(authIdentityId, userId, identityUpdatedAt),
      run: () => activities.linkIdentity(authIdentityId, userId),
    });

    await recordEvents(saga, [
      event('user.created', { id: userId }),
      event('invite.accepted', { id: invite.id, user_id: userId }),
    ]);
    return { user, authIdentityId };
  });
}

/**
 * The accept in one workflow task: its ids made in workflow code (the same on a retried task and after a
 * reset: workflows/ids.ts), its one write a local step that reads what it replaces in its own transaction
 * and keeps it there for the undo (store/accept.ts acceptInviteOnce), and, past the commit point, that
 * undo record forgotten. A cancel arriving while the task runs fails it (a run's last task cannot
 * complete past a new event), and the task runs again, finding what the first attempt did, as
 * createInvites' one task does: a committed accept (`found`; its undo record may be forgotten already)
 * is past its commit point and completes; one that had not committed is undone and ends cancelled.
 */
async function acceptInOneTask(input: AcceptInviteInput): Promise<UserAccount> {
  const run = workflowInfo().workflowId;
  const ids = {
    user: workflowIds('user', 1)[0],
    identity: input.authIdentityId ?? workflowIds('authid', 1)[0],
    providerIdentity: workflowIds('provid', 1)[0],
    events: workflowIds('evt', 2) as [string, string],
  };
  const [undoId] = workflowIds('undo', 1);
  upsertSearchAttributes([
    { key: INVITE_IDS, value: [input.inviteId] },
    { key: USER_IDS, value: [ids.user] },
  ]);
  const account = await runSaga(async (saga) => {
    const { found, ...done } = await saga.step('accept the invite', {
      undo: () =>
        compensations.undoAcceptInviteOnce({
          undoId,
          inviteId: input.inviteId,
          run,
          userId: ids.user,
          identityId: ids.identity,
          registered: !!input.authIdentityId,
          eventIds: ids.events,
        }),
      // As createUsers': the SDK does not wait for a cancelled local activity, so the step ends first.
      run: () =>
        CancellationScope.nonCancellable(() =>
          localSteps.acceptInviteOnce({ ...acceptWrite(input, run, ids), undoId }),
        ),
    });
    if (!found && CancellationScope.current().consideredCancelled) {
      throw new CancelledFailure('the accept was cancelled');
    }
    return done;
  });
  await afterCommit('forget the undo record', () => localAfterCommit.forgetUndoRecord(undoId));
  return account;
}

/**
 * The accept as one step: a read that fixes what it starts from and the ids it will use (an activity:
 * its result is in history before anything is written, so a run the reconciler resets, which re-runs
 * its last workflow task, undoes exactly the rows written here), then one transaction that claims the
 * invite, creates or checks the login, creates the user with the invite's roles, links them and
 * records the events (store/accept.ts). Its one undo puts all of it back.
 */
async function acceptInOneStep(saga: Saga, input: AcceptInviteInput): Promise<UserAccount> {
  const run = workflowInfo().workflowId;
  upsertSearchAttributes([{ key: INVITE_IDS, value: [input.inviteId] }]);
  const pre = await activities.acceptPreflight(input.inviteId, input.tokenHash, input.authIdentityId);
  const { ids } = pre;
  upsertSearchAttributes([{ key: USER_IDS, value: [ids.user] }]);

  const account = await saga.step('accept the invite', {
    undo: () =>
      compensations.undoAcceptInvite({
        inviteId: input.inviteId,
        run,
        inviteUpdatedAt: pre.invite.updated_at,
        userId: ids.user,
        identityId: ids.identity,
        registered: input.authIdentityId ? { updatedAt: pre.identityUpdatedAt } : undefined,
        squatter: pre.squatter,
        eventIds: ids.events,
      }),
    run: () => activities.acceptInviteWithEvents({ ...acceptWrite(input, run, ids), squatterId: pre.squatter?.id }),
  });
  // A cancel that arrived while the step committed (the step ends first) undoes it: the run ends
  // cancelled with nothing left, as the reconciler's reset-then-cancel of a terminated run needs.
  if (CancellationScope.current().consideredCancelled) throw new CancelledFailure('the accept was cancelled');
  return account;
}

type AcceptIds = AcceptPreflight['ids'];

/** The accept's write, from the flow's input, its run and the ids fixed for it. */
function acceptWrite(input: AcceptInviteInput, run: string, ids: AcceptIds): AcceptWrite {
  return {
    inviteId: input.inviteId,
    tokenHash: input.tokenHash,
    run,
    email: input.user.email,
    identity: input.authIdentityId
      ? { id: ids.identity, registered: true }
      : { id: ids.identity, providerIdentityId: ids.providerIdentity, passwordHash: input.passwordHash! },
    user: { id: ids.user, first_name: input.user.first_name, last_name: input.user.last_name },
    events: acceptEvents(input.inviteId, ids),
  };
}
