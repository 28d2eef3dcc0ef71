import { randomUUID } from 'node:crypto';
import { Client, WorkflowFailedError, type WorkflowHandle, type WorkflowStartOptions } from '@temporalio/client';
import { ApplicationFailure, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import {
  FLOW,
  flowId,
  invalidData,
  isErrorType,
  UsermodError,
  workflowType,
  type FlowName,
  type Flows,
} from '../domain';
import type { Sealer } from '../auth/seal';
import type { WorkflowOf } from '../workflows';
import { IDEMPOTENCY_KEY_PATTERN, keyedWorkflowId, requestFingerprint, startOrJoin } from './idempotency';

export interface UsermodClient {
  client: Client;
  taskQueue: string;
  /** Signs the invite tokens handed back by create and resend (the same secret as the workers'). */
  jwtSecret: string;
  /** Seals password and token hashes before they enter a flow: only workers can open them (auth/seal.ts). */
  seal: Sealer;
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

/**
 * Business failures come back as the UsermodError the store threw; anything else is rethrown as it
 * is (a WorkflowFailedError: the flow failed for a reason that was not the caller's and its saga undid
 * what it had done, so the request may be sent again; the API answers 503).
 */
export function unwrapFailure(err: unknown): unknown {
  if (err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure && isErrorType(err.cause.type)) {
    return new UsermodError(err.cause.type, err.cause.message);
  }
  return err;
}

// Starting a run is one quick call; when Temporal does not answer within this, the caller is told 503
// at once instead of after the gRPC client's own retries (~20 s).
const START_DEADLINE_MS = 5000;

/**
 * Start a flow by its name (or join the run an idempotency key already started) and wait for its
 * result. The workflow is `<flow>Workflow`, its `UsermodFlow` search attribute the flow id, and its id
 * `<flow id>-[<subject>-]<uuid>`, or `<flow id>-k<HMAC of scope and key>` with an idempotency key.
 */
export async function runFlow<F extends FlowName>(
  ctx: UsermodClient,
  flow: F,
  input: Flows[F]['input'],
  options: RunOptions & {
    /** Ids the run is about (never an e-mail), part of the workflow id. */
    subject?: string;
    /** Resolve once the run has started (its result is nobody's business: the password-reset request). */
    startOnly?: boolean;
  } = {},
): Promise<Flows[F]['result']> {
  const key = options.idempotencyKey;
  if (key !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw invalidData('Invalid request: Idempotency-Key must be 1-200 characters of letters, digits, . _ : -');
  }
  const start = {
    taskQueue: ctx.taskQueue,
    args: [input] as [Flows[F]['input']],
    typedSearchAttributes: [{ key: FLOW, value: flowId(flow) }],
    memo: options.summary ? { summary: options.summary } : undefined,
    staticSummary: options.summary,
  };
  const deadline = () => Date.now() + START_DEADLINE_MS;
  try {
    let handle: WorkflowHandle<WorkflowOf<F>>;
    if (key === undefined) {
      const workflowId = [flowId(flow), options.subject, randomUUID()].filter((part) => part !== undefined).join('-');
      const opts = {
        ...start,
        workflowId,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      } as WorkflowStartOptions<WorkflowOf<F>>;
      handle = await ctx.client.withDeadline(deadline(), () =>
        ctx.client.workflow.start<WorkflowOf<F>>(workflowType(flow), opts),
      );
    } else {
      const workflowId = keyedWorkflowId(ctx.jwtSecret, flowId(flow), options.idempotencyScope ?? 'local', key);
      const fingerprint = requestFingerprint(ctx.jwtSecret, options.request ?? input);
      handle = await ctx.client.withDeadline(deadline(), () =>
        startOrJoin(ctx.client, workflowId, fingerprint, (policies) =>
          ctx.client.workflow.start<WorkflowOf<F>>(workflowType(flow), {
            ...start,
            ...policies,
            workflowId,
            memo: { ...start.memo, ...policies.memo },
          } as WorkflowStartOptions<WorkflowOf<F>>),
        ),
      );
    }
    if (options.startOnly) return undefined as Flows[F]['result'];
    return await handle.result();
  } catch (err) {
    throw unwrapFailure(err);
  }
}
