// Issue 12: the first admin made from ADMIN_EMAIL / ADMIN_PASSWORD holds Super Admin, through the real
// API start-up (startApi: the RBAC sync, then the seed) and the file's worker.
import { startApi } from '../api/main';
import type { UsermodClient } from '../client';
import { loadConfig } from '../config';
import { freePort } from '../devstack/free-port';
import { SUPER_ADMIN_ROLE_ID } from '../domain';
import { openHarness, testCodecKeys, testInviteTokens, testSealKeys, uniqueEmail, type Harness } from './harness';

let h: Harness;
let worker: { ctx: UsermodClient; stop(): Promise<void> };
beforeAll(async () => {
  h = await openHarness();
  worker = await h.startWorker();
});
afterAll(async () => {
  await worker.stop();
  await h.close();
});

test('ADMIN_EMAIL: the seeded first admin is a Super Admin; seeding again changes nothing', async () => {
  const env = { ...process.env };
  const email = uniqueEmail('seeded');
  Object.assign(process.env, {
    TEMPORAL_TASK_QUEUE: worker.ctx.taskQueue,
    JWT_SECRET: testInviteTokens.secret,
    USERMOD_PAYLOAD_KEYS: `test-key:${testCodecKeys[0].key.toString('base64')}`,
    USERMOD_SEAL_KEYS: testSealKeys.privateKeys,
    ADMIN_EMAIL: email,
    ADMIN_PASSWORD: 'seeded admin password 1',
    PORT: String(await freePort()),
  });
  try {
    const api = await startApi({
      config: loadConfig(),
      databaseUrl: process.env.DATABASE_URL!,
      temporalAddress: process.env.TEMPORAL_ADDRESS!,
    });
    try {
      await api.seedAdmin();
      await api.seedAdmin();
      const { userId } = (await h.store.findEmailpassLogin(email))!;
      expect((await h.store.policyKeysOf({ type: 'user', id: userId! })).roles).toEqual([SUPER_ADMIN_ROLE_ID]);
      const login = await fetch(`${api.url}/auth/user/emailpass`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'seeded admin password 1' }),
      });
      const { token } = (await login.json()) as { token: string };
      const perms = await fetch(`${api.url}/admin/rbac/me/permissions`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(((await perms.json()) as { permissions: string[] }).permissions).toContain('rbac_role:delete');
    } finally {
      await api.close();
    }
  } finally {
    process.env = env;
  }
});
