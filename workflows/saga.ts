import { ApplicationFailure, CancellationScope, isCancellation, uuid4 } from '@temporalio/workflow';
import { isErrorType, type EventInput, type EventName } from '../domain';
import { activities, compensations } from './activity-options';
import { compensate, untilItSucceeds } from './compensation';
import { flowMetrics } from './sinks';

/** A step and its undo, one value: the undo is known before the step runs. */
export interface Step<T> {
  /** Undoes `run`; idempotent, and harmless when `run` never happened (it may have timed out before). */
  undo: () => Promise<unknown>;
  run: () => Promise<T>;
}

/**
 * Compensations run newest first when the flow fails. Each is registered before its step runs,
 * because a step that timed out may still have committed.
 */
export class Saga {
  private readonly undos: { name: string; undo: () => Promise<unknown> }[] = [];

  /** Registers the step's undo, then runs it. */
  step<T>(name: string, step: Step<T>): Promise<T> {
    this.undos.unshift({ name, undo: step.undo });
    return step.run();
  }

  /** Every undo, newest first, each retried until it succeeds (workflows/compensation.ts). */
  async compensate(): Promise<void> {
    for (const { name, undo } of this.undos) await compensate(name, undo);
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
 * business errors (domain's error table) keep their type and message so clients can map them to HTTP statuses.
 */
export function toWorkflowFailure(err: unknown): ApplicationFailure {
  const root = rootApplicationFailure(err);
  const failure =
    root?.type && isErrorType(root.type)
      ? ApplicationFailure.create({ type: root.type, message: root.message, nonRetryable: true })
      : ApplicationFailure.create({
          type: root?.type ?? 'internal',
          message: root?.message ?? (err instanceof Error ? err.message : String(err)),
          nonRetryable: true,
          cause: err instanceof Error ? err : undefined,
        });
  // The stack would name the worker's source paths in history: the type and message say it all.
  failure.stack = `${failure.type}: ${failure.message}`;
  return failure;
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
 * A step after the flow's commit point (its saga has completed): nothing there may undo or fail the
 * flow, so it runs detached from cancellation and is retried until done, refusals included.
 */
export function afterCommit<T>(name: string, fn: () => Promise<T>): Promise<T> {
  return CancellationScope.nonCancellable(() => untilItSucceeds(name, fn));
}

/**
 * An outbox event with an id fixed by the workflow history, so retried writes record it once: made here,
 * or given when it must also survive a reset (workflows/ids.ts, an activity's result).
 */
export const event = (name: EventName, payload: Record<string, unknown>, id = `evt_${uuid4()}`): EventInput => ({
  id,
  name,
  payload,
});

/** The flow's events, as its last step: undone by deleting exactly these events. */
export function recordEvents(saga: Saga, events: EventInput[]): Promise<void> {
  const ids = events.map((e) => e.id);
  return saga.step('record events', {
    undo: () => compensations.deleteEvents(ids),
    run: () => activities.recordEvents(events),
  });
}
