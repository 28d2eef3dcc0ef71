// Issue 12: roles and permissions over real HTTP on the real stack: live enforcement, Medusa's 403s,
// wildcards, no privilege escalation, the last Super Admin, and the RBAC admin routes.
import { assignUserRoles } from '../client';
import { SUPER_ADMIN_POLICY_ID, SUPER_ADMIN_ROLE_ID } from '../domain';
import { grantRoles, uniqueEmail, type Harness } from './harness';
import type { TestApi } from './http';
import { rbacStack, type Person, type RbacStack } from './rbac-stack';

const PASSWORD = 'rbac suite password 1';
const stack = rbacStack(PASSWORD);
const { person, roleWith, policyIds } = stack;
let h: Harness;
let worker: RbacStack['worker'];
let api: TestApi;
let root: Person;
beforeAll(() => ({ h, worker, api, root } = stack));

describe('enforcement', () => {
  test('no roles: 403 Forbidden on admin routes; /admin/users/me and me/permissions ([]) still answer', async () => {
    const nobody = await person('nobody');
    for (const [method, path] of [
      ['GET', '/admin/users'],
      ['GET', '/admin/invites'],
      ['GET', '/admin/rbac/roles'],
      ['GET', '/admin/rbac/policies'],
      ['POST', '/admin/invites'],
      ['DELETE', `/admin/users/${root.id}`],
    ]) {
      const res = await api.call(method, path, { token: nobody.token, body: method === 'POST' ? {} : undefined });
      expect({ method, path, status: res.status, body: res.body }).toEqual({
        method,
        path,
        status: 403,
        body: { type: 'forbidden', message: 'Forbidden' },
      });
    }
    expect((await api.call('GET', '/admin/users/me', { token: nobody.token })).status).toBe(200);
    expect(await api.call('GET', '/admin/rbac/me/permissions', { token: nobody.token })).toMatchObject({
      status: 200,
      body: { permissions: [] },
    });
  });

  test('a role missing the policy: 403 naming every policy the route requires', async () => {
    const reader = await person('reader', [await roleWith('reader', 'user:read')]);
    expect((await api.call('GET', '/admin/users', { token: reader.token })).status).toBe(200);
    expect(
      await api.call('POST', '/admin/invites', { token: reader.token, body: { email: uniqueEmail('x') } }),
    ).toMatchObject({
      status: 403,
      body: { type: 'forbidden', message: 'Insufficient permissions. Required policies: invite:create' },
    });
    expect(await api.call('GET', `/admin/users/${reader.id}/roles`, { token: reader.token })).toMatchObject({
      status: 403,
      body: { message: 'Insufficient permissions. Required policies: user:read, rbac_role:read' },
    });
  });

  test('wildcards: resource:* and *:operation grant as Medusa; me/permissions expands them', async () => {
    const inviter = await person('inviter', [await roleWith('inviter', 'invite:*')]);
    expect((await api.call('GET', '/admin/invites', { token: inviter.token })).status).toBe(200);
    expect(
      (await api.call('POST', '/admin/invites', { token: inviter.token, body: { email: uniqueEmail('w') } })).status,
    ).toBe(200);
    expect((await api.call('GET', '/admin/users', { token: inviter.token })).status).toBe(403);
    expect((await api.call('GET', '/admin/rbac/me/permissions', { token: inviter.token })).body.permissions).toEqual([
      'invite:create',
      'invite:delete',
      'invite:read',
      'invite:update',
    ]);

    const readsAll = await person('reads-all', [await roleWith('reads-all', '*:read')]);
    for (const path of ['/admin/users', '/admin/invites', '/admin/rbac/roles', '/admin/rbac/policies'])
      expect({ path, status: (await api.call('GET', path, { token: readsAll.token })).status }).toEqual({
        path,
        status: 200,
      });
    expect(
      (await api.call('POST', '/admin/invites', { token: readsAll.token, body: { email: uniqueEmail('w') } })).status,
    ).toBe(403);

    const all = (await api.call('GET', '/admin/rbac/me/permissions', { token: root.token })).body.permissions;
    expect(all).toContain('rbac_role:delete');
    expect(all).toEqual([...all].sort());
    expect(all.some((p: string) => p.includes('*'))).toBe(false);
  });

  test('a removed role stops working on the very next request, with the same token', async () => {
    const roleId = await roleWith('transient', 'user:read');
    const user = await person('transient', [roleId]);
    expect((await api.call('GET', '/admin/users', { token: user.token })).status).toBe(200);
    const removed = await api.call('DELETE', `/admin/users/${user.id}/roles`, {
      token: root.token,
      body: { roles: [roleId] },
    });
    expect(removed).toMatchObject({ status: 200, body: { ids: [roleId], object: 'user_role', deleted: true } });
    expect(await api.call('GET', '/admin/users', { token: user.token })).toMatchObject({
      status: 403,
      body: { type: 'forbidden', message: 'Forbidden' },
    });

    // A policy removed from a role, and a deleted role, take effect at once too.
    const other = await roleWith('shrinking', 'user:read', 'invite:read');
    const again = await person('shrinking', [other]);
    const [userRead] = await policyIds('user:read');
    expect(
      (await api.call('DELETE', `/admin/rbac/roles/${other}/policies/${userRead}`, { token: root.token })).status,
    ).toBe(200);
    expect((await api.call('GET', '/admin/users', { token: again.token })).status).toBe(403);
    expect((await api.call('GET', '/admin/invites', { token: again.token })).status).toBe(200);
    expect(await api.call('DELETE', `/admin/rbac/roles/${other}`, { token: root.token })).toMatchObject({
      status: 200,
      body: { id: other, object: 'rbac_role', deleted: true },
    });
    expect((await api.call('GET', '/admin/invites', { token: again.token })).body).toEqual({
      type: 'forbidden',
      message: 'Forbidden',
    });
  });

  test('every registered /admin route declares its policies in the OpenAPI', async () => {
    const doc = (await api.call('GET', '/docs/json')).body;
    const missing: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      if (!path.startsWith('/admin/') || path === '/admin/invites/accept') continue;
      for (const [method, op] of Object.entries(ops))
        if (!Array.isArray(op['x-policies'])) missing.push(`${method} ${path}`);
    }
    expect(missing).toEqual([]);
    expect(doc.paths['/admin/invites'].post['x-policies']).toEqual(['invite:create']);
    expect(doc.paths['/admin/invites'].post.responses['403']).toBeDefined();
  });
});

