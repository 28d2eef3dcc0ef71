import { ApplicationFailure } from '@temporalio/common';
import { Client, Connection } from '@temporalio/client';
import { createUserAccount, updateUsers, type UsermodClient } from '../client';
import { DEFAULT_HARDENING } from '../api/hardening';
import { readiness } from '../api/health';
import { createStore } from '../store';
import { createPrisma } from '../store/prisma';
import { freePort } from '../devstack/free-port';
import { grantRoles, openHarness, sentMail, testDataConverter, uniqueEmail, type Harness } from './harness';
import { RELAXED, startTestApi, type TestApi } from './http';

// Issue 10 (and the outage answers of issue 11), point by point, over real HTTP against the real stack.

let h: Harness;
let worker: { ctx: UsermodClient; stop(): Promise<void> };
let api: TestApi;
const PASSWORD = 'security suite password 1';
const admins: { id: string; email: string; token: string }[] = [];

const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
const key = (tag: string) => `${tag}-${Math.random().toString(36).slice(2)}`;
const mailTo = (to: string) => sentMail.filter((m) => m.to === to);
async function waitFor(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  h = await openHarness();
  worker = await h.startWorker();
  api = await startTestApi(h, worker.ctx);
  for (const tag of ['admin-a', 'admin-b']) {
    const email = uniqueEmail(tag);
    const { user } = await createUserAccount(worker.ctx, { email, password: PASSWORD });
    await grantRoles(h, user.id);
    const token = (await api.call('POST', '/auth/user/emailpass', { body: { email, password: PASSWORD } })).body.token;
    admins.push({ id: user.id, email, token });
  }
});
afterAll(async () => {
  await api?.close();
  await worker?.stop();
  await h.close();
});

