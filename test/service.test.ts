import { createUsermodService, UsermodError, type UsermodService } from '../service';
import { recordingClient } from './fault-injection';
import { openHarness, testDataConverter, testSealKeys, uniqueEmail, type Harness } from './harness';

// The library facade over the real stack: every mutating method is a workflow run of its flow.
let h: Harness;
let service: UsermodService;
let started: { workflowId: string; workflowType: string }[];
beforeAll(async () => {
  h = await openHarness();
  const { ctx } = await h.startWorker();
  const recording = recordingClient(h.client, testDataConverter);
  started = recording.started;
  service = await createUsermodService({
    client: recording.client,
    databaseUrl: process.env.DATABASE_URL!,
    taskQueue: ctx.taskQueue,
    jwtSecret: ctx.jwtSecret,
    sealPublicKey: testSealKeys.publicKey,
  });
});
afterAll(async () => {
  await service.close();
  await h.close();
});

/** The workflow types the call started, each run completed. */
async function runsOf(call: () => Promise<unknown>): Promise<string[]> {
  const from = started.length;
  await call();
  const runs = started.slice(from);
  for (const r of runs) {
    const d = await h.client.workflow.getHandle(r.workflowId).describe();
    expect(d.status.name).toBe('COMPLETED');
  }
  return runs.map((r) => r.workflowType);
}

const caught = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );

describe('users', () => {
  test('createUsers: one in, one out; an array in, an array out; each a createUsers run', async () => {
    const email = uniqueEmail('svc');
    let one: unknown;
    expect(await runsOf(async () => (one = await service.createUsers({ email, first_name: 'Ada' })))).toEqual([
      'createUsersWorkflow',
    ]);
    expect(one).toMatchObject({ email, first_name: 'Ada' });
    expect(Array.isArray(one)).toBe(false);
    const two = await service.createUsers([{ email: uniqueEmail('svc') }, { email: uniqueEmail('svc') }]);
    expect(two).toHaveLength(2);
    expect(await service.retrieveUser(two[1].id)).toMatchObject({ id: two[1].id });
  });

  test('updateUsers, list, listAndCount, deleteUsers', async () => {
    const user = await service.createUsers({ email: uniqueEmail('svc') });
    let updated: unknown;
    expect(
      await runsOf(async () => (updated = await service.updateUsers({ id: user.id, last_name: 'Lovelace' }))),
    ).toEqual(['updateUsersWorkflow']);
    expect(updated).toMatchObject({ id: user.id, last_name: 'Lovelace' });
    expect(await service.listUsers({ id: user.id })).toEqual([expect.objectContaining({ id: user.id })]);
    const [rows, count] = await service.listAndCountUsers({ email: user.email });
    expect(count).toBe(1);
    expect(rows[0].id).toBe(user.id);
    expect(await runsOf(() => service.deleteUsers([user.id]))).toEqual(['removeUserAccountWorkflow']);
    expect(await caught(service.retrieveUser(user.id))).toMatchObject({
      type: 'not_found',
      status: 404,
      message: `User with id: ${user.id} was not found`,
    });
  });

  test('typed errors: a duplicate e-mail and bad input are UsermodErrors with their HTTP status, no run for bad input', async () => {
    const email = uniqueEmail('svc');
    await service.createUsers({ email });
    const dup = await caught(service.createUsers({ email }));
    expect(dup).toBeInstanceOf(UsermodError);
    expect(dup).toMatchObject({
      type: 'invalid_data',
      status: 400,
      message: `User with email: ${email}, already exists.`,
    });
    const before = started.length;
    const bad = await caught(service.createUsers({ email: 'not an e-mail' }));
    expect(bad).toMatchObject({ type: 'invalid_data', status: 400 });
    expect((bad as Error).message).toMatch(/email/);
    expect(started.length).toBe(before);
  });
});

