import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { SMTPServer } from 'smtp-server';
import { createActivities } from '../activities';
import { buildCodecServer } from '../codec/server';
import { createInvites, refreshInviteTokens } from '../client';
import { fileTransport, smtpTransport, type MailMessage } from '../activities/mail-transport';
import { hashToken } from '../auth/invite-token';
import { INVITE_EXPIRY_SCHEDULE_ID } from '../worker/invite-expiry-schedule';
import { runWorker } from '../worker/main';
import { expireInvitesWorkflow } from '../workflows/expire-invites';
import { freePort } from '../devstack/free-port';
import {
  openHarness,
  testCodecKeys,
  testDeps,
  testInviteTokens,
  testSealKeys,
  uniqueEmail,
  type Harness,
} from './harness';

let h: Harness;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const shortLived = () =>
  createActivities(testDeps(h.store, { inviteTokens: { ...testInviteTokens, validDurationSeconds: 1 } }))
    .createInvitesFromDrafts;
const tokenIn = (text: string) => new URL(/https?:\/\/\S+/.exec(text)![0]).searchParams.get('token');

/** A real SMTP server on loopback that keeps what it receives (or refuses every recipient). */
async function smtpSink(refuse = false) {
  const received: { to: string[]; body: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (!refuse) return cb();
      return cb(Object.assign(new Error(`mailbox ${address.address} unavailable`), { responseCode: 550 }));
    },
    onData(stream, session, cb) {
      let body = '';
      stream.on('data', (d: Buffer) => (body += d.toString('utf8')));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), body });
        cb();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('invite delivery', () => {
  test('create and resend send the accept link through a real SMTP server', async () => {
    const smtp = await smtpSink();
    try {
      const delivery = {
        transport: smtpTransport(smtp.url, 'usermod <no-reply@example.test>'),
        acceptUrl: 'https://admin.example.test/invite',
      };
      const real = createActivities(testDeps(h.store, { delivery }));
      const email = uniqueEmail('smtp');
      const [invite] = await h.withWorker((ctx) => createInvites(ctx, [{ email }]), { sendInvite: real.sendInvite });
      const [resent] = await h.withWorker((ctx) => refreshInviteTokens(ctx, [invite.id]), {
        sendInvite: real.sendInvite,
      });

      expect(smtp.received.map((m) => m.to)).toEqual([[email], [email]]);
      const bodies = smtp.received.map((m) => m.body.replace(/=\r?\n/g, '').replace(/=3D/g, '='));
      expect(tokenIn(bodies[0])).toBe(invite.token);
      expect(tokenIn(bodies[1])).toBe(resent.token);
      expect(bodies[0]).toContain('https://admin.example.test/invite?token=');
      expect(bodies[1]).toContain(resent.expires_at);
      const row = await h.prisma.invite.findUniqueOrThrow({ where: { id: invite.id } });
      expect(row).toMatchObject({ delivery_status: 'sent', token_hash: hashToken(resent.token) });
    } finally {
      await smtp.close();
    }
  });

  test('a permanent refusal marks delivery failed and keeps the invite', async () => {
    const smtp = await smtpSink(true);
    try {
      const delivery = {
        transport: smtpTransport(smtp.url, 'usermod <no-reply@example.test>'),
        acceptUrl: 'https://admin.example.test/invite',
      };
      const real = createActivities(testDeps(h.store, { delivery }));
      const [invite] = await h.withWorker((ctx) => createInvites(ctx, [{ email: uniqueEmail('bounce') }]), {
        sendInvite: real.sendInvite,
      });
      const row = await h.prisma.invite.findUniqueOrThrow({ where: { id: invite.id } });
      expect(row).toMatchObject({ delivery_status: 'failed', status: 'pending', deleted_at: null });
      expect(row.delivery_error).toContain('550');
      const failed = await h.store.listEvents({ name: 'invite.delivery_failed' });
      expect(failed.filter((e) => e.payload.id === invite.id)).toHaveLength(1);
      expect(smtp.received).toEqual([]);
    } finally {
      await smtp.close();
    }
  });

  test('transient failures are retried with backoff until the message goes out', async () => {
    let calls = 0;
    const sent: MailMessage[] = [];
    const flaky = {
      name: 'flaky',
      send: async (m: MailMessage) => {
        calls += 1;
        if (calls < 3) throw new Error('connection reset');
        sent.push(m);
      },
    };
    const real = createActivities(
      testDeps(h.store, { delivery: { transport: flaky, acceptUrl: 'https://admin.example.test/invite' } }),
    );
    const [invite] = await h.withWorker((ctx) => createInvites(ctx, [{ email: uniqueEmail('flaky') }]), {
      sendInvite: real.sendInvite,
    });
    expect(calls).toBe(3);
    expect(tokenIn(sent[0].text)).toBe(invite.token);
    expect((await h.store.retrieveInvite(invite.id)).delivery_status).toBe('sent');
  });

  test('the default file transport writes the message to the mailbox file, not to the log', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'usermod-mail-')), 'outbox.jsonl');
    const real = createActivities(
      testDeps(h.store, {
        delivery: { transport: fileTransport(file), acceptUrl: 'http://localhost:9000/app/invite' },
      }),
    );
    const [invite] = await h.withWorker((ctx) => createInvites(ctx, [{ email: uniqueEmail('file') }]), {
      sendInvite: real.sendInvite,
    });
    const [line] = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(line).toMatchObject({ to: invite.email, subject: 'You have been invited' });
    expect(tokenIn(line.text)).toBe(invite.token);
  });
});