describe('1. idempotency keys belong to one caller and one request', () => {
  test('register: another caller reusing the key gets their own bearer, never the victim’s; the victim’s e-mail with another password is 422', async () => {
    const k = key('reg');
    const victim = uniqueEmail('victim');
    const a = await api.call('POST', '/auth/user/emailpass/register', {
      body: { email: victim, password: PASSWORD },
      headers: { 'idempotency-key': k },
    });
    expect(a.status).toBe(200);
    const b = await api.call('POST', '/auth/user/emailpass/register', {
      body: { email: uniqueEmail('attacker'), password: PASSWORD },
      headers: { 'idempotency-key': k },
    });
    expect(b.status).toBe(200);
    expect(claims(b.body.token).auth_identity_id).not.toBe(claims(a.body.token).auth_identity_id);
    const c = await api.call('POST', '/auth/user/emailpass/register', {
      body: { email: victim, password: 'attacker guess 12345' },
      headers: { 'idempotency-key': k },
    });
    expect(c).toMatchObject({
      status: 422,
      body: { type: 'duplicate_error', message: 'Idempotency key reused with a different request' },
    });
    // The victim's own retry is answered with their identity.
    const d = await api.call('POST', '/auth/user/emailpass/register', {
      body: { email: victim, password: PASSWORD },
      headers: { 'idempotency-key': k },
    });
    expect(claims(d.body.token).auth_identity_id).toBe(claims(a.body.token).auth_identity_id);
  });

  test('admin routes: a second admin reusing a key runs their own request and never sees the first admin’s token', async () => {
    const k = key('inv');
    const [e1, e2] = [uniqueEmail('first'), uniqueEmail('second')];
    const first = await api.call('POST', '/admin/invites', {
      token: admins[0].token,
      body: { email: e1 },
      headers: { 'idempotency-key': k },
    });
    const second = await api.call('POST', '/admin/invites', {
      token: admins[1].token,
      body: { email: e2 },
      headers: { 'idempotency-key': k },
    });
    expect(first).toMatchObject({ status: 200, body: { invite: { email: e1 } } });
    expect(second).toMatchObject({ status: 200, body: { invite: { email: e2 } } });
    expect(second.body.invite.token).not.toBe(first.body.invite.token);
    expect(await h.prisma.invite.count({ where: { email: { in: [e1, e2] } } })).toBe(2);

    const u = uniqueEmail('made');
    const made = await api.call('POST', '/admin/users', {
      token: admins[0].token,
      body: { email: u, password: PASSWORD },
      headers: { 'idempotency-key': k },
    });
    expect(made).toMatchObject({ status: 200, body: { user: { email: u } } }); // same key, another route: its own request
  });

  test('the same caller: same key and body → the first result; another body → 422 and nothing runs', async () => {
    const k = key('same');
    const e = uniqueEmail('same');
    const a = await api.call('POST', '/admin/invites', {
      token: admins[0].token,
      body: { email: e },
      headers: { 'idempotency-key': k },
    });
    const b = await api.call('POST', '/admin/invites', {
      token: admins[0].token,
      body: { email: e },
      headers: { 'idempotency-key': k },
    });
    expect(b.body).toEqual(a.body);
    const other = uniqueEmail('other');
    const c = await api.call('POST', '/admin/invites', {
      token: admins[0].token,
      body: { email: other },
      headers: { 'idempotency-key': k },
    });
    expect(c).toMatchObject({
      status: 422,
      body: { type: 'duplicate_error', message: 'Idempotency key reused with a different request' },
    });
    expect(await h.prisma.invite.count({ where: { email: other } })).toBe(0);
    // Same key on another user id of the same route: a different request too.
    const [x, y] = admins;
    const upd = await api.call('POST', `/admin/users/${x.id}`, {
      token: y.token,
      body: { first_name: 'A' },
      headers: { 'idempotency-key': k },
    });
    expect(upd.status).toBe(200);
    const upd2 = await api.call('POST', `/admin/users/${y.id}`, {
      token: y.token,
      body: { first_name: 'A' },
      headers: { 'idempotency-key': k },
    });
    expect(upd2).toMatchObject({ status: 422 });
  });

  test('reset: a key someone else used first does not swallow the victim’s reset', async () => {
    const k = key('reset');
    const victim = uniqueEmail('reset-victim');
    await createUserAccount(worker.ctx, { email: victim, password: PASSWORD });
    expect(
      (
        await api.call('POST', '/auth/user/emailpass/reset-password', {
          body: { identifier: uniqueEmail('nobody') },
          headers: { 'idempotency-key': k },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await api.call('POST', '/auth/user/emailpass/reset-password', {
          body: { identifier: victim },
          headers: { 'idempotency-key': k },
        })
      ).status,
    ).toBe(201);
    await waitFor(() => mailTo(victim).length === 1, 'the victim’s reset mail');
  });

  test('keys are refused where no caller can own them, and must be well formed', async () => {
    expect(
      await api.call('POST', '/admin/invites', {
        token: admins[0].token,
        body: { email: uniqueEmail('k') },
        headers: { 'idempotency-key': 'has spaces' },
      }),
    ).toMatchObject({
      status: 400,
      body: { type: 'invalid_data', message: expect.stringContaining('Idempotency-Key must be') },
    });
  });
});

describe('issue 11.6: honest answers during outages', () => {
  test('a key whose flow was undone for an infrastructure reason runs again; a completed one keeps its result; a refusal stays a refusal', async () => {
    const k = key('infra');
    const e = uniqueEmail('infra');
    const gone = async () => {
      throw ApplicationFailure.create({ type: 'database_gone', message: 'the database went away', nonRetryable: true });
    };
    // The invites' step (with its events, in one transaction: the outbox) fails for an infrastructure reason.
    const broken = await h.startWorker({
      createInvites: gone,
      createInvitesWithEvents: gone,
      createInvitesFromDrafts: gone,
    });
    const failed = await api.call('POST', '/admin/invites', {
      token: admins[0].token,
      body: { email: e },
      headers: { 'idempotency-key': k },
    });
    await broken.stop();
    expect(failed).toMatchObject({ status: 503, body: { type: 'unavailable' } });
    expect(failed.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await h.prisma.invite.count({ where: { email: e } })).toBe(0);

    const again = await api.call('POST', '/admin/invites', {
      token: admins[0].token,
      body: { email: e },
      headers: { 'idempotency-key': k },
    });
    expect(again).toMatchObject({ status: 200, body: { invite: { email: e } } });
    const replay = await api.call('POST', '/admin/invites', {
      token: admins[0].token,
      body: { email: e },
      headers: { 'idempotency-key': k },
    });
    expect(replay.body).toEqual(again.body);
    expect(await h.prisma.invite.count({ where: { email: e } })).toBe(1);

    const k2 = key('refused');
    const refused = await api.call('POST', '/admin/invites', {
      token: admins[0].token,
      body: { email: admins[1].email },
      headers: { 'idempotency-key': k2 },
    });
    expect(refused.status).toBe(400);
    expect(
      await api.call('POST', '/admin/invites', {
        token: admins[0].token,
        body: { email: admins[1].email },
        headers: { 'idempotency-key': k2 },
      }),
    ).toMatchObject({ status: 400, body: refused.body });
  });

  test('database down: every admin route answers 503 with Retry-After, not 401', async () => {
    const deadPrisma = createPrisma(`postgresql://postgres@127.0.0.1:${await freePort()}/gone`);
    const down = await startTestApi(h, worker.ctx, { context: { store: createStore(deadPrisma) } });
    try {
      const token = admins[0].token;
      for (const [method, path, body] of [
        ['GET', '/admin/users'],
        ['GET', '/admin/users/me'],
        ['GET', `/admin/users/${admins[1].id}`],
        ['POST', `/admin/users/${admins[1].id}`, { first_name: 'x' }],
        ['DELETE', `/admin/users/${admins[1].id}`],
        ['POST', '/admin/users', { email: uniqueEmail('x'), password: PASSWORD }],
        ['GET', '/admin/invites'],
        ['POST', '/admin/invites', { email: uniqueEmail('x') }],
        ['GET', '/admin/invites/invite_x'],
        ['DELETE', '/admin/invites/invite_x'],
        ['POST', '/admin/invites/invite_x/resend'],
      ] as [string, string, unknown?][]) {
        const res = await down.call(method, path, { token, body });
        expect({
          method,
          path,
          status: res.status,
          type: res.body?.type,
          retryAfter: res.headers.get('retry-after'),
        }).toEqual({ method, path, status: 503, type: 'unavailable', retryAfter: '5' });
      }
      expect(
        (await down.call('POST', '/auth/user/emailpass', { body: { email: admins[0].email, password: PASSWORD } }))
          .status,
      ).toBe(503);
    } finally {
      await down.close();
      await deadPrisma.$disconnect();
    }
  });

  test('Temporal down: mutations answer 503 with Retry-After within a few seconds, and /health at once', async () => {
    // A client whose Temporal is not there (nothing listens on the port): exactly what a dead server looks like.
    const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
    const usermod: UsermodClient = {
      ...worker.ctx,
      client: new Client({ connection, namespace: 'default', dataConverter: testDataConverter }),
    };
    const down = await startTestApi(h, usermod, {
      context: {
        health: readiness({ ping: () => h.prisma.$queryRaw`SELECT 1`, store: h.store, usermod, namespace: 'default' }),
      },
    });
    try {
      const res = await down.call('POST', '/admin/invites', {
        token: admins[0].token,
        body: { email: uniqueEmail('t') },
      });
      expect(res).toMatchObject({ status: 503, body: { type: 'unavailable' } });
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(res.ms).toBeLessThan(8000); // no hang: the deadline on starting a flow, not the gRPC client's ~20 s of retries
      const health = await down.call('GET', '/health');
      expect(health).toMatchObject({ status: 503, body: { status: 'unavailable', database: true, temporal: false } });
      expect(health.ms).toBeLessThan(3000);
    } finally {
      // The connection is left to the end of the file: closing it while the gRPC client still retries
      // the calls it gave up on would throw from inside those retries.
      await down.close();
    }
  });
});

describe('3. input checked before any flow; a password policy', () => {
  test('the password policy: length, not only spaces, not the e-mail, not a common or guessable password', async () => {
    const email = uniqueEmail('policy');
    const cases: [string, string][] = [
      ['short1!', 'Password must be at least 8 characters long'],
      ['        ', 'Password must not be only spaces'],
      [email, 'Password must not be the e-mail address'],
      ['password123', 'Password is too easy to guess: it is a commonly used password'],
      ['qwertyuiop', 'Password is too easy to guess'],
      ['aaaaaaaaaaaa', 'Password is too easy to guess: repeated characters are easy to guess'],
      ['p'.repeat(257), "Field 'password' must be at most 256 characters"],
    ];
    for (const [password, message] of cases) {
      const created = await api.call('POST', '/admin/users', { token: admins[0].token, body: { email, password } });
      expect({ password: password.slice(0, 20), status: created.status, message: created.body.message }).toEqual({
        password: password.slice(0, 20),
        status: 400,
        message: expect.stringContaining(message),
      });
      const registered = await api.call('POST', '/auth/user/emailpass/register', { body: { email, password } });
      expect({ password: password.slice(0, 20), message: registered.body.message }).toEqual({
        password: password.slice(0, 20),
        message: expect.stringContaining(message),
      });
    }
    const invite = (await api.call('POST', '/admin/invites', { token: admins[0].token, body: { email } })).body.invite;
    expect(
      await api.call('POST', `/admin/invites/accept?token=${invite.token}`, { body: { password: email } }),
    ).toMatchObject({
      status: 400,
      body: { message: 'Password must not be the e-mail address' },
    });
    expect(await h.prisma.user.count({ where: { email } })).toBe(0);
  });

  test('a value the database refuses that still reaches an activity fails at once as invalid_data, never retried', async () => {
    // Through the client (the CLI's path), past the API's checks: a NUL character reaches PostgreSQL.
    const started = Date.now();
    const err = await updateUsers(worker.ctx, [{ id: admins[1].id, first_name: 'a\u0000b' }]).catch((e: unknown) => e);
    expect(err).toMatchObject({
      type: 'invalid_data',
      message: expect.stringMatching(/^The (database refused the data|data could not be stored)/),
    });
    expect((err as Error).message).not.toContain('a\u0000b');
    expect(Date.now() - started).toBeLessThan(5000); // one attempt: retries would go on for minutes
    expect((await h.store.retrieveUser(admins[1].id)).first_name).not.toBe('a\u0000b');
  });
});

describe('8. no squatting', () => {
  test('a login someone else registered with the invitee’s e-mail is replaced by the one-step accept', async () => {
    const email = uniqueEmail('squatted');
    const squat = await api.call('POST', '/auth/user/emailpass/register', {
      body: { email, password: 'squatter phrase 1' },
    });
    expect(squat.status).toBe(200);
    const invite = (await api.call('POST', '/admin/invites', { token: admins[0].token, body: { email } })).body.invite;
    const accepted = await api.call('POST', `/admin/invites/accept?token=${invite.token}`, {
      body: { password: PASSWORD },
    });
    expect(accepted).toMatchObject({ status: 200, body: { user: { email } } });
    expect((await api.call('POST', '/auth/user/emailpass', { body: { email, password: PASSWORD } })).status).toBe(200);
    expect(
      (await api.call('POST', '/auth/user/emailpass', { body: { email, password: 'squatter phrase 1' } })).status,
    ).toBe(401);
    expect((await api.call('POST', '/auth/token/refresh', { token: squat.body.token })).status).toBe(401);
    expect(await h.prisma.providerIdentity.count({ where: { entity_id: email } })).toBe(1);
  });
});

describe('6. sessions that end', () => {
  const login = async (email: string, password = PASSWORD) =>
    (await api.call('POST', '/auth/user/emailpass', { body: { email, password } })).body.token as string;
  const me = (token: string) => api.call('GET', '/admin/users/me', { token });

  test('logout ends the session server-side: the replayed cookie and the bearer it came from stop working', async () => {
    const email = uniqueEmail('logout');
    await createUserAccount(worker.ctx, { email, password: PASSWORD });
    const bearer = await login(email);
    const other = await login(email); // another session of the same login is not ended
    const session = await api.call('POST', '/auth/session', { token: bearer });
    const cookie = session.headers.get('set-cookie')!.split(';')[0];
    expect((await api.call('GET', '/admin/users/me', { headers: { cookie } })).status).toBe(200);
    expect(await api.call('DELETE', '/auth/session', { headers: { cookie } })).toMatchObject({ status: 200 });
    expect((await api.call('GET', '/admin/users/me', { headers: { cookie } })).status).toBe(401);
    expect((await me(bearer)).status).toBe(401);
    expect((await api.call('POST', '/auth/token/refresh', { token: bearer })).status).toBe(401);
    expect((await me(other)).status).toBe(200);
  });

  test('a password reset ends every earlier session and bearer of that login', async () => {
    const email = uniqueEmail('reset-ends');
    await createUserAccount(worker.ctx, { email, password: PASSWORD });
    const [t1, t2] = [await login(email), await login(email)];
    const refreshed = (await api.call('POST', '/auth/token/refresh', { token: t1 })).body.token;
    const before = mailTo(email).length;
    await api.call('POST', '/auth/user/emailpass/reset-password', { body: { identifier: email } });
    await waitFor(() => mailTo(email).length > before, 'the reset mail');
    const resetToken = new URL(/https?:\/\/\S+/.exec(mailTo(email).at(-1)!.text)![0]).searchParams.get('token')!;
    const newPassword = 'a brand new passphrase 9';
    expect(
      (await api.call('POST', `/auth/user/emailpass/update?token=${resetToken}`, { body: { password: newPassword } }))
        .status,
    ).toBe(200);
    for (const t of [t1, t2, refreshed]) expect((await me(t)).status).toBe(401);
    expect((await me(await login(email, newPassword))).status).toBe(200);
  });

  test('removing a user ends their sessions at once: no request, no refresh, no cookie', async () => {
    const email = uniqueEmail('removed');
    const { user } = await createUserAccount(worker.ctx, { email, password: PASSWORD });
    const token = await login(email);
    expect((await me(token)).status).toBe(200);
    expect((await api.call('DELETE', `/admin/users/${user.id}`, { token: admins[0].token })).status).toBe(200);
    expect((await me(token)).status).toBe(401);
    expect((await api.call('POST', '/auth/token/refresh', { token })).status).toBe(401);
    expect((await api.call('POST', '/auth/session', { token })).status).toBe(401);
  });

  test('the cookie is Secure behind a TLS-terminating proxy when X-Forwarded-Proto is trusted (TRUST_PROXY)', async () => {
    const token = await login(admins[1].email);
    const direct = await api.call('POST', '/auth/session', { token, headers: { 'x-forwarded-proto': 'https' } });
    expect(direct.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i); // an untrusted header changes nothing
    const proxied = await startTestApi(h, worker.ctx, { hardening: { ...RELAXED, trustProxy: true } });
    try {
      const behind = await proxied.call('POST', '/auth/session', { token, headers: { 'x-forwarded-proto': 'https' } });
      expect(behind.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
      const plain = await proxied.call('POST', '/auth/session', { token, headers: { 'x-forwarded-proto': 'http' } });
      expect(plain.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i);
    } finally {
      await proxied.close();
    }
  });
});

describe('7. limits on guessing', () => {
  let limited: TestApi;
  const limits = {
    ...DEFAULT_HARDENING.limits,
    windowSeconds: 60,
    perIp: 4,
    perIdentifier: 2,
    loginFailures: 3,
    lockoutSeconds: 1,
    lockoutMaxSeconds: 8,
  };
  beforeAll(async () => {
    limited = await startTestApi(h, worker.ctx, { hardening: { ...DEFAULT_HARDENING, limits } });
  });
  afterAll(() => limited.close());

  test('each open route (and resend) answers 429 with Retry-After past its per-IP budget', async () => {
    const routes: [string, string, (i: number) => unknown, string?][] = [
      ['POST', '/auth/user/emailpass', (i) => ({ email: uniqueEmail(`ip${i}`), password: PASSWORD })],
      ['POST', '/auth/user/emailpass/register', (i) => ({ email: `not an email ${i}`, password: PASSWORD })],
      ['POST', '/auth/user/emailpass/reset-password', (i) => ({ identifier: uniqueEmail(`ip${i}`) })],
      ['POST', '/auth/user/emailpass/update?token=garbage', () => ({ password: PASSWORD })],
      ['POST', '/admin/invites/accept?token=garbage', () => ({ password: PASSWORD })],
    ];
    for (const [method, path, body] of routes) {
      const answers = [];
      for (let i = 0; i < limits.perIp + 1; i++)
        answers.push(await limited.call(method, path.replace('garbage', `garbage${i}`), { body: body(i) }));
      const last = answers.at(-1)!;
      expect({ path, statuses: answers.slice(0, -1).map((a) => a.status < 429) }).toEqual({
        path,
        statuses: Array(limits.perIp).fill(true),
      });
      expect({ path, status: last.status, type: last.body.type }).toEqual({
        path,
        status: 429,
        type: 'too_many_requests',
      });
      expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  test('per identifier: a third reset mail to one mailbox in a window is refused; resend of one invite likewise', async () => {
    const fresh = await startTestApi(h, worker.ctx, { hardening: { ...DEFAULT_HARDENING, limits } });
    try {
      const victim = uniqueEmail('mailbox');
      const codes = [];
      for (let i = 0; i < 3; i++)
        codes.push(
          (await fresh.call('POST', '/auth/user/emailpass/reset-password', { body: { identifier: victim } })).status,
        );
      expect(codes).toEqual([201, 201, 429]);
      expect(
        (
          await fresh.call('POST', '/auth/user/emailpass/reset-password', {
            body: { identifier: uniqueEmail('other') },
          })
        ).status,
      ).toBe(201);

      const invite = (
        await fresh.call('POST', '/admin/invites', { token: admins[0].token, body: { email: uniqueEmail('resend') } })
      ).body.invite;
      const resends = [];
      for (let i = 0; i < 3; i++)
        resends.push(
          (await fresh.call('POST', `/admin/invites/${invite.id}/resend`, { token: admins[0].token })).status,
        );
      expect(resends).toEqual([200, 200, 429]);
    } finally {
      await fresh.close();
    }
  });

  test('repeated failed logins lock the e-mail with a growing delay, the right password included; a success clears it', async () => {
    const fresh = await startTestApi(h, worker.ctx, {
      hardening: { ...DEFAULT_HARDENING, limits: { ...limits, perIp: 1000, perIdentifier: 1000 } },
    });
    try {
      const email = uniqueEmail('locked');
      await createUserAccount(worker.ctx, { email, password: PASSWORD });
      const attempt = (password: string) => fresh.call('POST', '/auth/user/emailpass', { body: { email, password } });
      for (let i = 0; i < 2; i++) expect((await attempt('wrong password 1')).status).toBe(401);
      expect((await attempt('wrong password 1')).status).toBe(401); // the third failure locks (1 s)
      const locked = await attempt(PASSWORD);
      expect(locked).toMatchObject({ status: 429, body: { type: 'too_many_requests' } });
      expect(locked.headers.get('retry-after')).toBe('1');
      await new Promise((r) => setTimeout(r, 1100));
      expect((await attempt('wrong password 1')).status).toBe(401); // the fourth: locked twice as long
      expect((await attempt(PASSWORD)).headers.get('retry-after')).toBe('2');
      await new Promise((r) => setTimeout(r, 2100));
      expect((await attempt(PASSWORD)).status).toBe(200);
      expect((await attempt('wrong password 1')).status).toBe(401); // counting starts afresh after a success
      expect((await attempt(PASSWORD)).status).toBe(200);
    } finally {
      await fresh.close();
    }
  });

  test('reset answers before the e-mail is even looked up, whether or not it has a login (mail after the answer)', async () => {
    const known = uniqueEmail('known');
    await createUserAccount(worker.ctx, { email: known, password: PASSWORD });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const lookedUp: string[] = [];
    const real = h.realActivities.sendPasswordReset;
    const held = await h.startWorker({
      sendPasswordReset: async (email: string) => {
        await gate;
        lookedUp.push(email);
        return real(email);
      },
    });
    try {
      for (const identifier of [known, uniqueEmail('unknown')]) {
        const res = await api.call('POST', '/auth/user/emailpass/reset-password', { body: { identifier } });
        expect({ identifier, status: res.status, body: res.body }).toEqual({
          identifier,
          status: 201,
          body: undefined,
        });
      }
      expect(lookedUp).toEqual([]); // both answered while no lookup has happened yet
      release();
      await waitFor(() => mailTo(known).length === 1, 'the reset mail');
    } finally {
      release();
      await held.stop();
    }
  });
});

describe('9. right answers', () => {
  test('null body, paging and date errors say what was expected; long values are quoted by a short prefix', async () => {
    const t = { token: admins[0].token };
    expect(await api.call('POST', `/admin/users/${admins[0].id}`, { ...t, body: 'null' })).toMatchObject({
      status: 400,
      body: { type: 'invalid_data', message: "Invalid request: Expected a JSON object, got: 'null'" },
    });
    expect(await api.call('GET', '/admin/users?limit=abc', t)).toMatchObject({
      status: 400,
      body: { message: "Invalid request: Field 'limit' must be a whole number from 0 to 1000, got 'abc'" },
    });
    expect(await api.call('GET', '/admin/invites?offset=-1', t)).toMatchObject({
      status: 400,
      body: { message: "Invalid request: Field 'offset' must be a whole number from 0, got '-1'" },
    });
    expect(await api.call('GET', '/admin/invites?expires_at[$gt]=soon', t)).toMatchObject({
      status: 400,
      body: {
        message:
          "Invalid request: Field 'expires_at[$gt]' must be a date such as 2026-01-31 or 2026-01-31T12:00:00Z, got 'soon'",
      },
    });
    const huge = await api.call('POST', '/admin/invites', {
      ...t,
      body: { email: `${'x'.repeat(900_000)}@example.com` },
    });
    expect(huge).toMatchObject({
      status: 400,
      body: { message: "Invalid request: Field 'email' must be at most 254 characters" },
    });
    const avatar = await api.call('POST', `/admin/users/${admins[0].id}`, {
      ...t,
      body: { avatar_url: `javascript:${'a'.repeat(500)}` },
    });
    expect(avatar.status).toBe(400);
    expect(avatar.body.message.length).toBeLessThan(160);
  });

  test('revoking an unknown invite is 404; an accepted one is 400 and stays readable', async () => {
    const t = { token: admins[0].token };
    expect(await api.call('DELETE', '/admin/invites/invite_01ZZZZZZZZZZZZZZZZZZZZZZZZ', t)).toMatchObject({
      status: 404,
      body: { type: 'not_found', message: 'Invite with id: invite_01ZZZZZZZZZZZZZZZZZZZZZZZZ was not found' },
    });
    const email = uniqueEmail('kept');
    const invite = (await api.call('POST', '/admin/invites', { ...t, body: { email } })).body.invite;
    expect(
      (await api.call('POST', `/admin/invites/accept?token=${invite.token}`, { body: { password: PASSWORD } })).status,
    ).toBe(200);
    expect(await api.call('DELETE', `/admin/invites/${invite.id}`, t)).toMatchObject({
      status: 400,
      body: { type: 'not_allowed', message: expect.stringContaining('An accepted invite cannot be revoked') },
    });
    expect(await api.call('GET', `/admin/invites/${invite.id}`, t)).toMatchObject({
      status: 200,
      body: { invite: { status: 'accepted' } },
    });
  });

  test('414 and 431 answer {type, message} too', async () => {
    const long = await api.call('GET', `/admin/users/${'u'.repeat(150)}`, { token: admins[0].token });
    expect(long).toMatchObject({
      status: 414,
      body: { type: 'invalid_data', message: expect.stringContaining('path segment') },
    });
    const headers = await api.call('GET', '/admin/users', { headers: { 'x-big': 'h'.repeat(20_000) } });
    expect(headers).toMatchObject({ status: 431, body: { type: 'invalid_data' } });
  });
});

describe('10. hardening', () => {
  test('security headers everywhere; answers that carry tokens are never cached', async () => {
    const login = await api.call('POST', '/auth/user/emailpass', {
      body: { email: admins[0].email, password: PASSWORD },
    });
    const invite = await api.call('POST', '/admin/invites', {
      token: admins[0].token,
      body: { email: uniqueEmail('hdr') },
    });
    const reg = await api.call('POST', '/auth/user/emailpass/register', {
      body: { email: uniqueEmail('hdr'), password: PASSWORD },
    });
    for (const res of [login, invite, reg, await api.call('GET', '/admin/users/me', { token: admins[0].token })]) {
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('strict-transport-security')).toContain('max-age=');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    }
  });

  test('/docs can be switched off', async () => {
    expect((await api.call('GET', '/docs/json')).status).toBe(200);
    const off = await startTestApi(h, worker.ctx, { hardening: { ...DEFAULT_HARDENING, docs: false } });
    try {
      expect(await off.call('GET', '/docs/json')).toMatchObject({ status: 404, body: { type: 'not_found' } });
      expect((await off.call('GET', '/docs')).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});