describe('invites', () => {
  test('createInvites returns the token; validateInviteToken; retrieve and listAndCount', async () => {
    const email = uniqueEmail('svc-inv');
    let invite: { id: string; token: string } | undefined;
    expect(await runsOf(async () => (invite = await service.createInvites({ email })))).toEqual([
      'createInvitesWorkflow',
    ]);
    expect(typeof invite!.token).toBe('string');
    expect(await service.validateInviteToken(invite!.token)).toMatchObject({ id: invite!.id, email });
    expect(await service.retrieveInvite(invite!.id)).toMatchObject({ id: invite!.id, status: 'pending' });
    const [rows, count] = await service.listAndCountInvites({ email });
    expect(count).toBe(1);
    expect(rows[0]).not.toHaveProperty('token');
  });

  test('updateInvites runs its flow; an unknown id is not_found', async () => {
    const [a, b] = await service.createInvites([{ email: uniqueEmail('svc-inv') }, { email: uniqueEmail('svc-inv') }]);
    let updated: unknown;
    expect(
      await runsOf(
        async () =>
          (updated = await service.updateInvites([
            { id: a.id, metadata: { team: 'ops' } },
            { id: b.id, metadata: { team: 'dev' } },
          ])),
      ),
    ).toEqual(['updateInvitesWorkflow']);
    expect(updated).toEqual([
      expect.objectContaining({ id: a.id, metadata: { team: 'ops' } }),
      expect.objectContaining({ id: b.id, metadata: { team: 'dev' } }),
    ]);
    expect((await service.retrieveInvite(a.id)).metadata).toEqual({ team: 'ops' });
    expect(await caught(service.updateInvites({ id: 'invite_nope', metadata: {} }))).toMatchObject({
      type: 'not_found',
      status: 404,
      message: 'Invite with id "invite_nope" not found',
    });
    const events = await h.store.listEvents({ name: 'invite.updated' });
    expect(events.filter((e) => e.payload.id === a.id)).toHaveLength(1);
  });

  test('refreshInviteTokens: a new token; the old one is refused', async () => {
    const invite = await service.createInvites({ email: uniqueEmail('svc-inv') });
    let fresh: { token: string } | undefined;
    expect(await runsOf(async () => (fresh = await service.refreshInviteTokens(invite.id)))).toEqual([
      'refreshInviteTokensWorkflow',
    ]);
    expect(fresh!.token).not.toBe(invite.token);
    expect(await caught(service.validateInviteToken(invite.token))).toMatchObject({
      type: 'unauthorized',
      status: 401,
    });
    expect(await service.validateInviteToken(fresh!.token)).toMatchObject({ id: invite.id });
  });

  test('acceptInvite creates the user with its login; deleteInvites revokes', async () => {
    const email = uniqueEmail('svc-acc');
    const invite = await service.createInvites({ email });
    let account: { user: { email: string } } | undefined;
    expect(
      await runsOf(
        async () =>
          (account = await service.acceptInvite({
            token: invite.token,
            password: 'a-long-Passphrase-for-the-service-42',
            user: { first_name: 'Grace' },
          })),
      ),
    ).toEqual(['acceptInviteWorkflow']);
    expect(account!.user).toMatchObject({ email, first_name: 'Grace' });

    const other = await service.createInvites({ email: uniqueEmail('svc-del') });
    expect(await runsOf(() => service.deleteInvites(other.id))).toEqual(['deleteInvitesWorkflow']);
    expect(await caught(service.validateInviteToken(other.token))).toMatchObject({
      type: 'unauthorized',
      message: 'The invite has been revoked',
    });
  });

  test('an idempotency key returns the first run instead of running again', async () => {
    const email = uniqueEmail('svc-key');
    const first = await service.createInvites({ email }, { idempotencyKey: 'svc-key-1', idempotencyScope: 'test' });
    const from = started.length;
    const again = await service.createInvites({ email }, { idempotencyKey: 'svc-key-1', idempotencyScope: 'test' });
    expect(again.id).toBe(first.id);
    // The same keyed workflow id is joined, never a second run of the flow.
    expect(new Set(started.slice(from - 1).map((s) => s.workflowId)).size).toBe(1);
    expect(await service.listAndCountInvites({ email })).toEqual([expect.any(Array), 1]);
  });
});
