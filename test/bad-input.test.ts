import { createUserAccount, createInvites, type UsermodClient } from '../client';
import { badRequests, toJson } from './bad-input.corpus';
import { grantRoles, openHarness, uniqueEmail, type Harness } from './harness';
import { startTestApi, type TestApi } from './http';

// Every route against the corpus over real HTTP, with the real worker behind: no 5xx, an answer within
// a few seconds, a `{type, message}` body, and not one row of any table changed by a refused request.

let h: Harness;
let worker: { ctx: UsermodClient; stop(): Promise<void> };
let api: TestApi;
let adminToken: string;
let ids: { invite: string; user: string; inviteToken: string };

beforeAll(async () => {
  h = await openHarness();
  worker = await h.startWorker();
  api = await startTestApi(h, worker.ctx);
  const email = uniqueEmail('corpus-admin');
  const admin = (await createUserAccount(worker.ctx, { email, password: 'corpus admin password 1' })).user;
  await grantRoles(h, admin.id);
  adminToken = (
    await api.call('POST', '/auth/user/emailpass', { body: { email, password: 'corpus admin password 1' } })
  ).body.token;
  const [invite] = await createInvites(worker.ctx, [{ email: uniqueEmail('corpus-invitee') }]);
  ids = { invite: invite.id, user: admin.id, inviteToken: invite.token };
});
afterAll(async () => {
  await api?.close();
  await worker?.stop();
  await h.close();
});

async function rowCounts() {
  const [user, invite, authIdentity, providerIdentity, event, authSession] = await Promise.all([
    h.prisma.user.count(),
    h.prisma.invite.count(),
    h.prisma.authIdentity.count(),
    h.prisma.providerIdentity.count(),
    h.prisma.event.count(),
    h.prisma.authSession.count(),
  ]);
  return { user, invite, authIdentity, providerIdentity, event, authSession };
}

// "A few seconds": a refused request never waits on a flow's retries (it used to hang for 5 minutes).
const FEW_SECONDS_MS = 5000;

test('the bad-input corpus: every request refused fast with {type, message}, no 5xx, no row changed', async () => {
  const corpus = badRequests(ids);
  expect(corpus.length).toBeGreaterThanOrEqual(300);
  const problems: string[] = [];
  let refused = 0;
  for (const r of corpus) {
    const before = await rowCounts();
    const res = await api.call(r.method, r.path, {
      token: r.auth === 'admin' ? adminToken : undefined,
      body: r.body === undefined || r.raw ? r.body : toJson(r.body),
      raw: true,
      headers: r.headers,
    });
    const after = await rowCounts();
    const label = `${r.why} → ${res.status} ${JSON.stringify(res.body)?.slice(0, 160)}`;
    if (res.status >= 500) problems.push(`5xx: ${label}`);
    if (res.ms > FEW_SECONDS_MS) problems.push(`slow (${res.ms} ms): ${label}`);
    if (res.status < 400) {
      problems.push(`accepted: ${label}`);
      continue;
    }
    refused++;
    const body = res.body as { type?: unknown; message?: unknown } | undefined;
    if (typeof body?.type !== 'string' || typeof body?.message !== 'string')
      problems.push(`not {type, message}: ${label}`);
    else if (body.message.length > 400) problems.push(`message of ${body.message.length} characters: ${r.why}`);
    if (JSON.stringify(after) !== JSON.stringify(before))
      problems.push(`rows changed ${JSON.stringify(before)} → ${JSON.stringify(after)}: ${label}`);
  }
  expect(problems).toEqual([]);
  expect(refused).toBeGreaterThanOrEqual(300);
});
