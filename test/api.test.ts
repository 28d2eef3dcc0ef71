import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { readiness } from '../api/health';
import { buildApi } from '../api/server';
import { createUserAccount, type UsermodClient } from '../client';
import { freePort } from '../devstack/free-port';
import { grantRoles, openHarness, sentMail, testInviteTokens, uniqueEmail, type Harness } from './harness';

let h: Harness;
let worker: { ctx: UsermodClient; stop(): Promise<void> };
let app: FastifyInstance;
let base: string;
let adminToken: string;
let admin: { id: string; email: string };
const PASSWORD = 'admin password 1';

type Res = { status: number; body: any; headers: Headers };
async function call(
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Res> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text ? (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) : undefined,
    headers: res.headers,
  };
}
const login = async (email: string, password: string) =>
  (await call('POST', '/auth/user/emailpass', { body: { email, password } })).body.token as string;

beforeAll(async () => {
  h = await openHarness();
  worker = await h.startWorker();
  app = await buildApi({
    store: h.store,
    usermod: worker.ctx,
    jwtSecret: testInviteTokens.secret,
    jwtExpiresIn: '1h',
    health: readiness({
      ping: () => h.prisma.$queryRaw`SELECT 1`,
      store: h.store,
      usermod: worker.ctx,
      namespace: 'default',
    }),
  });
  const port = await freePort();
  await app.listen({ host: '127.0.0.1', port });
  base = `http://127.0.0.1:${port}`;
  const email = uniqueEmail('admin');
  admin = (await createUserAccount(worker.ctx, { email, password: PASSWORD, first_name: 'Root' })).user;
  await grantRoles(h, admin.id);
  adminToken = await login(email, PASSWORD);
});
afterAll(async () => {
  await app?.close();
  await worker?.stop();
  await h.close();
});

describe('server', () => {
  test('GET /health is 200 with the database and Temporal reachable and a worker polling; /docs serves the generated OpenAPI', async () => {
    expect(await call('GET', '/health')).toMatchObject({
      status: 200,
      body: { status: 'ok', database: true, temporal: true, worker: true },
    });
    const spec = await call('GET', '/docs/json');
    expect(spec.status).toBe(200);
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining([
        '/admin/invites',
        '/admin/invites/accept',
        '/admin/users/{id}',
        '/auth/user/emailpass/register',
      ]),
    );
    expect(
      spec.body.paths['/admin/invites'].post.requestBody.content['application/json'].schema.properties,
    ).toHaveProperty('email');
    expect((await call('GET', '/docs/')).status).toBe(200);
  });

  test('unknown routes and malformed JSON get a typed error, never a stack trace or a 500', async () => {
    expect(await call('GET', '/admin/nothing', { token: adminToken })).toMatchObject({
      status: 404,
      body: { type: 'not_found' },
    });
    const bad = await call('POST', '/admin/invites', { token: adminToken, body: '{"email": ' });
    expect(bad.status).toBe(400);
    expect(bad.body.type).toBe('invalid_data');
    expect(JSON.stringify(bad.body)).not.toMatch(/at .*\.js/);
  });
});

