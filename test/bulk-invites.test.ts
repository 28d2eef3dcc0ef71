// Bulk invites (workflows/bulk-invites.ts): many invites in one call, as batches of child runs, inside
// Temporal's limits, one saga for the whole call. Scaled down: 250 invites in batches of 100.
import { Context } from '@temporalio/activity';
import type { WorkflowExecutionInfo } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Activities } from '../activities';
import { acceptInvite, createInvites, importInvites } from '../client';
import { INVITE_IDS } from '../domain';
import { openHarness, sentMail, snapshot, uniqueEmail, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h.close());

const emails = (n: number, tag: string) => Array.from({ length: n }, (_, i) => uniqueEmail(`${tag}${i}`));

/** Runs matching a visibility query, once visibility has caught up with `count` of them. */
async function runsWhere(query: string, count: number) {
  for (let tries = 0; ; tries++) {
    const runs: WorkflowExecutionInfo[] = [];
    for await (const wf of h.client.workflow.list({ query })) runs.push(wf);
    if (runs.length >= count || tries > 50) return runs;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('250 invites in one call: all created, tokens usable, every mail sent once, histories and search attributes bounded', async () => {
  const list = emails(250, 'bulk');
  const sentBefore = sentMail.length;
  const invites = await h.withWorker((ctx) =>
    createInvites(
      ctx,
      list.map((email) => ({ email })),
      { batchSize: 100 },
    ),
  );

  expect(invites.map((i) => i.email)).toEqual(list);
  expect(new Set(invites.map((i) => i.id)).size).toBe(250);
  const rows = await h.prisma.invite.findMany({ where: { id: { in: invites.map((i) => i.id) } } });
  expect(rows).toHaveLength(250);
  expect(rows.every((r) => r.delivery_status === 'sent')).toBe(true);
  const created = await h.prisma.event.count({
    where: { name: 'invite.created', id: { in: invites.map((i) => `evt_created_${i.id}`) } },
  });
  expect(created).toBe(250);
  const mails = sentMail.slice(sentBefore);
  expect(mails.map((m) => m.to).sort()).toEqual([...list].sort());

  // The parent run and its 3 batches; the search attribute lists a bounded number of ids (≤ 2 KB).
  const [batch1] = await runsWhere(`UsermodInviteIds = '${invites[0].id}' AND ParentWorkflowId IS NOT NULL`, 1);
  const parent = { workflowId: batch1.parentExecution!.workflowId! };
  const batches = await runsWhere(`ParentWorkflowId = '${parent.workflowId}'`, 3);
  expect(batches.map((b) => b.workflowId).sort()).toEqual([1, 2, 3].map((n) => `${parent.workflowId}-batch-${n}`));
  const described = await h.client.workflow.getHandle(parent.workflowId).describe();
  const listed = described.typedSearchAttributes.get(INVITE_IDS)!;
  expect(listed.length).toBeLessThanOrEqual(40);
  expect(JSON.stringify(listed).length).toBeLessThan(2048);
  // No event of the parent carries the call's invites: its result names the batches only.
  const history = await h.client.workflow.getHandle(parent.workflowId).fetchHistory();
  const completed = history.events!.find((e) => e.workflowExecutionCompletedEventAttributes)!;
  const result = completed.workflowExecutionCompletedEventAttributes!.result!.payloads![0].data!.length;
  expect(result).toBeLessThan(4096);

  // A token from the last batch accepts.
  const account = await h.withWorker((ctx) =>
    acceptInvite(ctx, { token: invites[249].token, password: 'bulk password 1 ok!' }),
  );
  expect(account.user.email).toBe(list[249]);
});

test.each([
  ['createInvitesWithEvents', 3, 'the last batch, after the first two completed'],
  ['createInvitesWithEvents', 1, 'the first batch, while the second runs beside it'],
] as const)(
  'a failure after %s in batch %i (%s): every batch is undone, nothing is mailed, the database is as before',
  async (activity, batch, _where) => {
    const list = emails(250, 'bulkfail');
    const sentBefore = sentMail.length;
    const before = await snapshot(h.prisma);
    const failing = {
      [activity]: async (...args: unknown[]) => {
        const out = await (h.realActivities[activity] as (...a: unknown[]) => Promise<unknown>)(...args);
        if ((Context.current().info.workflowExecution?.workflowId ?? '').endsWith(`-batch-${batch}`)) {
          throw ApplicationFailure.nonRetryable(`injected failure after ${activity}`, 'injected');
        }
        return out;
      },
    } as Partial<Activities>;
    const outcome = await h
      .withWorker(
        (ctx) =>
          createInvites(
            ctx,
            list.map((email) => ({ email })),
            { batchSize: 100 },
          ),
        failing,
      )
      .then(
        () => 'completed',
        (err: Error & { cause?: Error }) => String(err.cause?.message ?? err.message),
      );
    expect(outcome).toContain(`injected failure after ${activity}`);
    expect(await snapshot(h.prisma)).toEqual(before);
    expect(sentMail.slice(sentBefore).filter((m) => list.includes(m.to))).toEqual([]);
  },
);

test('import: e-mails with a live invite or repeated are skipped and named, the others created', async () => {
  const list = emails(30, 'bulkskip');
  const [taken] = await h.withWorker((ctx) => createInvites(ctx, [{ email: list[3] }]));
  const result = await h.withWorker((ctx) =>
    importInvites(
      ctx,
      [...list, list[7]].map((email) => ({ email })),
      { skipExisting: true, batchSize: 10 },
    ),
  );
  expect(result.skipped.sort()).toEqual([list[3], list[7]].sort());
  expect(result.invites.map((i) => i.email)).toEqual(list.filter((e) => e !== list[3]));
  expect(await h.prisma.invite.count({ where: { email: { in: list } } })).toBe(30);
  expect((await h.prisma.invite.findUnique({ where: { id: taken.id } }))!.token_hash).toBeDefined();
});

test('bad bulk input is refused before any flow starts', async () => {
  const tooMany = Array.from({ length: 10_001 }, (_, i) => ({ email: `x${i}@example.com` }));
  await expect(h.withWorker((ctx) => createInvites(ctx, tooMany))).rejects.toMatchObject({
    type: 'invalid_data',
    message: expect.stringContaining('Too many invites in one call: 10001'),
  });
  await expect(
    h.withWorker((ctx) => createInvites(ctx, [{ email: uniqueEmail() }], { batchSize: 0 })),
  ).rejects.toMatchObject({
    type: 'invalid_data',
    message: expect.stringContaining('Invalid batch size'),
  });
});
