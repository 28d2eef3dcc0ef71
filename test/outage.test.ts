// The fault suite's CI variant (npm run chaos runs the long one): a real PostgreSQL stopped while flows
// run and while their compensations run, for longer than the forward budget, then started again.
// Every flow must end completed or fully undone, and the runs must say so while they wait.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createActivities, type Activities } from '../activities';
import {
  acceptInvite,
  createInvites,
  createUserAccount,
  createUsers,
  removeUserAccount,
  refreshInviteTokens,
  deleteInvites,
  updateUsers,
  type UsermodClient,
} from '../client';
import { projectRoot } from '../config';
import { createDatabase } from '../devstack/postgres-admin';
import { freePort } from '../devstack/free-port';
import { migrate } from '../devstack/migrate';
import { startRestartablePostgres, type RestartablePostgres } from '../chaos/postgres';
import { compensationAlerts, renderMetrics, watchCompensations } from '../metrics';
import { createStore, type Store } from '../store';
import { createPrisma, type PrismaClient } from '../store/prisma';
import { bundleWorkflows, createWorker } from '../worker/worker';
import type { FlowPolicy } from '../domain';
import {
  sdkLog,
  sentMail,
  snapshot,
  testDataConverter,
  testDeps,
  testInviteTokens,
  testSealer,
  uniqueEmail,
} from './harness';

// Seconds, not minutes: the forward budget is a worker setting (workflows/policy.ts).
const POLICY: FlowPolicy = { forwardBudgetSeconds: 3, compensationAlertSeconds: 2, maxRetryIntervalSeconds: 1 };
const OUTAGE_MS = 10_000; // longer than the forward budget plus the alert time

let pg: RestartablePostgres;
let prisma: PrismaClient;
let store: Store;
let connection: Connection;
let native: NativeConnection;
let client: Client;
let worker: Worker;
let running: Promise<void>;
let ctx: UsermodClient;
let overrides: Partial<Activities> = {};
/** A worker of this file's activities on another task queue. */
let startWorker: (taskQueue: string) => Promise<Worker>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  pg = await startRestartablePostgres(await freePort());
  const url = await createDatabase(pg.adminUrl, 'usermod');
  await migrate(url, join(projectRoot, 'prisma', 'migrations'));
  prisma = createPrisma(url);
  store = createStore(prisma);
  connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  native = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  client = new Client({ connection, namespace: 'default', dataConverter: testDataConverter });
  const real = createActivities(testDeps(store));
  // The real activities on this test's database; a test replaces some of them while it runs.
  type Fn = (...a: unknown[]) => Promise<unknown>;
  const fn = (name: string) => (overrides as Record<string, Fn>)[name] ?? (real as unknown as Record<string, Fn>)[name];
  const activities = Object.fromEntries(
    Object.keys(real).map((name) => [name, (...args: unknown[]) => fn(name)(...args)]),
  ) as unknown as Activities;
  const taskQueue = `outage-${randomUUID()}`;
  const workflowBundle = await bundleWorkflows(POLICY);
  startWorker = (queue) =>
    createWorker({
      connection: native,
      namespace: 'default',
      taskQueue: queue,
      activities,
      workflowBundle,
      dataConverter: testDataConverter,
    });
  worker = await startWorker(taskQueue);
  running = worker.run();
  ctx = { client, taskQueue, jwtSecret: testInviteTokens.secret, seal: testSealer };
  watchCompensations(client);
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await native?.close();
  await connection?.close();
  await prisma?.$disconnect();
  await pg?.destroy();
});

afterEach(async () => {
  overrides = {};
  if (!pg.running) await pg.start();
});

/**
 * Every message and stack of a failure chain as Temporal keeps it in history (the causes of the client's
 * WorkflowFailedError): no host:port, no paths, no Prisma excerpt.
 */
function messages(err: unknown): string[] {
  const out: string[] = [];
  for (let e: unknown = (err as Error).cause; e instanceof Error; e = e.cause) out.push(e.message, e.stack ?? '');
  return out;
}

const settle = <T>(p: Promise<T>) =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

async function compensatingRuns(): Promise<number> {
  const { count } = await client.workflow.count(
    `UsermodCompensating = true AND ExecutionStatus = "Running" AND TaskQueue = "${ctx.taskQueue}"`,
  );
  return count;
}

