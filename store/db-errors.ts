import { Prisma } from './prisma';

// How a database failure is answered depends on whose fault it is: a value PostgreSQL refuses will be
// refused again however often it is retried (a business error, at once), while a database that does
// not answer is worth retrying (an activity retries; the API says 503 with Retry-After).

type AdapterCause = { kind?: string; originalCode?: string; code?: string; originalMessage?: string; message?: string };

function adapterCause(err: unknown): AdapterCause | undefined {
  const meta = (err as { meta?: { driverAdapterError?: { cause?: AdapterCause } } } | undefined)?.meta;
  return meta?.driverAdapterError?.cause;
}

// Prisma's own codes for values that do not fit: too long, out of range, wrong format, not null...
const DATA_CODES = new Set([
  'P2000',
  'P2005',
  'P2006',
  'P2007',
  'P2011',
  'P2012',
  'P2019',
  'P2020',
  'P2023',
  'P2033',
  'P2039',
]);
// Prisma's codes for a database it cannot reach, or a pool that had no connection to give.
const UNREACHABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1011', 'P1017', 'P2024', 'P2037']);
const UNREACHABLE_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TransactionAlreadyClosed',
]);

/**
 * True when PostgreSQL refused the data itself: SQLSTATE class 22 (NUL characters, bad encoding,
 * values out of range, invalid JSON) or 23502 (a required value missing), or a value Prisma could not
 * even send (wrong type, JSON nested beyond what a stack holds).
 */
export function isDataError(err: unknown): boolean {
  if (err instanceof Prisma.PrismaClientValidationError) return true;
  if (err instanceof RangeError) return true; // "Maximum call stack size exceeded" serialising deep JSON
  if (!(err instanceof Prisma.PrismaClientKnownRequestError)) return false;
  const sqlState = adapterCause(err)?.originalCode;
  if (sqlState) return sqlState.startsWith('22') || sqlState === '23502';
  return DATA_CODES.has(err.code);
}

/** True when the database could not be reached or gave no connection in time (worth retrying later). */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (err instanceof Prisma.PrismaClientInitializationError) return true;
  if (err instanceof Prisma.PrismaClientRustPanicError) return false;
  if (err instanceof Prisma.PrismaClientKnownRequestError) {
    const kind = adapterCause(err)?.kind;
    return UNREACHABLE_CODES.has(err.code) || (kind !== undefined && UNREACHABLE_KINDS.has(kind));
  }
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return (
    code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT' || code === '57P01' || code === '57P03'
  );
}

/**
 * What a caller may be told about a refused value: PostgreSQL's reason (which never quotes the value,
 * e.g. `invalid byte sequence for encoding "UTF8": 0x00`), never Prisma's invocation text (which does).
 */
export function dataErrorMessage(err: unknown): string {
  const cause = adapterCause(err);
  const reason = cause?.originalMessage ?? cause?.message;
  return reason
    ? `Invalid data: the database refused a value (${reason.slice(0, 120)})`
    : 'Invalid data: a value has a type or form the database cannot store';
}
