// Scrypt runs on a pool of worker threads (auth/password-pool.ts): hashes keep scrypt-kdf's format, and
// logins in progress do not hold up the API's other requests.
import { availableParallelism } from 'node:os';
import * as ScryptModule from 'scrypt-kdf';
import { hashPassword, passwordPoolStats, verifyPassword } from '../auth/password';
import { openHarness, uniqueEmail, type Harness } from './harness';
import { startTestApi, type TestApi } from './http';

const Scrypt = (ScryptModule as unknown as { default?: typeof ScryptModule }).default ?? ScryptModule;

let h: Harness;
let api: TestApi;
let base: string;
beforeAll(async () => {
  h = await openHarness();
  const { ctx } = await h.startWorker();
  api = await startTestApi(h, ctx);
  base = api.base;
});
afterAll(async () => {
  await api?.close();
  await h.close();
});

test('hashes are scrypt-kdf hashes (logN 15), made and checked on the pool, one thread per core at most', async () => {
  const before = passwordPoolStats().completed;
  const hash = await hashPassword('pool password 1 ok');
  expect(await Scrypt.verify(Buffer.from(hash, 'base64'), 'pool password 1 ok')).toBe(true);
  expect(Scrypt.viewParams(Buffer.from(hash, 'base64'))).toEqual({ logN: 15, r: 8, p: 1 });
  const direct = Buffer.from(await Scrypt.kdf('made elsewhere 2', { logN: 15, r: 8, p: 1 })).toString('base64');
  expect(await verifyPassword(direct, 'made elsewhere 2')).toBe(true);
  expect(await verifyPassword(direct, 'made elsewhere 3')).toBe(false);
  expect(await verifyPassword('not a hash', 'made elsewhere 2')).toBe(false);
  const stats = passwordPoolStats();
  expect(stats.completed - before).toBe(4);
  expect(stats.maxThreads).toBe(availableParallelism());
  expect(stats.threads).toBeLessThanOrEqual(availableParallelism());
});

test('while several logins hash, /health/live keeps answering: every answer comes before the last login', async () => {
  const finished: string[] = [];
  const before = passwordPoolStats().completed;
  // Unknown e-mails: each login still runs a full scrypt (the constant-time dummy check), then answers 401.
  const logins = Array.from({ length: 3 * availableParallelism() }, (_, i) =>
    fetch(`${base}/auth/user/emailpass`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: uniqueEmail(`busy${i}`), password: 'some password 1' }),
    }).then(async (res) => {
      await res.arrayBuffer();
      finished.push('login');
      return res.status;
    }),
  );
  const lives: number[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await fetch(`${base}/health/live`);
    lives.push(res.status);
    finished.push('live');
  }
  expect(await Promise.all(logins)).toEqual(logins.map(() => 401));
  expect(lives).toEqual([200, 200, 200, 200, 200]);
  // The logins were sent first, and the hashes they wait for ran while the health checks were answered.
  expect(finished.lastIndexOf('live')).toBeLessThan(finished.lastIndexOf('login'));
  // Each login's scrypt ran on the pool's threads.
  expect(passwordPoolStats().completed - before).toBeGreaterThanOrEqual(logins.length);
});

test('a burst is hashed first come, first served: no hash is overtaken by more than a pool width of later ones', async () => {
  const width = availableParallelism();
  const order: number[] = [];
  await Promise.all(
    Array.from({ length: 6 * width }, (_, i) => hashPassword(`burst password ${i}`).then(() => order.push(i))),
  );
  // How many hashes asked for after each one were done before it: the others running beside it (width - 1),
  // one more for a thread the machine was slow to schedule. Out of order, the pool let 6 of 12 pass one.
  const overtakenBy = order.map((i, at) => order.slice(0, at).filter((j) => j > i).length);
  expect(Math.max(...overtakenBy)).toBeLessThanOrEqual(width);
});
