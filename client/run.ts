import { randomUUID } from 'node:crypto';
import {
  Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  type WorkflowStartOptions,
} from '@temporalio/client';
import { ApplicationFailure, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { FLOW, flowId, isErrorType, UsermodError, workflowType, type FlowName, type Flows } from '../domain';
import type { WorkflowOf } from '../workflows';

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

/** Business failures come back as the UsermodError the store threw; anything else is rethrown. */
export function unwrapFailure(err: unknown): unknown {
  if (err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure && isErrorType(err.cause.type)) {
    return new UsermodError(err.cause.type, err.cause.message);
  }
  return err;
}

/**
 * Start a flow by its name (or join the run an idempotency key already started) and wait for its
 * result. The workflow is `<flow>Workflow`, its id `<flow id>-[<subject>-]<key or uuid>` and its
 * `UsermodFlow` search attribute the flow id: one name from client to history.
 */
export async function runFlow<F extends FlowName>(
  ctx: UsermodClient,
  flow: F,
  input: Flows[F]['input'],
  options: RunOptions & {
    /** Ids the run is about (never an e-mail), part of the workflow id. */ subject?: string;
  } = {},
): Promise<Flows[F]['result']> {
  const key = options.idempotencyKey;
  if (key !== undefined && !/^[A-Za-z0-9._:-]{1,200}$/.test(key)) {
    throw new UsermodError('invalid_data', 'Idempotency key must be 1-200 characters of letters, digits, . _ : -');
  }
  const workflowId = [flowId(flow), options.subject, key ?? randomUUID()]
    .filter((part) => part !== undefined)
    .join('-');
  const start = {
    taskQueue: ctx.taskQueue,
    workflowId,
    args: [input],
    typedSearchAttributes: [{ key: FLOW, value: flowId(flow) }],
    memo: options.summary ? { summary: options.summary } : undefined,
    staticSummary: options.summary,
    // A second request with the same key joins the running flow, or finds the finished one below.
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
  } as WorkflowStartOptions<WorkflowOf<F>>;
  try {
    const handle = await ctx.client.workflow.start<WorkflowOf<F>>(workflowType(flow), start).catch((err) => {
      if (err instanceof WorkflowExecutionAlreadyStartedError)
        return ctx.client.workflow.getHandle<WorkflowOf<F>>(workflowId);
      throw err;
    });
    return await handle.result();
  } catch (err) {
    throw unwrapFailure(err);
  }
}
