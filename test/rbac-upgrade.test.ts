// Issue 12: upgrading an installation to RBAC does not lock anyone out. The RBAC migration gives every
// existing live user Super Admin, once; users created later get only what they are granted.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { projectRoot } from '../config';
import { createDatabase, dropDatabase } from '../devstack/postgres-admin';
import { migrate, readMigrations } from '../devstack/migrate';
import { DECLARED_POLICIES, SUPER_ADMIN_ROLE_ID } from '../domain';
import { createStore } from '../store';
import { createPrisma } from '../store/prisma';

const adminUrl = process.env.USERMOD_TEST_ADMIN_URL!;
const migrationsDir = join(projectRoot, 'prisma', 'migrations');
const RBAC = '20261121170000_rbac';
const name = `usermod_rbac_upgrade_${Date.now()}`;

afterAll(() => dropDatabase(adminUrl, name));

test('existing users get Super Admin when RBAC is introduced; later users do not; the start-up sync keeps it', async () => {
  const url = await createDatabase(adminUrl, name);
  // The installation before RBAC: every migration older than the RBAC one.
  const before = mkdtempSync(join(tmpdir(), 'usermod-pre-rbac-'));
  for (const m of readMigrations(migrationsDir).filter((m) => m.name < RBAC))
    cpSync(join(migrationsDir, m.name), join(before, m.name), { recursive: true });
  await migrate(url, before);
  rmSync(before, { recursive: true });

  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    await pg.query(
      `INSERT INTO "user" (id, email) VALUES ('user_old_a', 'a@example.com'), ('user_old_b', 'b@example.com')`,
    );
    await pg.query(`INSERT INTO "user" (id, email, deleted_at) VALUES ('user_gone', 'c@example.com', now())`);

    expect((await migrate(url, migrationsDir)).applied).toContain(RBAC);
    const holders = async () =>
      (
        await pg.query<{ user_id: string }>(`SELECT user_id FROM user_rbac_role WHERE role_id = $1 ORDER BY user_id`, [
          SUPER_ADMIN_ROLE_ID,
        ])
      ).rows.map((r) => r.user_id);
    expect(await holders()).toEqual(['user_old_a', 'user_old_b']);

    // Once only: a user created after the upgrade, and any number of starts, change nothing.
    await pg.query(`INSERT INTO "user" (id, email) VALUES ('user_new', 'n@example.com')`);
    expect((await migrate(url, migrationsDir)).applied).toEqual([]);
    const prisma = createPrisma(url, 2);
    try {
      const store = createStore(prisma);
      await store.syncRbac();
      await store.syncRbac();
      expect(await holders()).toEqual(['user_old_a', 'user_old_b']);
      expect((await store.policyKeysOf({ type: 'user', id: 'user_old_a' })).keys).toEqual(['*:*']);
      expect(await store.policyKeysOf({ type: 'user', id: 'user_new' })).toEqual({ roles: [], keys: [] });
      // Every policy declared in code, and Super Admin's *:*.
      expect(await prisma.rbacPolicy.count({ where: { deleted_at: null } })).toBe(DECLARED_POLICIES.length + 1);
    } finally {
      await prisma.$disconnect();
    }
  } finally {
    await pg.end();
  }
});