describe('expireInvitesWorkflow', () => {
  test('expires exactly the pending invites past their expiry, one event each, and a second run changes nothing', async () => {
    const [a, b] = await h.withWorker(
      (ctx) => createInvites(ctx, [{ email: uniqueEmail('exp') }, { email: uniqueEmail('exp') }]),
      { createInvitesFromDrafts: shortLived() },
    );
    const [revokedShort] = await h.withWorker((ctx) => createInvites(ctx, [{ email: uniqueEmail('exp') }]), {
      createInvitesFromDrafts: shortLived(),
    });
    await h.store.softDeleteInvites([revokedShort.id]);
    const [live] = await h.withWorker((ctx) => createInvites(ctx, [{ email: uniqueEmail('live') }]));
    await sleep(1500);

    const first = await h.withWorker((ctx) =>
      h.client.workflow.execute(expireInvitesWorkflow, {
        taskQueue: ctx.taskQueue,
        workflowId: `expire-${a.id}`,
        args: [{ batchSize: 1, retentionSeconds: 0 }],
      }),
    );
    expect(first.expired).toBeGreaterThanOrEqual(2);
    const rows = await h.prisma.invite.findMany({
      where: { id: { in: [a.id, b.id, revokedShort.id, live.id] } },
      orderBy: { id: 'asc' },
    });
    const status = Object.fromEntries(rows.map((r) => [r.id, r.status]));
    expect(status).toEqual({
      [a.id]: 'expired',
      [b.id]: 'expired',
      [revokedShort.id]: 'pending',
      [live.id]: 'pending',
    });
    const events = async () =>
      (await h.store.listEvents({ name: 'invite.expired' })).filter((e) =>
        [a.id, b.id, revokedShort.id, live.id].includes(e.payload.id as string),
      );
    expect((await events()).map((e) => e.payload.id).sort()).toEqual([a.id, b.id].sort());

    const second = await h.withWorker((ctx) =>
      h.client.workflow.execute(expireInvitesWorkflow, {
        taskQueue: ctx.taskQueue,
        workflowId: `expire-again-${a.id}`,
        args: [{ batchSize: 1, retentionSeconds: 0 }],
      }),
    );
    expect(second).toEqual({ expired: 0, purged: 0 });
    expect(await events()).toHaveLength(2);
    // Resend brings an expired invite back to pending with a new expiry.
    const [again] = await h.withWorker((ctx) => refreshInviteTokens(ctx, [a.id]));
    expect(again.status).toBe('pending');
  });

  test('purges expired and revoked invites older than the retention', async () => {
    const [old] = await h.withWorker((ctx) => createInvites(ctx, [{ email: uniqueEmail('purge') }]), {
      createInvitesFromDrafts: shortLived(),
    });
    const [revoked, kept] = await h.withWorker((ctx) =>
      createInvites(ctx, [{ email: uniqueEmail('purge') }, { email: uniqueEmail('keep') }]),
    );
    await h.store.softDeleteInvites([revoked.id]);
    await sleep(1200);
    await h.store.expireDueInvites(1000);
    await sleep(1100);
    const r = await h.withWorker((ctx) =>
      h.client.workflow.execute(expireInvitesWorkflow, {
        taskQueue: ctx.taskQueue,
        workflowId: `purge-${old.id}`,
        args: [{ batchSize: 100, retentionSeconds: 1 }],
      }),
    );
    expect(r.purged).toBeGreaterThanOrEqual(2);
    const left = await h.prisma.invite.findMany({ where: { id: { in: [old.id, revoked.id, kept.id] } } });
    expect(left.map((i) => i.id)).toEqual([kept.id]);
  });
});

