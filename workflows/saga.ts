import { ApplicationFailure, log, uuid4 } from '@temporalio/workflow';
import { isErrorType, type EventInput, type EventName } from '../domain';
import { activities } from './activity-options';

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

  async compensate(): Promise<void> {
    for (const { name, undo } of this.undos) {
      try {
        await undo();
      } catch (err) {
        // Keep undoing the rest; the original failure is what the caller must see.
        log.error('compensation failed', { compensation: name, error: String(err) });
      }
    }
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
  if (root?.type && isErrorType(root.type)) {
    return ApplicationFailure.create({ type: root.type, message: root.message, nonRetryable: true });
  }
  const message = root?.message ?? (err instanceof Error ? err.message : String(err));
  return ApplicationFailure.create({
    type: root?.type ?? 'internal',
    message,
    nonRetryable: true,
    cause: err instanceof Error ? err : undefined,
  });
}

/** Run a flow's steps; on failure undo what was done and fail the workflow with the original cause. */
export async function runSaga<T>(steps: (saga: Saga) => Promise<T>): Promise<T> {
  const saga = new Saga();
  try {
    return await steps(saga);
  } catch (err) {
    await saga.compensate();
    throw toWorkflowFailure(err);
  }
}

/** An outbox event with an id fixed by the workflow history, so retried writes record it once. */
export const event = (name: EventName, payload: Record<string, unknown>): EventInput => ({
  id: `evt_${uuid4()}`,
  name,
  payload,
});

/** The flow's events, as its last step: undone by deleting exactly these events. */
export function recordEvents(saga: Saga, events: EventInput[]): Promise<void> {
  const ids = events.map((e) => e.id);
  return saga.step('record events', {
    undo: () => activities.deleteEvents(ids),
    run: () => activities.recordEvents(events),
  });
}