describe('the permission matrix, every admin route from the OpenAPI', () => {
  test('no roles / a role missing the policy / the exact policies / resource:* / *:* / API key with and without', async () => {
    const doc = (await api.call('GET', '/docs/json')).body;
    const subject = await person('matrix');
    const key = await api.call('POST', '/admin/api-keys', { token: root.token, body: { title: 'matrix' } });
    const [keyId, secret] = [key.body.api_key.id as string, key.body.api_key.token as string];
    const policies = new Map((await h.prisma.rbacPolicy.findMany()).map((p) => [p.key, p.id]));
    let n = 0;
    /** A role holding exactly these keys (made directly: this test is about enforcement). */
    const role = async (keys: string[]) => {
      const id = `role_MATRIX${Date.now()}${n++}`;
      await h.prisma.rbacRole.create({ data: { id, name: id } });
      await h.prisma.rbacRolePolicy.createMany({
        data: keys.map((k, i) => ({ id: `${id}_${i}`, role_id: id, policy_id: policies.get(k)! })),
      });
      return id;
    };
    const holds = async (roleIds: string[]) => {
      await h.prisma.userRbacRole.deleteMany({ where: { user_id: subject.id } });
      await h.prisma.userRbacRole.createMany({ data: roleIds.map((role_id) => ({ user_id: subject.id, role_id })) });
    };
    const keyHolds = async (roleIds: string[]) => {
      await h.prisma.apiKeyRbacRole.deleteMany({ where: { api_key_id: keyId } });
      await h.prisma.apiKeyRbacRole.createMany({ data: roleIds.map((role_id) => ({ api_key_id: keyId, role_id })) });
    };
    const unrelatedTo = new Map<string, string>();
    /** A role with one policy the route does not require. */
    const unrelated = async (required: string[]) => {
      const k = ['rbac_policy:read', 'api_key:delete'].find((p) => !required.includes(p))!;
      if (!unrelatedTo.has(k)) unrelatedTo.set(k, await role([k]));
      return unrelatedTo.get(k)!;
    };
    const outcomes: string[] = [];
    let routes = 0;
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      for (const [method, op] of Object.entries(ops)) {
        const required: string[] = op['x-policies'] ?? [];
        if (!path.startsWith('/admin/') || required.length === 0) continue;
        routes++;
        // Ids that exist nowhere: a permitted call ends in 400 or 404, never in a change.
        const url = path.replace(/\{(\w+)\}/g, (_m, p: string) => `${p === 'id' ? 'x' : p}_missing`);
        const send = (auth: { token?: string; headers?: Record<string, string> }) =>
          api.call(method.toUpperCase(), url, { ...auth, body: method === 'get' ? undefined : {} });
        const check = async (
          label: string,
          auth: { token?: string; headers?: Record<string, string> },
          want: string,
        ) => {
          const res = await send(auth);
          const got =
            res.status === 403
              ? res.body.message === 'Forbidden'
                ? 'forbidden'
                : res.body.message === `Insufficient permissions. Required policies: ${required.join(', ')}`
                  ? 'insufficient'
                  : `403 ${res.body.message}`
              : res.status === 401
                ? '401'
                : 'allowed';
          if (got !== want)
            outcomes.push(`${method.toUpperCase()} ${path} ${label}: ${got} (${res.status}), want ${want}`);
        };
        const user = { token: subject.token };
        const asKey = { headers: { authorization: `Basic ${secret}` } };
        await holds([]);
        await check('no roles', user, 'forbidden');
        await holds([await unrelated(required)]);
        await check('a role missing it', user, 'insufficient');
        await holds([await role(required)]);
        await check('the exact policies', user, 'allowed');
        await holds([await role([...new Set(required.map((k) => `${k.split(':')[0]}:*`))])]);
        await check('resource:*', user, 'allowed');
        await holds([await role([...new Set(required.map((k) => `*:${k.split(':')[1]}`))])]);
        await check('*:operation', user, 'allowed');
        await holds([SUPER_ADMIN_ROLE_ID]);
        await check('*:*', user, 'allowed');
        await keyHolds([]);
        await check('API key without roles', asKey, 'forbidden');
        await keyHolds([await unrelated(required)]);
        await check('API key missing it', asKey, 'insufficient');
        await keyHolds([await role(required)]);
        await check('API key with it', asKey, 'allowed');
      }
    }
    // The matrix's roles go (so that role lists elsewhere, e.g. the console's, stay short).
    await h.prisma.rbacRole.updateMany({
      where: { id: { startsWith: 'role_MATRIX' } },
      data: { deleted_at: new Date() },
    });
    expect(outcomes).toEqual([]);
    expect(routes).toBeGreaterThanOrEqual(25);
  });
});

