import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { projectRoot } from '../config';
import type { UsermodClient } from '../client';
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

/** Runs the real `usermod` command against this run's Temporal server, task queue and database. */
function usermod(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    TEMPORAL_TASK_QUEUE: worker.ctx.taskQueue,
    JWT_SECRET: testInviteTokens.secret,
    USERMOD_PAYLOAD_KEYS: `test-key:${testCodecKeys[0].key.toString('base64')}`,
    USERMOD_SEAL_KEYS: testSealKeys.privateKeys,
    INVITE_ACCEPT_URL: 'https://admin.example.test/invite',
  };
  return new Promise((resolve) => {
    execFile(join(projectRoot, 'cli', 'bin.js'), args, { env, cwd: projectRoot }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('usermod CLI', () => {
  test('user creates an admin with a login; bad input exits non-zero with a clear error', async () => {
    const email = uniqueEmail('cli-admin');
    const ok = await usermod('user', '--email', email, '--password', 'cli admin password');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^user user_\w+ created for /);
    expect(await h.store.findEmailpassLogin(email)).toMatchObject({ userId: expect.stringMatching(/^user_/) });
    const bad = await usermod('user', '--email', uniqueEmail(), '--password', 'short');
    expect(bad).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('error (invalid_data): Password must be at least 8 characters long'),
    });
    expect((await usermod('user', '--email', email)).code).not.toBe(0);
  });

  test('user --role grants roles by name or id (RBAC); an unknown role creates nothing', async () => {
    const name = `cli-role-${Math.random().toString(36).slice(2, 8)}`;
    await h.prisma.rbacRole.create({ data: { id: `role_CLI${Date.now()}`, name } });
    const role = await h.prisma.rbacRole.findFirstOrThrow({ where: { name } });
    const email = uniqueEmail('cli-role');
    const ok = await usermod('user', '--email', email, '--password', 'cli admin password', '--role', name);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`roles: ${role.id}`);
    const { userId } = (await h.store.findEmailpassLogin(email))!;
    expect((await h.store.policyKeysOf({ type: 'user', id: userId! })).roles).toEqual([role.id]);

    const other = uniqueEmail('cli-role');
    const bad = await usermod('user', '--email', other, '--password', 'cli admin password', '--role', 'role_nope');
    expect(bad).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('error (invalid_data): The following role IDs do not exist: role_nope'),
    });
    expect(await h.store.findEmailpassLogin(other)).toBeFalsy();
  });

  test('invite prints the token and the accept link; invites list and resend', async () => {
    const email = uniqueEmail('cli-inv');
    const out = await usermod('invite', '--email', email);
    expect(out.code).toBe(0);
    const token = /^token: (\S+)$/m.exec(out.stdout)![1];
    expect(out.stdout).toContain(`accept link: https://admin.example.test/invite?token=${token}`);
    const id = decodeJwt(token).id as string;
    const list = await usermod('invites', 'list', '-q', email.split('@')[0]);
    expect(list.stdout).toContain(id);
    expect(list.stdout).not.toContain(token);
    const resent = await usermod('invites', 'resend', id);
    expect(/^token: (\S+)$/m.exec(resent.stdout)![1]).not.toBe(token);
  });

  test('invites import: every good row invited, bad rows reported, exit code 2; running it again invites nobody twice', async () => {
    const [a, b] = [uniqueEmail('csv'), uniqueEmail('csv')];
    const file = join(mkdtempSync(join(tmpdir(), 'usermod-csv-')), 'invites.csv');
    writeFileSync(file, `email,metadata\n${a},"{""team"":""ops""}"\nnot-an-email,\n${b},\n`);
    const first = await usermod('invites', 'import', file);
    expect(first.code).toBe(2);
    expect(first.stderr).toContain(
      "failed: line 3 (not-an-email): Invalid invite: email: Invalid email: 'not-an-email'",
    );
    expect(first.stderr).toContain('2 invited, 1 failed');
    const lines = first.stdout.trim().split('\n');
    expect(lines[0]).toBe('email,invite_id,token,link');
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual([a, b].sort());
    expect((await h.store.listInvites({ email: a }))[0].metadata).toEqual({ team: 'ops' });

    const again = await usermod('invites', 'import', file);
    expect(again.stdout.trim().split('\n').sort()).toEqual(lines.sort());
    expect(await h.prisma.invite.count({ where: { email: { in: [a, b] } } })).toBe(2);
  });
});
