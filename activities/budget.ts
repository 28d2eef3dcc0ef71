import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';

/**
 * A local activity's overall budget (its scheduleToCloseTimeout), kept by the activity itself. For an
 * activity the server fails the step when the budget is spent; for a local one the SDK's worker does not
 * hold retries to it (measured: test/outage.test.ts saw a local step still retrying, then committing,
 * well after its 3 s budget, so the flow finished instead of failing and undoing). An attempt that starts
 * past the budget therefore fails, not retryable, before it writes anything: the flow then compensates,
 * as it does when the server times a step out. Activities (not local) and steps without a budget are
 * untouched.
 */
export function withinBudget<F extends (...args: never[]) => Promise<unknown>>(fn: F): F {
  return (async (...args: Parameters<F>) => {
    const info = activityInfo();
    if (info?.isLocal && info.scheduleToCloseTimeoutMs > 0) {
      const deadline = info.scheduledTimestampMs + info.scheduleToCloseTimeoutMs;
      if (Date.now() > deadline) {
        const failure = ApplicationFailure.create({
          type: 'step_budget_exceeded',
          message: `the step's budget of ${Math.round(info.scheduleToCloseTimeoutMs / 1000)} s ran out before attempt ${info.attempt}`,
          nonRetryable: true,
        });
        failure.stack = `${failure.type}: ${failure.message}`;
        throw failure;
      }
    }
    return fn(...args);
  }) as F;
}

/** The running activity's info; none when called outside an activity (a test calling it directly). */
function activityInfo() {
  try {
    return Context.current().info;
  } catch {
    return undefined;
  }
}
