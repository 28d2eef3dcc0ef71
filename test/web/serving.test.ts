import { redactUrl } from '../../infra/logger';
import { openWebStack, TEMPORAL_UI, type WebStack } from './web-stack';

let s: WebStack;
beforeAll(async () => {
  s = await openWebStack();
});
afterAll(async () => {
  await s?.close();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${s.base}${path}`, { headers, redirect: 'manual' });

describe('the web app as served by the API', () => {
  test('/ leads to /app/; every page path answers the single page, never cached, with no Referer and a strict CSP', async () => {
    const root = await get('/');
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/app/');
    for (const path of ['/app', '/app/', '/app/invite?token=abc', '/app/users/user_01ABC', '/app/reset-password']) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
      expect(await res.text()).toContain('<div id="root"></div>');
    }
  });

  test('hashed assets are sent pre-compressed and cached for a year; a missing file is a 404, not the page', async () => {
    const html = await (await get('/app/')).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/app\/assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
    for (const a of assets) {
      const res = await get(a, { 'accept-encoding': 'gzip' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBe('gzip');
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    const missing = await get('/app/assets/nothing-here.js');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ type: 'not_found' });
    expect((await get('/app/assets/..%2f..%2fpackage.json')).status).toBeGreaterThanOrEqual(400);
  });

  test('/app/config.json tells the pages where the Temporal Web UI and the invite page are', async () => {
    const res = await get('/app/config.json');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({
      temporal_ui_url: TEMPORAL_UI,
      temporal_namespace: 'default',
      invite_accept_url: `${s.base}/app/invite`,
    });
  });

  test('the first page a browser opens stays small: everything it transfers, compressed, is under 100 KB', async () => {
    const page = await s.newPage();
    const responses: Promise<number>[] = [];
    page.on('response', (r) =>
      responses.push(
        r
          .request()
          .sizes()
          .then((x) => x.responseBodySize + x.responseHeadersSize),
      ),
    );
    await page.goto('/app/login');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const total = (await Promise.all(responses)).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(10_000);
    expect(total).toBeLessThan(100_000);
  });

  test('request logs never carry the token of a page a mailed link opens', () => {
    expect(redactUrl('/app/invite?token=eyJ.a.b')).toBe('/app/invite?token=[redacted]');
    expect(redactUrl('/auth/reset-password?token=eyJ.a.b')).toBe('/auth/reset-password?token=[redacted]');
  });
});