describe('no privilege escalation', () => {
  test('a caller grants users, roles and role policies only what it holds itself', async () => {
    const manager = await person('manager', [
      await roleWith('manager', 'user:read', 'user:update', 'rbac_role:read', 'rbac_role:update', 'rbac_role:create'),
    ]);
    const target = await person('target');
    const refused = {
      status: 403,
      body: { type: 'forbidden', message: 'You do not have permission to assign these roles' },
    };

    expect(
      await api.call('POST', `/admin/users/${target.id}/roles`, {
        token: manager.token,
        body: { roles: [SUPER_ADMIN_ROLE_ID] },
      }),
    ).toMatchObject(refused);
    const deleter = await roleWith('deleter', 'user:delete');
    expect(
      await api.call('POST', `/admin/users/${target.id}/roles`, { token: manager.token, body: { roles: [deleter] } }),
    ).toMatchObject(refused);
    expect(
      await api.call('POST', '/admin/rbac/roles', {
        token: manager.token,
        body: { name: 'sneaky', policy_ids: [SUPER_ADMIN_POLICY_ID] },
      }),
    ).toMatchObject(refused);
    const own = await api.call('POST', '/admin/rbac/roles', {
      token: manager.token,
      body: { name: `mine-${target.id}`, policy_ids: await policyIds('user:read') },
    });
    expect(own.status).toBe(200);
    expect(
      await api.call('POST', `/admin/rbac/roles/${own.body.role.id}/policies`, {
        token: manager.token,
        body: { policies: await policyIds('user:delete') },
      }),
    ).toMatchObject(refused);
    // Nothing was granted by the refused calls.
    expect((await api.call('GET', `/admin/users/${target.id}/roles`, { token: root.token })).body).toMatchObject({
      roles: [],
      count: 0,
    });

    // What it holds it may grant: the target can then read users.
    const granted = await api.call('POST', `/admin/users/${target.id}/roles`, {
      token: manager.token,
      body: { roles: [own.body.role.id] },
    });
    expect(granted).toMatchObject({ status: 200, body: { roles: [{ id: own.body.role.id }] } });
    expect((await api.call('GET', '/admin/users', { token: target.token })).status).toBe(200);
  });

  test('the grant is re-checked inside the flow: a grantor who lost the policy meanwhile is refused', async () => {
    const manager = await person('racer');
    const target = await person('race-target');
    await expect(
      assignUserRoles(worker.ctx, {
        userId: target.id,
        roleIds: [SUPER_ADMIN_ROLE_ID],
        grantor: { type: 'user', id: manager.id },
      }),
    ).rejects.toMatchObject({ type: 'forbidden', message: 'You do not have permission to assign these roles' });
    expect(await h.prisma.userRbacRole.count({ where: { user_id: target.id } })).toBe(0);
  });
});

