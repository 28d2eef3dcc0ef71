import { ApplicationFailure, CancellationScope, isCancellation, uuid4 } from '@temporalio/workflow';
import type { EventInput } from '../store/events';
import { compensate } from './compensation';
import { flowMetrics } from './sinks';

// Business error types are the store's (see store/errors.ts); kept literal here because workflow
// code may only import side-effect-free modules.
const BUSINESS = new Set(['not_found', 'invalid_data', 'unauthorized', 'not_allowed', 'conflict', 'duplicate_error']);

/**
 * Compensations, registered before the step they undo (a step that timed out may still have
 * committed), run newest first when the flow fails. Each compensation is an idempotent activity.
 */
export class Saga {
  private readonly undos: { name: string; run: () => Promise<unknown> }[] = [];

  add(name: string, run: () => Promise<unknown>): void {
    this.undos.unshift({ name, run });
  }

  /** Every undo, newest first, each retried until it succeeds (workflows/compensation.ts). */
  async compensate(): Promise<void> {
    for (const undo of this.undos) await compensate(undo.name, undo.run);
  }

  get size(): number {
    return this.undos.length;
  }
}

/** The deepest ApplicationFailure in a failure chain (activity failures wrap the real cause). */
function rootApplicationFailure(err: unknown): ApplicationFailure | undefined {
  let found: ApplicationFailure | undefined;
  for (let e: unknown = err; e instanceof Error; e = (e as Error).cause) {
    if (e instanceof ApplicationFailure) found = e;
  }
  return found;
}

/**
 * Fail the execution (never a plain Error, which would only fail the task and retry forever):
 * business errors keep their type and message so clients can map them to HTTP statuses.
 */
export function toWorkflowFailure(err: unknown): ApplicationFailure {
  const root = rootApplicationFailure(err);
  if (root?.type && BUSINESS.has(root.type)) {
    return ApplicationFailure.create({ type: root.type, message: root.message, nonRetryable: true });
  }
  const message = root?.message ?? (err instanceof Error ? err.message : String(err));
  return ApplicationFailure.create({ type: root?.type ?? 'internal', message, nonRetryable: true, cause: err instanceof Error ? err : undefined });
}

/**
 * Run a flow's steps; on failure undo what was done and fail the workflow with the original cause. A
 * cancelled flow (Temporal cancel from the UI or CLI) is undone the same way and ends Cancelled. The
 * undo runs detached from cancellation: a second cancel cannot stop it halfway.
 */
export async function runSaga<T>(steps: (saga: Saga) => Promise<T>): Promise<T> {
  const saga = new Saga();
  try {
    return await steps(saga);
  } catch (err) {
    await CancellationScope.nonCancellable(() => saga.compensate());
    if (saga.size > 0) flowMetrics.compensated();
    if (isCancellation(err)) throw err;
    throw toWorkflowFailure(err);
  }
}

/**
 * The steps after a flow's commit point (delivery and its bookkeeping): nothing there may undo or fail
 * the flow, so they run detached from cancellation and their activities retry until done.
 */
export function afterCommit<T>(fn: () => Promise<T>): Promise<T> {
  return CancellationScope.nonCancellable(fn);
}

/** An outbox event with an id fixed by the workflow history, so retried writes record it once. */
export const event = (name: string, payload: Record<string, unknown>): EventInput => ({ id: `evt_${uuid4()}`, name, payload });
