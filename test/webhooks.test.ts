import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { eventSubscribers } from '../activities/webhooks';
import { usermodAdminPlugin } from '../api/plugin';
import { acceptInvite, createInvites, type UsermodClient } from '../client';
import type { PublishedEvent } from '../domain';
import { ensureWebhookRelaySchedule } from '../worker/webhook-relay-schedule';
import { createWorker } from '../worker/worker';
import { lowPort } from './low-port';
import {
  grantRoles,
  openHarness,
  testDataConverter,
  testDeps,
  testInviteTokens,
  testSealer,
  uniqueEmail,
  type Harness,
} from './harness';

// Events leave: the outbox relay (a schedule) publishes recorded events to webhooks, signed in the
// Standard Webhooks format, retried with backoff; a receiver started here checks what arrives.
const PASSWORD = 'a-long-Passphrase-for-webhooks-42';
const webhookKey = randomBytes(32).toString('base64');
// Seconds, so the 500-forever case ends quickly; long enough for the outage case to see its receiver back.
const retry = { retryWindowSeconds: 15, maxRetryIntervalSeconds: 2, timeoutSeconds: 5 };

let h: Harness;
let native: NativeConnection;
let ctx: UsermodClient;
let app: FastifyInstance;
let running: { worker: Worker; done: Promise<void> } | undefined;
const scheduleId = `test-webhook-relay-${randomUUID()}`;
const subscribers = eventSubscribers();
const subscribed: PublishedEvent[] = [];
subscribers.onEvent('invite.accepted', (e) => void subscribed.push(e));

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}
const received: Received[] = [];
let receiver: Server | undefined;
let receiverPort: number;
function startReceiver(): Promise<void> {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ path: req.url!, headers: req.headers as Record<string, string>, body });
      res.writeHead(req.url === '/fail' ? 500 : 204).end();
    });
  });
  return new Promise((resolve) => receiver!.listen(receiverPort, '127.0.0.1', resolve));
}
const stopReceiver = () => new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));

async function startWorker() {
  const worker = await createWorker({
    connection: native,
    namespace: 'default',
    taskQueue: ctx.taskQueue,
    activities: createActivities(
      testDeps(h.store, { webhooks: { key: webhookKey, timeoutSeconds: 5, subscribers, allowPrivateUrls: true } }),
    ),
    workflowBundle: { code: readFileSync(process.env.USERMOD_TEST_BUNDLE!, 'utf8') },
    dataConverter: testDataConverter,
  });
  running = { worker, done: worker.run() };
}
async function stopWorker() {
  running!.worker.shutdown();
  await running!.done;
  running = undefined;
}

beforeAll(async () => {
  h = await openHarness();
  native = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  ctx = {
    client: h.client,
    taskQueue: `test-webhooks-${randomUUID()}`,
    jwtSecret: testInviteTokens.secret,
    seal: testSealer,
  };
  receiverPort = await lowPort();
  await startReceiver();
  await startWorker();
  await ensureWebhookRelaySchedule(h.client, {
    taskQueue: ctx.taskQueue,
    intervalSeconds: 1,
    delivery: retry,
    scheduleId,
  });
  // The admin API as an application embeds it: under its prefix, with its own authentication.
  app = Fastify();
  await app.register(usermodAdminPlugin, {
    prefix: '/usermod',
    context: { store: h.store, usermod: ctx, jwtSecret: testInviteTokens.secret, jwtExpiresIn: '1h', webhookKey },
    authenticate: async (req) => {
      const who = req.headers['x-test-admin'];
      if (who !== 'yes' && who !== 'member') return undefined;
      const actor_id = who === 'yes' ? 'user_admin' : 'user_member';
      return { actor_id, actor_type: 'user', auth_identity_id: `authid_${who}`, app_metadata: {} };
    },
  });
  // The application's own users act with their usermod roles (RBAC applies behind any auth hook).
  await grantRoles(h, 'user_admin');
});
afterAll(async () => {
  await h.client.schedule.getHandle(scheduleId).delete();
  if (running) await stopWorker();
  await stopReceiver();
  await app.close();
  await native.close();
  await h.close();
});

