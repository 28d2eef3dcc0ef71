import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { createActivities, type Activities } from '../activities';
import { authenticateEmailpass } from '../auth';
import {
  acceptInvite,
  createInvites,
  createUserAccount,
  createUsers,
  registerEmailpass,
  refreshInviteTokens,
  deleteInvites,
  updateEmailpassPassword,
  type UsermodClient,
} from '../client';
import {
  openHarness,
  snapshot,
  testDataConverter,
  testDeps,
  testInviteTokens,
  uniqueEmail,
  type Harness,
} from './harness';

let h: Harness;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h.close());

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
// Business errors arrive as UsermodError; other failures as WorkflowFailedError with the cause inside.
const failure = (e: unknown) => {
  const f = e as { type?: string; message: string; cause?: { message: string } };
  return f.type ? f : { message: f.cause?.message ?? f.message };
};
const err = (p: Promise<unknown>) =>
  p.then(() => {
    throw new Error('expected a failure');
  }, failure);
const boom = (step: string) => async () => {
  throw ApplicationFailure.nonRetryable(`injected failure after ${step}`, 'injected');
};
const run = <T>(fn: (ctx: UsermodClient) => Promise<T>, overrides?: Partial<Activities>) => h.withWorker(fn, overrides);
const PASSWORD = 'correct horse battery';

describe('createInvitesWorkflow', () => {
  test('creates an invite whose token is a signed JWT expiring with it; only its hash is stored', async () => {
    const email = uniqueEmail('Invitee');
    const [invite] = await run((ctx) =>
      createInvites(ctx, [{ email: email.toUpperCase(), metadata: { role: 'admin' } }]),
    );
    expect(invite).toMatchObject({
      email: email.toLowerCase(),
      status: 'pending',
      accepted: false,
      accepted_at: null,
      metadata: { role: 'admin' },
    });
    expect(decodeProtectedHeader(invite.token)).toMatchObject({ alg: 'HS256' });
    const claims = decodeJwt(invite.token);
    expect(claims).toMatchObject({ id: invite.id, jti: expect.any(String), iat: expect.any(Number) });
    expect(claims.exp! * 1000).toBe(Date.parse(invite.expires_at));
    expect(claims.exp! - claims.iat!).toBe(testInviteTokens.validDurationSeconds);

    const row = await h.prisma.invite.findUniqueOrThrow({ where: { id: invite.id } });
    expect(row.token_hash).toBe(sha256(invite.token));
    expect(JSON.stringify(row)).not.toContain(invite.token);
    const read = await h.store.retrieveInvite(invite.id);
    expect(read).not.toHaveProperty('token');
    expect(read).not.toHaveProperty('token_hash');
    expect((await h.store.listEvents({ name: 'invite.created' })).some((e) => e.payload.id === invite.id)).toBe(true);
  });

  test("Medusa's messages: a live user or a live invite already has the e-mail", async () => {
    const [a, b] = [uniqueEmail('a'), uniqueEmail('b')];
    await run((ctx) => createUsers(ctx, [{ email: a }, { email: b }]));
    expect(
      await err(run((ctx) => createInvites(ctx, [{ email: a }, { email: b }, { email: uniqueEmail() }]))),
    ).toMatchObject({
      type: 'invalid_data',
      message: `User account for following email(s) already exist: ${a}, ${b}`,
    });
    const c = uniqueEmail('c');
    await run((ctx) => createInvites(ctx, [{ email: c }]));
    expect(await err(run((ctx) => createInvites(ctx, [{ email: c.toUpperCase() }])))).toMatchObject({
      message: `Invite with email: ${c}, already exists.`,
    });
    expect(await err(run((ctx) => createInvites(ctx, [{ email: 'nope' }])))).toMatchObject({
      type: 'invalid_data',
      message: "Invalid invite: email: Invalid email: 'nope'",
    });
  });

  test('a failure after the create step leaves the database exactly as before', async () => {
    const before = await snapshot(h.prisma);
    await err(
      run((ctx) => createInvites(ctx, [{ email: uniqueEmail() }, { email: uniqueEmail() }]), {
        // The invites and their events commit together (the outbox), then the step is reported failed.
        createInvitesFromDrafts: async (drafts, events) => {
          await h.realActivities.createInvitesFromDrafts(drafts, events);
          return boom('createInvitesFromDrafts')();
        },
      }),
    );
    expect(await snapshot(h.prisma)).toEqual(before);
  });
});