describe('Super Admin', () => {
  test('cannot be deleted nor lose *:*; restored by the start-up sync', async () => {
    expect(await api.call('DELETE', `/admin/rbac/roles/${SUPER_ADMIN_ROLE_ID}`, { token: root.token })).toMatchObject({
      status: 400,
      body: { type: 'not_allowed', message: 'The Super Admin role cannot be deleted' },
    });
    expect(
      await api.call('DELETE', `/admin/rbac/roles/${SUPER_ADMIN_ROLE_ID}/policies/${SUPER_ADMIN_POLICY_ID}`, {
        token: root.token,
      }),
    ).toMatchObject({ status: 400, body: { type: 'not_allowed', message: 'The Super Admin role cannot lose *:*' } });
    expect((await api.call('GET', '/admin/users', { token: root.token })).status).toBe(200);

    // Damage done behind usermod's back (a hand-edited database) is repaired at the next start.
    await h.prisma.rbacRole.update({ where: { id: SUPER_ADMIN_ROLE_ID }, data: { deleted_at: new Date() } });
    await h.prisma.rbacRolePolicy.deleteMany({ where: { role_id: SUPER_ADMIN_ROLE_ID } });
    await h.prisma.rbacPolicy.update({ where: { key: 'user:read' }, data: { deleted_at: new Date() } });
    expect((await api.call('GET', '/admin/users', { token: root.token })).status).toBe(403);
    await h.store.syncRbac();
    await h.store.syncRbac();
    expect((await api.call('GET', '/admin/users', { token: root.token })).status).toBe(200);
    expect(await h.prisma.rbacPolicy.count({ where: { key: 'user:read', deleted_at: null } })).toBe(1);
    expect(await h.prisma.rbacRolePolicy.count({ where: { role_id: SUPER_ADMIN_ROLE_ID } })).toBe(1);
  });

  test('the last Super Admin can neither lose the role nor be deleted', async () => {
    // This file's root is made the only live holder (earlier files' admins are done with it).
    await h.prisma.userRbacRole.deleteMany({ where: { role_id: SUPER_ADMIN_ROLE_ID, NOT: { user_id: root.id } } });
    const deputy = await person('deputy', [await roleWith('deputy', 'user:*', 'rbac_role:*')]);
    const last = {
      status: 400,
      body: { type: 'not_allowed', message: 'The last Super Admin cannot lose the Super Admin role or be deleted' },
    };
    expect(
      await api.call('DELETE', `/admin/users/${root.id}/roles`, {
        token: root.token,
        body: { roles: [SUPER_ADMIN_ROLE_ID] },
      }),
    ).toMatchObject(last);
    expect(await api.call('DELETE', `/admin/users/${root.id}`, { token: deputy.token })).toMatchObject(last);
    expect((await api.call('GET', '/admin/users', { token: root.token })).status).toBe(200);

    // With a second Super Admin, the first may go.
    const second = await person('second', [SUPER_ADMIN_ROLE_ID]);
    expect(
      (
        await api.call('DELETE', `/admin/users/${root.id}/roles`, {
          token: second.token,
          body: { roles: [SUPER_ADMIN_ROLE_ID] },
        })
      ).status,
    ).toBe(200);
    expect((await api.call('GET', '/admin/users', { token: root.token })).status).toBe(403);
    expect(
      await api.call('DELETE', `/admin/users/${second.id}/roles`, {
        token: second.token,
        body: { roles: [SUPER_ADMIN_ROLE_ID] },
      }),
    ).toMatchObject(last);
    await grantRoles(h, root.id);
  });
});

