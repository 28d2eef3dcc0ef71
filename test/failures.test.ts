// Pure: how an activity failure is classified and written (no stack, no paths, no host:port), and the
// worker's log line for a failed attempt.
import { ApplicationFailure } from '@temporalio/common';
import { Prisma } from '../store/prisma';
import { classifiedFailures, classify, scrub } from '../activities/failures';
import { invalidData } from '../domain';
import { errorLine } from '../infra/runtime';

const prismaError = (code: string, message: string, cause?: Record<string, unknown>) =>
  new Prisma.PrismaClientKnownRequestError(message, {
    code,
    clientVersion: '7',
    meta: cause ? { driverAdapterError: { name: 'DriverAdapterError', cause } } : undefined,
  });

const PRISMA_MESSAGE = [
  '',
  'Invalid `prisma.user.findFirst()` invocation in',
  '/srv/usermod/store/users.ts:94:39',
  '',
  '  93 }',
  '→ 94 const taken = await prisma.user.findFirst(',
  "Can't reach database server at 10.1.2.3:5432",
].join('\n');

test('an unreachable database is transient: retried, one line, no host:port, no source excerpt', () => {
  const c = classify(
    prismaError('P1001', PRISMA_MESSAGE, { kind: 'DatabaseNotReachable', host: '10.1.2.3', port: 5432 }),
  );
  expect(c).toEqual({
    kind: 'transient',
    type: 'database_unavailable',
    message: 'database unavailable (P1001 DatabaseNotReachable)',
  });
  expect(scrub(PRISMA_MESSAGE)).toBe("Can't reach database server at <host>");
});

test('PostgreSQL data errors (class 22, 23) fail at once as invalid_data; shutdown and deadlocks are transient', () => {
  const nul = prismaError('P2039', PRISMA_MESSAGE, {
    originalCode: '22021',
    originalMessage: 'invalid byte sequence for encoding "UTF8": 0x00',
  });
  expect(classify(nul)).toMatchObject({
    kind: 'data',
    type: 'invalid_data',
    message: 'The database refused the data (22021): invalid byte sequence for encoding "UTF8": 0x00',
  });
  expect(
    classify(prismaError('P2002', 'x', { originalCode: '23505', originalMessage: 'duplicate key' })),
  ).toMatchObject({ kind: 'data' });
  expect(
    classify(
      prismaError('P2010', 'x', {
        originalCode: '57P01',
        originalMessage: 'terminating connection due to administrator command',
      }),
    ),
  ).toMatchObject({ kind: 'transient' });
  expect(classify(prismaError('P2034', 'write conflict'))).toMatchObject({ kind: 'transient' });
  expect(
    classify(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })),
  ).toMatchObject({ kind: 'transient', message: 'connection error (ECONNREFUSED)' });
  expect(classify(invalidData('bad'))).toEqual({ kind: 'business', type: 'invalid_data', message: 'bad' });
  expect(classify(new TypeError('x is not a function'))).toMatchObject({ kind: 'internal', type: 'TypeError' });
});

test('the wrapped activity throws an ApplicationFailure Temporal can act on, without a stack', async () => {
  const failing = classifiedFailures('createUsers', async () => {
    throw prismaError('P2039', PRISMA_MESSAGE, { originalCode: '22021', originalMessage: 'invalid byte sequence' });
  });
  const err = (await failing().catch((e: unknown) => e)) as ApplicationFailure;
  expect(err).toBeInstanceOf(ApplicationFailure);
  expect(err).toMatchObject({ type: 'invalid_data', nonRetryable: true });
  expect(err.stack).toBe(`invalid_data: ${err.message}`);
  const down = (await classifiedFailures('deleteUsers', async () => {
    throw prismaError('P1001', PRISMA_MESSAGE, { kind: 'DatabaseNotReachable' });
  })().catch((e: unknown) => e)) as ApplicationFailure;
  expect(down).toMatchObject({ type: 'database_unavailable', nonRetryable: false });
});

test("a failed attempt's error is one line in the worker log", () => {
  const failure = ApplicationFailure.create({ type: 'database_unavailable', message: 'database unavailable (P1001)' });
  expect(errorLine(failure)).toBe('database_unavailable: database unavailable (P1001)');
  expect(errorLine(new Error('first line\n  at x (/a/b.ts:1:2)'))).toBe('Error: first line');
});
