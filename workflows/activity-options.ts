import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

// Store activities are short and idempotent: retry transient faults with backoff, bounded overall so a
// dead database fails the flow (and runs its compensations) instead of hanging it.
export const activities = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '5 minutes',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

/**
 * The activities a flow runs after its saga has completed, so that their failure never undoes it
 * (a failed invite mail marks the invite instead). Nothing else may run outside a saga step.
 */
export const AFTER_SAGA = ['sendInvite'] as const;

// Sending mail: retried with backoff for a while, never for a permanent refusal (bad recipient).
export const delivery = proxyActivities<Pick<Activities, (typeof AFTER_SAGA)[number]>>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumAttempts: 5,
    nonRetryableErrorTypes: ['delivery_permanent'],
  },
});

// Pure, local computations whose result must be fixed in history (ids, token claims); they write nothing.
export const local = proxyLocalActivities<Pick<Activities, 'newIds' | 'newInviteClaims' | 'renewInviteClaims'>>({
  startToCloseTimeout: '10 seconds',
});
