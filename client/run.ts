import { randomUUID } from 'node:crypto';
import {
  Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  type WorkflowStartOptions,
} from '@temporalio/client';
import { ApplicationFailure, WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type Workflow } from '@temporalio/common';
import { isErrorType, UsermodError } from '../store/errors';
import { FLOW } from '../workflows/search-attributes';

export interface UsermodClient {
  client: Client;
  taskQueue: string;
  /** Signs the invite tokens handed back by create and resend (the same secret as the workers'). */
  jwtSecret: string;
}

export interface RunOptions {
  /**
   * Same key, same run: a retried request returns the first run's result instead of running the flow
   * again. Becomes part of the workflow id, so it must not contain personal data.
   */
  idempotencyKey?: string;
  /** A safe one-line summary shown in the Web UI (never an e-mail address or a secret). */
  summary?: string;
}

/** What the client itself adds to a run's options: the id(s) the run is about, for its workflow id. */
interface FlowOptions extends RunOptions {
  /** Part of the workflow id after the flow's name (an invite or user id), never personal data. */
  subject?: string;
}

/** Business failures come back as the UsermodError the store threw; anything else is rethrown. */
export function unwrapFailure(err: unknown): unknown {
  if (err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure && isErrorType(err.cause.type)) {
    return new UsermodError(err.cause.type, err.cause.message);
  }
  return err;
}

/** Start a flow (or join the run an idempotency key already started) and wait for its result. */
export async function runFlow<W extends Workflow>(
  ctx: UsermodClient,
  workflow: W,
  /** The flow's name: the `UsermodFlow` search attribute's value and the workflow id's prefix. */
  flowName: string,
  args: Parameters<W>,
  options: FlowOptions = {},
): Promise<Awaited<ReturnType<W>>> {
  const key = options.idempotencyKey;
  if (key !== undefined && !/^[A-Za-z0-9._:-]{1,200}$/.test(key)) {
    throw new UsermodError('invalid_data', 'Idempotency key must be 1-200 characters of letters, digits, . _ : -');
  }
  const workflowId = [flowName, options.subject, key ?? randomUUID()].filter(Boolean).join('-');
  const start: WorkflowStartOptions<W> = {
    taskQueue: ctx.taskQueue,
    workflowId,
    args,
    typedSearchAttributes: [{ key: FLOW, value: flowName }],
    memo: options.summary ? { summary: options.summary } : undefined,
    staticSummary: options.summary,
    // A second request with the same key joins the running flow, or finds the finished one below.
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
  } as unknown as WorkflowStartOptions<W>;
  try {
    const handle = await ctx.client.workflow.start(workflow, start).catch((err) => {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return ctx.client.workflow.getHandle(workflowId);
      throw err;
    });
    return (await handle.result()) as Awaited<ReturnType<W>>;
  } catch (err) {
    throw unwrapFailure(err);
  }
}
