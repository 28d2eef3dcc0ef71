// How long flows try. Fixed per worker when its workflow bundle is built (worker/worker.ts, read by
// workflows/policy.ts), so an operator (or a test) can shorten the forward budget without touching
// workflow code. Activity options and timer durations are not part of the replay check, so workers
// with different policies can share histories.

export interface FlowPolicy {
  /** Overall budget of one forward step (all its retries): past it the step fails and the saga undoes. */
  forwardBudgetSeconds: number;
  /** A compensation still not done after this long is flagged (search attribute, memo, ERROR log); it keeps trying. */
  compensationAlertSeconds: number;
  /** Longest wait between two attempts of a compensation or of a step after the commit point. */
  maxRetryIntervalSeconds: number;
}

export const DEFAULT_POLICY: FlowPolicy = {
  forwardBudgetSeconds: 300,
  compensationAlertSeconds: 60,
  maxRetryIntervalSeconds: 30,
};
