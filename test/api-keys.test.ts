// Issue 12: secret API keys over real HTTP on the real stack: shown once, stored as a salted slow hash,
// sent as HTTP Basic, acting with their own roles (never beyond their creator's), revoked with grace,
// deleted only once revoked; no secret in the database or in Temporal history.
import { buildCodecServer } from '../codec/server';
import { SUPER_ADMIN_ROLE_ID } from '../domain';
import { testCodecKeys, uniqueEmail, type Harness } from './harness';
import type { TestApi } from './http';
import { rbacStack, type Person, type RbacStack } from './rbac-stack';

const PASSWORD = 'api keys password 1';
const stack = rbacStack(PASSWORD);
const { person, roleWith } = stack;
let h: Harness;
let worker: RbacStack['worker'];
let api: TestApi;
let root: Person;
beforeAll(() => ({ h, worker, api, root } = stack));

const basic = (secret: string) => ({ authorization: `Basic ${secret}` });
const basicStandard = (secret: string) => ({
  authorization: `Basic ${Buffer.from(`${secret}:`).toString('base64')}`,
});

test('a key with user:read lists users and cannot create invites; Basic in both forms; Bearer gets a hint', async () => {
  const reader = await roleWith('key-reader', 'user:read');
  const created = await api.call('POST', '/admin/api-keys', {
    token: root.token,
    body: { title: 'ci', roles: [reader] },
  });
  expect(created).toMatchObject({
    status: 200,
    body: {
      api_key: {
        id: expect.stringMatching(/^apk_/),
        title: 'ci',
        type: 'secret',
        token: expect.stringMatching(/^sk_[0-9a-f]{64}$/),
        created_by: root.id,
        revoked_at: null,
        roles: [reader],
      },
    },
  });
  const { id, token: secret } = created.body.api_key;
  expect(created.body.api_key.redacted).toBe(`${secret.slice(0, 6)}***${secret.slice(-3)}`);

  for (const headers of [basic(secret), basicStandard(secret)])
    expect((await api.call('GET', '/admin/users', { headers })).status).toBe(200);
  expect(
    await api.call('POST', '/admin/invites', { headers: basic(secret), body: { email: uniqueEmail('k') } }),
  ).toMatchObject({
    status: 403,
    body: { type: 'forbidden', message: 'Insufficient permissions. Required policies: invite:create' },
  });
  expect((await api.call('GET', '/admin/rbac/me/permissions', { headers: basic(secret) })).body).toEqual({
    permissions: ['user:read'],
  });
  expect(await api.call('GET', '/admin/users', { token: secret })).toMatchObject({
    status: 401,
    body: { type: 'unauthorized', message: expect.stringContaining('Authorization: Basic <secret-api-key>') },
  });
  const wrong = `sk_${'0'.repeat(64)}`;
  expect((await api.call('GET', '/admin/users', { headers: basic(wrong) })).status).toBe(401);
  expect((await api.call('GET', '/admin/users', { headers: basic(`${secret.slice(0, -1)}x`) })).status).toBe(401);

  // Listed redacted only, with its last use; the secret is nowhere but in the create answer.
  const list = await api.call('GET', '/admin/api-keys', { token: root.token });
  const row = list.body.api_keys.find((k: any) => k.id === id);
  expect(row).toMatchObject({ token: '', redacted: created.body.api_key.redacted, last_used_at: expect.any(String) });
  expect(list.body).toMatchObject({ offset: 0, limit: 20 });
  expect(JSON.stringify(list.body)).not.toContain(secret);
  expect((await api.call('GET', `/admin/api-keys/${id}`, { token: root.token })).body.api_key.token).toBe('');

  // A key's roles are read per request: the role's policy removed, the key is refused at once.
  const [userRead] = await h.prisma.rbacPolicy.findMany({ where: { key: 'user:read' } });
  await api.call('DELETE', `/admin/rbac/roles/${reader}/policies/${userRead.id}`, { token: root.token });
  expect((await api.call('GET', '/admin/users', { headers: basic(secret) })).status).toBe(403);

  // A key without roles: 403 Forbidden, as a user without roles.
  const bare = await api.call('POST', '/admin/api-keys', { token: root.token, body: { title: 'bare' } });
  expect(await api.call('GET', '/admin/users', { headers: basic(bare.body.api_key.token) })).toMatchObject({
    status: 403,
    body: { type: 'forbidden', message: 'Forbidden' },
  });
  expect((await api.call('GET', '/admin/users/me', { headers: basic(bare.body.api_key.token) })).status).toBe(400);
});

