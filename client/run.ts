import { randomUUID } from 'node:crypto';
import { Client, WorkflowFailedError, type WorkflowHandle, type WorkflowStartOptions } from '@temporalio/client';
import { ApplicationFailure, WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type Workflow } from '@temporalio/common';
import { invalidData, isErrorType, UsermodError } from '../store/errors';
import { FLOW } from '../workflows/search-attributes';
import { IDEMPOTENCY_KEY_PATTERN, keyedWorkflowId, requestFingerprint, startOrJoin } from './idempotency';

export interface UsermodClient {
  client: Client;
  taskQueue: string;
  /** Signs the invite tokens handed back by create and resend (the same secret as the workers'). */
  jwtSecret: string;
}

export interface RunOptions {
  /**
   * Same key, same caller, same request: the first run's result instead of running the flow again
   * (client/idempotency.ts). Never part of the workflow id as such (an HMAC of it is).
   */
  idempotencyKey?: string;
  /** Who and where the key belongs to (the route and the caller); a key is only ever found again there. */
  idempotencyScope?: string;
  /** The request as the caller sent it (params, query, body), fingerprinted; the flow input when absent. */
  request?: unknown;
  /** A safe one-line summary shown in the Web UI (never an e-mail address or a secret). */
  summary?: string;
}

/** What the client itself adds to a run's options: the id(s) the run is about, for its workflow id. */
interface FlowOptions extends RunOptions {
  /** Part of the workflow id after the flow's name (an invite or user id), never personal data. */
  subject?: string;
  /** Resolve once the run has started (its result is nobody's business: the password-reset request). */
  startOnly?: boolean;
}

/**
 * A flow that failed for a reason that was not the caller's (a timeout, a database that stayed away):
 * its saga undid what it had done, so sending the request again is safe (the API answers 503).
 */
export class FlowUndone extends Error {
  constructor() {
    super('The request could not be completed and was undone; send it again shortly');
    this.name = 'FlowUndone';
  }
}

/** Business failures come back as the UsermodError the store threw; other failures as FlowUndone. */
export function unwrapFailure(err: unknown): unknown {
  if (err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure && isErrorType(err.cause.type)) {
    return new UsermodError(err.cause.type, err.cause.message);
  }
  if (err instanceof WorkflowFailedError) return new FlowUndone();
  return err;
}

// Starting a run is one quick call; when Temporal does not answer within this, the caller is told 503
// at once instead of after the gRPC client's own retries (~20 s).
const START_DEADLINE_MS = 5000;

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
  if (key !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw invalidData('Invalid request: Idempotency-Key must be 1-200 characters of letters, digits, . _ : -');
  }
  const start = {
    taskQueue: ctx.taskQueue,
    args,
    typedSearchAttributes: [{ key: FLOW, value: flowName }],
    memo: options.summary ? { summary: options.summary } : undefined,
    staticSummary: options.summary,
  };
  const deadline = () => Date.now() + START_DEADLINE_MS;
  try {
    let handle: WorkflowHandle<W>;
    if (key === undefined) {
      const workflowId = [flowName, options.subject, randomUUID()].filter(Boolean).join('-');
      const opts = {
        ...start,
        workflowId,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      } as unknown as WorkflowStartOptions<W>;
      handle = await ctx.client.withDeadline(deadline(), () => ctx.client.workflow.start(workflow, opts));
    } else {
      const workflowId = keyedWorkflowId(ctx.jwtSecret, flowName, options.idempotencyScope ?? 'local', key);
      const fingerprint = requestFingerprint(ctx.jwtSecret, options.request ?? args);
      handle = await ctx.client.withDeadline(deadline(), () =>
        startOrJoin(ctx.client, workflowId, fingerprint, (policies) =>
          ctx.client.workflow.start(workflow, {
            ...start,
            ...policies,
            workflowId,
            memo: { ...start.memo, ...policies.memo },
          } as unknown as WorkflowStartOptions<W>),
        ),
      );
    }
    if (options.startOnly) return undefined as Awaited<ReturnType<W>>;
    return (await handle.result()) as Awaited<ReturnType<W>>;
  } catch (err) {
    throw unwrapFailure(err);
  }
}