const admin = { 'x-test-admin': 'yes' };
async function addWebhook(path: string, events: string[]) {
  const res = await app.inject({
    method: 'POST',
    url: '/usermod/admin/webhooks',
    headers: admin,
    payload: { url: `http://127.0.0.1:${receiverPort}${path}`, events },
  });
  expect(res.statusCode).toBe(201);
  return res.json() as { webhook: { id: string }; secret: string };
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, seconds = 60): Promise<T> {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Standard Webhooks verification, written out: v1,<base64 HMAC-SHA256(key, id.timestamp.body)>. */
function verify(secret: string, m: Received): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key)
    .update(`${m.headers['webhook-id']}.${m.headers['webhook-timestamp']}.${m.body}`)
    .digest('base64');
  return m.headers['webhook-signature'].split(' ').includes(`v1,${expected}`);
}

const about = (path: string, id: string) =>
  received.filter((m) => m.path === path && (JSON.parse(m.body) as { data: { id: string } }).data.id === id);
const types = (ms: Received[]) => ms.map((m) => (JSON.parse(m.body) as { type: string }).type).sort();

test('POST /admin/webhooks: the secret is shown once and stored encrypted; GET never shows it; auth hook applies', async () => {
  expect((await app.inject({ method: 'GET', url: '/usermod/admin/webhooks' })).statusCode).toBe(401);
  const member = await app.inject({
    method: 'GET',
    url: '/usermod/admin/webhooks',
    headers: { 'x-test-admin': 'member' },
  });
  expect(member.statusCode).toBe(403);
  expect(member.json()).toEqual({ type: 'forbidden', message: 'Forbidden' });
  const bad = await app.inject({
    method: 'POST',
    url: '/usermod/admin/webhooks',
    headers: admin,
    payload: { url: 'ftp://x', events: ['invite.nope'] },
  });
  expect(bad.statusCode).toBe(400);
  const { webhook, secret } = await addWebhook('/unused', ['user.deleted']);
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
  const list = await app.inject({ method: 'GET', url: '/usermod/admin/webhooks', headers: admin });
  expect(list.body).not.toContain(secret);
  expect(list.json().webhooks).toEqual(expect.arrayContaining([expect.objectContaining({ id: webhook.id })]));
  const row = await h.prisma.webhook.findUniqueOrThrow({ where: { id: webhook.id } });
  expect(row.secret_ciphertext).not.toContain(secret.slice(6));
  const del = await app.inject({ method: 'DELETE', url: `/usermod/admin/webhooks/${webhook.id}`, headers: admin });
  expect(del.json()).toEqual({ id: webhook.id, object: 'webhook', deleted: true });
  expect(
    (await app.inject({ method: 'GET', url: `/usermod/admin/webhooks/${webhook.id}`, headers: admin })).statusCode,
  ).toBe(404);
});