test('no escalation: a key gets only roles its creator could grant; a key cannot mint a stronger key', async () => {
  const maker = await person('key-maker', [await roleWith('key-maker', 'api_key:create', 'user:read')]);
  expect(
    await api.call('POST', '/admin/api-keys', {
      token: maker.token,
      body: { title: 'x', roles: [SUPER_ADMIN_ROLE_ID] },
    }),
  ).toMatchObject({ status: 403, body: { message: 'You do not have permission to assign these roles' } });
  const keyMaker = await roleWith('key-maker-2', 'api_key:create', 'user:read');
  const own = await api.call('POST', '/admin/api-keys', {
    token: maker.token,
    body: { title: 'mine', roles: [keyMaker] },
  });
  expect(own.status).toBe(200);
  // The key itself acts with its roles only: it cannot give a new key more than it holds.
  expect(
    await api.call('POST', '/admin/api-keys', {
      headers: basic(own.body.api_key.token),
      body: { title: 'stronger', roles: [await roleWith('deleter', 'user:delete')] },
    }),
  ).toMatchObject({ status: 403, body: { message: 'You do not have permission to assign these roles' } });
  const child = await api.call('POST', '/admin/api-keys', {
    headers: basic(own.body.api_key.token),
    body: { title: 'child', roles: [keyMaker] },
  });
  expect(child.body.api_key).toMatchObject({ created_by: own.body.api_key.id, roles: [keyMaker] });
});

test('revoke with grace, then refused; delete only after revoke; events recorded', async () => {
  const role = await roleWith('revocable', 'user:read');
  const key = (await api.call('POST', '/admin/api-keys', { token: root.token, body: { title: 'r', roles: [role] } }))
    .body.api_key;
  expect(await api.call('DELETE', `/admin/api-keys/${key.id}`, { token: root.token })).toMatchObject({
    status: 400,
    body: { type: 'invalid_data', message: `Cannot delete api keys that are not revoked - ${key.id}` },
  });
  const graced = await api.call('POST', `/admin/api-keys/${key.id}/revoke`, {
    token: root.token,
    body: { revoke_in: 3600 },
  });
  expect(graced.body.api_key).toMatchObject({ revoked_by: root.id, revoked_at: expect.any(String) });
  expect(Date.parse(graced.body.api_key.revoked_at)).toBeGreaterThan(Date.now() + 3500_000);
  expect((await api.call('GET', '/admin/users', { headers: basic(key.token) })).status).toBe(200);
  expect((await api.call('DELETE', `/admin/api-keys/${key.id}`, { token: root.token })).status).toBe(400);

  const other = (await api.call('POST', '/admin/api-keys', { token: root.token, body: { title: 'o', roles: [role] } }))
    .body.api_key;
  // Used first: the API has verified it (and remembers that); the revocation must still apply at once.
  expect((await api.call('GET', '/admin/users', { headers: basic(other.token) })).status).toBe(200);
  expect((await api.call('POST', `/admin/api-keys/${other.id}/revoke`, { token: root.token, body: {} })).status).toBe(
    200,
  );
  expect((await api.call('GET', '/admin/users', { headers: basic(other.token) })).status).toBe(401);
  expect(await api.call('POST', `/admin/api-keys/${other.id}/revoke`, { token: root.token, body: {} })).toMatchObject({
    status: 400,
    body: { message: 'There are 1 secret keys that are already revoked.' },
  });
  expect(await api.call('DELETE', `/admin/api-keys/${other.id}`, { token: root.token })).toMatchObject({
    status: 200,
    body: { id: other.id, object: 'api_key', deleted: true },
  });
  expect((await api.call('GET', `/admin/api-keys/${other.id}`, { token: root.token })).status).toBe(404);
  expect(
    (await api.call('POST', `/admin/api-keys/${key.id}/revoke`, { token: root.token, body: { revoke_in: -1 } })).status,
  ).toBe(400);

  const names = (await h.store.listEvents())
    .filter((e) => e.payload.id === other.id)
    .map((e) => e.name)
    .sort();
  expect(names).toEqual(['api_key.created', 'api_key.deleted', 'api_key.revoked']);
});

