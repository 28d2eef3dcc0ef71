import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

// Store activities are short and idempotent: retry transient faults with backoff, bounded overall so a
// dead database fails the flow (and runs its compensations) instead of hanging it.
export const activities = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '5 minutes',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

// Sending mail: retried with backoff for a while, never for a permanent refusal (bad recipient).
export const delivery = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: 5, nonRetryableErrorTypes: ['delivery_permanent'] },
});

// Pure, local computations whose result must be fixed in history (ids).
export const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '10 seconds' });