describe('refreshInviteTokensWorkflow (resend)', () => {
  test('a new token and expiry; the old token is refused from then on', async () => {
    const [first] = await run((ctx) => createInvites(ctx, [{ email: uniqueEmail() }]));
    await new Promise((r) => setTimeout(r, 1100)); // a later iat/exp
    const [resent] = await run((ctx) => refreshInviteTokens(ctx, [first.id]));
    expect(resent.token).not.toBe(first.token);
    expect(Date.parse(resent.expires_at)).toBeGreaterThan(Date.parse(first.expires_at));
    expect(decodeJwt(resent.token).exp! * 1000).toBe(Date.parse(resent.expires_at));
    expect((await h.store.listEvents({ name: 'invite.resent' })).some((e) => e.payload.id === first.id)).toBe(true);

    expect(await err(run((ctx) => acceptInvite(ctx, { token: first.token, password: PASSWORD })))).toMatchObject({
      type: 'unauthorized',
      message: 'The invite token is no longer valid: a newer one was sent',
    });
    const { user } = await run((ctx) => acceptInvite(ctx, { token: resent.token, password: PASSWORD }));
    expect(user.email).toBe(first.email);
  });

  test("unknown ids: Medusa's message; a failure after the refresh puts the previous token back", async () => {
    expect(await err(run((ctx) => refreshInviteTokens(ctx, ['invite_x', 'invite_y'])))).toMatchObject({
      type: 'invalid_data',
      message: 'The following invites do not exist: invite_x, invite_y',
    });
    const [invite] = await run((ctx) => createInvites(ctx, [{ email: uniqueEmail() }]));
    const before = await snapshot(h.prisma);
    await err(run((ctx) => refreshInviteTokens(ctx, [invite.id]), { recordEvents: boom('refreshInviteTokens') }));
    expect(await snapshot(h.prisma)).toEqual(before);
    // The original token still works.
    await run((ctx) => acceptInvite(ctx, { token: invite.token, password: PASSWORD }));
  });
});

describe('invite store reads', () => {
  test('list filters: q, email, status, expires_at ranges, paging and count; retrieve messages', async () => {
    const tag = uniqueEmail('').slice(1, 9);
    const made = await run((ctx) =>
      createInvites(ctx, [{ email: `b-${tag}@example.com` }, { email: `a-${tag}@example.com` }]),
    );
    const [page, count] = await h.store.listAndCountInvites(
      { q: tag, status: ['pending'] },
      { order: 'email', limit: 1 },
    );
    expect(count).toBe(2);
    expect(page.map((i) => i.email)).toEqual([`a-${tag}@example.com`]);
    const exp = made[0].expires_at;
    expect((await h.store.listInvites({ q: tag, expires_at: { gte: exp, lte: exp } })).length).toBeGreaterThanOrEqual(
      1,
    );
    expect(
      await h.store.listInvites({ q: tag, expires_at: { lt: new Date(Date.now() - 1000).toISOString() } }),
    ).toEqual([]);
    expect((await h.store.listInvites({ email: `B-${tag}@EXAMPLE.com` })).map((i) => i.id)).toEqual([made[0].id]);
    expect(await err(h.store.listInvites({ status: 'lost' as never }))).toMatchObject({
      message: "Invalid status 'lost'; expected one of: pending, accepted, expired, revoked",
    });
    expect(await err(h.store.retrieveInvite(''))).toMatchObject({ message: 'invite - id must be defined' });
    expect(await err(h.store.updateInvites([{ id: 'invite_nope', metadata: {} }]))).toMatchObject({
      type: 'not_found',
      message: 'Invite with id "invite_nope" not found',
    });
    const [updated] = await h.store.updateInvites([{ id: made[0].id, metadata: { team: 'x' } }]);
    expect(updated.metadata).toEqual({ team: 'x' });
  });
});

describe('deleteInvitesWorkflow (revoke)', () => {
  test('a revoked invite is refused and listed as revoked; a failure after the revoke restores it', async () => {
    const [keep, gone] = await run((ctx) => createInvites(ctx, [{ email: uniqueEmail() }, { email: uniqueEmail() }]));
    const before = await snapshot(h.prisma);
    await err(run((ctx) => deleteInvites(ctx, [keep.id]), { recordEvents: boom('softDeleteInvites') }));
    expect(await snapshot(h.prisma)).toEqual(before);

    await run((ctx) => deleteInvites(ctx, [gone.id]));
    expect(await err(run((ctx) => acceptInvite(ctx, { token: gone.token, password: PASSWORD })))).toMatchObject({
      type: 'unauthorized',
      message: 'The invite has been revoked',
    });
    expect(await err(h.store.retrieveInvite(gone.id))).toMatchObject({
      type: 'not_found',
      message: `Invite with id: ${gone.id} was not found`,
    });
    const revoked = await h.store.listInvites({ id: [keep.id, gone.id], status: 'revoked' });
    expect(revoked.map((i) => [i.id, i.status])).toEqual([[gone.id, 'revoked']]);
    expect((await h.store.listInvites({ id: [keep.id, gone.id] })).map((i) => i.id)).toEqual([keep.id]);
  });
});

