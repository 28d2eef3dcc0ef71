import {
  condition,
  isCancellation,
  log,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { COMPENSATING } from '../domain';
import { POLICY } from './policy';
import { flowMetrics } from './sinks';

const errorLine = (err: unknown) =>
  (err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)).split('\n')[0];

/**
 * Runs `fn` until it succeeds. Its activities retry transient faults themselves, without limit; what
 * still comes back is a refusal (a business or data error: say, a restore blocked by a row a
 * concurrent flow wrote). That can clear up too, so it is tried again, with capped backoff.
 */
export async function untilItSucceeds<T>(name: string, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (isCancellation(err)) throw err; // cannot happen: callers run in a non-cancellable scope
      log.warn('refused; trying again', { step: name, attempt, error: errorLine(err) });
      await sleep(Math.min(2 ** attempt, POLICY.maxRetryIntervalSeconds) * 1000);
    }
  }
}

/**
 * Runs one compensation to the end. While it has been running longer than the alert time, the run
 * says so where an operator looks: the `UsermodCompensating` search attribute (find them all with
 * `UsermodCompensating = true`), a memo line, an ERROR log with the run id, and /metrics
 * (usermod_compensations_retrying). It keeps trying.
 */
export async function compensate(name: string, undo: () => Promise<unknown>): Promise<void> {
  let done = false;
  const running = untilItSucceeds(name, undo).finally(() => (done = true));
  const since = new Date(); // workflow time: deterministic
  if (await condition(() => done, `${POLICY.compensationAlertSeconds} seconds`)) {
    await running;
    return;
  }

  const { workflowId, runId } = workflowInfo();
  upsertSearchAttributes([{ key: COMPENSATING, value: true }]);
  upsertMemo({ compensation: `"${name}" not done since ${since.toISOString()}; retrying until it succeeds` });
  log.error('compensation still failing; retrying until it succeeds', {
    compensation: name,
    since: since.toISOString(),
    workflowId,
    runId,
  });
  flowMetrics.compensationAlert(name);
  await running;
  const seconds = Math.round((Date.now() - since.getTime()) / 1000);
  upsertSearchAttributes([{ key: COMPENSATING, value: false }]);
  upsertMemo({ compensation: `"${name}" done after ${seconds} s of retries` });
  log.warn('compensation succeeded after retries', { compensation: name, seconds, workflowId, runId });
}