test('the database stops after the first steps and stays away through the compensations: every flow ends fully undone', async () => {
  // What the flows start from, made while the database is up.
  const [toAccept1, toAccept2, toResend, toRevoke] = await createInvites(
    ctx,
    [uniqueEmail('a1'), uniqueEmail('a2'), uniqueEmail('rs'), uniqueEmail('rv')].map((email) => ({ email })),
  );
  const [toUpdate] = await createUsers(ctx, [{ email: uniqueEmail('upd'), first_name: 'Before' }]);
  const { user: toRemove } = await createUserAccount(ctx, { email: uniqueEmail('rm'), password: PASSWORD });
  const before = await snapshot(prisma);
  sdkLog(/compensation still failing/, { expect: true });

  // The first flow to reach its last step stops the database: every flow is then either inside a
  // step (its retries outlive the forward budget) or undoing with the database away. A flow whose
  // events go with its rows (the outbox, store/outbox.ts) has that step as its last.
  let stopped: Promise<void> | undefined;
  const real = createActivities(testDeps(store));
  overrides.recordEvents = async (events) => {
    stopped ??= pg.stop();
    await stopped;
    return real.recordEvents(events);
  };
  overrides.createUsersWithEvents = async (users, events) => {
    stopped ??= pg.stop();
    await stopped;
    return real.createUsersWithEvents(users, events);
  };
  overrides.createInvitesFromDrafts = async (invites, events) => {
    stopped ??= pg.stop();
    await stopped;
    return real.createInvitesFromDrafts(invites, events);
  };
  const flows = [
    acceptInvite(ctx, { token: toAccept1.token, password: PASSWORD }),
    acceptInvite(ctx, { token: toAccept2.token, password: PASSWORD }),
    createUsers(ctx, [{ email: uniqueEmail('new') }, { email: uniqueEmail('new') }]),
    createUserAccount(ctx, { email: uniqueEmail('acct'), password: PASSWORD }),
    createInvites(ctx, [{ email: uniqueEmail('inv') }]),
    updateUsers(ctx, [{ id: toUpdate.id, first_name: 'After' }]),
    removeUserAccount(ctx, toRemove.id),
    refreshInviteTokens(ctx, [toResend.id]),
    deleteInvites(ctx, [toRevoke.id]),
  ].map((p) => settle<unknown>(p));

  // While the database is away, the runs whose undo keeps failing say so, and /metrics shows them.
  const deadline = Date.now() + OUTAGE_MS;
  while (!stopped && Date.now() < deadline) await sleep(100);
  expect(stopped).toBeDefined();
  await stopped;
  const outageStart = Date.now();
  let flagged = 0;
  let memo: Record<string, unknown> | undefined;
  while (Date.now() - outageStart < OUTAGE_MS) {
    flagged = Math.max(flagged, await compensatingRuns());
    if (flagged && !memo) {
      const [run] = await collect(
        client.workflow.list({ query: `UsermodCompensating = true AND TaskQueue = "${ctx.taskQueue}"` }),
      );
      if (run) memo = (await client.workflow.getHandle(run.workflowId, run.runId).describe()).memo;
    }
    await sleep(500);
  }
  expect(memo?.compensation).toMatch(/^".+" not done since .+; retrying until it succeeds$/);
  expect(flagged).toBeGreaterThan(0);
  // ...and each logs one ERROR line naming its run.
  const alerts = sdkLog(/compensation still failing/).filter((e) => e.meta?.taskQueue === ctx.taskQueue);
  expect(alerts.length).toBeGreaterThan(0);
  expect(alerts[0].meta).toMatchObject({
    runId: expect.any(String),
    workflowId: expect.any(String),
    compensation: expect.any(String),
  });
  expect(alerts[0].level).toBe('ERROR');
  expect((await compensationAlerts.get()).values.reduce((n, v) => n + v.value, 0)).toBeGreaterThan(0);
  expect(await renderMetrics()).toMatch(/^usermod_compensations_retrying [1-9]/m);
  await pg.start();

  const results = await Promise.all(flows);
  for (const r of results) {
    expect(r.ok).toBe(false);
    const err = (r as { error: unknown }).error;
    expect(err).toBeInstanceOf(WorkflowFailedError);
    for (const m of messages(err)) {
      expect(m).not.toMatch(/\d+\.\d+\.\d+\.\d+:\d+|localhost:\d+|\.ts:\d+|Invalid `prisma/);
    }
  }
  // Nothing half done: the database is exactly as before, and no run is left flagged.
  expect(await snapshot(prisma)).toEqual(before);
  const flaggedAfter = await client.workflow.count(`UsermodCompensating = true AND TaskQueue = "${ctx.taskQueue}"`);
  expect(flaggedAfter.count).toBe(0);
});

test('past the commit point nothing fails the flow: a bounced invite is marked failed once the database is back', async () => {
  const email = uniqueEmail('bounce');
  overrides.sendInvite = async () => {
    await pg.stop();
    throw ApplicationFailure.create({ type: 'delivery_permanent', message: 'mailbox unavailable', nonRetryable: true });
  };
  const created = settle<Awaited<ReturnType<typeof createInvites>>>(createInvites(ctx, [{ email }]));
  await sleep((POLICY.forwardBudgetSeconds + 3) * 1000);
  await pg.start();
  const r = await created;
  expect(r.ok).toBe(true);
  if (!r.ok) throw r.error;
  const [invite] = r.value;
  expect(await store.retrieveInvite(invite.id)).toMatchObject({ email, delivery_status: 'failed' });
  const failedEvents = (await store.listEvents({ name: 'invite.delivery_failed' })).filter(
    (e) => e.payload.id === invite.id,
  );
  expect(failedEvents).toHaveLength(1);
  expect((await store.listEvents({ name: 'invite.created' })).filter((e) => e.payload.id === invite.id)).toHaveLength(
    1,
  );
});

test('a mail sent just as the database goes away is sent once, and the invite is marked sent once it is back', async () => {
  const email = uniqueEmail('sent');
  const real = createActivities(testDeps(store));
  let sends = 0;
  // The mail goes out, then marking it sent fails (the database is away): sendInvite must not fail for
  // that (its retry would mail again); the flow marks the invite itself, retried until the database is back.
  overrides.sendInvite = async (claims, to) => {
    sends++;
    await pg.stop();
    return real.sendInvite(claims, to);
  };
  const created = settle<Awaited<ReturnType<typeof createInvites>>>(createInvites(ctx, [{ email }]));
  await sleep(3000);
  await pg.start();
  const r = await created;
  expect(r.ok).toBe(true);
  if (!r.ok) throw r.error;
  expect(sends).toBe(1);
  expect(await store.retrieveInvite(r.value[0].id)).toMatchObject({ email, delivery_status: 'sent' });
});

test('a data error (a NUL byte) fails at once, in one attempt, with a clean message', async () => {
  const before = await snapshot(prisma);
  const r = await settle(createUsers(ctx, [{ email: uniqueEmail('nul'), first_name: 'a\u0000b' }]));
  expect(r.ok).toBe(false);
  expect((r as { error: unknown }).error).toMatchObject({
    type: 'invalid_data',
    message: 'The database refused the data (22021): invalid byte sequence for encoding "UTF8": 0x00',
  });
  expect(await snapshot(prisma)).toEqual(before);
});

test('a cancelled flow (Temporal cancel, as from the UI or CLI) is undone like a failed one and ends cancelled', async () => {
  const { user } = await createUserAccount(ctx, { email: uniqueEmail('cancel'), password: PASSWORD });
  const before = await snapshot(prisma);
  // The cancel arrives while the second step (the logins) runs; the flow waits for it, then undoes both.
  const cancelled = await cancelWhileStepRuns('deleteAuthIdentities', 'removeUserAccountWorkflow', () =>
    removeUserAccount(ctx, user.id),
  );
  await expectCancelledAndUndone(cancelled, before);
});

test('an accept cancelled while its one step commits completes: past its commit point, the account stands', async () => {
  const [invite] = await createInvites(ctx, [{ email: uniqueEmail('cancel-accept') }]);
  const { run, result: r } = await cancelWhileStepRuns('acceptInviteOnce', 'acceptInviteWorkflow', () =>
    acceptInvite(ctx, { token: invite.token, password: PASSWORD }),
  );
  // The write committed, and its undo record was forgotten, in the one workflow task the cancel then
  // failed; the task ran again, found the accept committed, and completed: the caller is told what holds.
  expect(r.ok).toBe(true);
  const { user } = (r as { value: { user: { id: string } } }).value;
  expect(await prisma.invite.findUnique({ where: { id: invite.id } })).toMatchObject({
    accepted: true,
    accepted_by: run.workflowId,
  });
  expect(await prisma.user.findMany({ where: { email: invite.email } })).toEqual([
    expect.objectContaining({ id: user.id }),
  ]);
  expect(await prisma.undoRecord.count()).toBe(0);
  expect((await client.workflow.getHandle(run.workflowId).describe()).status.name).toBe('COMPLETED');
});

test('an accept cancelled before its step commits is undone and ends cancelled', async () => {
  const [invite] = await createInvites(ctx, [{ email: uniqueEmail('cancel-accept-early') }]);
  const before = await snapshot(prisma);
  // Its one task sees the cancel from the start, its write runs, finds no earlier attempt's, and is
  // undone from its undo record.
  const cancelled = await cancelBeforeFirstTask('acceptInviteWorkflow', (c) =>
    acceptInvite(c, { token: invite.token, password: PASSWORD }),
  );
  await expectCancelledAndUndone(cancelled, before);
});

test('a createUsers cancelled while its local step commits is undone after the commit and ends cancelled', async () => {
  const before = await snapshot(prisma);
  const cancelled = await cancelWhileStepRuns('createUsersWithEvents', 'createUsersWorkflow', () =>
    createUsers(ctx, [{ email: uniqueEmail('cancel-users') }]),
  );
  await expectCancelledAndUndone(cancelled, before);
});

test('a create cancelled while its step commits completes: past its commit point, the invite stands, mailed once', async () => {
  const email = uniqueEmail('cancel-create');
  const { run, result: r } = await cancelWhileStepRuns('createInvitesFromDrafts', 'createInvitesWorkflow', () =>
    createInvites(ctx, [{ email }]),
  );
  // The step committed and the mail went out in the same workflow task, which the cancel then failed; the
  // task ran again, found the invite committed and already sent, and completed (an answer of "cancelled"
  // with the invite kept and mailed would be a lie; undoing it would leave a mail with a dead link).
  expect(r.ok).toBe(true);
  const [invite] = (r as { value: { id: string }[] }).value;
  expect(await store.retrieveInvite(invite.id)).toMatchObject({ email, delivery_status: 'sent' });
  expect(sentMail.filter((m) => m.to === email)).toHaveLength(1);
  expect((await client.workflow.getHandle(run.workflowId).describe()).status.name).toBe('COMPLETED');
});

test('a create cancelled before its step commits is undone and ends cancelled, nothing mailed', async () => {
  const before = await snapshot(prisma);
  const email = uniqueEmail('cancel-early');
  // Its one task sees the cancel from the start. The step still runs (its write and the check of a
  // cancel are one unit), finds nothing an earlier attempt committed, and is undone.
  const cancelled = await cancelBeforeFirstTask('createInvitesWorkflow', (c) => createInvites(c, [{ email }]));
  await expectCancelledAndUndone(cancelled, before);
  expect(sentMail.filter((m) => m.to === email)).toEqual([]);
});

/**
 * Starts a flow whose step `step` waits 1.5 s before it runs, and cancels the flow while it waits (as the
 * Web UI or the CLI would): the step then runs, and commits, after the cancel arrived.
 */
async function cancelWhileStepRuns<T>(step: keyof Activities, workflowType: string, start: () => Promise<T>) {
  const real = createActivities(testDeps(store)) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  let reached!: () => void;
  const atStep = new Promise<void>((r) => (reached = r));
  (overrides as Record<string, unknown>)[step] = async (...args: unknown[]) => {
    reached();
    await sleep(1500);
    return real[step](...args);
  };
  const result = settle(start());
  await atStep;
  const run = await cancelRunning(workflowType);
  return { run, result: await result };
}

/**
 * Starts a flow on a task queue no worker polls yet and cancels it there (as the Web UI or the CLI
 * would), then lets a worker take it: its first workflow task sees the cancel from the start.
 */
async function cancelBeforeFirstTask<T>(workflowType: string, start: (ctx: UsermodClient) => Promise<T>) {
  const idle = { ...ctx, taskQueue: `outage-idle-${randomUUID()}` };
  const started = settle(start(idle));
  const run = await cancelRunning(workflowType, idle.taskQueue);
  const late = await startWorker(idle.taskQueue);
  return { run, result: await late.runUntil(started) };
}

/** The run ended cancelled, its caller was told so, and nothing of it is left (nor commits later). */
async function expectCancelledAndUndone(
  { run, result }: { run: { workflowId: string }; result: { ok: boolean } },
  before: Awaited<ReturnType<typeof snapshot>>,
) {
  await sleep(500);
  expect(result.ok).toBe(false);
  expect((result as { error?: WorkflowFailedError }).error?.cause).toBeInstanceOf(CancelledFailure);
  expect((await client.workflow.getHandle(run.workflowId).describe()).status.name).toBe('CANCELLED');
  expect(await snapshot(prisma)).toEqual(before);
}

/** Cancels the one running run of the workflow type on the queue, as the Web UI or the CLI would; returns it. */
async function cancelRunning(workflowType: string, taskQueue = ctx.taskQueue) {
  const query = `TaskQueue = "${taskQueue}" AND WorkflowType = "${workflowType}" AND ExecutionStatus = "Running"`;
  // Visibility follows a start by a moment.
  let [run] = await collect(client.workflow.list({ query }));
  for (let i = 0; !run && i < 100; i++) [run] = (await sleep(100), await collect(client.workflow.list({ query })));
  await client.workflow.getHandle(run.workflowId).cancel();
  return run;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
