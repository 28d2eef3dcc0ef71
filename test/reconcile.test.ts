import { randomUUID } from 'node:crypto';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import { createActivities, type Activities } from '../activities';
import { acceptInvite, createInvites, createUsers, refreshInviteTokens, type UsermodClient } from '../client';
import type { ReconcileResult } from '../domain';
import { openHarness, sentMail, snapshot, testDeps, uniqueEmail, type Harness } from './harness';

let h: Harness;
let real: Activities;
beforeAll(async () => {
  h = await openHarness();
  // The reconciler's activities need the worker's Temporal client.
  real = createActivities(testDeps(h.store, { temporal: h.client }));
});
afterAll(() => h.close());

const PASSWORD = 'correct horse battery';
const reconcilerActivities = () => ({
  findLeftovers: real.findLeftovers,
  compensateClosedRun: real.compensateClosedRun,
  recordRepair: real.recordRepair,
});

function reconcile(ctx: UsermodClient, dryRun: boolean): Promise<ReconcileResult> {
  return ctx.client.workflow.execute('reconcileWorkflow', {
    taskQueue: ctx.taskQueue,
    workflowId: `reconcile-${randomUUID()}`,
    args: [{ dryRun, graceSeconds: 0 }],
  });
}

type HeldStep = 'refreshInviteTokens' | 'acceptInviteOnce' | 'createUsersWithEvents' | 'createInvitesFromDrafts';

/** A step `name` that commits, then waits until released; then it answers, or fails (its commit stays). */
function holdAfter(name: HeldStep, then: 'answer' | 'fail' = 'fail') {
  let reach!: () => void;
  const reached = new Promise<void>((r) => (reach = r));
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const overrides: Partial<Activities> = {
    [name]: async (...args: unknown[]) => {
      const out = await (real[name] as (...a: unknown[]) => Promise<unknown>)(...args);
      reach();
      await released;
      if (then === 'answer') return out;
      throw ApplicationFailure.nonRetryable('released after the write', 'injected');
    },
  };
  return { overrides, reached, release };
}

/**
 * Starts a flow and, while its step `name` holds after committing, terminates its run as an operator
 * would (no compensation runs; what the step wrote stays): the run's workflow id.
 */
async function terminatedWhileHeld(
  workflowType: string,
  name: HeldStep,
  start: (ctx: UsermodClient) => Promise<unknown>,
  then: 'answer' | 'fail' = 'fail',
): Promise<string> {
  const hold = holdAfter(name, then);
  return h.withWorker(async (ctx) => {
    void start(ctx).catch(() => undefined);
    await hold.reached;
    const id = await runningOf(ctx, workflowType);
    await ctx.client.workflow.getHandle(id).terminate('operator');
    hold.release();
    return id;
  }, hold.overrides);
}

/** A reconciler run repairs this terminated run: reset, cancelled, undone by its own saga. */
async function reconcileAndExpectUndone(workflowId: string) {
  await h.withWorker(async (ctx) => {
    const done = await reconcile(ctx, false);
    expect(done.runs).toEqual([expect.objectContaining({ workflowId, resetRunId: expect.any(String) })]);
    // The reset run replays the terminated one, is cancelled, and undoes every step it had registered.
    const err = await ctx.client.workflow
      .getHandle(workflowId, done.runs[0].resetRunId!)
      .result()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
  }, reconcilerActivities());
}

async function runningOf(ctx: UsermodClient, workflowType: string): Promise<string> {
  for await (const w of ctx.client.workflow.list({
    query: `TaskQueue = "${ctx.taskQueue}" AND WorkflowType = "${workflowType}" AND ExecutionStatus = "Running"`,
  })) {
    return w.workflowId;
  }
  throw new Error(`no running ${workflowType}`);
}

