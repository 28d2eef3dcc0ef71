// Operating the API: SIGTERM drains it (requests in flight finish, new ones are told to retry), and
// GET /metrics shows usermod's counters, HTTP requests by route and status, and the SDK's metrics.
import type { FastifyInstance } from 'fastify';
import { readiness } from '../api/health';
import { buildApi } from '../api/server';
import type { Activities } from '../activities';
import { createActivities } from '../activities';
import { freePort } from '../devstack/free-port';
import { openHarness, testDeps, testInviteTokens, uniqueEmail, type Harness } from './harness';

let h: Harness;
let app: FastifyInstance;
let base: string;
let overrides: Partial<Activities> = {};

beforeAll(async () => {
  h = await openHarness();
  const real = createActivities(testDeps(h.store));
  // Overrides read at call time, so a test can slow one activity down.
  const worker = await h.startWorker({
    createEmailpassIdentity: (input) => (overrides.createEmailpassIdentity ?? real.createEmailpassIdentity)(input),
  });
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
});
afterAll(async () => {
  await app?.close();
  await h.close();
});

const register = (email: string) =>
  fetch(`${base}/auth/user/emailpass/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'a long enough password' }),
  });

test('GET /metrics: flows by outcome, HTTP requests by route pattern and status, in Prometheus text', async () => {
  expect((await register(uniqueEmail('metrics'))).status).toBe(200);
  expect((await fetch(`${base}/admin/users/user_nobody`)).status).toBe(401);
  const res = await fetch(`${base}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  const text = await res.text();
  expect(text).toMatch(/^usermod_flows_started_total\{flow="registerEmailpass"\} [1-9]/m);
  expect(text).toMatch(/^usermod_flows_completed_total\{flow="registerEmailpass"\} [1-9]/m);
  expect(text).toMatch(
    /^usermod_http_requests_total\{method="POST",route="\/auth\/user\/emailpass\/register",status="200"\} [1-9]/m,
  );
  // The route's pattern, never the raw URL (ids, tokens).
  expect(text).toMatch(/^usermod_http_requests_total\{method="GET",route="\/admin\/users\/:id",status="401"\} 1$/m);
  expect(text).not.toContain('user_nobody');
  // The Temporal SDK's own metrics of this worker follow usermod's.
  expect(text).toMatch(/^temporal_workflow_completed_total\{.*workflow_type="registerEmailpassWorkflow".*\} [1-9]/m);
  expect(text).toMatch(/^temporal_activity_execution_latency_bucket\{/m);
  for (const name of [
    'usermod_compensations_retrying',
    'usermod_activity_failures_total',
    'usermod_reconciler_repairs_total',
  ]) {
    expect(text).toContain(`# TYPE ${name}`);
  }
});

test('draining: the request in flight finishes with its flow; new ones get 503 with Retry-After', async () => {
  let entered!: () => void;
  const inStep = new Promise<void>((r) => (entered = r));
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const real = createActivities(testDeps(h.store));
  overrides = {
    createEmailpassIdentity: async (input) => {
      entered();
      await released;
      return real.createEmailpassIdentity(input);
    },
  };
  try {
    const inFlight = register(uniqueEmail('drain'));
    await inStep;
    let drained = false;
    const drain = app.drain(30_000).then(() => (drained = true));

    const refused = await fetch(`${base}/health/live`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.json()).toMatchObject({ type: 'unavailable' });
    expect(drained).toBe(false);

    release();
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(await answered.json()).toMatchObject({ token: expect.any(String) });
    await drain;
    expect(drained).toBe(true);
  } finally {
    overrides = {};
    release();
  }
});
