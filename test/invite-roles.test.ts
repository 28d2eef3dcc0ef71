// Issue 12: invites that carry roles (applied on accept, never beyond the inviter's own policies),
// invited_by, per-invite expiry and the batch route, over real HTTP on the real stack.
import { SUPER_ADMIN_ROLE_ID } from '../domain';
import { uniqueEmail, type Harness } from './harness';
import type { TestApi } from './http';
import { rbacStack, type Person } from './rbac-stack';

const PASSWORD = 'invite roles password 1';
const stack = rbacStack(PASSWORD);
const { person, roleWith } = stack;
let h: Harness;
let api: TestApi;
let root: Person;
beforeAll(() => ({ h, api, root } = stack));

test('an invite with roles shows them and its inviter; the accepted user holds exactly those roles', async () => {
  const support = await roleWith('Support', 'invite:*', 'user:read');
  const email = uniqueEmail('support');
  const created = await api.call('POST', '/admin/invites', { token: root.token, body: { email, roles: [support] } });
  expect(created).toMatchObject({ status: 200, body: { invite: { email, roles: [support], invited_by: root.id } } });
  const shown = await api.call('GET', `/admin/invites/${created.body.invite.id}`, { token: root.token });
  expect(shown.body.invite).toMatchObject({ roles: [support], invited_by: root.id });
  expect(
    (await api.call('GET', `/admin/invites?id=${created.body.invite.id}`, { token: root.token })).body.invites,
  ).toMatchObject([{ roles: [support] }]);

  const accepted = await api.call('POST', `/admin/invites/accept?token=${created.body.invite.token}`, {
    body: { password: PASSWORD },
  });
  expect(accepted.status).toBe(200);
  const userId = accepted.body.user.id;
  const roles = await api.call('GET', `/admin/users/${userId}/roles`, { token: root.token });
  expect(roles.body).toMatchObject({ roles: [{ id: support }], count: 1 });

  // The invitee can invite but not delete users.
  const token = (await api.call('POST', '/auth/user/emailpass', { body: { email, password: PASSWORD } })).body.token;
  expect((await api.call('POST', '/admin/invites', { token, body: { email: uniqueEmail('next') } })).status).toBe(200);
  expect((await api.call('DELETE', `/admin/users/${root.id}`, { token })).status).toBe(403);
});

test('no escalation through invites: only roles whose every policy the inviter holds', async () => {
  const inviter = await person('inviter', [await roleWith('inviter', 'invite:create', 'user:read')]);
  const refused = {
    status: 403,
    body: { type: 'forbidden', message: 'You do not have permission to assign these roles' },
  };
  const email = uniqueEmail('escalate');
  expect(
    await api.call('POST', '/admin/invites', { token: inviter.token, body: { email, roles: [SUPER_ADMIN_ROLE_ID] } }),
  ).toMatchObject(refused);
  expect(
    await api.call('POST', '/admin/invites', {
      token: inviter.token,
      body: { email, roles: [await roleWith('deleter', 'user:delete')] },
    }),
  ).toMatchObject(refused);
  expect(await h.prisma.invite.count({ where: { email } })).toBe(0);
  const reader = await roleWith('reader', 'user:read');
  expect(
    (await api.call('POST', '/admin/invites', { token: inviter.token, body: { email, roles: [reader] } })).status,
  ).toBe(200);

  expect(
    await api.call('POST', '/admin/invites', {
      token: root.token,
      body: { email: uniqueEmail('u'), roles: ['role_gone', 'role_nope'] },
    }),
  ).toMatchObject({
    status: 400,
    body: { type: 'invalid_data', message: 'The following role IDs do not exist: role_gone, role_nope' },
  });
});

