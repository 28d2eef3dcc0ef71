// The RBAC suites' stack (rbac, api-keys, invite-roles): a worker and the HTTP API on the real stack, a
// logged-in Super Admin (`root`), and the people and roles a test makes.
import { createUserAccount, type UsermodClient } from '../client';
import { SUPER_ADMIN_ROLE_ID } from '../domain';
import { grantRoles, openHarness, uniqueEmail, type Harness } from './harness';
import { startTestApi, type TestApi } from './http';

export interface Person {
  id: string;
  email: string;
  token: string;
}

export interface RbacStack {
  h: Harness;
  worker: { ctx: UsermodClient; stop(): Promise<void> };
  api: TestApi;
  root: Person;
  /** A bearer token for this user's password. */
  login(email: string): Promise<string>;
  /** A new user with these roles (granted by the store directly, as test setup), logged in. */
  person(tag: string, roleIds?: string[]): Promise<Person>;
  /** The ids of these policy keys (every one must exist). */
  policyIds(...keys: string[]): Promise<string[]>;
  /** A role made through the API by the Super Admin, with a unique name. */
  roleWith(name: string, ...keys: string[]): Promise<string>;
}

/** Registers the suite's beforeAll/afterAll; the stack's parts are there once beforeAll has run. */
export function rbacStack(password: string): RbacStack {
  const s = {
    async login(email: string) {
      const res = await s.api.call('POST', '/auth/user/emailpass', { body: { email, password } });
      return res.body.token as string;
    },
    async person(tag: string, roleIds: string[] = []) {
      const email = uniqueEmail(tag);
      const { user } = await createUserAccount(s.worker.ctx, { email, password });
      if (roleIds.length) await grantRoles(s.h, user.id, roleIds);
      return { id: user.id, email, token: await s.login(email) };
    },
    async policyIds(...keys: string[]) {
      const rows = await s.h.prisma.rbacPolicy.findMany({ where: { key: { in: keys } } });
      expect(rows.map((r) => r.key).sort()).toEqual([...keys].sort());
      return rows.map((r) => r.id);
    },
    async roleWith(name: string, ...keys: string[]) {
      const res = await s.api.call('POST', '/admin/rbac/roles', {
        token: s.root.token,
        body: { name: `${name}-${Math.random().toString(36).slice(2, 8)}`, policy_ids: await s.policyIds(...keys) },
      });
      expect(res.status).toBe(200);
      return res.body.role.id as string;
    },
  } as RbacStack;
  beforeAll(async () => {
    s.h = await openHarness();
    s.worker = await s.h.startWorker();
    s.api = await startTestApi(s.h, s.worker.ctx);
    s.root = await s.person('root', [SUPER_ADMIN_ROLE_ID]);
  });
  afterAll(async () => {
    await s.api?.close();
    await s.worker?.stop();
    await s.h?.close();
  });
  return s;
}