describe('delivery', () => {
  let secret: string;
  let webhookId: string;
  beforeAll(async () => {
    ({
      secret,
      webhook: { id: webhookId },
    } = await addWebhook('/ok', ['invite.created', 'invite.accepted', 'user.created']));
  });

  test('invite.created, invite.accepted and user.created arrive exactly once each, signed; subscribers run', async () => {
    const invite = (await createInvites(ctx, [{ email: uniqueEmail('wh') }]))[0];
    const { user } = await acceptInvite(ctx, { token: invite.token, password: PASSWORD });
    await until(
      'the three events',
      async () => about('/ok', invite.id).length >= 2 && about('/ok', user.id).length >= 1,
    );
    // Every delivery of this webhook settled: nothing more will come for these events.
    await until('deliveries settled', async () =>
      (await h.store.listWebhookDeliveries(webhookId)).every((d) => d.status === 'delivered'),
    );
    expect(types(about('/ok', invite.id))).toEqual(['invite.accepted', 'invite.created']);
    expect(types(about('/ok', user.id))).toEqual(['user.created']);
    for (const m of [...about('/ok', invite.id), ...about('/ok', user.id)]) {
      expect(verify(secret, m)).toBe(true);
      expect(verify('whsec_' + randomBytes(24).toString('base64'), m)).toBe(false);
      expect(Math.abs(Number(m.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(300);
      // Ids only: never the token or a hash.
      for (const key of Object.keys(JSON.parse(m.body).data)) expect(['id', 'user_id']).toContain(key);
      expect(m.body).not.toContain(invite.token);
    }
    const events = await h.store.listEvents({ name: 'invite.accepted' });
    expect(events.find((e) => e.payload.id === invite.id)?.published_at).not.toBeNull();
    expect(subscribed.filter((e) => e.payload.id === invite.id)).toEqual([
      expect.objectContaining({ name: 'invite.accepted', payload: { id: invite.id, user_id: user.id } }),
    ]);
  });

  test('a receiver down for a while gets the event once it is back, exactly once, every attempt recorded', async () => {
    await stopReceiver();
    const invite = (await createInvites(ctx, [{ email: uniqueEmail('wh-down') }]))[0];
    const failing = await until('two failed attempts', async () => {
      const d = (await h.store.listWebhookDeliveries(webhookId)).find(
        (x) => x.event_name === 'invite.created' && x.attempts >= 2,
      );
      return d?.attempt_log.every((a) => a.error !== null) ? d : undefined;
    });
    expect(failing.status).toBe('pending');
    await startReceiver();
    await until('the delivery after the outage', async () => about('/ok', invite.id).length === 1);
    await until('delivered', async () =>
      (await h.store.listWebhookDeliveries(webhookId, 'delivered')).some((d) => d.id === failing.id),
    );
    expect(about('/ok', invite.id)).toHaveLength(1);
    expect(verify(secret, about('/ok', invite.id)[0])).toBe(true);
  });

  test('after a worker restart, events recorded meanwhile arrive exactly once', async () => {
    const invite = (await createInvites(ctx, [{ email: uniqueEmail('wh-restart') }]))[0];
    await stopWorker();
    await startWorker();
    await until('the delivery after the restart', async () => about('/ok', invite.id).length >= 1);
    await until('deliveries settled', async () =>
      (await h.store.listWebhookDeliveries(webhookId)).every((d) => d.status === 'delivered'),
    );
    expect(types(about('/ok', invite.id))).toEqual(['invite.created']);
  });
});

test('a receiver answering 500 forever: a recorded failure (API and a failed workflow), the event kept and published', async () => {
  const {
    webhook: { id },
  } = await addWebhook('/fail', ['invite.created']);
  const invite = (await createInvites(ctx, [{ email: uniqueEmail('wh-fail') }]))[0];
  const res = await until('the failed delivery', async () => {
    const r = await app.inject({
      method: 'GET',
      url: `/usermod/admin/webhooks/${id}/deliveries?status=failed`,
      headers: admin,
    });
    const ds = r.json().deliveries as {
      id: string;
      event_id: string;
      attempts: number;
      attempt_log: { status_code: number }[];
    }[];
    return ds.length > 0 ? ds : undefined;
  });
  expect(res).toHaveLength(1);
  expect(res[0].attempts).toBeGreaterThanOrEqual(2);
  expect(res[0].attempt_log.every((a) => a.status_code === 500)).toBe(true);
  expect(about('/fail', invite.id).length).toBe(res[0].attempts);
  // The delivery's workflow fails (after recording the failure): a failed run in the Temporal UI.
  const handle = h.client.workflow.getHandle(`webhook-delivery-${res[0].id}`);
  await expect(handle.result()).rejects.toMatchObject({ cause: { type: 'webhook_delivery_failed' } });
  expect((await handle.describe()).status.name).toBe('FAILED');
  // Nothing lost from the outbox: the event is still there, published.
  const event = await h.prisma.event.findUniqueOrThrow({ where: { id: res[0].event_id } });
  expect(event.published_at).not.toBeNull();
  expect(event.payload).toEqual({ id: invite.id });
});
