// The reconciler's contract (workflows/reconcile.ts, activities/reconcile.ts): what it looks for, what
// it found, and what it did.

export interface ReconcileInput {
  /** Report what would be repaired; change nothing and record nothing. */
  dryRun: boolean;
  /** Leave claims younger than this alone. */
  graceSeconds: number;
  /** How far back to look for terminated runs (Temporal keeps closed runs for the namespace's retention). */
  lookbackSeconds?: number;
  /** At most this many findings of each kind per run. */
  limit?: number;
}

/** An invite claimed by an accept run, with no user that such a run would leave when it completes. */
export interface ClaimedInvite {
  id: string;
  email: string;
  /** The workflow id of the accept run holding the claim. */
  accepted_by: string;
  accepted_at: string;
  updated_at: string;
}

/** What an accept run that never completed left behind for one invite: the same things its saga undoes. */
export interface ClaimLeftovers {
  /** Users it created (the invite's e-mail, created from the claim on, live). */
  userIds: string[];
  /** Logins it created (the invite's e-mail, created from the claim on). */
  loginIds: string[];
  /** Logins registered before the accept and linked by it to one of those users: unlinked, kept. */
  links: { authIdentityId: string; userId: string }[];
}

/** A run an operator terminated (or that timed out) before it could finish or undo what it did. */
export interface ClosedRun {
  workflowId: string;
  runId: string;
  workflowType: string;
  status: string;
}

/** An invite claimed by an accept run that is over without having completed, and what that run left. */
export interface OrphanClaim {
  invite: ClaimedInvite;
  acceptRunStatus: string;
  leftovers: ClaimLeftovers;
}

export interface Leftovers {
  runs: ClosedRun[];
  claims: OrphanClaim[];
}

export interface ReconcileResult {
  dryRun: boolean;
  /** Terminated runs undone through their own compensations (or that would be, in a dry run). */
  runs: (ClosedRun & { resetRunId?: string | null })[];
  /** Orphaned invite claims released, with what their accept had left (or would be). */
  claims: {
    inviteId: string;
    acceptRun: string;
    deletedUsers: string[];
    deletedLogins: string[];
    unlinkedLogins: string[];
  }[];
  /** Repairs refused (say, a claim whose e-mail has a new live invite): left for an operator, logged. */
  refused: string[];
}

/** A repair's event id is derived from what it repaired, so each repair is recorded once. */
export const runRepairEventId = (runId: string) => `evt_reconcile_run_${runId}`;
export const claimRepairEventId = (inviteId: string, acceptRun: string) =>
  `evt_reconcile_claim_${inviteId}_${acceptRun}`;
