import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { UsermodError } from '../domain';
import { Prisma } from '../store/prisma';
import { activityFailures } from '../metrics/registry';

/**
 * What a failed activity attempt means for its retry policy:
 * - `business`: the store refused (not found, duplicate...): the same answer every time, not retried.
 * - `data`: the database refused a value (PostgreSQL class 22/23, a NUL byte, a too-long value, an
 *   unexpected constraint): not retried either, so a bad request fails in milliseconds, not minutes.
 * - `transient`: the database is unreachable, restarting, overloaded, or aborted the transaction:
 *   retried with backoff.
 * - `internal`: anything else (a bug): retried, like Temporal does by default.
 */
export type FailureKind = 'business' | 'data' | 'transient' | 'internal';

// PostgreSQL SQLSTATE classes (https://www.postgresql.org/docs/current/errcodes-appendix.html).
const TRANSIENT_CLASSES = ['08', '40', '53', '55', '57', '58'];
// Prisma codes that come from a connection or a transaction that may well work on a second try.
const TRANSIENT_PRISMA = new Set(['P2024', 'P2028', 'P2034']);

interface AdapterCause {
  kind?: string;
  code?: string;
  originalCode?: string;
  originalMessage?: string;
  message?: string;
  constraint?: { index?: string };
}

const adapterCause = (err: Prisma.PrismaClientKnownRequestError): AdapterCause | undefined =>
  (err.meta as { driverAdapterError?: { cause?: AdapterCause } } | undefined)?.driverAdapterError?.cause;

/**
 * One line of an error message without what must not leave the worker (failure messages are kept in
 * history): host:port pairs, file paths, and the source excerpt Prisma puts in front of its message.
 */
export function scrub(text: string): string {
  return text
    .replace(/(?:[A-Za-z]:)?(?:[\\/][\w.@-]+)+\.(?:[cm]?[jt]s)(?::\d+){0,2}/g, '<file>')
    .replace(/\b(?:\d{1,3}\.){3}\d{1,3}:\d+\b/g, '<host>')
    .replace(/\b(?:localhost|[a-z0-9-]+(?:\.[a-z0-9-]+)+):\d{2,5}\b/gi, '<host>')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(?:→\s*)?\d+\s/.test(l) && !/^Invalid `/.test(l) && l !== '<file>')
    .join(' ')
    .slice(0, 300);
}

/** The kind of a failure and a one-line, secret-free message for it. */
export function classify(err: unknown): { kind: FailureKind; type: string; message: string } {
  if (err instanceof UsermodError) return { kind: 'business', type: err.type, message: err.message };
  if (err instanceof Prisma.PrismaClientKnownRequestError) {
    const cause = adapterCause(err);
    const sqlState = cause?.originalCode ?? (cause?.kind === 'postgres' ? cause.code : undefined);
    if (err.code.startsWith('P1') || cause?.kind === 'DatabaseNotReachable' || cause?.kind === 'ConnectionClosed') {
      return {
        kind: 'transient',
        type: 'database_unavailable',
        message: `database unavailable (${err.code}${cause?.kind ? ` ${cause.kind}` : ''})`,
      };
    }
    if (sqlState && TRANSIENT_CLASSES.includes(sqlState.slice(0, 2))) {
      return {
        kind: 'transient',
        type: 'database_unavailable',
        message: `database error ${sqlState}: ${scrub(cause?.originalMessage ?? cause?.message ?? '')}`,
      };
    }
    if (TRANSIENT_PRISMA.has(err.code))
      return { kind: 'transient', type: 'database_busy', message: `database busy (${err.code})` };
    const detail = cause?.originalMessage ?? cause?.message ?? scrub(err.message);
    return {
      kind: 'data',
      type: 'invalid_data',
      message: `The database refused the data (${sqlState ?? err.code}): ${scrub(detail)}`,
    };
  }
  if (err instanceof Prisma.PrismaClientValidationError) {
    // The query itself was malformed for this input (a bug or an unexpected value): retrying cannot help.
    return { kind: 'data', type: 'invalid_data', message: `The data could not be stored: ${scrub(err.message)}` };
  }
  if (
    err instanceof Prisma.PrismaClientUnknownRequestError ||
    err instanceof Prisma.PrismaClientInitializationError ||
    err instanceof Prisma.PrismaClientRustPanicError
  ) {
    return { kind: 'transient', type: 'database_unavailable', message: `database error: ${scrub(err.message)}` };
  }
  const e = err as { code?: string; message?: string; name?: string };
  if (typeof e?.code === 'string' && /^(ECONN|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN)/.test(e.code)) {
    return { kind: 'transient', type: 'database_unavailable', message: `connection error (${e.code})` };
  }
  if (
    /connection terminated|terminating connection|connection.*closed|timeout exceeded when trying to connect/i.test(
      e?.message ?? '',
    )
  ) {
    return { kind: 'transient', type: 'database_unavailable', message: `connection error: ${scrub(e.message!)}` };
  }
  return { kind: 'internal', type: e?.name ?? 'Error', message: scrub(e?.message ?? String(err)) };
}

/**
 * Wrap an activity so what it throws is an ApplicationFailure Temporal can act on: non-retryable for
 * business and data errors, retryable otherwise; always one line, without Prisma's source excerpts,
 * file paths or host:port (failure messages are kept in history), and without a stack.
 */
export function classifiedFailures<F extends (...args: never[]) => Promise<unknown>>(name: string, fn: F): F {
  return (async (...args: Parameters<F>) => {
    try {
      return await fn(...args);
    } catch (err) {
      if (err instanceof ApplicationFailure) throw err; // already decided (e.g. a permanent delivery refusal)
      const { kind, type, message } = classify(err);
      activityFailures.inc({ activity: name, kind });
      const failure = ApplicationFailure.create({
        type,
        message,
        nonRetryable: kind === 'business' || kind === 'data',
        // An expected refusal is an answer, not an incident: the worker logs it at DEBUG only.
        category: kind === 'business' ? ApplicationFailureCategory.BENIGN : undefined,
      });
      failure.stack = `${type}: ${message}`;
      throw failure;
    }
  }) as F;
}