test("a terminated resend's leftovers are undone through its own compensations; a dry run only reports; a second run finds nothing", async () => {
  const [invite] = await h.withWorker((ctx) => createInvites(ctx, [{ email: uniqueEmail('term') }]));
  const before = await snapshot(h.prisma);

  const workflowId = await terminatedWhileHeld('refreshInviteTokensWorkflow', 'refreshInviteTokens', (ctx) =>
    refreshInviteTokens(ctx, [invite.id]),
  );
  const changed = await h.prisma.invite.findUniqueOrThrow({ where: { id: invite.id } });
  expect(changed.token_hash).not.toBe(before.invites.find((i) => i.id === invite.id)!.token_hash);

  const dry = await h.withWorker((ctx) => reconcile(ctx, true), reconcilerActivities());
  expect(dry.runs).toEqual([expect.objectContaining({ workflowId, workflowType: 'refreshInviteTokensWorkflow' })]);
  expect(await h.store.listEvents({ name: 'reconciler.run_compensated' })).toEqual([]);

  await reconcileAndExpectUndone(workflowId);

  const after = await snapshot(h.prisma);
  const repairs = after.events.filter((e) => e.name === 'reconciler.run_compensated');
  expect(repairs).toHaveLength(1);
  expect(repairs[0].payload).toMatchObject({ workflow_id: workflowId, flow: 'refreshInviteTokensWorkflow' });
  expect({ ...after, events: after.events.filter((e) => e.name !== 'reconciler.run_compensated') }).toEqual(before);

  const again = await h.withWorker((ctx) => reconcile(ctx, false), reconcilerActivities());
  expect(again).toMatchObject({ runs: [], claims: [] });
});

test('an accept terminated inside its one workflow task, its write committed, is finished by the reconciler: past its commit point, the account stands', async () => {
  const [invite] = await h.withWorker((ctx) => createInvites(ctx, [{ email: uniqueEmail('term-accept') }]));
  // Terminated while its only task runs: the accept and its undo record are committed, no task completed.
  const workflowId = await terminatedWhileHeld('acceptInviteWorkflow', 'acceptInviteOnce', (ctx) =>
    acceptInvite(ctx, { token: invite.token, password: PASSWORD }),
  );
  expect(await h.prisma.undoRecord.count()).toBe(1);

  await h.withWorker(async (ctx) => {
    const done = await reconcile(ctx, false);
    expect(done.runs).toEqual([expect.objectContaining({ workflowId, resetRunId: expect.any(String) })]);
    // The reset run re-runs the task, finds the accept committed, completes, and forgets the undo record.
    const { user } = await ctx.client.workflow.getHandle(workflowId, done.runs[0].resetRunId!).result();
    expect(user).toMatchObject({ email: invite.email });
  }, reconcilerActivities());
  expect(await h.store.retrieveInvite(invite.id)).toMatchObject({ accepted: true });
  expect(await h.prisma.user.count({ where: { email: invite.email } })).toBe(1);
  expect(await h.prisma.undoRecord.count()).toBe(0);
  const again = await h.withWorker((ctx) => reconcile(ctx, false), reconcilerActivities());
  expect(again.runs).toEqual([]);
});

test('a createUsers terminated inside its one workflow task, its local step committed, is undone by the reconciler', async () => {
  const before = await snapshot(h.prisma);
  const email = uniqueEmail('term-users');
  // Terminated while its only task runs: the user is committed, no task has completed.
  const workflowId = await terminatedWhileHeld(
    'createUsersWorkflow',
    'createUsersWithEvents',
    (ctx) => createUsers(ctx, [{ email }]),
    'answer',
  );
  expect(await h.prisma.user.count({ where: { email } })).toBe(1);

  await reconcileAndExpectUndone(workflowId);

  const after = await snapshot(h.prisma);
  const repairs = after.events.filter((e) => !before.events.some((b) => b.id === e.id));
  expect(repairs).toEqual([expect.objectContaining({ name: 'reconciler.run_compensated' })]);
  expect({ ...after, events: after.events.filter((e) => !repairs.includes(e)) }).toEqual(before);
});