describe('start-up and inspection', () => {
  test('a starting worker creates the expiry schedule with the configured spec, and it can be triggered', async () => {
    const env = { ...process.env };
    const taskQueue = `startup-${Date.now()}`;
    Object.assign(process.env, {
      TEMPORAL_TASK_QUEUE: taskQueue,
      INVITE_EXPIRY_INTERVAL: '5400',
      INVITE_EXPIRY_BATCH: '250',
      USERMOD_PAYLOAD_KEYS: `test-key:${testCodecKeys[0].key.toString('base64')}`,
      USERMOD_SEAL_KEYS: testSealKeys.privateKeys,
      JWT_SECRET: testInviteTokens.secret,
      USERMOD_DATA_DIR: mkdtempSync(join(tmpdir(), 'usermod-data-')),
    });
    const abort = new AbortController();
    const running = runWorker({
      databaseUrl: process.env.DATABASE_URL!,
      temporalAddress: process.env.TEMPORAL_ADDRESS!,
      signal: abort.signal,
    });
    try {
      const handle = h.client.schedule.getHandle(INVITE_EXPIRY_SCHEDULE_ID);
      let described;
      for (let i = 0; i < 100 && !described; i++) {
        described = await handle.describe().catch(() => undefined);
        if (!described || described.action.type !== 'startWorkflow' || described.action.taskQueue !== taskQueue) {
          described = undefined;
          await sleep(200);
        }
      }
      expect(described!.spec.intervals).toMatchObject([{ every: 5_400_000 }]);
      expect(described!.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
      expect(described!.action).toMatchObject({
        type: 'startWorkflow',
        workflowType: 'expireInvitesWorkflow',
        taskQueue,
        args: [{ batchSize: 250, retentionSeconds: 0 }],
      });

      await handle.trigger();
      let runs = 0;
      for (let i = 0; i < 100 && runs === 0; i++) {
        runs = (await handle.describe()).info.recentActions.length;
        if (!runs) await sleep(200);
      }
      expect(runs).toBe(1);
      const started = (await handle.describe()).info.recentActions[0].action.workflow;
      const result = await h.client.workflow.getHandle(started.workflowId, started.firstExecutionRunId).result();
      expect(result).toMatchObject({ purged: 0 });
    } finally {
      abort.abort();
      await running;
      process.env = env;
    }
  });

  test("the codec server decodes a run's encrypted history for the Web UI, and refuses without its token", async () => {
    const email = uniqueEmail('codec');
    const [invite] = await h.withWorker((ctx) => createInvites(ctx, [{ email }]));
    const wf = (
      await h.client.workflow
        .list({ query: `UsermodInviteIds = '${invite.id}'` })
        [Symbol.asyncIterator]()
        .next()
    ).value;
    const history = await h.client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
    const completed = history.events!.find((e) => e.workflowExecutionCompletedEventAttributes)!;
    const payloads = completed.workflowExecutionCompletedEventAttributes!.result!.payloads!.map((p) => ({
      metadata: Object.fromEntries(
        Object.entries(p.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')]),
      ),
      data: Buffer.from(p.data!).toString('base64'),
    }));
    expect(Buffer.from(payloads[0].data, 'base64').toString('latin1')).not.toContain(email);

    const app = await buildCodecServer({
      keys: testCodecKeys,
      token: 'codec-token-0123456789',
      uiOrigins: ['http://localhost:8233'],
    });
    try {
      const denied = await app.inject({ method: 'POST', url: '/decode', payload: { payloads } });
      expect(denied.statusCode).toBe(401);
      for (const req of [
        { url: '/decode', headers: { authorization: 'Bearer codec-token-0123456789' } },
        { url: '/codec-token-0123456789/decode', headers: {} },
      ]) {
        const res = await app.inject({
          method: 'POST',
          url: req.url,
          headers: { ...req.headers, origin: 'http://localhost:8233', 'x-namespace': 'default' },
          payload: { payloads },
        });
        expect(res.statusCode).toBe(200);
        expect(res.headers['access-control-allow-origin']).toBe('http://localhost:8233');
        const decoded = JSON.parse(Buffer.from(res.json().payloads[0].data, 'base64').toString('utf8'));
        expect(decoded.invites[0]).toMatchObject({ id: invite.id, email });
      }
      const preflight = await app.inject({
        method: 'OPTIONS',
        url: '/decode',
        headers: {
          origin: 'http://localhost:8233',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'x-namespace,content-type',
        },
      });
      expect(preflight.headers['access-control-allow-headers']).toContain('x-namespace');
      const bad = await app.inject({
        method: 'POST',
        url: '/decode',
        headers: { authorization: 'Bearer codec-token-0123456789' },
        payload: {},
      });
      expect(bad.json()).toEqual({ type: 'invalid_data', message: "Invalid request: Field 'payloads' is required" });
    } finally {
      await app.close();
    }
  });
});
