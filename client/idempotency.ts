import { createHmac, hkdfSync } from 'node:crypto';
import {
  isGrpcServiceError,
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { conflict, isErrorType, UsermodError } from '../domain';

/*
 * Idempotency keys that belong to one caller and one request (Stripe's rule).
 *
 * - The key is scoped: the workflow id is `<flow>-k<sha256(scope, key)>`, where the scope names the
 *   route and the caller (the authenticated identity, or on unauthenticated routes a proof only the
 *   caller has, e.g. the invite token's HMAC). Another caller's same key is another workflow.
 * - The request is fingerprinted (an HMAC of params, query and body, passwords included, under a key
 *   derived from JWT_SECRET) into the run's memo, which the payload codec encrypts. A reused key
 *   with a different request answers 422 and starts nothing.
 * - A key whose run completed returns that result; one whose run failed with a business error
 *   returns that error. A run that failed for an infrastructure reason was fully undone by its saga,
 *   so the same key starts it again (the caller was told 503: retry). A cancelled or timed-out run
 *   likewise. A terminated run may have left work half done (the reconciler's job): 409, new key.
 * - Records live as long as Temporal keeps closed runs (the namespace retention, 24 h on the dev
 *   server), like Stripe's 24 h.
 */

export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{1,200}$/;

export class IdempotencyMismatch extends UsermodError {
  constructor() {
    super('duplicate_error', 'Idempotency key reused with a different request');
  }
}

const hmacKey = (secret: string, purpose: string) => Buffer.from(hkdfSync('sha256', secret, 'usermod', purpose, 32));

/**
 * The workflow id an idempotency key becomes: `<flow>-k<HMAC(scope, key)>`. Keyed, because a scope may
 * name an e-mail or a token (unauthenticated routes): the id shows neither, nor lets them be guessed.
 */
export function keyedWorkflowId(secret: string, flow: string, scope: string, key: string): string {
  const mac = createHmac('sha256', hmacKey(secret, 'idempotency scope')).update(`${scope}\u0000${key}`).digest('hex');
  return `${flow}-k${mac.slice(0, 40)}`;
}

/** HMAC of a request (or a flow input), under a key derived from the JWT secret (never the secret itself). */
export function requestFingerprint(secret: string, request: unknown): string {
  return createHmac('sha256', hmacKey(secret, 'idempotency request fingerprint'))
    .update(canonicalJson(request))
    .digest('base64url');
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are the same request. */
export function canonicalJson(v: unknown): string {
  if (v === undefined) return 'null';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
}

/** A failure the caller caused (the domain's error types): final, the same answer on every replay. */
export const isBusinessFailure = (err: unknown): boolean =>
  err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure && isErrorType(err.cause.type);

/**
 * Start the keyed run, or find the one the key already has, and check that it was made for this very
 * request. Returns the handle whose result answers the caller.
 */
export async function startOrJoin<H extends WorkflowHandle>(
  client: Client,
  workflowId: string,
  fingerprint: string,
  start: (policies: {
    workflowIdConflictPolicy: WorkflowIdConflictPolicy;
    workflowIdReusePolicy: WorkflowIdReusePolicy;
    memo: { request: string };
  }) => Promise<H>,
): Promise<H> {
  // Two rounds at most: find a run undone by an infrastructure failure, then start it again (a
  // concurrent retry of the same key joins that new run instead of starting a third).
  for (let round = 0; round < 3; round++) {
    const handle = await start({
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      workflowIdReusePolicy:
        round === 0 ? WorkflowIdReusePolicy.REJECT_DUPLICATE : WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      memo: { request: fingerprint },
    }).catch((err) => {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return client.workflow.getHandle(workflowId) as H;
      throw err;
    });
    const run = await handle.describe();
    if ((run.memo as { request?: unknown } | undefined)?.request !== fingerprint) throw new IdempotencyMismatch();
    switch (run.status.name) {
      case 'RUNNING':
      case 'COMPLETED':
      case 'CONTINUED_AS_NEW':
        return handle;
      case 'FAILED': {
        const failure = await handle.result().then(
          () => undefined,
          (err: unknown) => err,
        );
        if (failure === undefined || isBusinessFailure(failure)) return handle;
        continue; // undone by its saga: run it again
      }
      case 'CANCELLED':
      case 'TIMED_OUT':
        continue;
      default:
        // TERMINATED: stopped by an operator without compensating; not safe to run again blindly.
        throw conflict(
          'The request with this Idempotency-Key was stopped by an operator; send it again with a new key',
        );
    }
  }
  throw conflict('The request with this Idempotency-Key keeps failing; send it again later with a new key');
}

/** Temporal did not answer (down, restarting, or too slow): the caller should retry later. */
export function isTemporalUnavailable(err: unknown): boolean {
  const cause = err instanceof ServiceError ? err.cause : err;
  // gRPC status codes 14 UNAVAILABLE and 4 DEADLINE_EXCEEDED (@grpc/grpc-js is not ours to import).
  return isGrpcServiceError(cause) && (cause.code === 14 || cause.code === 4);
}
