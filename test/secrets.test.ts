import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { createUserAccount, type UsermodClient } from '../client';
import { buildCodecServer } from '../codec/server';
import { createLogger } from '../infra/logger';
import { grantRoles, openHarness, sentMail, testCodecKeys, uniqueEmail, workerLog, type Harness } from './harness';
import { startTestApi, type TestApi } from './http';

// Issue 10, points 4 and 5: a full create / resend / accept / reset / remove run over HTTP, then every
// line the API and the workers logged, and every payload of every workflow history of the run decoded
// through the codec server, searched for every secret the run handled.

let h: Harness;
let worker: { ctx: UsermodClient; stop(): Promise<void> };
let api: TestApi;
const apiLog: string[] = [];

beforeAll(async () => {
  h = await openHarness();
  worker = await h.startWorker();
  const sink = new Writable({
    write(chunk, _enc, done) {
      apiLog.push(String(chunk));
      done();
    },
  });
  api = await startTestApi(h, worker.ctx, { logger: createLogger(sink, 'trace') as FastifyBaseLogger });
});
afterAll(async () => {
  await api?.close();
  await worker?.stop();
  await h.close();
});

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const linkToken = (text: string) => new URL(/https?:\/\/\S+/.exec(text)![0]).searchParams.get('token')!;
async function mailFor(to: string, count: number) {
  for (let i = 0; i < 100 && sentMail.filter((m) => m.to === to).length < count; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  return sentMail.filter((m) => m.to === to).at(-1)!;
}

/** Every secret the run below handles, by name (filled in as the run goes). */
const secrets: Record<string, string> = {};
const allHashes = async () => {
  const [logins, invites] = await Promise.all([
    h.prisma.providerIdentity.findMany({ select: { password_hash: true } }),
    h.prisma.invite.findMany({ select: { token_hash: true } }),
  ]);
  logins.forEach((l, i) => l.password_hash && (secrets[`password hash #${i}`] ??= l.password_hash));
  invites.forEach((inv, i) => (secrets[`token hash #${i}`] ??= inv.token_hash));
};

test('a full create / resend / accept / session / reset / remove run over HTTP', async () => {
  const adminEmail = uniqueEmail('sec-admin');
  secrets['admin password'] = 'admin secret phrase 31';
  const { user: admin } = await createUserAccount(worker.ctx, {
    email: adminEmail,
    password: secrets['admin password'],
  });
  await grantRoles(h, admin.id);
  const login = await api.call('POST', '/auth/user/emailpass', {
    body: { email: adminEmail, password: secrets['admin password'] },
  });
  secrets['admin bearer'] = login.body.token;
  const bearer = { token: secrets['admin bearer'] };

  const invitee = uniqueEmail('sec-invitee');
  const created = await api.call('POST', '/admin/invites', { ...bearer, body: { email: invitee } });
  secrets['first invite token'] = created.body.invite.token;
  await allHashes();
  const resent = await api.call('POST', `/admin/invites/${created.body.invite.id}/resend`, bearer);
  secrets['second invite token'] = resent.body.invite.token;
  secrets['mailed invite token'] = linkToken((await mailFor(invitee, 2)).text);
  await allHashes();

  // A refused accept (old token) and the one-step accept, which replaces a squatter's unlinked login.
  secrets['squatter password'] = 'squatter secret phrase 5';
  const squat = await api.call('POST', '/auth/user/emailpass/register', {
    body: { email: invitee, password: secrets['squatter password'] },
  });
  secrets['squatter bearer'] = squat.body.token;
  await allHashes();
  expect(
    (
      await api.call('POST', `/admin/invites/accept?token=${secrets['first invite token']}`, {
        body: { password: 'refused secret phrase 2' },
      })
    ).status,
  ).toBe(401);
  secrets['invitee password'] = 'invitee secret phrase 8';
  const accepted = await api.call('POST', `/admin/invites/accept?token=${secrets['second invite token']}`, {
    body: { password: secrets['invitee password'], first_name: 'Ivy' },
  });
  expect(accepted.status).toBe(200);
  await allHashes();

  const inviteeLogin = await api.call('POST', '/auth/user/emailpass', {
    body: { email: invitee, password: secrets['invitee password'] },
  });
  secrets['invitee bearer'] = inviteeLogin.body.token;
  const session = await api.call('POST', '/auth/session', { token: secrets['invitee bearer'] });
  secrets['session cookie'] = session.headers.get('set-cookie')!.split(';')[0].split('=')[1];
  expect(
    (await api.call('GET', '/admin/users/me', { headers: { cookie: `usermod_session=${secrets['session cookie']}` } }))
      .status,
  ).toBe(200);
  expect(
    (await api.call('POST', '/auth/user/emailpass', { body: { email: invitee, password: 'wrong secret phrase 77' } }))
      .status,
  ).toBe(401);
  secrets['wrong password'] = 'wrong secret phrase 77';

  expect(
    (await api.call('POST', '/auth/user/emailpass/reset-password', { body: { identifier: invitee } })).status,
  ).toBe(201);
  secrets['reset token'] = linkToken((await mailFor(invitee, 3)).text);
  secrets['new password'] = 'renewed secret phrase 4';
  expect(
    (
      await api.call('POST', `/auth/user/emailpass/update?token=${secrets['reset token']}`, {
        body: { password: secrets['new password'] },
      })
    ).status,
  ).toBe(200);
  expect(
    (
      await api.call('POST', `/auth/user/emailpass/update?token=${secrets['reset token']}`, {
        body: { password: 'again secret phrase 6' },
      })
    ).status,
  ).toBe(401);
  await allHashes();
  expect(
    (await api.call('DELETE', '/auth/session', { headers: { cookie: `usermod_session=${secrets['session cookie']}` } }))
      .status,
  ).toBe(200);

  // Removing the user snapshots its login (hash included) for the compensation.
  expect((await api.call('DELETE', `/admin/users/${accepted.body.user.id}`, bearer)).status).toBe(200);

  for (const name of Object.keys(secrets).filter((n) => n.includes('token') && !n.includes('hash'))) {
    secrets[`sha256 of the ${name}`] = sha256(secrets[name]);
  }
  expect(Object.keys(secrets).length).toBeGreaterThanOrEqual(18);
});

const leaks = (haystack: string) =>
  Object.entries(secrets)
    .filter(([, v]) => haystack.includes(v))
    .map(([k]) => k);

test('4. no secret in any log line of the API or the workers', () => {
  const api = apiLog.join('');
  const workers = workerLog.join('\n');
  // The logs are not empty: every request is there, its token cut from the URL.
  expect(api).toContain('/admin/invites/accept?token=[redacted]');
  expect(api).toContain('/auth/user/emailpass/update?token=[redacted]');
  expect(workers.length).toBeGreaterThan(0);
  expect({ api: leaks(api), workers: leaks(workers) }).toEqual({ api: [], workers: [] });
});

test('5. no password or token hash in workflow history, even decoded through the codec server', async () => {
  // Every run of this file (visibility catches up within moments of a run's close).
  let ids: string[] = [];
  for (let i = 0; i < 50 && ids.length < 9; i++) {
    ids = [];
    for await (const wf of h.client.workflow.list({ query: `TaskQueue = '${worker.ctx.taskQueue}'` }))
      ids.push(wf.workflowId);
    if (ids.length < 9) await new Promise((r) => setTimeout(r, 200));
  }
  expect(ids.length).toBeGreaterThanOrEqual(9);

  const codec = await buildCodecServer({ keys: testCodecKeys, token: 'secrets-test-codec-token', uiOrigins: [] });
  try {
    let decoded = '';
    let sealed = 0;
    for (const id of ids) {
      const history = await h.client.workflow.getHandle(id).fetchHistory();
      // History messages serialise their bytes as base64 (protobufjs' toJSON): the codec protocol's own form.
      const payloads: { metadata: Record<string, string>; data: string }[] = [];
      const raw = JSON.stringify(history, (_k, v: unknown) => {
        const p = v as { metadata?: Record<string, string>; data?: unknown } | null;
        if (p && typeof p === 'object' && p.metadata && typeof p.data === 'string') {
          payloads.push({ metadata: p.metadata, data: p.data });
        }
        return v;
      });
      const res = await codec.inject({
        method: 'POST',
        url: '/decode',
        headers: { authorization: 'Bearer secrets-test-codec-token' },
        payload: { payloads },
      });
      expect(res.statusCode).toBe(200);
      const text = (res.json().payloads as { data: string }[])
        .map((p) => Buffer.from(p.data, 'base64').toString('utf8'))
        .join('\n');
      sealed += text.split('sealed:v1:').length - 1;
      decoded += `${text}\n${raw}\n`;
    }
    // The hashes did travel: sealed, in inputs and compensation snapshots.
    expect(sealed).toBeGreaterThanOrEqual(6);
    expect(decoded).not.toContain('c2NyeXB0'); // base64 of "scrypt", how every scrypt-kdf hash begins
    expect(leaks(decoded)).toEqual([]);
  } finally {
    await codec.close();
  }
});

test('5. the codec server needs its token: none configured refuses to start, none presented is 401', async () => {
  await expect(buildCodecServer({ keys: testCodecKeys, token: '', uiOrigins: [] })).rejects.toThrow(/needs a token/);
  const codec = await buildCodecServer({ keys: testCodecKeys, token: 'secrets-test-codec-token', uiOrigins: [] });
  try {
    const res = await codec.inject({ method: 'POST', url: '/decode', payload: { payloads: [] } });
    expect(res.statusCode).toBe(401);
    expect(
      (await codec.inject({ method: 'POST', url: '/wrong-token-0123456789/decode', payload: { payloads: [] } }))
        .statusCode,
    ).toBe(401);
  } finally {
    await codec.close();
  }
});