describe('auth routes', () => {
  test('register, log in, refresh, session cookie; wrong e-mail and wrong password answer alike', async () => {
    const email = uniqueEmail('login');
    const reg = await call('POST', '/auth/user/emailpass/register', { body: { email, password: PASSWORD } });
    expect(reg.status).toBe(200);
    expect(JSON.parse(Buffer.from(reg.body.token.split('.')[1], 'base64url').toString())).toMatchObject({
      actor_id: '',
      actor_type: 'user',
      auth_identity_id: expect.stringMatching(/^authid_/),
    });
    expect(await call('POST', '/auth/user/emailpass/register', { body: { email, password: PASSWORD } })).toMatchObject({
      status: 401,
      body: { type: 'unauthorized', message: 'Identity with email already exists' },
    });

    for (const body of [
      { email: uniqueEmail('ghost'), password: PASSWORD },
      { email: admin.email, password: 'wrong password' },
    ]) {
      expect(await call('POST', '/auth/user/emailpass', { body })).toMatchObject({
        status: 401,
        body: { type: 'unauthorized', message: 'Invalid email or password' },
      });
    }
    expect(await call('POST', '/auth/user/emailpass', { body: { email: admin.email } })).toMatchObject({
      status: 400,
      body: { message: "Invalid request: Field 'password' is required" },
    });

    // A session of its own: logging out below ends it, with every bearer it gave.
    const refreshed = await call('POST', '/auth/token/refresh', { token: await login(admin.email, PASSWORD) });
    expect(refreshed.status).toBe(200);
    const session = await call('POST', '/auth/session', { token: refreshed.body.token });
    expect(session.body.user).toMatchObject({ actor_id: admin.id });
    const cookie = session.headers.get('set-cookie')!.split(';')[0];
    expect(session.headers.get('set-cookie')).toContain('HttpOnly');
    expect(await call('GET', '/admin/users/me', { headers: { cookie } })).toMatchObject({
      status: 200,
      body: { user: { id: admin.id } },
    });
    expect(await call('DELETE', '/auth/session', { headers: { cookie } })).toMatchObject({
      status: 200,
      body: { success: true },
    });
  });

  test('password reset: always 201; the mailed token works once', async () => {
    expect(
      (await call('POST', '/auth/user/emailpass/reset-password', { body: { identifier: uniqueEmail('nobody') } }))
        .status,
    ).toBe(201);
    expect(await call('POST', '/auth/user/emailpass/reset-password', { body: {} })).toMatchObject({
      status: 400,
      body: { message: "Invalid request: Field 'identifier' is required" },
    });
    const email = uniqueEmail('reset');
    await createUserAccount(worker.ctx, { email, password: PASSWORD });
    const before = sentMail.length;
    expect((await call('POST', '/auth/user/emailpass/reset-password', { body: { identifier: email } })).status).toBe(
      201,
    );
    // The mail goes out after the answer (so that the answer's timing tells nothing).
    for (let i = 0; i < 100 && !sentMail.slice(before).some((m) => m.to === email); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const mail = sentMail.slice(before).find((m) => m.to === email)!;
    const token = new URL(/https?:\/\/\S+/.exec(mail.text)![0]).searchParams.get('token')!;
    expect(
      await call('POST', `/auth/user/emailpass/update?token=${token}`, { body: { password: 'brand new password' } }),
    ).toMatchObject({ status: 200, body: { success: true } });
    expect(await login(email, 'brand new password')).toEqual(expect.any(String));
    expect(
      await call('POST', `/auth/user/emailpass/update?token=${token}`, { body: { password: 'third password!' } }),
    ).toMatchObject({ status: 401, body: { type: 'unauthorized', message: 'Invalid token' } });
    expect(
      await call('POST', '/auth/user/emailpass/update?token=garbage', { body: { password: 'third password!' } }),
    ).toMatchObject({ status: 401, body: { message: 'Invalid token' } });
  });
});

describe('admin routes need a registered, live user', () => {
  const routes: [string, string, unknown?][] = [
    ['GET', '/admin/invites'],
    ['POST', '/admin/invites', { email: 'x@example.com' }],
    ['GET', '/admin/invites/invite_x'],
    ['DELETE', '/admin/invites/invite_x'],
    ['POST', '/admin/invites/invite_x/resend'],
    ['GET', '/admin/users'],
    ['GET', '/admin/users/me'],
    ['GET', '/admin/users/user_x'],
    ['POST', '/admin/users/user_x', { first_name: 'x' }],
    ['DELETE', '/admin/users/user_x'],
    ['POST', '/admin/users', { email: 'x@example.com', password: 'long enough' }],
  ];

  test('no token, malformed, wrong secret, expired, unlinked identity and deleted user: 401 on every admin route', async () => {
    const claims = { actor_id: admin.id, actor_type: 'user', auth_identity_id: 'authid_x', app_metadata: {} };
    const sign = (secret: string, exp: string | number) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt()
        .setExpirationTime(exp)
        .sign(new TextEncoder().encode(secret));
    const unlinked = (
      await call('POST', '/auth/user/emailpass/register', {
        body: { email: uniqueEmail('unlinked'), password: PASSWORD },
      })
    ).body.token;
    const doomedEmail = uniqueEmail('doomed');
    const doomed = (await createUserAccount(worker.ctx, { email: doomedEmail, password: PASSWORD })).user;
    const doomedToken = await login(doomedEmail, PASSWORD);
    expect((await call('GET', '/admin/users/me', { token: doomedToken })).status).toBe(200);
    expect(await call('DELETE', `/admin/users/${doomed.id}`, { token: adminToken })).toMatchObject({
      status: 200,
      body: { id: doomed.id, object: 'user', deleted: true },
    });

    const bad: Record<string, string | undefined> = {
      'no token': undefined,
      malformed: 'not-a-jwt',
      'wrong secret': await sign('another-secret-another-secret-12345', '1h'),
      expired: await sign(testInviteTokens.secret, Math.floor(Date.now() / 1000) - 60),
      'unlinked identity': unlinked,
      'deleted user': doomedToken,
    };
    for (const [why, token] of Object.entries(bad)) {
      for (const [method, path, body] of routes) {
        const res = await call(method, path, { token, body });
        expect({ why, method, path, status: res.status, body: res.body }).toEqual({
          why,
          method,
          path,
          status: 401,
          body: { type: 'unauthorized', message: 'Unauthorized' },
        });
      }
    }
    // The deleted user's login is gone too, so its e-mail can be invited again.
    expect(
      (await call('POST', '/auth/user/emailpass', { body: { email: doomedEmail, password: PASSWORD } })).status,
    ).toBe(401);
    expect((await call('POST', '/admin/invites', { token: adminToken, body: { email: doomedEmail } })).status).toBe(
      200,
    );
  });
});

describe('invite routes', () => {
  test('create, list, get, resend, revoke: shapes as Medusa, tokens only in create and resend', async () => {
    const email = uniqueEmail('inv');
    const created = await call('POST', '/admin/invites', {
      token: adminToken,
      body: { email, metadata: { team: 'ops' } },
    });
    expect(created).toMatchObject({
      status: 200,
      body: {
        invite: { email, status: 'pending', accepted: false, metadata: { team: 'ops' }, token: expect.any(String) },
      },
    });
    const id = created.body.invite.id;

    const list = await call('GET', `/admin/invites?q=${email.split('@')[0]}`, { token: adminToken });
    expect(list.body).toMatchObject({ count: 1, offset: 0, limit: 50 });
    expect(list.body.invites[0]).not.toHaveProperty('token');
    expect((await call('GET', `/admin/invites?id=${id}&fields=email`, { token: adminToken })).body.invites).toEqual([
      { id, email },
    ]);
    const one = await call('GET', `/admin/invites/${id}`, { token: adminToken });
    expect(one.body.invite).toMatchObject({ id, email });
    expect(one.body.invite).not.toHaveProperty('token');

    const resent = await call('POST', `/admin/invites/${id}/resend`, { token: adminToken });
    expect(resent.body.invite.token).not.toBe(created.body.invite.token);
    expect(
      await call('POST', `/admin/invites/accept?token=${created.body.invite.token}`, { body: { password: PASSWORD } }),
    ).toMatchObject({
      status: 401,
      body: { type: 'unauthorized', message: 'The invite token is no longer valid: a newer one was sent' },
    });

    expect(await call('DELETE', `/admin/invites/${id}`, { token: adminToken })).toMatchObject({
      status: 200,
      body: { id, object: 'invite', deleted: true },
    });
    expect(await call('GET', `/admin/invites/${id}`, { token: adminToken })).toMatchObject({
      status: 404,
      body: { type: 'not_found', message: `Invite with id: ${id} was not found` },
    });
    expect(
      await call('POST', `/admin/invites/accept?token=${resent.body.invite.token}`, { body: { password: PASSWORD } }),
    ).toMatchObject({ status: 401, body: { message: 'The invite has been revoked' } });
    expect(await call('POST', '/admin/invites/invite_missing/resend', { token: adminToken })).toMatchObject({
      status: 400,
      body: { message: 'The following invites do not exist: invite_missing' },
    });
  });

  test('strict validation and business errors with their messages', async () => {
    const t = { token: adminToken };
    expect(await call('POST', '/admin/invites', { ...t, body: { email: 'a@example.com', x: 1 } })).toMatchObject({
      status: 400,
      body: { type: 'invalid_data', message: "Invalid request: Unrecognized fields: 'x'" },
    });
    expect(await call('POST', '/admin/invites', { ...t, body: {} })).toMatchObject({
      status: 400,
      body: { message: "Invalid request: Field 'email' is required" },
    });
    expect(await call('POST', '/admin/invites', { ...t, body: { email: 5 } })).toMatchObject({
      status: 400,
      body: { message: "Invalid request: Expected type: 'string' for field 'email', got: 'number'" },
    });
    expect(await call('POST', '/admin/invites', { ...t, body: { email: admin.email } })).toMatchObject({
      status: 400,
      body: { message: `User account for following email(s) already exist: ${admin.email}` },
    });
    const email = uniqueEmail('twice');
    await call('POST', '/admin/invites', { ...t, body: { email } });
    expect(await call('POST', '/admin/invites', { ...t, body: { email } })).toMatchObject({
      status: 400,
      body: { message: `Invite with email: ${email}, already exists.` },
    });
    expect(await call('GET', '/admin/invites?limit=-1', t)).toMatchObject({
      status: 400,
      body: { type: 'invalid_data' },
    });
    expect(await call('GET', '/admin/invites?bogus=1', t)).toMatchObject({
      status: 400,
      body: { message: "Invalid request: Unrecognized fields: 'bogus'" },
    });
  });

  test('Idempotency-Key: a retried create returns the first result and creates one invite', async () => {
    const email = uniqueEmail('idem');
    const key = `idem-${Date.now()}`;
    const [a, b] = [
      await call('POST', '/admin/invites', { token: adminToken, body: { email }, headers: { 'idempotency-key': key } }),
      await call('POST', '/admin/invites', { token: adminToken, body: { email }, headers: { 'idempotency-key': key } }),
    ];
    expect(a.status).toBe(200);
    expect(b.body).toEqual(a.body);
    expect(await h.prisma.invite.count({ where: { email } })).toBe(1);
  });
});

describe('accepting an invite over HTTP', () => {
  test("two steps (Medusa's): register, accept with its bearer, refresh to a registered token", async () => {
    const email = uniqueEmail('two');
    const invite = (await call('POST', '/admin/invites', { token: adminToken, body: { email } })).body.invite;
    const reg = (await call('POST', '/auth/user/emailpass/register', { body: { email, password: PASSWORD } })).body
      .token;
    const accepted = await call('POST', `/admin/invites/accept?token=${invite.token}`, {
      token: reg,
      body: { first_name: 'Two', last_name: null },
    });
    expect(accepted).toMatchObject({ status: 200, body: { user: { email, first_name: 'Two' } } });
    const fresh = (await call('POST', '/auth/token/refresh', { token: reg })).body.token;
    expect(await call('GET', '/admin/users/me', { token: fresh })).toMatchObject({
      status: 200,
      body: { user: { id: accepted.body.user.id } },
    });
    expect(
      await call('POST', `/admin/invites/accept?token=${invite.token}`, { body: { password: PASSWORD } }),
    ).toMatchObject({
      status: 401,
      body: { message: 'The invite has already been accepted or is being accepted' },
    });
    expect((await call('GET', `/admin/invites/${invite.id}`, { token: adminToken })).body.invite).toMatchObject({
      status: 'accepted',
      accepted: true,
    });
  });

  test('one step: a password and no prior register; refusals name their cause', async () => {
    const email = uniqueEmail('one');
    const invite = (await call('POST', '/admin/invites', { token: adminToken, body: { email } })).body.invite;
    expect(await call('POST', '/admin/invites/accept', { body: { password: PASSWORD } })).toMatchObject({
      status: 400,
      body: { message: "Invalid request: Field 'token' is required" },
    });
    expect(await call('POST', `/admin/invites/accept?token=${invite.token}`, { body: {} })).toMatchObject({
      status: 401,
    });
    expect(
      await call('POST', `/admin/invites/accept?token=${invite.token}`, { token: adminToken, body: {} }),
    ).toMatchObject({
      status: 400,
      body: { message: 'The user is already authenticated and cannot accept an invite.' },
    });
    expect(
      await call('POST', `/admin/invites/accept?token=${invite.token}x`, { body: { password: PASSWORD } }),
    ).toMatchObject({ status: 401, body: { message: expect.stringMatching(/^Invalid invite token/) } });
    expect(
      await call('POST', `/admin/invites/accept?token=${invite.token}`, { body: { password: 'short' } }),
    ).toMatchObject({ status: 400, body: { message: 'Password must be at least 8 characters long' } });
    expect(
      await call('POST', `/admin/invites/accept?token=${invite.token}`, {
        body: { password: PASSWORD, email: 'other@example.com' },
      }),
    ).toMatchObject({ status: 400, body: { message: expect.stringContaining('does not match the invite') } });

    const ok = await call('POST', `/admin/invites/accept?token=${invite.token}`, {
      body: { password: PASSWORD, first_name: 'One' },
    });
    expect(ok).toMatchObject({ status: 200, body: { user: { email, first_name: 'One' } } });
    const token = await login(email, PASSWORD);
    expect(await call('GET', '/admin/users/me', { token })).toMatchObject({ status: 200, body: { user: { email } } });
  });
});

describe('user routes', () => {
  test('create, list, get, update, delete (not oneself), with Medusa shapes and messages', async () => {
    const email = uniqueEmail('made');
    const created = await call('POST', '/admin/users', {
      token: adminToken,
      body: { email, password: PASSWORD, first_name: 'Made' },
    });
    expect(created).toMatchObject({ status: 200, body: { user: { email, first_name: 'Made' } } });
    const id = created.body.user.id;
    expect((await call('GET', `/admin/users?q=${email.split('@')[0]}`, { token: adminToken })).body).toMatchObject({
      users: [{ id }],
      count: 1,
      offset: 0,
      limit: 50,
    });
    expect((await call('GET', `/admin/users/${id}`, { token: adminToken })).body.user).toMatchObject({ id, email });
    const updated = await call('POST', `/admin/users/${id}`, {
      token: adminToken,
      body: { last_name: 'User', metadata: { a: 1 } },
    });
    expect(updated.body.user).toMatchObject({ first_name: 'Made', last_name: 'User', metadata: { a: 1 } });
    expect(
      await call('POST', `/admin/users/${id}`, { token: adminToken, body: { email: 'x@example.com' } }),
    ).toMatchObject({ status: 400, body: { message: "Invalid request: Unrecognized fields: 'email'" } });
    expect(
      await call('POST', '/admin/users/user_missing', { token: adminToken, body: { first_name: 'x' } }),
    ).toMatchObject({ status: 404, body: { message: 'User with id "user_missing" not found' } });
    expect(await call('GET', '/admin/users/user_missing', { token: adminToken })).toMatchObject({
      status: 404,
      body: { message: 'User with id: user_missing was not found' },
    });
    expect(
      await call('POST', '/admin/users', { token: adminToken, body: { email, password: PASSWORD } }),
    ).toMatchObject({ status: 400, body: { message: `User with email: ${email}, already exists.` } });
    expect(await call('DELETE', `/admin/users/${admin.id}`, { token: adminToken })).toMatchObject({
      status: 400,
      body: { type: 'not_allowed', message: 'You are not allowed to delete yourself' },
    });
    expect(await call('DELETE', `/admin/users/${id}`, { token: adminToken })).toMatchObject({
      status: 200,
      body: { id, object: 'user', deleted: true },
    });
    expect((await call('GET', `/admin/users/${id}`, { token: adminToken })).status).toBe(404);
  });
});