describe('acceptInviteWorkflow', () => {
  test('one step: creates the login and the user with the invite e-mail, links them, marks the invite accepted', async () => {
    const [invite] = await run((ctx) => createInvites(ctx, [{ email: uniqueEmail('new') }]));
    const { user, authIdentityId } = await run((ctx) =>
      acceptInvite(ctx, { token: invite.token, password: PASSWORD, user: { first_name: 'Nia' } }),
    );
    expect(user).toMatchObject({ email: invite.email, first_name: 'Nia' });
    expect(await h.store.retrieveAuthIdentity(authIdentityId)).toMatchObject({
      user_id: user.id,
      app_metadata: { user_id: user.id },
    });
    const accepted = await h.store.retrieveInvite(invite.id);
    expect(accepted).toMatchObject({ accepted: true, status: 'accepted' });
    expect(accepted.accepted_at).not.toBeNull();
    expect(await authenticateEmailpass(h.store, invite.email.toUpperCase(), PASSWORD)).toEqual({
      authIdentityId,
      userId: user.id,
    });
    const events = await h.store.listEvents();
    expect(events.some((e) => e.name === 'user.created' && e.payload.id === user.id)).toBe(true);
    expect(events.some((e) => e.name === 'invite.accepted' && e.payload.id === invite.id)).toBe(true);

    expect(await err(run((ctx) => acceptInvite(ctx, { token: invite.token, password: PASSWORD })))).toMatchObject({
      type: 'unauthorized',
      message: 'The invite has already been accepted or is being accepted',
    });
  });

  test("two steps (Medusa's): register, then accept with the unlinked identity; a different e-mail is refused", async () => {
    const [invite] = await run((ctx) => createInvites(ctx, [{ email: uniqueEmail('two') }]));
    const other = await run((ctx) => registerEmailpass(ctx, uniqueEmail('other'), PASSWORD));
    const before = await snapshot(h.prisma);
    expect(
      await err(run((ctx) => acceptInvite(ctx, { token: invite.token, authIdentityId: other.authIdentityId }))),
    ).toMatchObject({
      type: 'invalid_data',
      message: 'The identity was registered with a different email than the one the invite was sent to',
    });
    expect(await snapshot(h.prisma)).toEqual(before);
    expect(
      await err(
        run((ctx) =>
          acceptInvite(ctx, { token: invite.token, password: PASSWORD, user: { email: 'someone@else.com' } }),
        ),
      ),
    ).toMatchObject({
      message: 'The email does not match the invite: an invite can only be accepted with the email it was sent to',
    });

    const mine = await run((ctx) => registerEmailpass(ctx, invite.email, PASSWORD));
    expect(await err(run((ctx) => registerEmailpass(ctx, invite.email, PASSWORD)))).toMatchObject({
      message: 'Identity with email already exists',
    });
    const { user, authIdentityId } = await run((ctx) =>
      acceptInvite(ctx, { token: invite.token, authIdentityId: mine.authIdentityId, user: { last_name: 'Two' } }),
    );
    expect(authIdentityId).toBe(mine.authIdentityId);
    expect(user).toMatchObject({ email: invite.email, last_name: 'Two' });
  });

  // The accept is one step, one transaction (store/accept.ts): it fails before it writes, or after it
  // committed (then its one undo puts everything back).
  const acceptFailures: [string, () => Partial<Activities>][] = [
    ['the write fails', () => ({ acceptInviteOnce: boom('the write') })],
    [
      'a failure after the write',
      () => ({
        acceptInviteOnce: async (input) => {
          await createActivities(testDeps(h.store)).acceptInviteOnce(input);
          await boom('the write')();
          throw new Error('unreachable');
        },
      }),
    ],
  ];
  test.each(acceptFailures)(
    '%s: the database is exactly as before, and a retry then succeeds',
    async (_, overrides) => {
      const [invite] = await run((ctx) => createInvites(ctx, [{ email: uniqueEmail('saga') }]));
      const before = await snapshot(h.prisma);
      const e = await err(run((ctx) => acceptInvite(ctx, { token: invite.token, password: PASSWORD }), overrides()));
      expect(e.message).toContain('injected failure after');
      expect(await snapshot(h.prisma)).toEqual(before);
      const { user } = await run((ctx) => acceptInvite(ctx, { token: invite.token, password: PASSWORD }));
      expect(user.email).toBe(invite.email);
    },
  );

  test('two steps: a failure after linking leaves the registered identity unlinked and usable for a retry', async () => {
    const [invite] = await run((ctx) => createInvites(ctx, [{ email: uniqueEmail('keep') }]));
    const { authIdentityId } = await run((ctx) => registerEmailpass(ctx, invite.email, PASSWORD));
    const before = await snapshot(h.prisma);
    await err(
      run((ctx) => acceptInvite(ctx, { token: invite.token, authIdentityId }), {
        acceptInviteOnce: async (input) => {
          await createActivities(testDeps(h.store)).acceptInviteOnce(input);
          await boom('link identity')();
          throw new Error('unreachable');
        },
      }),
    );
    expect(await snapshot(h.prisma)).toEqual(before);
    expect((await h.store.retrieveAuthIdentity(authIdentityId)).user_id).toBeNull();
    const { user } = await run((ctx) => acceptInvite(ctx, { token: invite.token, authIdentityId }));
    expect((await h.store.retrieveAuthIdentity(authIdentityId)).user_id).toBe(user.id);
  });

  test('20 concurrent accepts of one token: exactly one user; every other caller is told why', async () => {
    const [invite] = await run((ctx) => createInvites(ctx, [{ email: uniqueEmail('race') }]));
    const results = await run((ctx) =>
      Promise.allSettled(
        Array.from({ length: 20 }, () => acceptInvite(ctx, { token: invite.token, password: PASSWORD })),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(19);
    for (const r of refused) expect(r.reason.message).toBe('The invite has already been accepted or is being accepted');
    expect(await h.prisma.user.count({ where: { email: invite.email } })).toBe(1);
    expect(await h.prisma.providerIdentity.count({ where: { entity_id: invite.email } })).toBe(1);
  });

  test('an expired invite is refused (short injected duration) and listed as expired', async () => {
    const short = createActivities(
      testDeps(h.store, { inviteTokens: { ...testInviteTokens, validDurationSeconds: 1 } }),
    );
    const [invite] = await run((ctx) => createInvites(ctx, [{ email: uniqueEmail('late') }]), {
      createInvitesFromDrafts: short.createInvitesFromDrafts,
    });
    await new Promise((r) => setTimeout(r, 2100));
    expect(await err(run((ctx) => acceptInvite(ctx, { token: invite.token, password: PASSWORD })))).toMatchObject({
      type: 'unauthorized',
      message: 'The invite has expired',
    });
    expect((await h.store.listInvites({ id: invite.id, status: 'expired' })).map((i) => i.status)).toEqual(['expired']);
    expect(await h.store.listInvites({ id: invite.id, status: 'pending' })).toEqual([]);
  });

  test('a forged or malformed token is refused', async () => {
    const [invite] = await run((ctx) => createInvites(ctx, [{ email: uniqueEmail() }]));
    const forged = invite.token.slice(0, -3) + (invite.token.endsWith('AAA') ? 'BBB' : 'AAA');
    for (const token of [forged, 'not.a.jwt', '']) {
      expect(await err(run((ctx) => acceptInvite(ctx, { token, password: PASSWORD })))).toMatchObject({
        type: 'unauthorized',
        message: expect.stringMatching(/^Invalid invite token/),
      });
    }
  });

  test('Temporal history holds no plaintext token, password, password hash or e-mail (encrypted payloads)', async () => {
    const [invite] = await run((ctx) => createInvites(ctx, [{ email: uniqueEmail('hist') }]));
    const [resent] = await run((ctx) => refreshInviteTokens(ctx, [invite.id]));
    const secret = 'history-check-password-42';
    await run((ctx) => acceptInvite(ctx, { token: resent.token, password: secret }));
    const identity = await h.prisma.providerIdentity.findFirstOrThrow({ where: { entity_id: invite.email } });

    let seen = 0;
    for await (const wf of h.client.workflow.list({ query: `UsermodInviteIds = '${invite.id}'` })) {
      const history = JSON.stringify(await h.client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory());
      // Payloads are base64 in history: check the decoded form too.
      const decoded = history.replace(/"data":"([A-Za-z0-9+/=]+)"/g, (_, b64) =>
        Buffer.from(b64, 'base64').toString('utf8'),
      );
      for (const text of [history, decoded]) {
        for (const leak of [invite.token, resent.token, secret, identity.password_hash!, invite.email])
          expect(text).not.toContain(leak);
      }
      expect(wf.workflowId).not.toContain(invite.email);
      seen += 1;
    }
    expect(seen).toBe(3);

    // ...and the codec reads them back: the accept run's input names the invite.
    const accept = await h.client.workflow
      .list({ query: `UsermodInviteIds = '${invite.id}' AND WorkflowType = 'acceptInviteWorkflow'` })
      [Symbol.asyncIterator]()
      .next();
    const history = await h.client.workflow.getHandle(accept.value.workflowId).fetchHistory();
    const raw = history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads!;
    const [decoded] = await testDataConverter.payloadCodecs![0].decode(raw as never);
    expect(JSON.parse(Buffer.from(decoded.data!).toString('utf8'))).toMatchObject({ inviteId: invite.id });
  });
});

describe('accounts and emailpass logins', () => {
  test('createUserAccountWorkflow: user + linked login; a taken login undoes the user', async () => {
    const email = uniqueEmail('admin');
    const { user, authIdentityId } = await run((ctx) =>
      createUserAccount(ctx, { email, password: PASSWORD, first_name: 'Ad' }),
    );
    expect(await authenticateEmailpass(h.store, email, PASSWORD)).toEqual({ authIdentityId, userId: user.id });

    const orphan = uniqueEmail('orphan');
    await run((ctx) => registerEmailpass(ctx, orphan, PASSWORD));
    const before = await snapshot(h.prisma);
    expect(await err(run((ctx) => createUserAccount(ctx, { email: orphan, password: PASSWORD })))).toMatchObject({
      message: 'Identity with email already exists',
    });
    expect(await snapshot(h.prisma)).toEqual(before);
  });

  test.each([
    ['create user', 'createEmailpassIdentity'],
    ['create identity', 'linkIdentity'],
    ['link identity', 'recordEvents'],
  ] as [string, keyof Activities][])(
    'createUserAccountWorkflow: a failure after "%s" leaves the database exactly as before',
    async (step, next) => {
      const before = await snapshot(h.prisma);
      const e = await err(
        run((ctx) => createUserAccount(ctx, { email: uniqueEmail('acct'), password: PASSWORD }), {
          [next]: boom(step),
        }),
      );
      expect(e.message).toContain(`injected failure after ${step}`);
      expect(await snapshot(h.prisma)).toEqual(before);
    },
  );

  test('registerEmailpassWorkflow and updateEmailpassPasswordWorkflow: a failure after their step changes nothing', async () => {
    const email = uniqueEmail('reg');
    let before = await snapshot(h.prisma);
    await err(run((ctx) => registerEmailpass(ctx, email, PASSWORD), { recordEvents: boom('register') }));
    expect(await snapshot(h.prisma)).toEqual(before);
    await run((ctx) => registerEmailpass(ctx, email, PASSWORD));
    before = await snapshot(h.prisma);
    await err(
      run((ctx) => updateEmailpassPassword(ctx, email, 'another password'), { recordEvents: boom('update password') }),
    );
    expect((await snapshot(h.prisma)).providerIdentities.map((p) => p.password_hash)).toEqual(
      before.providerIdentities.map((p) => p.password_hash),
    );
    await expect(authenticateEmailpass(h.store, email, PASSWORD)).resolves.toMatchObject({ userId: null });
  });

  test('authenticate says the same for an unknown e-mail and a wrong password; passwords can be changed', async () => {
    const email = uniqueEmail('login');
    await run((ctx) => registerEmailpass(ctx, email, PASSWORD));
    for (const [e, p] of [
      [uniqueEmail('ghost'), PASSWORD],
      [email, 'wrong password!'],
    ]) {
      expect(await err(authenticateEmailpass(h.store, e, p))).toMatchObject({
        type: 'unauthorized',
        message: 'Invalid email or password',
      });
    }
    expect(await err(run((ctx) => registerEmailpass(ctx, uniqueEmail(), 'short')))).toMatchObject({
      message: 'Password must be at least 8 characters long',
    });
    expect(await err(run((ctx) => registerEmailpass(ctx, uniqueEmail(), 42)))).toMatchObject({
      message: 'Password should be a string',
    });
    await run((ctx) => updateEmailpassPassword(ctx, email, 'a brand new secret'));
    await expect(authenticateEmailpass(h.store, email, 'a brand new secret')).resolves.toMatchObject({ userId: null });
    expect(await err(authenticateEmailpass(h.store, email, PASSWORD))).toMatchObject({
      message: 'Invalid email or password',
    });
  });
});
