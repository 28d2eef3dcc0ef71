import { log, workflowInfo } from '@temporalio/workflow';
import { claimRepairEventId, runRepairEventId, type ReconcileInput, type ReconcileResult } from '../domain';
import { activities, compensations } from './activity-options';

/**
 * Run by the reconcile schedule: finds state no running flow owns and repairs it through the same
 * compensations the flows use, recording each repair as an event. Idempotent (repairs are undos, and
 * each is recorded under an id derived from what it repaired) and safe while flows run: it only
 * touches what belongs to runs that are over.
 */
export async function reconcileWorkflow(input: ReconcileInput): Promise<ReconcileResult> {
  const found = await activities.findLeftovers({ ...input, taskQueue: workflowInfo().taskQueue });
  const result: ReconcileResult = { dryRun: input.dryRun, runs: [], claims: [], refused: [] };

  for (const run of found.runs) {
    if (input.dryRun) {
      result.runs.push(run);
      continue;
    }
    // The terminated run's own saga undoes it: reset, then cancel (activities/reconcile.ts).
    const { resetRunId } = await compensations.compensateClosedRun(run.workflowId, run.runId);
    await compensations.recordRepair('terminated_run', {
      id: runRepairEventId(run.runId),
      name: 'reconciler.run_compensated',
      payload: {
        workflow_id: run.workflowId,
        run_id: run.runId,
        flow: run.workflowType,
        status: run.status,
        reset_run_id: resetRunId,
      },
    });
    result.runs.push({ ...run, resetRunId });
  }

  for (const { invite, acceptRunStatus, leftovers } of found.claims) {
    const repair = {
      inviteId: invite.id,
      acceptRun: invite.accepted_by,
      deletedUsers: leftovers.userIds,
      deletedLogins: leftovers.loginIds,
      unlinkedLogins: leftovers.links.map((l) => l.authIdentityId),
    };
    if (input.dryRun) {
      result.claims.push(repair);
      continue;
    }
    try {
      // The accept's own compensations, newest first: unlink, delete the user, delete the login, release.
      for (const l of leftovers.links) await compensations.unlinkIdentity(l.authIdentityId, l.userId);
      if (leftovers.userIds.length) await compensations.deleteUsers(leftovers.userIds);
      for (const id of leftovers.loginIds) await compensations.deleteAuthIdentity(id);
      await compensations.releaseInviteClaim(invite.id, invite.accepted_by, invite.updated_at);
    } catch (err) {
      log.error('reconciler: repair refused; left for an operator', {
        inviteId: invite.id,
        acceptRun: invite.accepted_by,
        error: (err as Error).message,
      });
      result.refused.push(invite.id);
      continue;
    }
    await compensations.recordRepair('orphan_claim', {
      id: claimRepairEventId(invite.id, invite.accepted_by),
      name: 'reconciler.claim_released',
      payload: {
        invite_id: invite.id,
        accept_run: invite.accepted_by,
        accept_run_status: acceptRunStatus,
        deleted_users: repair.deletedUsers,
        deleted_logins: repair.deletedLogins,
        unlinked_logins: repair.unlinkedLogins,
      },
    });
    result.claims.push(repair);
  }
  if (result.runs.length || result.claims.length) {
    log.info('reconciler: leftovers', {
      dryRun: input.dryRun,
      runs: result.runs.length,
      claims: result.claims.length,
      refused: result.refused.length,
    });
  }
  return result;
}
