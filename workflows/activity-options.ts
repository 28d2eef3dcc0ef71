import {
  ActivityCancellationType,
  CancellationScope,
  proxyActivities,
  proxyLocalActivities,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { POLICY } from './policy';

// Forward steps: short and idempotent. Transient faults are retried with backoff, bounded overall so a
// dead database fails the flow (and runs its compensations) instead of hanging it; data errors fail at
// once (activities/failures.ts). A cancelled flow waits for the step in flight to end before it undoes,
// so no step can commit after its compensation ran.
// One attempt gets at most a quarter of the budget (30 s at most): an attempt lost with a killed worker is
// retried after that, well within the budget, instead of using it up.
const attemptSeconds = Math.min(30, Math.max(5, Math.floor(POLICY.forwardBudgetSeconds / 4)));

const forward = {
  startToCloseTimeout: `${attemptSeconds} seconds`,
  scheduleToCloseTimeout: `${POLICY.forwardBudgetSeconds} seconds`,
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
} as const;

export const activities = proxyActivities<Activities>(forward);

// Compensations and the steps after a flow's commit point must finish, however long the database is
// away: retried with capped backoff and no overall limit (Temporal's guidance for sagas). A run whose
// undo keeps failing is flagged for an operator meanwhile (workflows/compensation.ts).
const untilDone = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: `${POLICY.maxRetryIntervalSeconds} seconds`,
  },
} as const;

/** Undo activities, called only from a saga's compensations (`undo:` of a step). */
export const compensations = proxyActivities<Activities>(untilDone);

/**
 * The activities a flow runs after its saga has completed, so that their failure never undoes it
 * (a failed invite mail marks the invite instead). Nothing else may run outside a saga step.
 */
export const AFTER_SAGA = ['sendInvite', 'setInviteDelivery', 'deliverInvites', 'forgetUndoRecord'] as const;

/** Bookkeeping after the commit point (delivery status, its event): a flow never fails there. */
export const afterCommit = proxyActivities<Pick<Activities, 'setInviteDelivery' | 'recordEvents'>>(untilDone);

// Sending mail: retried with backoff for a while, never for a permanent refusal (bad recipient).
const mail = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumAttempts: 5,
    nonRetryableErrorTypes: ['delivery_permanent'],
  },
};
export const delivery = proxyActivities<Pick<Activities, 'sendInvite'>>(mail);

/** The pure local computations below: they write nothing, so they are no saga step. */
export const PURE_LOCAL = ['newIds', 'newInviteClaims', 'renewInviteClaims'] as const;

type PureLocal = Pick<Activities, (typeof PURE_LOCAL)[number]>;
const pureLocal = proxyLocalActivities<PureLocal>({ startToCloseTimeout: '10 seconds' });

/**
 * Pure, local computations whose result must be fixed in history (ids, token claims); they write nothing.
 * A cancel does not interrupt them: it is seen at the next step, whose undo is registered by then. The
 * reconciler's reset re-runs a task, such a computation included, and cancels the new run at once; a
 * computation cancelled there would end the run before the step that its terminated run had committed
 * was registered, leaving that write undone.
 */
export const local = Object.fromEntries(
  PURE_LOCAL.map((name) => [
    name,
    (...args: unknown[]) =>
      CancellationScope.nonCancellable(() => (pureLocal[name] as (...a: unknown[]) => Promise<unknown>)(...args)),
  ]),
) as PureLocal;

// A bulk batch's mails (activities/delivery.ts, deliverInvites): after the commit point, so retried until
// done like the bookkeeping, with room for a batch of mails per attempt.
export const bulkDelivery = proxyActivities<Pick<Activities, 'deliverInvites'>>({
  ...untilDone,
  startToCloseTimeout: '10 minutes',
});

// The same steps as local activities, run inside the workflow task that reaches them (no round trip to
// the server per step). Only for steps whose inputs are fixed before that task (workflow-made ids, or
// a result recorded in an earlier task): a task lost with its worker runs its local activities again.
/** Forward steps as local activities: the budget and retries of `activities`. */
export const localSteps =
  proxyLocalActivities<Pick<Activities, 'createUsersWithEvents' | 'createInvitesFromDrafts' | 'acceptInviteOnce'>>(
    forward,
  );

/** Sending an invite as a local activity: the retries of `delivery`. */
export const localDelivery = proxyLocalActivities<Pick<Activities, 'sendInvite'>>(mail);

/** The bookkeeping after the commit point as local activities: retried until done, like `afterCommit`. */
export const localAfterCommit =
  proxyLocalActivities<Pick<Activities, 'setInviteDelivery' | 'recordEvents' | 'forgetUndoRecord'>>(untilDone);
