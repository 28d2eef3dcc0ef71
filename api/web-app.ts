import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { WEB_DIST } from '../infra/web-build';

export interface WebAppOptions {
  /** The built app (`npm run build:web`); default `web/dist`. */
  distDir?: string;
  /** Temporal Web UI the pages link runs to (TEMPORAL_UI_URL). */
  temporalUiUrl?: string;
  temporalNamespace?: string;
  /** The page invite links open (INVITE_ACCEPT_URL), so that a copied link is the mailed one. */
  inviteAcceptUrl?: string;
}

// The pages carry secrets in their URL (invite and reset tokens): no Referer may leave them, and no
// script but the app's own may run beside them.
const PAGE_HEADERS = {
  'cache-control': 'no-cache',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https: http:; connect-src 'self'; " +
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
};

/**
 * The web app under /app: built files from `web/dist` (gzip/brotli siblings written by the build are sent
 * when the browser accepts them), hashed assets cached for a year, every other path answered with the
 * single page (SPA fallback), and `/app/config.json` telling the pages what the server is configured with.
 */
export async function webApp(app: FastifyInstance, opts: WebAppOptions = {}): Promise<void> {
  const root = opts.distDir ?? WEB_DIST;
  const config = {
    temporal_ui_url: (opts.temporalUiUrl ?? 'http://localhost:8233').replace(/\/+$/, ''),
    temporal_namespace: opts.temporalNamespace ?? 'default',
    invite_accept_url: opts.inviteAcceptUrl,
  };
  await app.register(fastifyStatic, { root, serve: false, preCompressed: true });

  const sendPage = (reply: FastifyReply) => {
    if (!existsSync(join(root, 'index.html'))) {
      return reply
        .code(503)
        .header('cache-control', 'no-store')
        .type('text/plain; charset=utf-8')
        .send('The web app is not built yet: run `npm run build:web` (npm start builds it).');
    }
    return reply.headers(PAGE_HEADERS).sendFile('index.html', root, { cacheControl: false });
  };

  app.get('/', { schema: { hide: true } }, (_req, reply) => reply.redirect('/app/'));
  app.get('/app', { schema: { hide: true } }, (_req, reply) => sendPage(reply));
  app.get(
    '/app/config.json',
    { schema: { tags: ['web'], summary: "The web app's settings: the Temporal Web UI it links runs to" } },
    (_req, reply) => reply.header('cache-control', 'no-store').send(config),
  );
  app.get('/app/*', { schema: { hide: true } }, (req, reply) => {
    const path = (req.params as { '*': string })['*'];
    // A path naming a file (`assets/index-3f2a.js`, `favicon.svg`) is that file or a 404; any other is a page.
    if (!/\.[a-z0-9]+$/i.test(path)) return sendPage(reply);
    // Vite puts a content hash in every file name under assets/: such a file never changes.
    const cache = path.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    return reply
      .header('cache-control', cache)
      .header('x-content-type-options', 'nosniff')
      .sendFile(path, root, { cacheControl: false });
  });
}