test('a createInvites terminated inside its one workflow task, its invite committed, is finished by the reconciler: past its commit point, the invite stands and is mailed once', async () => {
  const email = uniqueEmail('term-invite');
  // Terminated while its only task runs: the invite is committed, no task has completed.
  const workflowId = await terminatedWhileHeld(
    'createInvitesWorkflow',
    'createInvitesFromDrafts',
    (ctx) => createInvites(ctx, [{ email }]),
    'answer',
  );
  const [invite] = await h.store.listInvites({ email });
  expect(invite).toBeDefined();

  await h.withWorker(async (ctx) => {
    const done = await reconcile(ctx, false);
    expect(done.runs).toEqual([expect.objectContaining({ workflowId, resetRunId: expect.any(String) })]);
    // The reset run re-runs the task, finds the invite its terminated run committed, and completes.
    const result = await ctx.client.workflow.getHandle(workflowId, done.runs[0].resetRunId!).result();
    expect(result.invites).toEqual([expect.objectContaining({ id: invite.id, email })]);
  }, reconcilerActivities());
  expect(await h.store.retrieveInvite(invite.id)).toMatchObject({ email, delivery_status: 'sent' });
  expect(sentMail.filter((m) => m.to === email)).toHaveLength(1);
  const again = await h.withWorker((ctx) => reconcile(ctx, false), reconcilerActivities());
  expect(again.runs).toEqual([]);
});

test('an invite claimed by an accept that failed without undoing is released, with its user and login; a running accept is left alone', async () => {
  const [orphaned, inFlight] = await h.withWorker((ctx) =>
    createInvites(ctx, [{ email: uniqueEmail('orph') }, { email: uniqueEmail('busy') }]),
  );
  const before = await snapshot(h.prisma);

  // An accept of the earlier shape (one step per write) that failed after its claim, login and user, and
  // whose compensations did nothing (as when they used to give up): claim, login and user stay, unlinked.
  const noUndo = async () => undefined;
  await h.withWorker((ctx) => acceptInvite(ctx, { token: orphaned.token, password: PASSWORD }).catch(() => undefined), {
    acceptInviteOnce: async (input) => {
      await real.claimInviteForAccept(input.inviteId, input.tokenHash, input.run);
      if ('registered' in input.identity) throw new Error('the fixture accepts with a password');
      await real.createEmailpassIdentity({ ...input.identity, email: orphaned.email });
      await real.createUsers([{ id: input.user.id, email: orphaned.email }]);
      throw ApplicationFailure.nonRetryable('injected failure at link', 'injected');
    },
    undoAcceptInviteOnce: noUndo,
  });
  expect(await h.store.retrieveInvite(orphaned.id)).toMatchObject({ accepted: true });

  // The reconciler runs while another accept is in flight, its write committed, its answer not given.
  const hold = holdAfter('acceptInviteOnce');
  const { result, inFlightClaim } = await h.withWorker(
    async (ctx) => {
      const outcome = acceptInvite(ctx, { token: inFlight.token, password: PASSWORD }).catch(() => undefined);
      await hold.reached;
      const r = await reconcile(ctx, false);
      const claim = await h.store.retrieveInvite(inFlight.id);
      hold.release();
      await outcome;
      return { result: r, inFlightClaim: claim };
    },
    { ...reconcilerActivities(), ...hold.overrides },
  );
  expect(result.claims).toEqual([
    expect.objectContaining({
      inviteId: orphaned.id,
      deletedUsers: [expect.any(String)],
      deletedLogins: [expect.any(String)],
    }),
  ]);
  expect(inFlightClaim).toMatchObject({ accepted: true }); // the running accept's claim was not touched

  // The orphan is as it was before its accept (its updated_at aside: the claim's previous one is unknown).
  const after = await snapshot(h.prisma);
  const row = (s: typeof before) => ({ ...s.invites.find((i) => i.id === orphaned.id), updated_at: undefined });
  expect(row(after)).toEqual(row(before));
  expect(after.users.filter((u) => u.email === orphaned.email)).toEqual([]);
  expect(after.providerIdentities.filter((p) => p.entity_id === orphaned.email)).toEqual([]);
  expect(after.events.filter((e) => e.name === 'reconciler.claim_released')).toEqual([
    expect.objectContaining({
      payload: expect.objectContaining({ invite_id: orphaned.id, accept_run_status: 'FAILED' }),
    }),
  ]);
  // The in-flight accept, once it failed on its own, undid itself: nothing of it is left either.
  expect(after.invites.find((i) => i.id === inFlight.id)).toMatchObject({ accepted: false });
});