test('Idempotency-Key: a key and a user sending the same key never share a result', async () => {
  const role = await roleWith('idem', 'invite:create');
  const key = (await api.call('POST', '/admin/api-keys', { token: root.token, body: { title: 'i', roles: [role] } }))
    .body.api_key;
  const idem = `idem-${Math.random().toString(36).slice(2)}`;
  const [a, b] = [uniqueEmail('ia'), uniqueEmail('ib')];
  const byUser = await api.call('POST', '/admin/invites', {
    token: root.token,
    body: { email: a },
    headers: { 'idempotency-key': idem },
  });
  const byKey = await api.call('POST', '/admin/invites', {
    headers: { ...basic(key.token), 'idempotency-key': idem },
    body: { email: b },
  });
  expect([byUser.status, byKey.status]).toEqual([200, 200]);
  expect(byKey.body.invite).toMatchObject({ email: b, invited_by: key.id });
  expect(byKey.body.invite.id).not.toBe(byUser.body.invite.id);
});

test('only a hash is stored, and no secret (nor its hash) is in Temporal history, even decoded', async () => {
  const created = await api.call('POST', '/admin/api-keys', { token: root.token, body: { title: 'hash-only' } });
  const { id, token: secret } = created.body.api_key;
  const rows = await h.prisma.$queryRaw<Record<string, unknown>[]>`SELECT * FROM api_key WHERE id = ${id}`;
  expect(JSON.stringify(rows)).not.toContain(secret);
  expect(JSON.stringify(rows)).not.toContain(secret.slice(6, -3));
  expect(String(rows[0].token_hash)).toMatch(/^c2NyeXB0/); // base64 of "scrypt": a scrypt-kdf hash

  const ids: string[] = [];
  for await (const wf of h.client.workflow.list({ query: `TaskQueue = '${worker.ctx.taskQueue}'` }))
    ids.push(wf.workflowId);
  const mine = ids.filter((w) => w.startsWith('create-api-key-'));
  expect(mine.length).toBeGreaterThan(0);
  const codec = await buildCodecServer({ keys: testCodecKeys, token: 'api-keys-codec-token', uiOrigins: [] });
  try {
    let decoded = '';
    for (const wid of mine) {
      const history = await h.client.workflow.getHandle(wid).fetchHistory();
      const payloads: { metadata: Record<string, string>; data: string }[] = [];
      const raw = JSON.stringify(history, (_k, v: unknown) => {
        const p = v as { metadata?: Record<string, string>; data?: unknown } | null;
        if (p && typeof p === 'object' && p.metadata && typeof p.data === 'string')
          payloads.push({ metadata: p.metadata, data: p.data });
        return v;
      });
      const res = await codec.inject({
        method: 'POST',
        url: '/decode',
        headers: { authorization: 'Bearer api-keys-codec-token' },
        payload: { payloads },
      });
      expect(res.statusCode).toBe(200);
      decoded += (res.json().payloads as { data: string }[])
        .map((p) => Buffer.from(p.data, 'base64').toString('utf8'))
        .join('\n');
      decoded += raw;
    }
    expect(decoded).toContain('sealed:v1:');
    expect(decoded).toContain('hash-only');
    expect(decoded).not.toContain(secret);
    expect(decoded).not.toContain('c2NyeXB0');
  } finally {
    await codec.close();
  }
});