test('a role deleted between invite and accept: the accept fails naming it and leaves nothing behind', async () => {
  const doomed = await roleWith('doomed', 'user:read');
  const email = uniqueEmail('late');
  const invite = (await api.call('POST', '/admin/invites', { token: root.token, body: { email, roles: [doomed] } }))
    .body.invite;
  expect((await api.call('DELETE', `/admin/rbac/roles/${doomed}`, { token: root.token })).status).toBe(200);
  const users = await h.prisma.user.count();
  const identities = await h.prisma.providerIdentity.count({ where: { entity_id: email } });
  expect(
    await api.call('POST', `/admin/invites/accept?token=${invite.token}`, { body: { password: PASSWORD } }),
  ).toMatchObject({
    status: 400,
    body: { type: 'invalid_data', message: `The following role IDs do not exist: ${doomed}` },
  });
  expect(await h.prisma.user.count()).toBe(users);
  expect(await h.prisma.user.count({ where: { email } })).toBe(0);
  expect(await h.prisma.providerIdentity.count({ where: { entity_id: email } })).toBe(identities);
  expect((await api.call('GET', `/admin/invites/${invite.id}`, { token: root.token })).body.invite).toMatchObject({
    status: 'pending',
    accepted: false,
  });
});

test('expires_in per invite, bounded; the batch answers per item', async () => {
  const before = Date.now();
  const short = await api.call('POST', '/admin/invites', {
    token: root.token,
    body: { email: uniqueEmail('e'), expires_in: 600 },
  });
  expect(short.status).toBe(200);
  const ms = Date.parse(short.body.invite.expires_at) - before;
  expect(ms).toBeGreaterThan(590_000);
  expect(ms).toBeLessThan(620_000);
  for (const expires_in of [59, 2_592_001, 1.5])
    expect(
      (await api.call('POST', '/admin/invites', { token: root.token, body: { email: uniqueEmail('e'), expires_in } }))
        .status,
    ).toBe(400);

  const inviter = await person('batcher', [await roleWith('batcher', 'invite:create')]);
  const [a, b, e] = [uniqueEmail('b1'), uniqueEmail('b2'), uniqueEmail('b5')];
  expect((await api.call('POST', '/admin/invites', { token: root.token, body: { email: e } })).status).toBe(200);
  const batch = await api.call('POST', '/admin/invites/batch', {
    token: inviter.token,
    body: { invites: [{ email: a }, { email: b, roles: [SUPER_ADMIN_ROLE_ID] }, { email: a }] },
  });
  expect(batch.status).toBe(200);
  expect(batch.body.invites).toHaveLength(3);
  expect(batch.body.invites.filter((i: any) => i.invite).map((i: any) => i.email)).toEqual([a]);
  expect(batch.body.invites[2]).toEqual({
    email: a,
    error: { type: 'invalid_data', message: `Invite with email: ${a}, is listed twice in the batch.` },
  });
  // One flow, compensated as a whole: an e-mail already invited refuses the flow, and nothing of it is kept.
  const f = uniqueEmail('b6');
  const whole = await api.call('POST', '/admin/invites/batch', {
    token: inviter.token,
    body: { invites: [{ email: f }, { email: e }] },
  });
  const refused = { type: 'invalid_data', message: `Invite with email: ${e}, already exists.` };
  expect(whole.body.invites).toEqual([
    { email: f, error: refused },
    { email: e, error: refused },
  ]);
  expect(await h.prisma.invite.count({ where: { email: f } })).toBe(0);
  expect(batch.body.invites[1]).toEqual({
    email: b,
    error: { type: 'forbidden', message: 'You do not have permission to assign these roles' },
  });
  expect(batch.body.invites.filter((i: any) => i.error?.type === 'invalid_data')).toHaveLength(1);
  expect(await h.prisma.invite.count({ where: { email: b } })).toBe(0);

  // With an Idempotency-Key, a retried batch answers each item as the first time and creates nothing new.
  const [c, d] = [uniqueEmail('b3'), uniqueEmail('b4')];
  const idem = `batch-${Date.now()}`;
  const send = () =>
    api.call('POST', '/admin/invites/batch', {
      token: inviter.token,
      headers: { 'idempotency-key': idem },
      body: { invites: [{ email: c }, { email: d }] },
    });
  const first = await send();
  const again = await send();
  expect(again.body.invites.map((i: any) => i.invite.id)).toEqual(first.body.invites.map((i: any) => i.invite.id));
  expect(await h.prisma.invite.count({ where: { email: { in: [c, d] } } })).toBe(2);
});