describe('RBAC routes', () => {
  test("roles: create, list, read, update, policies, users, delete; Medusa's shapes", async () => {
    const name = `Support-${Math.random().toString(36).slice(2, 8)}`;
    const created = await api.call('POST', '/admin/rbac/roles', {
      token: root.token,
      body: { name, description: 'help desk', policy_ids: await policyIds('invite:*', 'user:read') },
    });
    expect(created).toMatchObject({ status: 200, body: { role: { id: expect.stringMatching(/^role_/), name } } });
    const id = created.body.role.id;
    expect(await api.call('POST', '/admin/rbac/roles', { token: root.token, body: { name } })).toMatchObject({
      status: 400,
      body: { type: 'invalid_data', message: `Role with name: ${name}, already exists.` },
    });
    const list = await api.call('GET', `/admin/rbac/roles?name=${name}`, { token: root.token });
    expect(list.body).toEqual({ roles: [created.body.role], count: 1, offset: 0, limit: 50 });
    expect((await api.call('GET', `/admin/rbac/roles/${id}`, { token: root.token })).body.role).toEqual(
      created.body.role,
    );
    expect(
      (await api.call('POST', `/admin/rbac/roles/${id}`, { token: root.token, body: { description: 'support' } })).body
        .role,
    ).toMatchObject({ id, name, description: 'support' });
    const policies = await api.call('GET', `/admin/rbac/roles/${id}/policies`, { token: root.token });
    expect(policies.body.policies.map((p: any) => p.policy.key).sort()).toEqual(['invite:*', 'user:read']);
    expect(policies.body).toMatchObject({ count: 2, offset: 0, limit: 50 });
    const added = await api.call('POST', `/admin/rbac/roles/${id}/policies`, {
      token: root.token,
      body: { policies: await policyIds('api_key:read') },
    });
    expect(added.body.policies.map((p: any) => p.policy.key)).toEqual(['api_key:read']);

    const member = await person('support-member');
    expect(
      (await api.call('POST', `/admin/users/${member.id}/roles`, { token: root.token, body: { roles: [id] } })).body
        .roles,
    ).toMatchObject([{ id, name }]);
    expect((await api.call('GET', `/admin/rbac/roles/${id}/users`, { token: root.token })).body).toMatchObject({
      users: [{ id: member.id }],
      count: 1,
    });
    expect((await api.call('GET', `/admin/users/${member.id}/roles`, { token: root.token })).body).toMatchObject({
      roles: [{ id }],
      count: 1,
      offset: 0,
      limit: 50,
    });
    // The member can invite but not delete users.
    expect(
      (await api.call('POST', '/admin/invites', { token: member.token, body: { email: uniqueEmail('s') } })).status,
    ).toBe(200);
    expect(await api.call('DELETE', `/admin/users/${root.id}`, { token: member.token })).toMatchObject({
      status: 403,
      body: { message: 'Insufficient permissions. Required policies: user:delete' },
    });

    const events = await h.store.listEvents();
    expect(events.filter((e) => e.payload.id === id).map((e) => e.name)).toEqual(
      expect.arrayContaining(['rbac_role.created', 'rbac_role.updated']),
    );
    expect(events.some((e) => e.name === 'user_role.assigned' && e.payload.user_id === member.id)).toBe(true);

    expect(await api.call('GET', '/admin/rbac/roles/role_missing', { token: root.token })).toMatchObject({
      status: 404,
      body: { type: 'not_found', message: 'Role with id: role_missing not found' },
    });
    expect(
      await api.call('POST', `/admin/users/${member.id}/roles`, { token: root.token, body: { roles: ['role_nope'] } }),
    ).toMatchObject({ status: 400, body: { message: 'The following role IDs do not exist: role_nope' } });
  });

  test('policies: the declared ones, limit 20 by default', async () => {
    const res = await api.call('GET', '/admin/rbac/policies?resource=invite', { token: root.token });
    expect(res.body).toMatchObject({ offset: 0, limit: 20 });
    expect(res.body.policies.map((p: any) => p.key).sort()).toEqual([
      'invite:*',
      'invite:create',
      'invite:delete',
      'invite:read',
      'invite:update',
    ]);
    expect(res.body.policies.find((p: any) => p.key === 'invite:create').name).toBe('CreateInvite');
  });
});
