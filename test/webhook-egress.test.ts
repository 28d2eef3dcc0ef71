// Webhooks leave from inside the network: only public addresses are connected to unless
// WEBHOOK_ALLOW_PRIVATE_URLS is set (activities/webhook-egress.ts). A real receiver on loopback checks both.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isNotPublic, postToWebhook, RefusedDestination } from '../activities/webhook-egress';

let server: Server;
let port: number;
let hits = 0;
beforeAll(async () => {
  server = createServer((_req, res) => {
    hits += 1;
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const post = (url: string, allowPrivate?: boolean) =>
  postToWebhook(url, { headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs: 5000 }, allowPrivate);

/** The refusal, whether fetch reports it itself or as the cause of its connection failure. */
async function refusal(url: string): Promise<Error | undefined> {
  const err = (await post(url).then(
    () => undefined,
    (e: Error) => e,
  )) as (Error & { cause?: unknown }) | undefined;
  return [err, err?.cause].find((e): e is Error => e instanceof RefusedDestination);
}

test('loopback, private, link-local (cloud metadata) and mapped addresses are refused by default, by IP or by name', async () => {
  const before = hits;
  expect((await refusal(`http://127.0.0.1:${port}/hook`))?.message).toBe(
    'refused: 127.0.0.1 is a private or local address (WEBHOOK_ALLOW_PRIVATE_URLS=true allows it)',
  );
  // A name is checked on the address it resolves to.
  expect((await refusal(`http://localhost:${port}/hook`))?.message).toMatch(
    /^refused: localhost is (127\.0\.0\.1|::1), a private or local address/,
  );
  expect(await refusal('http://169.254.169.254/latest/meta-data/')).toBeDefined();
  expect(await refusal(`http://[::1]:${port}/`)).toBeDefined();
  expect(await refusal(`http://[::ffff:127.0.0.1]:${port}/`)).toBeDefined();
  expect(await refusal('http://10.1.2.3/')).toBeDefined();
  expect(hits).toBe(before);
});

test('with WEBHOOK_ALLOW_PRIVATE_URLS the same receiver is reached', async () => {
  const before = hits;
  expect((await post(`http://127.0.0.1:${port}/hook`, true)).status).toBe(204);
  expect(hits).toBe(before + 1);
});

test('public addresses are public', () => {
  for (const a of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111']) expect(isNotPublic(a)).toBe(false);
  for (const a of ['192.168.1.1', '172.20.0.1', '100.64.0.1', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1', '0.0.0.0']) {
    expect(isNotPublic(a)).toBe(true);
  }
});
